import { describe, expect, it } from 'vitest';
import { LiteralScanner } from '../src/match/literal-scanner.js';

function found(scanner: LiteralScanner, text: string): string[] {
  const hits = new Set<number>();
  scanner.scan(text, (i) => hits.add(i));
  return [...hits].map((i) => scanner.literals[i]).sort();
}

describe('LiteralScanner', () => {
  it('finds every literal present, overlapping and nested ones included', () => {
    const s = new LiteralScanner(['Trying to delete rs', 'delete', 'PLEG is not healthy', 'not', 'he']);
    expect(found(s, 'I0305 graceful_termination.go:160] Trying to delete rs: 10.96.7.227:80/TCP')).toEqual(['Trying to delete rs', 'delete']);
    expect(found(s, 'kubelet: PLEG is not healthy: pleg was last seen active 3m ago')).toEqual(['PLEG is not healthy', 'he', 'not']);
    expect(found(s, 'nothing here to see')).toEqual(['he', 'not']);
    expect(found(s, 'quiet line')).toEqual([]);
  });

  it('reports a literal whose prefix started a failed partial match', () => {
    const s = new LiteralScanner(['abcd', 'bce']);
    expect(found(s, 'xabce')).toEqual(['bce']);
    expect(found(s, 'abcabcd')).toEqual(['abcd']);
  });

  it('folds ASCII case both ways (a prefilter may over-report, never miss)', () => {
    const s = new LiteralScanner(['table full, dropping packet', 'Address Already In Use']);
    expect(found(s, 'nf_conntrack: TABLE FULL, dropping packet')).toEqual(['table full, dropping packet']);
    expect(found(s, 'listen tcp :8080: bind: address already in use')).toEqual(['Address Already In Use']);
  });

  it('never misses a literal with non-ASCII characters', () => {
    const s = new LiteralScanner(['échec de connexion', '接続']);
    expect(found(s, 'erreur: échec de connexion au serveur')).toEqual(['échec de connexion']);
    expect(found(s, 'サーバーへの接続に失敗')).toEqual(['接続']);
  });

  it('agrees with a naive search on random text', () => {
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const alphabet = 'abcAB .:é';
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join('');
    const literals = [...new Set(Array.from({ length: 40 }, () => word(2 + rand(4))))];
    const s = new LiteralScanner(literals);
    for (let i = 0; i < 300; i++) {
      const text = word(rand(60));
      const expected = literals.filter((l) => text.toLowerCase().includes(l.toLowerCase())).sort();
      // Exact (case-folded) presence is always reported; nothing absent under folding is.
      expect(found(s, text)).toEqual(expected);
    }
  });
});
