/**
 * The exact validators on the published test vectors (shared/reference/identifiers.md) and on
 * near misses one character away: a validator that accepts a near miss is not a check.
 */
import { describe, expect, it } from 'vitest';
import {
  buildNir,
  frVatKey,
  identifyPasswordHash,
  nirKey,
  parseNir,
  validateBic,
  validateCardNumber,
  validateFiness,
  validateFranceTravailId,
  validateFrTaxNumber,
  validateFrVat,
  validateIban,
  validateRib,
  validateRpps,
  validateSiren,
  validateSiret,
  finessCheckDigit,
  rppsCheckDigit,
} from '../../../src/main/engine/profile/validators';

describe('NIR', () => {
  it('accepts the python-stdnum and french-ssn vectors, spaced or compact', () => {
    expect(parseNir('2 95 10 99 126 111 93').valid).toBe(true);
    expect(parseNir('253072A07300443').valid).toBe(true);
    expect(parseNir('253072B07300470').valid).toBe(true);
    expect(parseNir('2 55 08 14 168 025 38').valid).toBe(true);
  });
  it('rejects a wrong key and the known-wrong Corsican computation', () => {
    const r = parseNir('295109912611199');
    expect(r.valid).toBe(false);
    expect(r.reason).toBe('key');
    expect(r.expectedKey).toBe('93');
    // django-localflavor's A→0 without offset gives 16 for the 2A vector: not accepted.
    expect(parseNir('253072A07300416').valid).toBe(false);
    expect(nirKey('253072A073004')).toBe('43');
  });
  it('reads the fields used by the cross-field checks', () => {
    const r = parseNir('2 55 08 14 168 025 38');
    expect(r).toMatchObject({ sex: 'female', year: '55', birthMonth: 8, department: '14' });
    const abroad = parseNir('295109912611193');
    expect(abroad).toMatchObject({ placeKind: 'abroad', country: '126', department: '99' });
  });
  it('recognises 13-character keyless NIRs, and pseudo / fictitious months', () => {
    const k = parseNir('2551014168025');
    expect(k).toMatchObject({ valid: true, keyless: true, key: null });
    expect(
      parseNir(buildNir({ sexDigit: '1', year: 80, month: 35, place: '75056', order: 12 })),
    ).toMatchObject({
      valid: true,
      monthKind: 'pseudo',
      birthMonth: 5,
    });
    expect(
      parseNir(buildNir({ sexDigit: '1', year: 60, month: 20, place: '75056', order: 12 }))
        .monthKind,
    ).toBe('fictitious');
  });
  it('rejects impossible fields even with a matching key', () => {
    expect(
      parseNir(buildNir({ sexDigit: '5', year: 80, month: 5, place: '75056', order: 1 })).reason,
    ).toBe('sex');
    expect(
      parseNir(buildNir({ sexDigit: '1', year: 80, month: 15, place: '75056', order: 1 })).reason,
    ).toBe('month');
    expect(
      parseNir(buildNir({ sexDigit: '1', year: 80, month: 5, place: '75056', order: 0 })).reason,
    ).toBe('order');
    expect(
      parseNir(buildNir({ sexDigit: '1', year: 80, month: 5, place: '00056', order: 1 })).reason,
    ).toBe('department');
  });
});

describe('SIREN, SIRET, VAT, tax number', () => {
  it('SIRET vectors including La Poste', () => {
    for (const v of ['73282932000074', '356 000 000 09075', '35600000000048', '35600000049837']) {
      expect(validateSiret(v).valid, v).toBe(true);
    }
    for (const v of ['35600000049838', '73282932000075'])
      expect(validateSiret(v).valid, v).toBe(false);
    expect(validateSiret('35600000049837').laPoste).toBe(true);
  });
  it('SIREN Luhn and the VAT key built on it', () => {
    expect(validateSiren('732829320').valid).toBe(true);
    expect(validateSiren('732829321').valid).toBe(false);
    expect(frVatKey('732829320')).toBe('44');
    expect(validateFrVat('FR44732829320').valid).toBe(true);
    expect(validateFrVat('FR45732829320').reason).toBe('key');
  });
  it('personal tax number (SPI): last three digits = first ten mod 511', () => {
    const first10 = '1234567890';
    const ok = first10 + String(Number(first10) % 511).padStart(3, '0');
    expect(validateFrTaxNumber(ok).valid).toBe(true);
    expect(validateFrTaxNumber(ok.slice(0, 12) + ((Number(ok[12]) + 1) % 10)).valid).toBe(false);
  });
});

describe('IBAN, RIB, BIC', () => {
  it('the synthetic French IBAN of identifiers.md, with spaces and lower case', () => {
    expect(validateIban('FR7630006000011234567890189').valid).toBe(true);
    expect(validateIban('fr76 3000 6000 0112 3456 7890 189').valid).toBe(true);
    expect(validateRib('30006000011234567890189').valid).toBe(true);
  });
  it('near misses: one digit changed, wrong length, RIB key wrong but IBAN recomputed', () => {
    expect(validateIban('FR7630006000011234567890188').reason).toBe('mod97');
    expect(validateIban('FR763000600001123456789018').reason).toBe('length');
    // Faker's mistake: valid IBAN check digits over a random RIB key.
    const bban = '30006000011234567890100';
    const bad = validateIban(`FR${String(98 - mod97Of(`${bban}FR00`)).padStart(2, '0')}${bban}`);
    expect(bad.mod97Ok).toBe(true);
    expect(bad.reason).toBe('bban');
  });
  it('BIC needs a real country code', () => {
    expect(validateBic('BNPAFRPPXXX').valid).toBe(true);
    expect(validateBic('SOGEFRPP').valid).toBe(true);
    expect(validateBic('ABCDXXPP').reason).toBe('country');
  });
});

function mod97Of(s: string): number {
  let r = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    r = c >= 65 ? (r * 100 + (c - 55)) % 97 : (r * 10 + (c - 48)) % 97;
  }
  return r;
}

describe('health, France Travail, cards', () => {
  it('RPPS: 11 digits with a Luhn key, IdNatPS 8 + RPPS', () => {
    const rpps = '1000000000' + rppsCheckDigit('1000000000');
    expect(validateRpps(rpps).valid).toBe(true);
    expect(validateRpps(`8${rpps}`)).toMatchObject({ valid: true, idNatPs: true });
    expect(validateRpps(rpps.slice(0, 10) + ((Number(rpps[10]) + 1) % 10)).reason).toBe('luhn');
  });
  it('FINESS: Luhn after 2A→21, 2B→22', () => {
    const f = '2A000001';
    expect(validateFiness(f + finessCheckDigit(f)).valid).toBe(true);
    expect(validateFiness('750000001').valid).toBe(validateFiness('750000001').luhn);
    expect(validateFiness('000000000').reason).toBe('department');
  });
  it('France Travail: legacy 7 digits + 1 alphanumeric, national 11 digits', () => {
    expect(validateFranceTravailId('1234567A')).toMatchObject({ valid: true, form: 'legacy' });
    expect(validateFranceTravailId('12345678901')).toMatchObject({ valid: true, form: 'national' });
    expect(validateFranceTravailId('123456AB').valid).toBe(false);
    expect(validateFranceTravailId('1234567890').valid).toBe(false);
  });
  it('cards: Luhn plus issuer range and length', () => {
    expect(validateCardNumber('4111 1111 1111 1111')).toMatchObject({ valid: true, brand: 'visa' });
    expect(validateCardNumber('5555555555554444')).toMatchObject({
      valid: true,
      brand: 'mastercard',
    });
    expect(validateCardNumber('378282246310005')).toMatchObject({ valid: true, brand: 'amex' });
    expect(validateCardNumber('4111111111111112').reason).toBe('luhn');
    expect(validateCardNumber('9111111111111111').reason).toBe('brand');
  });
});

describe('password hashes (hashcat self-test vectors)', () => {
  it.each([
    ['$2a$05$MBCzKhG1KhezLh.0LRa0Kuw12nLJtpHy6DIaU.JAnqJUDYspHC.Ou', 'bcrypt'],
    [
      '$argon2id$v=19$m=65536,t=3,p=1$FBMjI4RJBhIykCgol1KEJA$2ky5GAdhT1kH4kIgPN/oERE3Taiy43vNN70a3HpiKQU',
      'argon2id',
    ],
    ['SCRYPT:16384:8:1:OTEyNzU0ODg=:Cc8SPjRH1hFQhuIPCdF51uNGtJ2aOY/isuoMlMUsJ8c=', 'scrypt'],
    [
      'pbkdf2_sha256$10000$1135411628$bFYX62rfJobJ07VwrUMXfuffLfj2RDM2G6/BrTrUWkE=',
      'pbkdf2-sha256-django',
    ],
    ['$1$38652870$DUjsu4TTlTsOe/xxZ05uf/', 'md5-crypt'],
    [
      '$6$72820166$U4DVzpcYxgw7MVVDGGvB2/H5lRistD5.Ah4upwENR5UtffLR4X4SxSzfREv8z6wVl0jRFX40/KnYVvK4829kD1',
      'sha512-crypt',
    ],
    ['$P$946647711V1klyitUYhtB8Yw5DMA/w.', 'phpass'],
    ['sha1$fe76b$02d5916550edf7fc8c886f044887f4b1abf9b013', 'django-sha1'],
    ['8743b52063cd84097a65d1633f5c74f5', 'md5'],
    ['b89eaac7e61417341b710b727768294d0e6a277b', 'sha1'],
    ['127e6fbfe24a750e72930c220a8e138275656b8e5d8f48a98c3c92df2caba935', 'sha256'],
  ])('%s is %s', (hash, scheme) => {
    expect(identifyPasswordHash(hash)?.scheme).toBe(scheme);
  });
  it('near misses are not hashes', () => {
    expect(identifyPasswordHash('8743b52063cd84097a65d1633f5c74f')).toBeNull(); // 31 hex
    expect(identifyPasswordHash('$2a$05$tooShort')).toBeNull();
    expect(identifyPasswordHash('motdepasse123')).toBeNull();
  });
});
