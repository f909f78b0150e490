/** The passphrase estimator: ordering and the obvious traps. */
import { describe, expect, it } from 'vitest';
import {
  MIN_ACCEPTED_SCORE,
  passphraseStrength,
} from '../../src/renderer/src/features/case/passphrase-strength';

describe('passphraseStrength', () => {
  it('rates empty, short, repeated, sequential and well-known passwords too weak', () => {
    for (const p of [
      '',
      'abc',
      'aaaaaaaaaaaaaaaaaaaa',
      'abcdefghijkl',
      '123456789012',
      'motdepasse',
      'Password1',
    ]) {
      expect(passphraseStrength(p).score, p).toBeLessThan(MIN_ACCEPTED_SCORE);
    }
    expect(passphraseStrength('azertyuiop').hint).toMatch(/azerty/);
  });

  it('rates several unrelated words or a long mixed string strong', () => {
    expect(passphraseStrength('correct horse battery staple').label).toBe('very strong');
    expect(passphraseStrength('Un mot de passe assez long').score).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('Tr0ub4dor&3x!').score).toBeGreaterThanOrEqual(3);
    expect(passphraseStrength('correct horse battery staple').hint).toBeNull();
  });

  it('never decreases when a random character is appended', () => {
    let p = 'q7';
    let last = passphraseStrength(p).bits;
    for (const ch of 'Xk2!mZp9&Lw4') {
      p += ch;
      const bits = passphraseStrength(p).bits;
      expect(bits).toBeGreaterThanOrEqual(last);
      last = bits;
    }
  });
});
