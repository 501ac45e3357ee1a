/**
 * No secret is printed: a bundle seeded with every kind of credential, in lines the IPVS
 * signature cites as evidence (the last "Trying to delete rs" lines of the stuck kube-proxy),
 * in events, and in members the inventory lists. Every output format is checked for every
 * secret value; `--no-redact` prints them and says so on stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gz, sample, tar, type Entry } from './hostile/corpus.js';
import { cliAsync, type CliResult } from './support/cli.js';

const PEM_KEY_BODY = 'MIIEpAIBAAKCAQEAr3dActedPemKeyBodyLine0001xyz';
const PEM_CERT_BODY = 'MIIDdzCCAl+gAwIBAgIRedactedPemCertBody0002';
const CLIENT_KEY_DATA = 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpDbGllbnRLZXlEYXRhMDAwMw==';
const CLIENT_CERT_DATA = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNsaWVudENlcnREYXRhMDAwNA==';
const KUBECONFIG_TOKEN = 'kubeconfigTokenValue0005abcdef';
const BEARER = 'bearerHeaderValue0006ghijkl';
const URL_PASSWORD = 'UrlPassw0rd0007';
const PASSWORD_PAIR = 'pairPassword0008';
const SECRET_PAIR = 'pairSecret0009';
const SA_PRIVATE_KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCServiceAccount0010';
const SA_KEY_ID = '1f2e3d4c5b6a79880011aabbccddeeff00112233';
const SECRET_DATA = 'c3VwZXJzZWNyZXRkYXRhMDAxMg==';

const SECRETS = { PEM_KEY_BODY, PEM_CERT_BODY, CLIENT_KEY_DATA, CLIENT_CERT_DATA, KUBECONFIG_TOKEN, BEARER, URL_PASSWORD, PASSWORD_PAIR, SECRET_PAIR, SA_PRIVATE_KEY_BODY, SA_KEY_ID, SECRET_DATA };

const stuck = (t: string, tail: string) => `I0305 10:14:${t}       1 graceful_termination.go:160] Trying to delete rs: 10.96.7.227:80/TCP/192.168.1.17:8080 ${tail}`;

/** Lines appended to the stuck kube-proxy's log: they become the last evidence examples. */
const LOG_LINES = [
  'E0305 10:14:29.000001       1 proxier.go:1000] failed to load client certificate:',
  '-----BEGIN RSA PRIVATE KEY-----',
  PEM_KEY_BODY,
  '-----END RSA PRIVATE KEY-----',
  '-----BEGIN CERTIFICATE-----',
  PEM_CERT_BODY,
  '-----END CERTIFICATE-----',
  stuck('29.100000', `request header Authorization: Bearer ${BEARER}`),
  stuck('29.200000', `client-key-data: ${CLIENT_KEY_DATA} client-certificate-data: ${CLIENT_CERT_DATA}`),
  stuck('29.300000', `token: ${KUBECONFIG_TOKEN} upstream https://admin:${URL_PASSWORD}@registry.example.com/v2`),
  stuck('29.400000', `password=${PASSWORD_PAIR} secret=${SECRET_PAIR}`),
  stuck('29.500000', `loaded key {"type": "service_account", "private_key_id": "${SA_KEY_ID}", "private_key": "-----BEGIN PRIVATE KEY-----\\n${SA_PRIVATE_KEY_BODY}\\n-----END PRIVATE KEY-----\\n", "client_email": "connect@p.iam.gserviceaccount.com"}`),
  stuck('29.600000', `secret data {"data": {"password": "${SECRET_DATA}"}}`),
];

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ${CLIENT_CERT_DATA}
    server: https://10.200.0.2:443
  name: prod-edge-1
users:
- name: admin
  user:
    client-certificate-data: ${CLIENT_CERT_DATA}
    client-key-data: ${CLIENT_KEY_DATA}
    token: ${KUBECONFIG_TOKEN}
`;

const SA_KEY = JSON.stringify({
  type: 'service_account', project_id: 'p', private_key_id: SA_KEY_ID,
  private_key: `-----BEGIN PRIVATE KEY-----\n${SA_PRIVATE_KEY_BODY}\n-----END PRIVATE KEY-----\n`,
  client_email: 'connect@p.iam.gserviceaccount.com', client_id: '1',
}, null, 2);

const SECRET_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: registry-creds
  namespace: shop
type: Opaque
data:
  password: ${SECRET_DATA}
  username: YWRtaW4=
`;

let tmp: string;
let bundle: string;
const runs: Record<string, Promise<CliResult>> = {};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'kubesleuth-redact-'));
  const members = await sample();
  const top = members[0].name.split('/')[0];
  const entries: Entry[] = members.map((m) => ({
    name: m.name,
    data: m.name.endsWith('kube-proxy-vppxm/kube-proxy.log') ? Buffer.concat([m.data, Buffer.from(`${LOG_LINES.join('\n')}\n`)]) : m.data,
  }));
  entries.push(
    { name: `${top}/bmctl-workspace/prod-edge-1/prod-edge-1-kubeconfig`, data: Buffer.from(KUBECONFIG) },
    { name: `${top}/bmctl-workspace/.sa-keys/connect-agent.json`, data: Buffer.from(SA_KEY) },
    { name: `${top}/kubectl/kubectl_get_secrets_-A_-o_yaml`, data: Buffer.from(SECRET_YAML) },
    { name: `${top}/certs/admin.key`, data: Buffer.from(`-----BEGIN RSA PRIVATE KEY-----\n${PEM_KEY_BODY}\n-----END RSA PRIVATE KEY-----\n`) },
  );
  bundle = join(tmp, 'secrets.tar.gz');
  writeFileSync(bundle, gz(tar(entries)));
  const scan = (format: string, ...extra: string[]) => cliAsync(['scan', bundle, '--format', format, '--show-ruled-out', '--show-benign', '--coverage', ...extra]);
  for (const f of ['table', 'json', 'markdown', 'ndjson']) runs[`scan-${f}`] = scan(f);
  runs['events-ndjson'] = cliAsync(['events', bundle]);
  runs['events-timeline'] = cliAsync(['events', bundle, '--format', 'timeline']);
  runs['inventory-json'] = cliAsync(['inventory', bundle, '--json']);
  runs.inventory = cliAsync(['inventory', bundle]);
  runs['no-redact-json'] = scan('json', '--no-redact');
  runs['no-redact-events'] = cliAsync(['events', bundle, '--no-redact']);
  await Promise.all(Object.values(runs));
}, 60_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe('redaction', () => {
  it('the seeded lines are what the evidence cites', async () => {
    const doc = JSON.parse((await runs['scan-json']).stdout);
    const finding = doc.findings.find((f: { id: string }) => f.id === 'kube-proxy-ipvs-stale-rules');
    expect(finding.confidence).toBe('confirmed');
    const stuckClause = finding.clauses.find((c: { name: string }) => c.name === 'stuck');
    const texts = JSON.stringify(stuckClause.examples);
    expect(texts).toMatch(/\[REDACTED/);
  });

  for (const key of ['scan-table', 'scan-json', 'scan-markdown', 'scan-ndjson', 'events-ndjson', 'events-timeline', 'inventory-json', 'inventory']) {
    it(`${key}: no secret value appears on stdout or stderr`, async () => {
      const r = await runs[key];
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      const out = r.stdout + r.stderr;
      const leaked = Object.entries(SECRETS).filter(([, v]) => out.includes(v)).map(([k]) => k);
      expect(leaked).toEqual([]);
    });
  }

  it('markers keep the context', async () => {
    const events = (await runs['events-ndjson']).stdout;
    expect(events).toMatch(/client-key-data: \[REDACTED \d+ B\]/);
    expect(events).toMatch(/Authorization: Bearer \[REDACTED \d+ B\]/);
    expect(events).toMatch(/https:\/\/admin:\[REDACTED \d+ B\]@registry\.example\.com/);
    expect(events).toMatch(/password=\[REDACTED \d+ B\]/);
  });

  it('--no-redact prints the secrets and says so on stderr', async () => {
    const scan = await runs['no-redact-json'];
    expect(scan.stderr).toContain('notice: --no-redact: secrets found in the bundle are printed as they are');
    expect(scan.stdout).toContain(SECRET_DATA); // the last evidence line cited
    const events = await runs['no-redact-events'];
    expect(Object.entries(SECRETS).filter(([, v]) => !events.stdout.includes(v)).map(([k]) => k)).toEqual([]);
    expect(events.stderr).toContain('notice: --no-redact: secrets found in the bundle are printed as they are');
  });
});
