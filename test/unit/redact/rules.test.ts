/**
 * Redaction operators, one by one and kind by kind (src/main/engine/redact/rules.ts): masks,
 * partial forms, generalisations, keyed pseudonyms and format-preserving pseudonyms, and the
 * rule that an operator which cannot read a value masks it entirely instead of passing it on.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { MASK, type RedactionRule } from '../../../src/shared/redaction';
import { RedactionKeys } from '../../../src/main/engine/redact/keys';
import {
  applyRule,
  decadeOf,
  departmentOf,
  fpeValue,
  generaliseValue,
  maskAll,
  maskValue,
  normaliseForPseudonym,
  partialAddress,
  partialCard,
  partialDate,
  partialDateOfBirth,
  partialEmail,
  partialGeneric,
  partialIban,
  partialIp,
  partialName,
  partialNir,
  partialPhone,
  partialPostalCode,
  partialUrl,
  partialValue,
  pseudonymOf,
} from '../../../src/main/engine/redact/rules';
import {
  buildNir,
  isLuhnValid,
  isValidNir,
  parseNir,
} from '../../../src/main/engine/profile/validators';

const keys = new RedactionKeys(Buffer.alloc(32, 7));
const otherKeys = new RedactionKeys(Buffer.alloc(32, 8));
const NOW = new Date('2025-03-11T12:00:00Z');
const NIR = buildNir({ sexDigit: '1', year: 85, month: 5, place: '75056', order: 123 });
const M = MASK;

describe('mask', () => {
  it('masks every character, keeping whitespace', () => {
    expect(maskAll('Jean Dupont')).toBe(`${M.repeat(4)} ${M.repeat(6)}`);
    expect(maskValue('Jean Dupont')).toBe(`${M.repeat(4)} ${M.repeat(6)}`);
  });
  it('keeps the first or last N characters', () => {
    expect(maskValue('0612345678', 0, 2)).toBe(`${M.repeat(8)}78`);
    expect(maskValue('0612345678', 2, 0)).toBe(`06${M.repeat(8)}`);
    expect(maskValue('0612345678', 1, 1)).toBe(`0${M.repeat(8)}8`);
  });
  it('masks everything when the kept part would be the whole value', () => {
    expect(maskValue('abc', 2, 1)).toBe(M.repeat(3));
    expect(maskValue('abc', 5, 0)).toBe(M.repeat(3));
  });
  it('counts code points, not UTF-16 units', () => {
    expect(maskValue('é😀x', 0, 1)).toBe(`${M}${M}x`);
  });
});

describe('partial forms', () => {
  it('email: first character and domain', () => {
    expect(partialEmail('jean.dupont@Example.FR')).toBe(`j${M}${M}${M}@example.fr`);
    expect(partialEmail('not an email')).toBe(maskAll('not an email'));
  });
  it('phone: the last two digits in French pairs', () => {
    const pairs = `${M}${M} ${M}${M} ${M}${M} ${M}${M} 78`;
    expect(partialPhone('06 12 34 56 78')).toBe(pairs);
    expect(partialPhone('+33 6 12 34 56 78')).toBe(pairs);
    expect(partialPhone('0033612345678')).toBe(pairs);
    expect(partialPhone('+33 (0)6 12 34 56 78')).toBe(pairs);
    expect(partialPhone('+1 (503) 555-9831')).toBe(`${M.repeat(9)} 31`);
    expect(partialPhone('12')).toBe(M.repeat(2));
  });
  it('NIR: only sex and year of birth', () => {
    expect(partialNir(NIR)).toBe(`1 85 ${M}${M} ${M}${M} ${M.repeat(3)} ${M.repeat(3)} ${M}${M}`);
    expect(partialNir(NIR.slice(0, 13))).toBe(
      `1 85 ${M}${M} ${M}${M} ${M.repeat(3)} ${M.repeat(3)}`,
    );
    expect(partialNir('hello')).toBe(M.repeat(5));
  });
  it('address: postal code and city', () => {
    expect(partialAddress('12 rue de la Paix, 75002 Paris')).toBe('75002 Paris');
    expect(partialAddress('3 avenue Foch 69006  LYON')).toBe('69006 LYON');
    expect(partialAddress('33 RUE DE LA RESISTANCE')).toBe(maskAll('33 RUE DE LA RESISTANCE'));
  });
  it('postal code: département digits', () => {
    expect(partialPostalCode('75011')).toBe(`75${M.repeat(3)}`);
    expect(partialPostalCode('7501')).toBe(M.repeat(4));
  });
  it('date of birth: the year, or a 10-year age band at the export date', () => {
    expect(partialDateOfBirth('21/07/1957', 'year', NOW)).toBe('1957');
    expect(partialDateOfBirth('1985-03-12', 'age_band', NOW)).toBe('30–39');
    expect(partialDateOfBirth('1985-03-11', 'age_band', NOW)).toBe('40–49');
    expect(partialDateOfBirth('1930-01-01', 'age_band', NOW)).toBe('90+');
    expect(partialDateOfBirth('someday', 'year', NOW)).toBe(M.repeat(7));
  });
  it('names: initials', () => {
    expect(partialName('jean')).toBe('J.');
    expect(partialName('Jean Dupont')).toBe('J. D.');
    expect(partialName('Élodie')).toBe('É.');
  });
  it('IBAN, card, IP, URL, date and the generic form', () => {
    expect(partialIban('FR76 3000 6000 0112 3456 7890 189')).toBe(`FR76 ${M.repeat(19)} 0189`);
    expect(partialCard('4970 1012 3456 7890')).toBe(`${M.repeat(12)} 7890`);
    expect(partialIp('192.168.12.40')).toBe(`192.168.${M}.${M}`);
    expect(partialIp('2001:db8:85a3::8a2e:370:7334')).toBe(`2001:db8:${M}`);
    expect(partialUrl('https://example.fr/profile/jdupont')).toBe('https://example.fr/…');
    expect(partialDate('2021-11-30T10:00:00')).toBe('2021');
    expect(partialGeneric('Paris')).toBe(`P${M.repeat(4)}`);
    expect(partialValue('city', 'Paris', 'year', NOW)).toBe(`P${M.repeat(4)}`);
  });
});

describe('generalise', () => {
  it('postal code → département (overseas on 3 digits)', () => {
    expect(departmentOf('75011')).toBe('75');
    expect(departmentOf('97411')).toBe('974');
    expect(departmentOf('20000')).toBe('20');
    expect(generaliseValue('postal_code', '13008')).toBe('13');
    expect(generaliseValue('postal_code', 'ABC')).toBe(M.repeat(3));
  });
  it('dates → decade; address → département; IP → /16', () => {
    expect(decadeOf(1985)).toBe('1980s');
    expect(generaliseValue('date', '1985-03-12')).toBe('1980s');
    expect(generaliseValue('date_of_birth', '21/07/1957')).toBe('1950s');
    expect(generaliseValue('street_address', '12 rue de la Paix, 75002 Paris')).toBe('75');
    expect(generaliseValue('ip_address', '192.168.12.40')).toBe('192.168.0.0/16');
  });
  it('kinds without a generalised form are masked', () => {
    expect(generaliseValue('city', 'Paris')).toBe(M.repeat(5));
    expect(generaliseValue('email', 'a@b.fr')).toBe(M.repeat(6));
  });
});

describe('keyed pseudonym', () => {
  it('is the kind prefix and the first hex digits of the HMAC', () => {
    expect(pseudonymOf(keys, 'email', 'jean@example.fr', 8)).toMatch(/^EMAIL-[0-9a-f]{8}$/);
    expect(pseudonymOf(keys, 'nir', NIR, 12)).toMatch(/^NIR-[0-9a-f]{12}$/);
  });
  it('agrees across notations of the same value', () => {
    const p = (kind: Parameters<typeof pseudonymOf>[1], v: string) =>
      pseudonymOf(keys, kind, v, 12);
    expect(p('email', ' Jean.Dupont@Example.FR')).toBe(p('email', 'jean.dupont@example.fr'));
    expect(p('phone', '+33 6 12 34 56 78')).toBe(p('phone', '06.12.34.56.78'));
    expect(p('phone', '0033612345678')).toBe(p('phone', '0612345678'));
    expect(p('nir', NIR)).toBe(p('nir', NIR.slice(0, 13)));
    expect(p('nir', `${NIR.slice(0, 1)} ${NIR.slice(1, 3)} ${NIR.slice(3)}`)).toBe(p('nir', NIR));
    expect(p('first_name', 'Jean-Luc')).toBe(p('first_name', 'JEAN LUC'));
    expect(p('last_name', 'Hélène')).toBe(p('last_name', 'helene'));
    expect(normaliseForPseudonym('iban', 'fr76 3000 6000')).toBe('FR7630006000');
  });
  it('differs between kinds, values and case secrets', () => {
    expect(pseudonymOf(keys, 'email', 'x@y.fr', 12)).not.toBe(
      pseudonymOf(keys, 'username', 'x@y.fr', 12),
    );
    expect(pseudonymOf(keys, 'email', 'x@y.fr', 12)).not.toBe(
      pseudonymOf(keys, 'email', 'z@y.fr', 12),
    );
    expect(pseudonymOf(keys, 'email', 'x@y.fr', 12).slice(6)).not.toBe(
      pseudonymOf(otherKeys, 'email', 'x@y.fr', 12).slice(6),
    );
  });
});

describe('format-preserving pseudonym', () => {
  it('NIR → another valid NIR with the same sex and year, in the same layout', () => {
    const out = fpeValue(keys, 'nir', NIR);
    expect(out).not.toBe(NIR);
    expect(isValidNir(out)).toBe(true);
    expect(out.slice(0, 3)).toBe('185');
    const spaced = `${NIR[0]} ${NIR.slice(1, 3)} ${NIR.slice(3, 5)} ${NIR.slice(5, 7)} ${NIR.slice(7, 10)} ${NIR.slice(10, 13)} ${NIR.slice(13)}`;
    const outSpaced = fpeValue(keys, 'nir', spaced);
    expect(outSpaced.replace(/ /g, '')).toBe(out);
    expect(outSpaced.split(' ').map((g) => g.length)).toEqual([1, 2, 2, 2, 3, 3, 2]);
    const keyless = fpeValue(keys, 'nir', NIR.slice(0, 13));
    expect(keyless).toBe(out.slice(0, 13));
    expect(parseNir(keyless).valid).toBe(true);
  });
  it('phone → another valid French number of the same type and layout', () => {
    const out = fpeValue(keys, 'phone', '06 12 34 56 78');
    expect(out).toMatch(/^06 \d\d \d\d \d\d \d\d$/);
    expect(out).not.toBe('06 12 34 56 78');
    expect(parsePhoneNumberFromString(out, 'FR')?.isValid()).toBe(true);
    const intl = fpeValue(keys, 'phone', '+33 6 12 34 56 78');
    expect(intl.replace(/\D/g, '').slice(-8)).toBe(out.replace(/\D/g, '').slice(-8));
    const fixed = fpeValue(keys, 'phone', '01 42 68 53 00');
    expect(fixed.startsWith('01 ')).toBe(true);
    expect(parsePhoneNumberFromString(fixed, 'FR')?.getType()).toBe('FIXED_LINE');
  });
  it('Luhn identifiers keep a valid check digit; short or non-numeric values get a keyed pseudonym', () => {
    const siret = fpeValue(keys, 'siret', '52847467900214');
    expect(siret).toMatch(/^\d{14}$/);
    expect(isLuhnValid(siret)).toBe(true);
    expect(siret).not.toBe('52847467900214');
    expect(fpeValue(keys, 'id', '12345')).toMatch(/^ID-[0-9a-f]{12}$/);
    expect(fpeValue(keys, 'email', 'a@b.fr')).toMatch(/^EMAIL-[0-9a-f]{12}$/);
    expect(fpeValue(keys, 'id', 'AB-123456')).toMatch(/^AB-\d{6}$/);
  });
  it('an invalid NIR is still never passed through', () => {
    const out = fpeValue(keys, 'nir', '1850575056123 99');
    expect(out).not.toBe('1850575056123 99');
    expect(out).toMatch(/^\d{13} \d\d$/);
  });
});

describe('applyRule', () => {
  const rules: RedactionRule[] = [
    { op: 'keep' },
    { op: 'drop' },
    { op: 'mask', keepFirst: 0, keepLast: 2 },
    { op: 'partial', dateOfBirth: 'year' },
    { op: 'generalise' },
    { op: 'pseudonym', hex: 12 },
    { op: 'fpe' },
  ];
  it('gives each operator its result on one value', () => {
    const out = rules.map((r) => applyRule(r, 'email', 'jean@example.fr', { keys, now: NOW }));
    expect(out).toEqual([
      'jean@example.fr',
      M.repeat(15),
      `${M.repeat(13)}fr`,
      `j${M}${M}${M}@example.fr`,
      M.repeat(15),
      pseudonymOf(keys, 'email', 'jean@example.fr', 12),
      pseudonymOf(keys, 'email', 'jean@example.fr', 12),
    ]);
  });
  it('leaves empty values empty, and refuses keyed rules without keys', () => {
    for (const r of rules) expect(applyRule(r, 'nir', '', { keys, now: NOW })).toBe('');
    expect(() =>
      applyRule({ op: 'pseudonym', hex: 12 }, 'nir', NIR, { keys: null, now: NOW }),
    ).toThrow();
  });
});
