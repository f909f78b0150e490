/**
 * Identifier validators: every test vector of shared/reference/identifiers.md, field-range edge
 * cases, seeded round-trips (compute → validate) over thousands of values, and mutation tests
 * (one changed digit must break a mod-97 key).
 */

import { describe, expect, it } from 'vitest';
import {
  buildIban,
  buildNir,
  completeCardNumber,
  finessCheckDigit,
  formatIban,
  formatNir,
  frTaxNumberCheck,
  frVatKey,
  ibanCheckDigits,
  identifyPasswordHash,
  isLuhnValid,
  isValidIban,
  isValidNir,
  isValidSiret,
  luhnCheckDigit,
  mod97,
  mod97Alphanumeric,
  lettersToDigits,
  nirKey,
  parseNir,
  ribCharValue,
  ribKey,
  rppsCheckDigit,
  sirenCheckDigit,
  siretCheckDigit,
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
} from '../../../src/main/engine/profile/validators';
import { Rng } from '../../fixtures/gen/prng';

/** Every single-character digit substitution of `s` at the given positions. */
function* digitMutations(s: string, positions: Iterable<number>): Generator<string> {
  for (const i of positions) {
    if (!/[0-9]/.test(s[i])) continue;
    for (let d = 0; d <= 9; d++) {
      const c = String(d);
      if (c !== s[i]) yield s.slice(0, i) + c + s.slice(i + 1);
    }
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe('NIR: identifiers.md test vectors', () => {
  it.each([
    ['2 95 10 99 126 111 93', '93'],
    ['253072A07300443', '43'],
    ['253072B07300470', '70'],
    ['2 55 08 14 168 025 38', '38'],
  ])('%s is valid with key %s', (nir, key) => {
    const r = parseNir(nir);
    expect(r.valid).toBe(true);
    expect(r.reason).toBeNull();
    expect(r.key).toBe(key);
    expect(r.expectedKey).toBe(key);
    expect(isValidNir(nir)).toBe(true);
  });

  it('rejects 295109912611199 (wrong key, 93 expected)', () => {
    const r = parseNir('295109912611199');
    expect(r).toMatchObject({ valid: false, reason: 'key', key: '99', expectedKey: '93' });
  });

  it('rejects the CNAM README example 2 84 05 88 321 025 30 (key computes to 32)', () => {
    expect(parseNir('2 84 05 88 321 025 30')).toMatchObject({
      valid: false,
      reason: 'key',
      expectedKey: '32',
    });
  });

  it('substitutes 2A→19 and 2B→18, not the known-wrong A/B→0 (which gives 16)', () => {
    expect(nirKey('253072A073004')).toBe('43');
    expect(nirKey('253072B073004')).toBe('70');
    expect(nirKey('2530720073004')).toBe('16'); // the django-localflavor reading, for contrast
    expect(parseNir('253072A07300416').valid).toBe(false);
    expect(parseNir('253072B07300416').valid).toBe(false);
  });

  it('parses every field of the born-abroad vector', () => {
    expect(parseNir('2 95 10 99 126 111 93')).toEqual({
      valid: true,
      keyless: false,
      normalized: '295109912611193',
      sexDigit: '2',
      sex: 'female',
      provisional: false,
      year: '95',
      month: '10',
      monthKind: 'calendar',
      birthMonth: 10,
      placeKind: 'abroad',
      department: '99',
      commune: null,
      country: '126',
      order: '111',
      key: '93',
      expectedKey: '93',
      reason: null,
    });
  });

  it('parses Corsican and metropolitan places', () => {
    expect(parseNir('253072A07300443')).toMatchObject({
      placeKind: 'corsica',
      department: '2A',
      commune: '073',
      order: '004',
      sex: 'female',
      year: '53',
      birthMonth: 7,
    });
    expect(parseNir('2 55 08 14 168 025 38')).toMatchObject({
      placeKind: 'metropole',
      department: '14',
      commune: '168',
      order: '025',
    });
  });
});

describe('NIR: structure rules', () => {
  const make = (sex: string, month: string, place: string, order = '123') =>
    buildNir({ sexDigit: sex, year: '85', month, place, order });

  it('accepts separators (space, dot, dash) and lower-case 2a/2b', () => {
    expect(parseNir('2.95.10.99.126.111.93').valid).toBe(true);
    expect(parseNir('2-95-10-99-126-111-93').valid).toBe(true);
    expect(parseNir(' 253072a07300443 ').valid).toBe(true);
    expect(formatNir('295109912611193')).toBe('2 95 10 99 126 111 93');
  });

  it('recognises 13-character keyless NIRs', () => {
    const r = parseNir('2 95 10 99 126 111');
    expect(r).toMatchObject({ valid: true, keyless: true, key: null, expectedKey: '93' });
    expect(isValidNir('2951099126111')).toBe(false); // the shorthand demands a key
    expect(parseNir('2951099126000')).toMatchObject({
      valid: false,
      keyless: true,
      reason: 'order',
    });
  });

  it('rejects bad length and characters', () => {
    expect(parseNir('').reason).toBe('empty');
    expect(parseNir('29510991261119').reason).toBe('length');
    expect(parseNir('2951099126111933').reason).toBe('length');
    expect(parseNir('295109912611X93').reason).toBe('charset');
    expect(parseNir('2951A99126111').reason).toBe('charset');
    expect(parseNir('253072C07300443').reason).toBe('charset');
  });

  it('accepts sex 1/2, flags 3/4/7/8 as provisional, rejects others', () => {
    expect(parseNir(make('1', '03', '75115'))).toMatchObject({
      valid: true,
      sex: 'male',
      provisional: false,
    });
    expect(parseNir(make('2', '03', '75115'))).toMatchObject({ valid: true, sex: 'female' });
    for (const [d, sex] of [
      ['3', 'male'],
      ['4', 'female'],
      ['7', 'male'],
      ['8', 'female'],
    ]) {
      expect(parseNir(make(d, '03', '75115'))).toMatchObject({
        valid: true,
        sex,
        provisional: true,
      });
    }
    for (const d of ['0', '5', '6', '9']) {
      expect(parseNir(make(d, '03', '75115'))).toMatchObject({ valid: false, reason: 'sex' });
    }
  });

  it('accepts months 01–12, 20–42, 50–99 and rejects 00, 13–19, 43–49', () => {
    for (let m = 0; m <= 99; m++) {
      const mm = String(m).padStart(2, '0');
      const r = parseNir(make('1', mm, '75115'));
      const ok = (m >= 1 && m <= 12) || (m >= 20 && m <= 42) || m >= 50;
      expect(r.valid, `month ${mm}`).toBe(ok);
      if (!ok) expect(r.reason).toBe('month');
    }
    expect(parseNir(make('1', '35', '75115'))).toMatchObject({
      monthKind: 'pseudo',
      birthMonth: 5,
    });
    expect(parseNir(make('1', '20', '75115'))).toMatchObject({
      monthKind: 'fictitious',
      birthMonth: null,
    });
    expect(parseNir(make('1', '62', '75115'))).toMatchObject({ monthKind: 'fictitious' });
  });

  it('checks the place of birth', () => {
    expect(parseNir(make('1', '03', '00123')).reason).toBe('department');
    expect(parseNir(make('1', '03', '20004'))).toMatchObject({
      valid: true,
      placeKind: 'corsica',
      department: '20',
    });
    expect(parseNir(make('1', '03', '2B033'))).toMatchObject({
      valid: true,
      department: '2B',
      commune: '033',
    });
    expect(parseNir(make('1', '03', '97411'))).toMatchObject({
      valid: true,
      placeKind: 'overseas',
      department: '974',
      commune: '11',
    });
    expect(parseNir(make('1', '03', '97011')).reason).toBe('department');
    expect(parseNir(make('1', '03', '97911')).reason).toBe('department');
    expect(parseNir(make('1', '03', '97400')).reason).toBe('commune');
    expect(parseNir(make('1', '03', '98818'))).toMatchObject({
      valid: true,
      placeKind: 'overseas_collectivity',
      department: '988',
    });
    expect(parseNir(make('1', '03', '98118')).reason).toBe('department');
    expect(parseNir(make('1', '03', '99352'))).toMatchObject({
      valid: true,
      country: '352',
      commune: null,
    });
    expect(parseNir(make('1', '03', '99000')).reason).toBe('country');
    expect(parseNir(make('1', '03', '99991')).reason).toBe('country');
    expect(parseNir(make('1', '03', '75000')).reason).toBe('commune');
    expect(parseNir(make('1', '03', '75991')).reason).toBe('commune');
    expect(parseNir(make('1', '03', '75990')).valid).toBe(true);
    expect(parseNir(make('1', '03', '96001')).valid).toBe(true); // Tunisia before independence
  });

  it('rejects order 000 and keys outside 01–97', () => {
    expect(parseNir(make('1', '03', '75115', '000')).reason).toBe('order');
    const body = '1850375115123';
    expect(parseNir(body + '00').reason).toBe('key');
    expect(parseNir(body + '98').reason).toBe('key');
  });
});

describe('NIR: round trips and mutations over seeded random values', () => {
  const rng = new Rng(20240313);
  const places = [
    '75115',
    '2A004',
    '2B033',
    '20004',
    '97101',
    '97611',
    '98818',
    '99352',
    '13201',
    '01053',
  ];
  const nirs: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const month = rng.pick([rng.range(1, 12), rng.range(20, 42), rng.range(50, 99)]);
    const place = rng.chance(0.5)
      ? rng.pick(places)
      : String(rng.range(1, 95)).padStart(2, '0') + String(rng.range(1, 990)).padStart(3, '0');
    nirs.push(
      buildNir({
        sexDigit: rng.pick(['1', '2']),
        year: rng.int(100),
        month,
        place,
        order: rng.range(1, 999),
      }),
    );
  }

  it('every generated NIR validates, keyed and keyless', () => {
    for (const nir of nirs) {
      expect(parseNir(nir).valid, nir).toBe(true);
      expect(parseNir(formatNir(nir)).valid).toBe(true);
      expect(parseNir(nir.slice(0, 13))).toMatchObject({ valid: true, keyless: true });
    }
  });

  it('any single-digit change of the body or the key is detected', () => {
    let mutations = 0;
    for (const nir of nirs.slice(0, 1500)) {
      for (const m of digitMutations(nir, range(0, 15))) {
        expect(parseNir(m).valid, m).toBe(false);
        mutations++;
      }
    }
    expect(mutations).toBeGreaterThan(1500 * 120);
  });

  it('any adjacent transposition of different body digits is detected', () => {
    for (const nir of nirs.slice(0, 1500)) {
      for (let i = 0; i < 12; i++) {
        if (nir[i] === nir[i + 1] || !/[0-9]{2}/.test(nir.slice(i, i + 2))) continue;
        const t = nir.slice(0, i) + nir[i + 1] + nir[i] + nir.slice(i + 2);
        expect(parseNir(t).valid, t).toBe(false);
      }
    }
  });
});

describe('Luhn, SIREN, SIRET (identifiers.md §2.3)', () => {
  it('Luhn reference values', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(isLuhnValid('')).toBe(false);
    expect(isLuhnValid('12a4')).toBe(false);
  });

  it.each(['73282932000074', '356 000 000 09075', '35600000000048', '35600000049837'])(
    'SIRET %s is valid',
    (siret) => expect(isValidSiret(siret)).toBe(true),
  );

  it.each(['35600000049838', '73282932000075'])('SIRET %s is invalid', (siret) => {
    expect(validateSiret(siret)).toMatchObject({ valid: false, reason: 'checksum' });
  });

  it('reports the La Poste rule and the parts', () => {
    expect(validateSiret('356 000 000 09075')).toMatchObject({
      laPoste: true,
      siren: '356000000',
      nic: '09075',
    });
    expect(validateSiret('35600000000048').laPoste).toBe(false); // head office: plain Luhn
    expect(validateSiret('73282932000074')).toMatchObject({
      siren: '732829320',
      nic: '00074',
      sirenValid: true,
    });
    expect(validateSiret('7328293200007').reason).toBe('length');
  });

  it('SIREN', () => {
    expect(validateSiren('732 829 320')).toMatchObject({ valid: true, normalized: '732829320' });
    expect(validateSiren('732829321').reason).toBe('luhn');
    expect(sirenCheckDigit('73282932')).toBe('0');
  });

  it('round trips and single-digit mutations', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 3000; i++) {
      const siren8 = String(rng.range(1, 9)) + rng.digits(7);
      const siren = siren8 + sirenCheckDigit(siren8);
      expect(validateSiren(siren).valid).toBe(true);
      const body = siren + rng.digits(4);
      const siret = body + siretCheckDigit(body);
      if (siren === '356000000') continue;
      expect(isValidSiret(siret)).toBe(true);
      for (const m of digitMutations(siret, [rng.int(14)])) expect(isValidSiret(m)).toBe(false);
    }
  });

  it('French VAT numbers', () => {
    expect(frVatKey('303265045')).toBe('40');
    expect(validateFrVat('FR 40 303 265 045')).toMatchObject({
      valid: true,
      siren: '303265045',
      keyChecked: true,
    });
    expect(validateFrVat('FR41303265045').reason).toBe('key');
    expect(validateFrVat('FR40303265046').valid).toBe(false);
  });
});

describe('RPPS, FINESS, tax number (identifiers.md §2.3, §2.8)', () => {
  it('RPPS: 11 digits with Luhn, IdNatPS form accepted', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const first10 = '10' + rng.digits(8);
      const rpps = first10 + rppsCheckDigit(first10);
      expect(validateRpps(rpps)).toMatchObject({
        valid: true,
        wellFormed: true,
        luhn: true,
        normalized: rpps,
      });
      expect(validateRpps('8' + rpps)).toMatchObject({
        valid: true,
        idNatPs: true,
        normalized: rpps,
      });
      for (const m of digitMutations(rpps, [10])) {
        expect(validateRpps(m)).toMatchObject({
          valid: false,
          wellFormed: true,
          luhn: false,
          reason: 'luhn',
        });
      }
    }
    expect(validateRpps('1000000000').reason).toBe('length');
    expect(validateRpps('1000000000A').reason).toBe('charset');
  });

  it('FINESS: Luhn after 2A→21 / 2B→22', () => {
    for (const first8 of ['75071218', '2A000001', '2B000123', '13078301', '97010001']) {
      const finess = first8 + finessCheckDigit(first8);
      expect(validateFiness(finess), finess).toMatchObject({
        valid: true,
        department: first8.slice(0, 2),
      });
      const wrong = first8 + String((Number(finess[8]) + 1) % 10);
      expect(validateFiness(wrong).valid).toBe(false);
    }
    expect(validateFiness('2A0000010').luhn).toBe(isLuhnValid('210000010'));
    expect(validateFiness('960000000').reason).toBe('department');
  });

  it('SPI tax number: last three digits = first ten mod 511', () => {
    const rng = new Rng(511);
    for (let i = 0; i < 1000; i++) {
      const first10 = String(rng.range(0, 3)) + rng.digits(9);
      const spi = first10 + frTaxNumberCheck(first10);
      expect(validateFrTaxNumber(spi).valid).toBe(true);
    }
    expect(frTaxNumberCheck('0701987765')).toBe(String(701987765 % 511).padStart(3, '0'));
    expect(validateFrTaxNumber('4701987765493').reason).toBe('format');
  });
});

describe('RIB key and IBAN (identifiers.md §2.4)', () => {
  it('validates the synthetic example FR7630006000011234567890189', () => {
    const r = validateIban('FR76 3000 6000 0112 3456 7890 189');
    expect(r).toMatchObject({
      valid: true,
      normalized: 'FR7630006000011234567890189',
      country: 'FR',
      checkDigits: '76',
      bban: '30006000011234567890189',
      lengthOk: true,
      mod97Ok: true,
      bbanOk: true,
    });
    expect(ribKey('30006', '00001', '12345678901')).toBe('89');
    expect(validateRib('30006 00001 12345678901 89')).toMatchObject({
      valid: true,
      bank: '30006',
      branch: '00001',
      account: '12345678901',
      key: '89',
    });
  });

  it('maps account letters with the RIB table', () => {
    const table: Array<[string, number]> = [
      ['A', 1],
      ['J', 1],
      ['B', 2],
      ['K', 2],
      ['S', 2],
      ['C', 3],
      ['L', 3],
      ['T', 3],
      ['D', 4],
      ['M', 4],
      ['U', 4],
      ['E', 5],
      ['N', 5],
      ['V', 5],
      ['F', 6],
      ['O', 6],
      ['W', 6],
      ['G', 7],
      ['P', 7],
      ['X', 7],
      ['H', 8],
      ['Q', 8],
      ['Y', 8],
      ['I', 9],
      ['R', 9],
      ['Z', 9],
      ['7', 7],
    ];
    for (const [ch, v] of table) expect(ribCharValue(ch), ch).toBe(v);
    // ECBS example with a letter in the account: FR14 2004 1010 0505 0001 3M02 606.
    expect(ribKey('20041', '01005', '0500013M026')).toBe('06');
    expect(isValidIban('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
  });

  it('closed-form RIB key ≡ "23-digit BBAN is 0 mod 97" over random accounts with letters', () => {
    const rng = new Rng(97);
    for (let i = 0; i < 3000; i++) {
      const bank = rng.digits(5);
      const branch = rng.digits(5);
      const account = rng.chars('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 11);
      const key = ribKey(bank, branch, account);
      const mapped = [...account].map((c) => String(ribCharValue(c))).join('');
      expect(mod97(bank + branch + mapped + key)).toBe(0);
      const iban = buildIban('FR', bank + branch + account + key);
      expect(validateIban(iban)).toMatchObject({ valid: true, bbanOk: true, mod97Ok: true });
      for (const m of digitMutations(iban, [2 + rng.int(25)])) expect(isValidIban(m)).toBe(false);
    }
  });

  it('separates a right IBAN check over a wrong RIB key', () => {
    const bban = '30006000011234567890188'; // key 88 instead of 89
    const iban = 'FR' + ibanCheckDigits('FR', bban) + bban;
    expect(validateIban(iban)).toMatchObject({
      valid: false,
      mod97Ok: true,
      bbanOk: false,
      reason: 'bban',
    });
  });

  it.each([
    'GB82 WEST 1234 5698 7654 32',
    'DE89 3704 0044 0532 0130 00',
    'BE68 5390 0754 7034',
    'NL91 ABNA 0417 1643 00',
    'ES91 2100 0418 4502 0005 1332',
    'IT60 X054 2811 1010 0000 0123 456',
    'CH93 0076 2011 6238 5295 7',
    'MC58 1122 2000 0101 2345 6789 030',
    'fr76 3000 6000 0112 3456 7890 189',
    'IBAN FR76-3000-6000-0112-3456-7890-189',
  ])('IBAN %s is valid', (iban) => expect(isValidIban(iban)).toBe(true));

  it('rejects wrong length, unknown country, bad check digits', () => {
    expect(validateIban('FR763000600001123456789018').reason).toBe('length');
    expect(validateIban('XX7630006000011234567890189').reason).toBe('country');
    expect(validateIban('FR7730006000011234567890189').reason).toBe('mod97');
    expect(validateIban('DE89370400440532013001').reason).toBe('mod97');
    expect(validateIban('').reason).toBe('empty');
    expect(validateIban('FR76$0006').reason).toBe('format');
  });

  it('computes the same remainders piecewise as with BigInt', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 500; i++) {
      const s = rng.chars('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', rng.range(1, 40));
      const digits = lettersToDigits(s);
      expect(mod97Alphanumeric(s)).toBe(Number(BigInt(digits) % 97n));
      expect(mod97(digits)).toBe(Number(BigInt(digits) % 97n));
    }
    expect(formatIban('FR7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189');
  });
});

describe('BIC, France Travail id, payment cards', () => {
  it('BIC structure and country', () => {
    expect(validateBic('BNPAFRPPXXX')).toMatchObject({
      valid: true,
      bankCode: 'BNPA',
      countryCode: 'FR',
      locationCode: 'PP',
      branchCode: 'XXX',
      testBic: false,
    });
    expect(validateBic('deutdeff')).toMatchObject({ valid: true, branchCode: null });
    expect(validateBic('CMCIFR2A').valid).toBe(true);
    expect(validateBic('ABCDFR20').testBic).toBe(true);
    expect(validateBic('BNPAQQPP').reason).toBe('country');
    expect(validateBic('BNPAFRP').reason).toBe('format');
    expect(validateBic('BNP1FRPP').reason).toBe('format');
  });

  it('France Travail: legacy 7 digits + alnum, national 11 digits', () => {
    expect(validateFranceTravailId('1234567A')).toMatchObject({ valid: true, form: 'legacy' });
    expect(validateFranceTravailId('12345678')).toMatchObject({ valid: true, form: 'legacy' });
    expect(validateFranceTravailId('1234567b')).toMatchObject({
      valid: true,
      form: 'legacy',
      normalized: '1234567B',
    });
    expect(validateFranceTravailId('123 456 789 01')).toMatchObject({
      valid: true,
      form: 'national',
    });
    for (const bad of ['123456A', '1234567AB', 'A2345678', '1234567890', '123456789012', '']) {
      expect(validateFranceTravailId(bad).valid, bad).toBe(false);
    }
  });

  it('cards: Luhn + network prefix and length', () => {
    expect(validateCardNumber('4111 1111 1111 1111')).toMatchObject({ valid: true, brand: 'visa' });
    expect(validateCardNumber('5555-5555-5555-4444')).toMatchObject({
      valid: true,
      brand: 'mastercard',
    });
    expect(validateCardNumber('2221000000000009')).toMatchObject({
      valid: true,
      brand: 'mastercard',
    });
    expect(validateCardNumber('378282246310005')).toMatchObject({ valid: true, brand: 'amex' });
    expect(validateCardNumber('6011111111111117')).toMatchObject({
      valid: true,
      brand: 'discover',
    });
    expect(validateCardNumber('3530111333300000')).toMatchObject({ valid: true, brand: 'jcb' });
    expect(validateCardNumber('4111111111111112')).toMatchObject({ valid: false, reason: 'luhn' });
    expect(validateCardNumber('37828224631000')).toMatchObject({ valid: false, reason: 'length' });
    expect(validateCardNumber('9111111111111111').reason).toBe('brand');
    expect(validateCardNumber(completeCardNumber('497010000000000')).valid).toBe(true);
  });
});

describe('password-hash recognition (identifiers.md §3, hashcat examples)', () => {
  it.each([
    ['$2a$05$MBCzKhG1KhezLh.0LRa0Kuw12nLJtpHy6DIaU.JAnqJUDYspHC.Ou', 'bcrypt', 'slow', 5],
    ['$2y$10$ABCDEFGHIJKLMNOPQRSTUVu12nLJtpHy6DIaU.JAnqJUDYspHC.Ou', 'bcrypt', 'slow', 10],
    [
      '$argon2id$v=19$m=65536,t=3,p=1$FBMjI4RJBhIykCgol1KEJA$2ky5GAdhT1kH4kIgPN/oERE3Taiy43vNN70a3HpiKQU',
      'argon2id',
      'slow',
      3,
    ],
    [
      'SCRYPT:16384:8:1:OTEyNzU0ODg=:Cc8SPjRH1hFQhuIPCdF51uNGtJ2aOY/isuoMlMUsJ8c=',
      'scrypt',
      'slow',
      16384,
    ],
    [
      'pbkdf2_sha256$10000$1135411628$bFYX62rfJobJ07VwrUMXfuffLfj2RDM2G6/BrTrUWkE=',
      'pbkdf2-sha256-django',
      'slow',
      10000,
    ],
    ['sha256:1000:NjI3MDM3:vVfavLQL9ZWjg8BUMq6/FB8FtpkIGWYk', 'pbkdf2-sha256', 'slow', 1000],
    [
      '{PKCS5S2}NTczNTY0NDY2NjQyNzU1Mx8gGiRGobaZYwumctGHbn2ZOHB8LkwzH+Z1gkWfy1zD',
      'pbkdf2-atlassian',
      'slow',
      null,
    ],
    ['$1$38652870$DUjsu4TTlTsOe/xxZ05uf/', 'md5-crypt', 'slow', null],
    [
      '$5$7777657035274252$XftMj84MW.New1/ViLY5V4CM4Y7EBvfETaZsCW9vcJ8',
      'sha256-crypt',
      'slow',
      null,
    ],
    [
      '$6$72820166$U4DVzpcYxgw7MVVDGGvB2/H5lRistD5.Ah4upwENR5UtffLR4X4SxSzfREv8z6wVl0jRFX40/KnYVvK4829kD1',
      'sha512-crypt',
      'slow',
      null,
    ],
    ['$P$946647711V1klyitUYhtB8Yw5DMA/w.', 'phpass', 'slow', null],
    ['$H$946647711V1klyitUYhtB8Yw5DMA/w.', 'phpbb3', 'slow', null],
    ['$S$C33783772bRXEx1aCsvY.dqgaaSu76XmVlKrW9Qu8IQlvxHlmzLf', 'drupal7', 'slow', null],
    ['sha1$fe76b$02d5916550edf7fc8c886f044887f4b1abf9b013', 'django-sha1', 'fast', null],
    ['{SSHA}FLzWcQqyle6Mo7NvrwXCMAmRzXQxNjYxMTYzNw==', 'ldap-ssha', 'fast', null],
    ['*FCF7C1B8749CF99D88E5F34271D636178FB5D130', 'mysql41', 'fast', null],
    ['$NT$b4b9b02e6f09a9bd760f388b67351e2b', 'ntlm', 'fast', null],
    ['B4B9B02E6F09A9BD760F388B67351E2B', 'ntlm', 'fast', null],
    ['8743b52063cd84097a65d1633f5c74f5', 'md5', 'fast', null],
    ['299bd128c1101fd6', 'lm', 'fast', null],
    ['b89eaac7e61417341b710b727768294d0e6a277b', 'sha1', 'fast', null],
    ['127e6fbfe24a750e72930c220a8e138275656b8e5d8f48a98c3c92df2caba935', 'sha256', 'fast', null],
    [
      '82a9dda829eb7f8ffe9fbe49e45d47d2dad9664fbb7adf72492e3c81ebd3e29134d9bc12212bf83c6840f10e8246b9db54a4859b7ccd0123d86e5872c1e5082f',
      'sha512',
      'fast',
      null,
    ],
    ['d41d8cd98f00b204e9800998ecf8427e:4b1d', 'md5-salted', 'fast', null],
    ['1B2M2Y8AsgTpgAmY7PhCfg==', 'md5-base64', 'fast', null],
  ] as const)('%s → %s', (hash, scheme, strength, cost) => {
    const r = identifyPasswordHash(hash);
    expect(r).not.toBeNull();
    expect(r?.scheme).toBe(scheme);
    expect(r?.strength).toBe(strength);
    expect(r?.cost).toBe(cost);
  });

  it('names the ambiguity of bare hex digests', () => {
    expect(identifyPasswordHash('8743b52063cd84097a65d1633f5c74f5')?.alternatives).toEqual([
      'ntlm',
      'md4',
    ]);
    expect(
      identifyPasswordHash('da39a3ee5e6b4b0d3255bfef95601890afd80709')?.alternatives,
    ).toContain('mysql5');
    expect(identifyPasswordHash('12345678901234567890123456789012')?.scheme).toBe('md5'); // no hex letter
  });

  it('returns null for values that are not hashes', () => {
    for (const v of [
      'hello',
      'azerty123',
      'jean.dupont@orange.fr',
      '0612345678',
      '8743b52063cd84097a65d1633f5c74f',
      '$2y$10$short',
      '',
    ]) {
      expect(identifyPasswordHash(v), v).toBeNull();
    }
  });
});
