import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';

/** Each case: a line as bundles carry it, and the secret that must not survive. */
const LEAKS: [string, string][] = [
  ['kubeadm join 10.200.0.2:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:9f1e', 'abcdef.0123456789abcdef'],
  ['/usr/bin/mysqld --user mysql --password Sup3rS3cret', 'Sup3rS3cret'],
  ['env PGPASSWORD=hunter2pg psql -h db', 'hunter2pg'],
  ['MYSQL_ROOT_PASSWORD=rootPw0001', 'rootPw0001'],
  ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['GET /apis/v1/watch?access_token=qs0TokenValue&watch=1', 'qs0TokenValue'],
  ['password: "correct horse battery staple"', 'horse battery staple'],
  ["db_password: 'pw,with,commas'", 'with,commas'],
  ['{"password":"quote\\"inside value"}', 'inside value'],
  ['password: "cut off by the line limit', 'cut off by the line limit'],
  ['redis://:onlyAPassword@redis-master:6379/0', 'onlyAPassword'],
  ['spring.datasource.password=jdbcPw0002', 'jdbcPw0002'],
  ['logs/password=InAMemberName.log', 'InAMemberName'],
  ['> Cookie: sessionid=9f8e7d6c5b4a; csrftoken=Zx12Yw34', 'sessionid=9f8e7d6c5b4a'],
  ['< Set-Cookie: GCLB=CJ3k7YWm0Zq; path=/; HttpOnly', 'CJ3k7YWm0Zq'],
  ['{"headers":{"cookie":"oauth2_proxy=c2VjcmV0LXNlc3Npb24"}}', 'c2VjcmV0LXNlc3Npb24'],
];

describe('redact', () => {
  for (const [line, secret] of LEAKS) {
    it(`hides the secret in: ${line.slice(0, 60)}`, () => {
      const out = redact(line);
      expect(out).not.toContain(secret);
      expect(out).toMatch(/\[REDACTED \d+ B\]/);
      expect(redact(out)).toBe(out); // idempotent
    });
  }

  it('keeps the key, the quotes and the size, so the line still reads', () => {
    expect(redact('password: "correct horse"')).toBe('password: "[REDACTED 13 B]"');
    expect(redact('--token abcdef.0123456789abcdef --v=2')).toBe('--token [REDACTED 23 B] --v=2');
    expect(redact('GET /x?access_token=abc123&watch=1')).toBe('GET /x?access_token=[REDACTED 6 B]&watch=1');
    expect(redact('redis://:pw12345@redis:6379')).toBe('redis://:[REDACTED 7 B]@redis:6379');
  });

  it('leaves lines without secrets as they are', () => {
    for (const line of [
      'I0305 05:18:28.301500       1 graceful_termination.go:160] Trying to delete rs: 10.96.7.227:80/TCP/192.168.1.17:8080',
      'kubelet --node-ip=10.200.0.9 --v=2 --container-runtime=remote',
      'https://registry.example.com:443/v2/',
    ]) expect(redact(line)).toBe(line);
  });
});
