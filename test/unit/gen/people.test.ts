/**
 * Generated people are internally consistent and their identifiers validate with the engine's
 * own validators: NIR vs sex / birth date / birthplace, IBAN (RIB key + IBAN check), SIRET, RPPS,
 * France Travail ids, phones (libphonenumber max metadata), postal code vs city, hash formats.
 */

import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  buildNir,
  identifyPasswordHash,
  parseNir,
  validateBic,
  validateFranceTravailId,
  validateIban,
  validateRpps,
  validateSiret,
} from '../../../src/main/engine/profile/validators';
import {
  COMMUNES,
  DATE_FORMATS,
  HASH_SCHEMES,
  PHONE_NOTATIONS,
  daysInMonth,
  formatDate,
  formatPhone,
  makePerson,
  parseRenderedDate,
  passwordHash,
  slug,
  type Person,
} from '../../fixtures/gen';
import { postalCodeDepartmentPrefix } from '../../fixtures/gen/data/communes';
import { BANKS } from '../../fixtures/gen/data/misc';
import { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES } from '../../fixtures/gen/data/names';

const SEED = 42;
const N = 10_000;
const people: Person[] = Array.from({ length: N }, (_, i) => makePerson(SEED, i));

const OVERSEAS_REGION: Record<string, CountryCode> = {
  '590': 'GP',
  '596': 'MQ',
  '594': 'GF',
  '262': 'RE',
};

function phoneRegion(p: Person): CountryCode {
  if (p.phoneCountryCode === '33') return 'FR';
  if (p.commune.department === '976') return 'YT';
  return OVERSEAS_REGION[p.phoneCountryCode];
}

describe('the commune table', () => {
  it('has well-formed INSEE codes, postal codes of the right département, valid NIR places', () => {
    expect(COMMUNES.length).toBeGreaterThan(300);
    for (const c of COMMUNES) {
      expect(c.insee, c.name).toMatch(/^(?:2[AB]|[0-9]{2})[0-9]{3}$/);
      expect(c.department).toBe(
        c.insee.startsWith('9') && /^9[78]/.test(c.insee)
          ? c.insee.slice(0, 3)
          : c.insee.slice(0, 2),
      );
      for (const cp of c.postalCodes) {
        expect(cp, c.name).toMatch(/^[0-9]{5}$/);
        expect(cp.startsWith(postalCodeDepartmentPrefix(c.department)), `${c.name} ${cp}`).toBe(
          true,
        );
      }
      const nir = buildNir({ sexDigit: '1', year: 80, month: 1, place: c.insee, order: 1 });
      expect(parseNir(nir).valid, c.insee).toBe(true);
    }
    expect(COMMUNES.some((c) => c.department === '2A')).toBe(true);
    expect(COMMUNES.some((c) => c.department === '2B')).toBe(true);
    expect(COMMUNES.filter((c) => c.department.startsWith('97')).length).toBeGreaterThan(10);
  });
});

describe('generated people', () => {
  it('have a first name of their sex and accented / compound / particle names', () => {
    const male = new Set(MALE_FIRST_NAMES.map((x) => x[0]));
    const female = new Set(FEMALE_FIRST_NAMES.map((x) => x[0]));
    for (const p of people) {
      expect((p.sex === 'M' ? male : female).has(p.firstName), p.firstName).toBe(true);
    }
    const share = (pred: (p: Person) => boolean) => people.filter(pred).length / N;
    expect(share((p) => /[éèêëàâçîïôûüÿ]/i.test(p.firstName + p.lastName))).toBeGreaterThan(0.2);
    expect(share((p) => p.firstName.includes('-'))).toBeGreaterThan(0.03);
    expect(share((p) => /^(?:de |du |des |d')/.test(p.lastName))).toBeGreaterThan(0.01);
    expect(share((p) => /^Le /.test(p.lastName))).toBeGreaterThan(0.005);
    expect(share((p) => /^[A-Z][a-zé]+-[A-Z]/.test(p.lastName))).toBeGreaterThan(0.01);
    expect(share((p) => p.sex === 'F')).toBeCloseTo(0.5, 1);
  });

  it('have a valid birth date of an adult', () => {
    for (const p of people) {
      expect(p.birthYear).toBeGreaterThanOrEqual(1950);
      expect(p.birthYear).toBeLessThanOrEqual(2006);
      expect(p.birthDay).toBeLessThanOrEqual(daysInMonth(p.birthYear, p.birthMonth));
    }
  });

  it('have a valid NIR consistent with sex, year, month and place of birth', () => {
    const kinds = { abroad: 0, corsica20: 0, corsica2AB: 0, overseas: 0, pseudo: 0, fictitious: 0 };
    for (const p of people) {
      const r = parseNir(p.nir);
      expect(r.valid, p.nir).toBe(true);
      expect(r.keyless).toBe(false);
      expect(r.sex).toBe(p.sex === 'M' ? 'male' : 'female');
      expect(r.sexDigit).toBe(p.sex === 'M' ? '1' : '2');
      expect(r.year).toBe(String(p.birthYear % 100).padStart(2, '0'));
      if (r.monthKind === 'fictitious') kinds.fictitious++;
      else expect(r.birthMonth).toBe(p.birthMonth);
      if (r.monthKind === 'pseudo') kinds.pseudo++;
      expect(p.nir.slice(5, 10)).toBe(p.birthPlace.nirPlace);
      if (p.birthPlace.abroad) {
        kinds.abroad++;
        expect(r.placeKind).toBe('abroad');
      } else if (r.placeKind === 'corsica') {
        if (p.birthYear < 1976) {
          expect(r.department).toBe('20');
          kinds.corsica20++;
        } else {
          expect(['2A', '2B']).toContain(r.department);
          kinds.corsica2AB++;
        }
      } else if (r.placeKind === 'overseas' || r.placeKind === 'overseas_collectivity') {
        kinds.overseas++;
      }
    }
    expect(kinds.abroad / N).toBeGreaterThan(0.06);
    expect(kinds.abroad / N).toBeLessThan(0.1);
    expect(kinds.corsica20).toBeGreaterThan(5);
    expect(kinds.corsica2AB).toBeGreaterThan(5);
    expect(kinds.overseas).toBeGreaterThan(50);
    expect(kinds.pseudo).toBeGreaterThan(50);
    expect(kinds.fictitious / N).toBeLessThan(0.01);
  });

  it('have a FR IBAN with a valid RIB key and IBAN check, and the BIC of its bank', () => {
    const letterAccounts = people.filter((p) => /[A-Z]/.test(p.iban.slice(14, 25))).length;
    for (const p of people) {
      const r = validateIban(p.iban);
      expect(r, p.iban).toMatchObject({ valid: true, country: 'FR', mod97Ok: true, bbanOk: true });
      expect(validateBic(p.bic).valid).toBe(true);
      expect(BANKS.find((b) => b.code === p.iban.slice(4, 9))?.bic).toBe(p.bic);
    }
    expect(letterAccounts).toBeGreaterThan(500); // La Banque Postale style accounts
  });

  it('have a valid SIRET (some La Poste), RPPS and France Travail ids', () => {
    let laPoste = 0;
    for (const p of people) {
      const s = validateSiret(p.siret);
      expect(s.valid, p.siret).toBe(true);
      if (s.laPoste) laPoste++;
      expect(validateRpps(p.rpps)).toMatchObject({ valid: true });
      expect(p.rpps.startsWith('10')).toBe(true);
      expect(validateFranceTravailId(p.franceTravailLegacy)).toMatchObject({
        valid: true,
        form: 'legacy',
      });
      expect(validateFranceTravailId(p.franceTravailNational)).toMatchObject({
        valid: true,
        form: 'national',
      });
    }
    expect(laPoste).toBeGreaterThan(50);
  });

  it('live at a postal code of their city and département', () => {
    for (const p of people) {
      expect(p.commune.postalCodes).toContain(p.postalCode);
      expect(p.postalCode.startsWith(postalCodeDepartmentPrefix(p.commune.department))).toBe(true);
      expect(p.commune.birthOnly).toBe(false);
    }
  });

  it('have e-mails derived from their name on French providers', () => {
    const providers = new Map<string, number>();
    for (const p of people) {
      expect(p.email).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$/);
      const [local, domain] = p.email.split('@');
      const lastCore = p.lastName.replace(/^(?:de |du |des |d')/i, '');
      expect(local.includes(slug(lastCore)), `${p.email} ${p.lastName}`).toBe(true);
      providers.set(domain, (providers.get(domain) ?? 0) + 1);
    }
    for (const d of [
      'gmail.com',
      'orange.fr',
      'free.fr',
      'laposte.net',
      'sfr.fr',
      'hotmail.fr',
      'wanadoo.fr',
      'yahoo.fr',
    ]) {
      expect(providers.get(d) ?? 0, d).toBeGreaterThan(100);
    }
    expect(people.filter((p) => /\d/.test(p.email.split('@')[0])).length / N).toBeGreaterThan(0.1);
  });

  it('have phone numbers valid under libphonenumber in every notation', () => {
    let overseas = 0;
    for (const p of people.slice(0, 5000)) {
      const region = phoneRegion(p);
      if (region !== 'FR') overseas++;
      const parsed = parsePhoneNumberFromString(p.phone, region);
      expect(parsed?.isValid(), `${p.phone} ${region}`).toBe(true);
      for (const notation of PHONE_NOTATIONS) {
        const written = formatPhone(p.phone, notation, p.phoneCountryCode);
        const again = parsePhoneNumberFromString(written.replace('(0)', ''), region);
        expect(again?.number, `${written}`).toBe(parsed?.number);
      }
    }
    expect(overseas).toBeGreaterThan(10);
    const mobiles = people.filter((p) => p.phoneKind === 'mobile').length / N;
    expect(mobiles).toBeGreaterThan(0.6);
    expect(mobiles).toBeLessThan(0.85);
  });

  it('write dates in every format and read them back', () => {
    expect(formatDate(1985, 3, 7, 'iso')).toBe('1985-03-07');
    expect(formatDate(1985, 3, 7, 'fr')).toBe('07/03/1985');
    expect(formatDate(1985, 3, 7, 'compact')).toBe('07031985');
    expect(formatDate(1985, 3, 7, 'long')).toBe('7 mars 1985');
    expect(formatDate(1985, 3, 1, 'long')).toBe('1er mars 1985');
    expect(formatDate(1985, 8, 17, 'long')).toBe('17 août 1985');
    for (const p of people.slice(0, 3000)) {
      for (const f of DATE_FORMATS) {
        expect(parseRenderedDate(formatDate(p.birthYear, p.birthMonth, p.birthDay, f))).toEqual([
          p.birthYear,
          p.birthMonth,
          p.birthDay,
        ]);
      }
    }
  });

  it('write password hashes the validators recognise, with real unsalted digests', () => {
    for (const p of people.slice(0, 2000)) {
      for (const scheme of HASH_SCHEMES) {
        const h = passwordHash(p, scheme);
        expect(identifyPasswordHash(h)?.scheme, `${scheme} ${h}`).toBe(scheme);
      }
      expect(passwordHash(p, 'md5')).toBe(createHash('md5').update(p.password).digest('hex'));
      expect(passwordHash(p, 'sha256')).toBe(createHash('sha256').update(p.password).digest('hex'));
      expect(identifyPasswordHash(passwordHash(p, 'bcrypt', '$2a$'))?.scheme).toBe('bcrypt');
    }
  });
});
