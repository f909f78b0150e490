/**
 * Column-level PII detection on known vectors: every kind on its own values, the confusion
 * cases between look-alike identifiers (NIR / phone / SIRET / RPPS / France Travail), header
 * hints in French and English (supporting, misleading, absent), mixed and ambiguous columns.
 */
import { describe, expect, it } from 'vitest';
import { generateRows, makeStyle, type FieldKey } from '../../fixtures/gen';
import { headerHint } from '../../../src/main/engine/profile/detect/headers';
import { matchPhone } from '../../../src/main/engine/profile/detect/phone';
import { detect, kindOf } from './helpers';

const ROWS = [...generateRows({ seed: 11, rows: 400 }, makeStyle(11, { nirFormat: 'compact' }))];
const col = (k: FieldKey): string[] => ROWS.map((r) => r[k]).filter((v): v is string => !!v);

describe('each kind on generated values, without any header', () => {
  it.each([
    ['nir', 'nir'],
    ['email', 'email'],
    ['phone', 'phone'],
    ['iban', 'iban'],
    ['siret', 'siret'],
    ['rpps', 'rpps'],
    ['birth_date', 'date_of_birth'],
    ['postal_code', 'postal_code'],
    ['city', 'city'],
    ['address', 'street_address'],
    ['first_name', 'first_name'],
    ['last_name', 'last_name'],
    ['password_hash', 'password_hash'],
    ['france_travail_id', 'france_travail_id'],
  ] as const)('%s → %s', (field, kind) => {
    expect(kindOf(col(field))).toBe(kind);
  });

  it('reports the checksum evidence against chance for a NIR column', () => {
    const f = detect(col('nir')).findings[0]!;
    expect(f).toMatchObject({ kind: 'nir', share: 1, scheme: 'nir' });
    expect(f.evidence.validated).toBe(f.evidence.sampled);
    expect(f.evidence.chance).toBeLessThan(0.01);
    expect(f.confidence).toBeGreaterThan(0.9);
  });
});

describe('near misses: the right shape at chance level is not the kind', () => {
  const digits = (n: number, len: number, seed: number) =>
    Array.from({ length: n }, (_, i) => {
      let s = '';
      let x = seed + i * 7919;
      for (let k = 0; k < len; k++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        s += String(Math.floor((x / 2147483648) * 10));
      }
      return s;
    });
  it('15 random digits starting with 1 or 2 are not NIRs (key passes ~1 %)', () => {
    const values = digits(300, 14, 3).map((d, i) => `${1 + (i % 2)}${d}`);
    const d = detect(values);
    expect(d.findings.find((f) => f.kind === 'nir')).toBeUndefined();
  });
  it('14 random digits are not SIRETs, 11 random digits are not RPPS', () => {
    expect(detect(digits(300, 14, 5)).findings.find((f) => f.kind === 'siret')).toBeUndefined();
    const eleven = detect(digits(300, 11, 9));
    expect(eleven.findings.find((f) => f.kind === 'rpps')).toBeUndefined();
    expect(eleven.findings[0]?.kind).toBe('france_travail_id');
    expect(eleven.findings[0]?.evidence.note).toMatch(/decided France Travail/);
  });
  it('IBANs with a random RIB key fail', () => {
    const bad = col('iban').map(
      (v) => v.slice(0, 25) + String((Number(v.slice(25)) + 1) % 100).padStart(2, '0'),
    );
    expect(detect(bad).findings.find((f) => f.kind === 'iban')).toBeUndefined();
  });
});

describe('confusion between nir, phone, siret, rpps and france_travail_id', () => {
  it('each column keeps its own kind and the others are not reported', () => {
    const kinds = ['nir', 'phone', 'siret', 'rpps', 'france_travail_id'] as const;
    for (const k of kinds) {
      const d = detect(col(k));
      expect(d.findings[0]?.kind, k).toBe(k);
      for (const other of kinds) {
        if (other !== k)
          expect(
            d.findings.some((f) => f.kind === other),
            `${k} also ${other}`,
          ).toBe(false);
      }
    }
  });
  it('RPPS vs France Travail national id: decided by the Luhn key and said so', () => {
    const f = detect(col('rpps')).findings[0]!;
    expect(f.kind).toBe('rpps');
    expect(f.evidence.note).toMatch(/could be France Travail's national id.*decided RPPS/);
  });
  it('keyless NIRs are recognised with a lower confidence', () => {
    const keyless = col('nir').map((v) => v.slice(0, 13));
    const f = detect(keyless).findings[0]!;
    expect(f).toMatchObject({ kind: 'nir', scheme: 'nir-keyless' });
    expect(f.confidence).toBeLessThan(detect(col('nir')).findings[0]!.confidence);
  });
});

describe('header hints', () => {
  it('French and English names map to kinds', () => {
    expect(headerHint('date_naissance')?.kinds).toContain('date_of_birth');
    expect(headerHint('DDN')?.kinds).toContain('date_of_birth');
    expect(headerHint('num_secu')?.kinds).toContain('nir');
    expect(headerHint('mél')?.kinds).toContain('email');
    expect(headerHint('portable')?.kinds).toContain('phone');
    expect(headerHint('identifiant_ft')?.kinds).toContain('france_travail_id');
    expect(headerHint('BirthDate')?.kinds).toContain('date_of_birth');
    expect(headerHint('customer_id')?.kinds).toContain('id');
    expect(headerHint('cp')?.kinds).toContain('postal_code');
    expect(headerHint('mdp')?.kinds).toContain('password');
    expect(headerHint('x', 'stagiaire.contact.email')?.kinds).toContain('email');
    expect(headerHint('col_3')).toBeNull();
  });
  it('a supporting header raises confidence, a misleading one lowers it but does not flip', () => {
    const ft = col('france_travail_id');
    const plain = detect(ft).findings[0]!;
    const named = detect(ft, 'identifiant_ft').findings[0]!;
    expect(named.confidence).toBeGreaterThan(plain.confidence);
    expect(named.evidence.header).toBe('supports');
    const mail = detect(col('email'), 'telephone').findings[0]!;
    expect(mail.kind).toBe('email');
    expect(mail.evidence.header).toBe('contradicts');
    expect(mail.confidence).toBeLessThan(detect(col('email'), 'email').findings[0]!.confidence);
  });
  it('a header alone never detects: "email" over values that are not e-mails', () => {
    expect(
      detect(['abc', 'def', 'ghi', 'jkl', 'mno'], 'email').findings.some((f) => f.kind === 'email'),
    ).toBe(false);
    expect(kindOf(['12', '7', '99'], 'nir')).not.toBe('nir');
  });
  it('weak kinds: handles alone are weak evidence, the header makes the difference', () => {
    const users = ['jdupont1', 'marie.l', 'kevin_92', 'toto75', 'alice2', 'bob_b'];
    const plain = detect(users).findings[0]!;
    const named = detect(users, 'login').findings[0]!;
    expect([plain.kind, named.kind]).toEqual(['username', 'username']);
    expect(plain.confidence).toBeLessThan(0.5);
    expect(named.confidence).toBeGreaterThan(plain.confidence + 0.2);
    // Plain words are no usernames without a header saying so.
    expect(kindOf(['east', 'west', 'north', 'south'])).not.toBe('username');
  });
  it('a misleading header does not beat values that speak for themselves', () => {
    expect(kindOf(col('city'), 'nom')).toBe('city');
    expect(kindOf(col('bic'), 'login')).toBe('bic');
    expect(kindOf(col('sex'), 'lieu_naissance')).toBe('sex');
  });
});

describe('mixed and ambiguous columns', () => {
  it('"contact" holding e-mails and phones reports each share', () => {
    const values = [...col('email').slice(0, 150), ...col('phone').slice(0, 100)];
    const d = detect(values, 'contact');
    expect(d.mixed).toBe(true);
    const email = d.findings.find((f) => f.kind === 'email')!;
    const phone = d.findings.find((f) => f.kind === 'phone')!;
    expect(email.share).toBeCloseTo(150 / 250, 2);
    expect(phone.share).toBeCloseTo(100 / 250, 2);
  });
  it('9 digits valid as both SIREN and FINESS, no header: ambiguous, not guessed', () => {
    const sirens = col('siret')
      .map((v) => v.slice(0, 9))
      .filter((v) => /^(?:0[1-9]|[1-8]\d|9[0-5])/.test(v));
    const d = detect(sirens);
    expect(d.ambiguous).toBe(true);
    const kinds = d.findings.map((f) => f.kind);
    expect(kinds).toContain('siren');
    expect(kinds).toContain('finess');
    expect(detect(sirens, 'siren').findings[0]!.kind).toBe('siren');
  });
  it('event dates are dates, birth dates are dates of birth', () => {
    const hires = Array.from({ length: 60 }, (_, i) => `2023-0${1 + (i % 9)}-1${i % 10}`);
    expect(kindOf(hires, 'hire_date')).toBe('date');
    expect(kindOf(col('birth_date'), 'created')).not.toBe('date_of_birth');
    expect(kindOf(col('birth_date'), 'ddn')).toBe('date_of_birth');
  });
  it('sex codes in every common coding', () => {
    for (const sexFormat of ['MF', 'HF', 'word', 'civility'] as const) {
      const rows = [...generateRows({ seed: 3, rows: 100 }, makeStyle(3, { sexFormat }))];
      expect(kindOf(rows.map((r) => r.sex!)), sexFormat).toBe('sex');
    }
  });
});

describe('phone numbers in US notation', () => {
  it('parses only what can be valid, with the same verdicts', () => {
    // Canada's 7-digit 310-xxxx after a leading 1, and numbers dialled through 011, are parsed.
    expect(matchPhone('1 310-0318', 8)).toMatchObject({ valid: true, scheme: 'us' });
    expect(matchPhone('011 49 164 1234', 12)).toMatchObject({ valid: true, scheme: 'us' });
    expect(matchPhone('(503) 555-9831', 10)).toMatchObject({ valid: true, scheme: 'us' });
    // Dates cannot be numbers from the US: no parse, still the weak punctuated reading.
    expect(matchPhone('1966-10-12', 8)).toMatchObject({ valid: true, scheme: 'other' });
    expect(matchPhone('12/03/1985', 8)).toMatchObject({ valid: true, scheme: 'other' });
  });
});
