/**
 * Finding NIRs, e-mails and phones inside text (src/main/engine/redact/tokens.ts), as the export
 * verification does in kept free-text columns: real values are found in sentences, look-alikes
 * (SIRET, SIREN, IBAN, dates, keyless NIR-like numbers, masked values) are not.
 */
import { describe, expect, it } from 'vitest';
import {
  findToken,
  isEmailToken,
  isPhoneToken,
  type TokenKind,
} from '../../../src/main/engine/redact/tokens';
import { buildNir } from '../../../src/main/engine/profile/validators';

const ALL = new Set<TokenKind>(['nir', 'email', 'phone']);
const NIR = buildNir({ sexDigit: '2', year: 90, month: 11, place: '69123', order: 45 });

describe('findToken', () => {
  it('finds a NIR in a sentence, compact or spaced', () => {
    expect(findToken(`Rappeler, NIR ${NIR} svp`, ALL)).toEqual({ kind: 'nir', index: 14 });
    const spaced = `${NIR[0]} ${NIR.slice(1, 3)} ${NIR.slice(3, 5)} ${NIR.slice(5, 7)} ${NIR.slice(7, 10)} ${NIR.slice(10, 13)} ${NIR.slice(13)}`;
    expect(findToken(`secu: ${spaced}.`, ALL)?.kind).toBe('nir');
  });
  it('finds e-mails and phones', () => {
    expect(findToken('écrire à jean.dupont@orange.fr demain', ALL)).toEqual({
      kind: 'email',
      index: 9,
    });
    expect(findToken('tel 06 12 34 56 78 le soir', ALL)).toEqual({ kind: 'phone', index: 4 });
    expect(findToken('tel +33 6 12 34 56 78', ALL)?.kind).toBe('phone');
    expect(findToken('tel 0033612345678', ALL)?.kind).toBe('phone');
    expect(findToken('(06.12.34.56.78)', ALL)?.kind).toBe('phone');
    expect(findToken('tél:+33612345678;', ALL)?.kind).toBe('phone');
  });
  it('only looks for the kinds asked', () => {
    expect(findToken('jean@x.fr 06 12 34 56 78', new Set<TokenKind>(['nir']))).toBeNull();
    expect(findToken('jean@x.fr 06 12 34 56 78', new Set<TokenKind>(['phone']))?.kind).toBe(
      'phone',
    );
  });
  it('does not mistake look-alikes', () => {
    for (const text of [
      'SIRET 52847467900214',
      'SIREN 732829320',
      'IBAN FR76 3000 6000 0112 3456 7890 189',
      'né le 01.02.1985',
      `${NIR.slice(0, 13)}`,
      `${NIR.slice(0, 13)}00`,
      'j•••@example.fr',
      '•• •• •• •• 78',
      'NIR-7f3a9c21b04e',
      'commande 1234567890123',
      // Digit runs inside hex digests and ids, as a report prints them (export verification).
      'sha256 9c4e2f0612345678ab31d7e5',
      'audit head 3b0033612345678f',
      'case 1f2e3d4c-5b6a-4978-8a0b-e0612345678c',
    ]) {
      expect(findToken(text, ALL), text).toBeNull();
    }
  });
});

describe('whole-value checks', () => {
  it('validates e-mails and phones written nationally or internationally', () => {
    expect(isEmailToken(' a.b@c.fr ')).toBe(true);
    expect(isEmailToken('a@b')).toBe(false);
    expect(isPhoneToken('01 42 68 53 00')).toBe(true);
    expect(isPhoneToken('0692 12 34 56')).toBe(true);
    expect(isPhoneToken('+44 20 7946 0958')).toBe(true);
    expect(isPhoneToken('612345678')).toBe(false);
    expect(isPhoneToken('0012')).toBe(false);
  });
});
