import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  dateDistance,
  datesConflict,
  emailKey,
  franceTravailKey,
  ibanKey,
  nameTokens,
  nationalIdKey,
  nirKey,
  normalizeCity,
  normalizeDate,
  normalizeEmail,
  normalizePhone,
  normalizePostalCode,
  personNameKey,
  addressTokens,
} from '../../../src/main/engine/linkage/normalize';
import { buildIban, buildNir } from '../../../src/main/engine/profile/validators';
import { formatPhone, makePerson, PHONE_NOTATIONS } from '../../fixtures/gen';

describe('email', () => {
  it('trims and lower-cases, keeping the address as written apart', () => {
    expect(normalizeEmail('  Jean.Dupont@Orange.FR ')).toEqual({
      address: 'jean.dupont@orange.fr',
      canonical: 'jean.dupont@orange.fr',
    });
  });
  it('applies Gmail rules: dots, +tags, googlemail', () => {
    expect(emailKey('Jean.Dupont+promo@gmail.com')).toBe('jeandupont@gmail.com');
    expect(emailKey('j.e.a.n.dupont@googlemail.com')).toBe('jeandupont@gmail.com');
    expect(normalizeEmail('Jean.Dupont@GMail.com')?.address).toBe('jean.dupont@gmail.com');
  });
  it('strips +tags only where the provider delivers them', () => {
    expect(emailKey('marie+news@outlook.fr')).toBe('marie@outlook.fr');
    expect(emailKey('marie+news@orange.fr')).toBe('marie+news@orange.fr');
    // Dots matter outside Gmail.
    expect(emailKey('marie.curie@hotmail.fr')).toBe('marie.curie@hotmail.fr');
  });
  it('rejects malformed addresses and placeholders', () => {
    for (const bad of [
      '',
      'jean',
      'jean@',
      '@orange.fr',
      'a b@c.fr',
      'test@test.com',
      'x@example.com',
      'noreply@orange.fr',
    ])
      expect(emailKey(bad)).toBeNull();
  });
});

describe('phone (E.164, default region FR)', () => {
  it('reads every French notation of one number as the same E.164', () => {
    for (const n of [
      '06 24 68 13 57',
      '0624681357',
      '06.24.68.13.57',
      '06-24-68-13-57',
      '+33 6 24 68 13 57',
      '+33624681357',
      '0033624681357',
      '+33 (0)6 24 68 13 57',
      '(+33) 6 24 68 13 57',
    ]) {
      expect(normalizePhone(n), n).toBe('+33624681357');
    }
  });
  it('gives overseas numbers their territory code in both notations', () => {
    expect(normalizePhone('0690 12 34 56')).toBe('+590690123456');
    expect(normalizePhone('+590 690 12 34 56')).toBe('+590690123456');
    expect(normalizePhone('0262 21 34 56')).toBe('+262262213456');
    expect(normalizePhone('+262 692 12 34 56')).toBe('+262692123456');
    expect(normalizePhone('0696 12 34 56')).toBe('+596696123456');
  });
  it('parses other countries and honours a configured default region', () => {
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('+32 470 12 34 56')).toBe('+32470123456');
    expect(normalizePhone('020 7946 0958', { defaultRegion: 'GB' })).toBe('+442079460958');
  });
  it('rejects fillers and impossible numbers', () => {
    for (const bad of ['0000000000', '0606060', '06 00 00 00 00', '06 12 34 56 78', 'abc', '12'])
      expect(normalizePhone(bad), bad).toBeNull();
  });
  it('agrees with libphonenumber (max metadata) on every generated notation', () => {
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const p = makePerson(7, i);
      for (const notation of PHONE_NOTATIONS) {
        const written = formatPhone(p.phone, notation, p.phoneCountryCode);
        const ours = normalizePhone(written);
        // The reference: the number under its own territory's code.
        const ref = parsePhoneNumberFromString(`+${p.phoneCountryCode}${p.phone.slice(1)}`);
        expect(ours, `${written}`).toBe(ref?.number);
        checked++;
      }
    }
    expect(checked).toBe(2400);
  });
});

describe('identifiers', () => {
  const nir = buildNir({ sexDigit: '1', year: 1980, month: 5, place: '75115', order: 42 });
  it('NIR: the 13-character body, key checked, spaces allowed, keyless accepted', () => {
    expect(nirKey(nir)).toBe(nir.slice(0, 13));
    expect(nirKey(nir.replace(/(.)(..)(..)(..)(...)(...)(..)/, '$1 $2 $3 $4 $5 $6 $7'))).toBe(
      nir.slice(0, 13),
    );
    expect(nirKey(nir.slice(0, 13))).toBe(nir.slice(0, 13));
    const badKey = nir.slice(0, 13) + String((Number(nir.slice(13)) % 97) + 1).padStart(2, '0');
    expect(nirKey(badKey)).toBeNull();
    const corsica = buildNir({ sexDigit: '2', year: 1990, month: 1, place: '2A004', order: 7 });
    expect(nirKey(corsica)).toBe(corsica.slice(0, 13));
  });
  it('France Travail id: legacy and national forms, compact upper case', () => {
    expect(franceTravailKey('1234567a')).toBe('1234567A');
    expect(franceTravailKey('123 456 789 01')).toBe('12345678901');
    expect(franceTravailKey('0000000A')).toBeNull();
    expect(franceTravailKey('12-34')).toBeNull();
  });
  it('IBAN: electronic form, only with valid checksums', () => {
    const iban = buildIban('FR', '30006000011234567890189');
    expect(ibanKey(iban.replace(/(.{4})/g, '$1 ').toLowerCase())).toBe(iban);
    expect(ibanKey(iban.slice(0, -1) + ((Number(iban.slice(-1)) + 1) % 10))).toBeNull();
  });
  it('national id: compact, at least one digit, no repeated filler', () => {
    expect(nationalIdKey(' 5304218')).toBe('5304218');
    expect(nationalIdKey('1111111')).toBeNull();
    expect(nationalIdKey('abc')).toBeNull();
  });
});

describe('names', () => {
  it('fold accents, case, hyphens and particles', () => {
    expect(nameTokens('Jean-Baptiste')).toEqual(['jean', 'baptiste']);
    expect(nameTokens("d'Artagnan")).toEqual(['artagnan']);
    expect(nameTokens('de La Fontaine')).toEqual(['fontaine']);
    expect(nameTokens('LA FONTAINE')).toEqual(['fontaine']);
    expect(nameTokens('Hélène')).toEqual(['helene']);
    expect(nameTokens('Œuvray')).toEqual(['oeuvray']);
    expect(nameTokens('Le')).toEqual(['le']);
  });
  it('meet when first and last names are swapped, accents dropped or case changed', () => {
    const k = personNameKey(['Hélène', 'de Saint-Exupéry']);
    expect(personNameKey(['SAINT-EXUPERY', 'helene'])).toBe(k);
    expect(personNameKey(['Saint Exupéry', 'Hélène'])).toBe(k);
    expect(k).toBe('exupery helene saint');
    expect(personNameKey([null, ''])).toBeNull();
  });
});

describe('dates, places, addresses', () => {
  it('read the usual date formats as yyyymmdd', () => {
    for (const s of [
      '1980-03-12',
      '12/03/1980',
      '12-03-1980',
      '12.03.1980',
      '12031980',
      '19800312',
      '12 mars 1980',
      '1980/03/12',
      '12/03/80',
      '1980-03-12 00:00:00',
      '1980-03-12T00:00:00Z',
    ]) {
      expect(normalizeDate(s), s).toBe(19800312);
    }
    expect(normalizeDate('1er janvier 1990')).toBe(19900101);
    expect(normalizeDate('03/25/1980')).toBe(19800325);
    expect(normalizeDate('31/02/1980')).toBeNull();
    expect(normalizeDate('hello')).toBeNull();
  });
  it('tell keying errors from different dates', () => {
    expect(dateDistance(19800312, 19800312)).toBe(0);
    expect(dateDistance(19800312, 19801203)).toBe(1); // day/month swapped
    expect(dateDistance(19800312, 19800313)).toBe(1); // one digit
    expect(dateDistance(19800312, 19810412)).toBe(2);
    expect(datesConflict(19800312, null)).toBe(false);
    expect(datesConflict(19800312, 19700101)).toBe(true);
  });
  it('restore the leading zero of French postal codes and fold cities', () => {
    expect(normalizePostalCode('1000')).toBe('01000');
    expect(normalizePostalCode(' 75015 ')).toBe('75015');
    expect(normalizeCity('ST-ÉTIENNE CEDEX 2')).toBe('saint etienne');
    expect(normalizeCity('Paris 15e')).toBe('paris');
  });
  it('expand street abbreviations', () => {
    expect(addressTokens('12 av. de la République')).toEqual(['12', 'avenue', 'republique']);
    expect(addressTokens('12 AVENUE DE LA REPUBLIQUE')).toEqual(['12', 'avenue', 'republique']);
    expect(addressTokens('3 bd Voltaire')).toEqual(['3', 'boulevard', 'voltaire']);
  });
});
