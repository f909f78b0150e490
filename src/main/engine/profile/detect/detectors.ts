/**
 * Per-value PII detectors, one per kind: each says whether a value has the kind's shape
 * (`matched`), whether it passes the kind's full check (`valid`: key, checksum, reference list,
 * real number range), the chance that a random value of that shape passes the check, and how
 * specific a pass is (how rarely values of other kinds would pass it too).
 *
 * Chance figures (identifiers.md): NIR key 1/100 (times the structural checks), Luhn 1/10
 * (SIREN, SIRET, RPPS, FINESS, cards), IBAN mod 97 1/97, French postal code ≈ 6.3 % of 5-digit
 * numbers exist, INSEE commune code ≈ 37 %, Spanish DNI letter 1/23. Kinds without a check
 * (France Travail, e-mail, names...) have chance 1: their strength is all in `spec`.
 *
 * Weak kinds (`needsHeader`) are only counted when the column name supports them: a column of
 * short words could be usernames, passwords or product codes; the header decides between
 * compatible readings, it never makes values that fail the shape count.
 */
import { isIP } from 'node:net';
import type { PiiKind } from '../../../../shared/pii';
import {
  isCityName,
  isCountryName,
  isFrenchPostalCode,
  isInseeCommuneCode,
} from '../reference/places';
import { isFirstName, isFullName, isLastName } from '../reference/names';
import { matchAddress } from '../reference/streets';
import { parseDate, type ParsedDate } from '../stats/dates';
import {
  electronicIban,
  identifyPasswordHash,
  parseNir,
  validateBic,
  validateCardNumber,
  validateFiness,
  validateFrVat,
  validateIban,
  validateRpps,
  validateSiren,
  validateSiret,
} from '../validators';
import { isCommonPassword } from './passwords';
import { matchPhone } from './phone';
import type { ValueView } from './view';

export interface Match {
  valid: boolean;
  /** Sub-form or algorithm, reported as the finding's scheme. */
  scheme: string;
  /** Probability that a random value of this shape passes the check (1: no check). */
  chance: number;
  /** 0..1: how rarely a value of another kind passes (the detector's own strength). */
  spec: number;
}

export interface ValueContext {
  /** Date parsed once by the type counter (null when the value is not a date). */
  date: ParsedDate | null;
  /** Current year, for plausible ages. */
  year: number;
}

export interface KindDetector {
  kind: PiiKind;
  needsHeader?: boolean;
  /** Checksum-backed: a material share at chance level is not evidence. */
  checksum?: boolean;
  test(view: ValueView, ctx: ValueContext): Match | null;
}

const NIR_BODY = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?$/;
/**
 * A random 13-character body passes the field checks about half the time (sex 1–4/7/8, month,
 * department, order); with a key, 1 in 100 of those.
 */
const NIR_STRUCTURE_CHANCE = 0.5;
const NIR_KEY_CHANCE = 0.01 * NIR_STRUCTURE_CHANCE;

const EMAIL =
  /^[A-Za-z0-9._%+'!#$&*/=?^`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$/;
const URL_RE = /^(?:https?|ftp):\/\/[^\s/$.?#][^\s]*$|^www\.[^\s.]+\.[^\s]{2,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const US_SSN = /^(\d{3})-(\d{2})-(\d{4})$/;
const ES_DNI = /^(\d{8})-?([A-Z])$/;
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$/;
const POSTAL_INTL =
  /^(?:\d{4,5}|\d{5}-\d{3,4}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{3} ?\d{2}|\d{2}-\d{3})$/i;
const CODE = /^[A-Za-z0-9_-]{1,40}$/;
const INTEGER = /^\d{1,12}$/;
const CITY_LIKE = /^[\p{Lu}][\p{L}'’. -]{1,40}(?: \(?[\p{L}\d '’.-]+\)?)?$/u;

// prettier-ignore
const SEX_LETTERS = new Set([
  'm', 'f', 'h', 'homme', 'femme', 'masculin', 'feminin', 'male', 'female', 'man', 'woman',
  'men', 'women', 'mr', 'mr.', 'm.', 'mme', 'mme.', 'mlle', 'mlle.', 'mrs', 'mrs.', 'ms', 'ms.',
  'miss', 'monsieur', 'madame', 'mademoiselle', 'masc', 'fem', 'garcon', 'fille',
]);

function lowerAscii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export const DETECTORS: readonly KindDetector[] = [
  {
    kind: 'nir',
    checksum: true,
    test(x) {
      const c = x.compact;
      if ((c.length !== 15 && c.length !== 13) || !NIR_BODY.test(c)) return null;
      const r = parseNir(c);
      if (r.keyless)
        return { valid: r.valid, scheme: 'nir-keyless', chance: NIR_STRUCTURE_CHANCE, spec: 0.7 };
      return { valid: r.valid, scheme: 'nir', chance: NIR_KEY_CHANCE, spec: 1 };
    },
  },
  {
    kind: 'iban',
    checksum: true,
    test(x) {
      if (x.digits < 8 || x.letters < 2 || x.v.length > 50) return null;
      const e = electronicIban(x.v);
      if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(e)) return null;
      const r = validateIban(e);
      return {
        valid: r.valid,
        scheme: `iban-${e.slice(0, 2).toLowerCase()}`,
        chance: 1 / 97,
        spec: 1,
      };
    },
  },
  {
    kind: 'siret',
    checksum: true,
    test(x) {
      if (!x.allDigits || x.compact.length !== 14) return null;
      const r = validateSiret(x.compact);
      return {
        valid: r.valid,
        scheme: r.laPoste ? 'siret-la-poste' : 'siret',
        chance: r.laPoste ? 0.2 : 0.1,
        spec: 1,
      };
    },
  },
  {
    kind: 'siren',
    checksum: true,
    test(x) {
      const c = x.compact;
      if (c.length === 13 && c.startsWith('FR')) {
        const r = validateFrVat(c);
        if (r.normalized)
          return { valid: r.valid, scheme: 'fr-vat', chance: r.keyChecked ? 1 / 97 : 1, spec: 1 };
      }
      if (!x.allDigits || c.length !== 9) return null;
      return { valid: validateSiren(c).valid, scheme: 'siren', chance: 0.1, spec: 0.95 };
    },
  },
  {
    kind: 'finess',
    checksum: true,
    test(x) {
      const c = x.compact;
      if (c.length !== 9 || !/^(?:\d{2}|2A|2B)\d{7}$/.test(c)) return null;
      const r = validateFiness(c);
      if (r.reason === 'department') return null;
      return { valid: r.valid, scheme: 'finess', chance: 0.1, spec: 0.85 };
    },
  },
  {
    kind: 'rpps',
    checksum: true,
    test(x) {
      const c = x.compact;
      if (!x.allDigits || (c.length !== 11 && !(c.length === 12 && c[0] === '8'))) return null;
      const r = validateRpps(c);
      return { valid: r.valid, scheme: r.idNatPs ? 'idnatps' : 'rpps', chance: 0.1, spec: 0.97 };
    },
  },
  {
    // ADELI (9 digits, département first, no known key): only with a header that says so.
    kind: 'rpps',
    needsHeader: true,
    test(x) {
      const c = x.compact;
      if (!x.allDigits || c.length !== 9) return null;
      const d = Number(c.slice(0, 2));
      return { valid: (d >= 1 && d <= 95) || d === 97, scheme: 'adeli', chance: 1, spec: 0.6 };
    },
  },
  {
    kind: 'bic',
    test(x) {
      const v = x.v;
      // Upper case as written: lower-case words are not BICs (compacting would make them so).
      if (
        (v.length !== 8 && v.length !== 11) ||
        x.letters < 6 ||
        !/^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(v)
      )
        return null;
      return {
        valid: validateBic(v).valid,
        scheme: v.length === 11 ? 'bic11' : 'bic8',
        chance: 1,
        spec: 0.6,
      };
    },
  },
  {
    kind: 'credit_card',
    checksum: true,
    test(x) {
      const c = x.compact;
      if (!x.allDigits || c.length < 12 || c.length > 19) return null;
      const r = validateCardNumber(c);
      if (!r.brand || !r.lengthOk) return null;
      return { valid: r.luhn, scheme: r.brand, chance: 0.1, spec: 0.95 };
    },
  },
  {
    kind: 'france_travail_id',
    test(x) {
      const c = x.compact;
      if (c.length === 8 && /^\d{7}[0-9A-Z]$/.test(c)) {
        const letter = c.charCodeAt(7) > 57;
        return { valid: true, scheme: 'legacy', chance: 1, spec: letter ? 0.6 : 0.3 };
      }
      if (c.length === 11 && x.allDigits)
        return { valid: true, scheme: 'national', chance: 1, spec: 0.35 };
      return null;
    },
  },
  {
    kind: 'national_id',
    checksum: true,
    test(x) {
      let m = US_SSN.exec(x.v);
      if (m) {
        const ok =
          m[1] !== '000' && m[1] !== '666' && m[1]![0] !== '9' && m[2] !== '00' && m[3] !== '0000';
        return { valid: ok, scheme: 'us-ssn', chance: 1, spec: 0.85 };
      }
      m = ES_DNI.exec(x.compact);
      if (m) {
        const ok = DNI_LETTERS[Number(m[1]) % 23] === m[2];
        return { valid: ok, scheme: 'es-dni', chance: 1 / 23, spec: 1 };
      }
      return null;
    },
  },
  {
    kind: 'email',
    test(x) {
      if (!x.hasAt || x.words > 1) return null;
      return EMAIL.test(x.v)
        ? { valid: true, scheme: 'email', chance: 1, spec: 0.98 }
        : { valid: false, scheme: 'email', chance: 1, spec: 0.98 };
    },
  },
  {
    kind: 'phone',
    test(x) {
      if (x.letters > 0 || x.hasAt) return null;
      const m = matchPhone(x.v, x.digits);
      return m ? { valid: m.valid, scheme: m.scheme, chance: 1, spec: m.spec } : null;
    },
  },
  {
    // Internal extensions ("5467") and bare digit strings: only under a phone header.
    kind: 'phone',
    needsHeader: true,
    test(x) {
      if (/^\d{2,6}$/.test(x.v)) return { valid: true, scheme: 'extension', chance: 1, spec: 0.6 };
      // International numbers stored as bare digits, without the + (test databases, exports).
      // (12+ digits, or 11 with a North-American or French country code: a bare 11-digit value
      // is more likely an identifier).
      if (/^\+?(?:\d{12,15}|1\d{10}|33\d{9})$/.test(x.v)) {
        return { valid: true, scheme: 'digits', chance: 1, spec: 0.5 };
      }
      return null;
    },
  },
  {
    kind: 'ip_address',
    test(x) {
      if (x.v.length < 7 || x.v.length > 45 || x.words > 1) return null;
      const ip = isIP(x.v);
      if (ip === 4) return { valid: true, scheme: 'ipv4', chance: 1, spec: 0.85 };
      if (ip === 6 && x.v.includes(':'))
        return { valid: true, scheme: 'ipv6', chance: 1, spec: 0.95 };
      return null;
    },
  },
  {
    kind: 'url',
    test(x) {
      if (x.words > 1 || x.v.length < 8) return null;
      return URL_RE.test(x.v) ? { valid: true, scheme: 'url', chance: 1, spec: 0.95 } : null;
    },
  },
  {
    kind: 'password_hash',
    test(x) {
      if (x.v.length < 16 || x.words > 1) return null;
      const h = identifyPasswordHash(x.v);
      if (!h) return null;
      const bare =
        h.alternatives.length > 0 ||
        h.scheme.endsWith('-base64') ||
        /^(?:md5|sha\d+|lm|ntlm)$/.test(h.scheme);
      return { valid: true, scheme: h.scheme, chance: 1, spec: bare ? 0.85 : 0.99 };
    },
  },
  {
    kind: 'id',
    test(x) {
      return UUID.test(x.v) ? { valid: true, scheme: 'uuid', chance: 1, spec: 0.9 } : null;
    },
  },
  {
    kind: 'id',
    needsHeader: true,
    test(x) {
      if (INTEGER.test(x.v)) return { valid: true, scheme: 'integer', chance: 1, spec: 0.6 };
      if (CODE.test(x.v)) return { valid: true, scheme: 'code', chance: 1, spec: 0.45 };
      return null;
    },
  },
  {
    kind: 'sex',
    test(x) {
      if (x.v.length > 12) return null;
      const k = lowerAscii(x.v);
      if (SEX_LETTERS.has(k)) return { valid: true, scheme: 'sex', chance: 1, spec: 0.9 };
      if (k === 'dr' || k === 'dr.' || k === 'pr' || k === 'me')
        return { valid: false, scheme: 'sex', chance: 1, spec: 0.9 };
      return null;
    },
  },
  {
    // 1 / 2 (the NIR's coding) is any flag column's coding too: only under a sex header.
    kind: 'sex',
    needsHeader: true,
    test(x) {
      return x.v === '1' || x.v === '2'
        ? { valid: true, scheme: 'sex-1-2', chance: 1, spec: 0.7 }
        : null;
    },
  },
  {
    kind: 'date_of_birth',
    test(x, ctx) {
      const d = ctx.date;
      if (!d) return null;
      const age = ctx.year - d.y;
      return { valid: age >= 5 && age <= 120, scheme: d.format, chance: 1, spec: 0.8 };
    },
  },
  {
    kind: 'date',
    test(_x, ctx) {
      const d = ctx.date;
      return d ? { valid: true, scheme: d.format, chance: 1, spec: 0.6 } : null;
    },
  },
  {
    kind: 'postal_code',
    checksum: true,
    test(x) {
      if (x.v.length !== 5 || !x.allDigits) return null;
      return { valid: isFrenchPostalCode(x.v), scheme: 'fr', chance: 0.063, spec: 0.9 };
    },
  },
  {
    kind: 'postal_code',
    needsHeader: true,
    test(x) {
      if (x.v.length > 10 || x.digits < 3) return null;
      return POSTAL_INTL.test(x.v)
        ? { valid: true, scheme: 'international', chance: 1, spec: 0.6 }
        : null;
    },
  },
  {
    kind: 'city',
    checksum: true,
    test(x) {
      // INSEE commune code: 5 characters, département (2A/2B) + 3 digits.
      if (x.v.length !== 5 || x.digits < 3 || !/^(?:\d{2}|2[AB])\d{3}$/i.test(x.v)) return null;
      return { valid: isInseeCommuneCode(x.v), scheme: 'insee-code', chance: 0.37, spec: 0.6 };
    },
  },
  {
    kind: 'city',
    test(x) {
      if (x.digits > 2 || x.letters < 2 || x.words > 6 || x.hasAt) return null;
      return isCityName(x.v) ? { valid: true, scheme: 'name', chance: 1, spec: 0.75 } : null;
    },
  },
  {
    kind: 'city',
    needsHeader: true,
    test(x) {
      if (x.digits > 2 || x.letters < 2 || x.words > 6) return null;
      return CITY_LIKE.test(x.v) ? { valid: true, scheme: 'name', chance: 1, spec: 0.55 } : null;
    },
  },
  {
    kind: 'country',
    test(x) {
      if (x.digits > 0 || x.letters < 2 || x.words > 5) return null;
      return isCountryName(x.v) ? { valid: true, scheme: 'name', chance: 1, spec: 0.8 } : null;
    },
  },
  {
    kind: 'street_address',
    test(x) {
      if (x.letters < 3 || x.hasAt || x.v.length > 200) return null;
      const a = matchAddress(x.v);
      // A number among words ("10 boxes x 20 bags") is not an address without a street word.
      if (!a || !a.typed) return null;
      return { valid: true, scheme: 'street', chance: 1, spec: a.numbered ? 0.92 : 0.7 };
    },
  },
  {
    kind: 'street_address',
    needsHeader: true,
    test(x) {
      // House numbers alone ("location.street.number") and free address lines.
      if (/^\d{1,5}(?: ?(?:bis|ter|[a-d]))?$/i.test(x.v))
        return { valid: true, scheme: 'number', chance: 1, spec: 0.5 };
      if (x.letters >= 3 && x.v.length <= 120)
        return { valid: true, scheme: 'line', chance: 1, spec: 0.5 };
      return null;
    },
  },
  {
    kind: 'full_name',
    test(x) {
      if (x.words < 2 || x.digits > 0 || x.hasAt) return null;
      return isFullName(x.v) ? { valid: true, scheme: 'name', chance: 1, spec: 0.85 } : null;
    },
  },
  {
    kind: 'first_name',
    test(x) {
      if (x.digits > 0 || x.letters < 2 || x.words > 3 || x.hasAt) return null;
      return isFirstName(x.v) ? { valid: true, scheme: 'list', chance: 1, spec: 0.85 } : null;
    },
  },
  {
    kind: 'last_name',
    test(x) {
      if (x.digits > 0 || x.letters < 2 || x.words > 4 || x.hasAt) return null;
      return isLastName(x.v) ? { valid: true, scheme: 'list', chance: 1, spec: 0.85 } : null;
    },
  },
  {
    kind: 'last_name',
    needsHeader: true,
    test(x) {
      if (x.digits > 0 || x.letters < 2 || x.words > 4 || x.hasAt) return null;
      return /^[\p{L}][\p{L}' -]*$/u.test(x.v)
        ? { valid: true, scheme: 'name', chance: 1, spec: 0.55 }
        : null;
    },
  },
  {
    kind: 'first_name',
    needsHeader: true,
    test(x) {
      if (x.digits > 0 || x.letters < 2 || x.words > 3 || x.hasAt) return null;
      return /^[\p{L}][\p{L}' -]*$/u.test(x.v)
        ? { valid: true, scheme: 'name', chance: 1, spec: 0.55 }
        : null;
    },
  },
  {
    kind: 'full_name',
    needsHeader: true,
    test(x) {
      if (x.words < 2 || x.words > 5 || x.digits > 0 || x.hasAt) return null;
      return /^[\p{L}][\p{L}'., -]*$/u.test(x.v)
        ? { valid: true, scheme: 'name', chance: 1, spec: 0.55 }
        : null;
    },
  },
  {
    kind: 'password',
    test(x) {
      if (x.words > 1 || x.v.length < 3 || x.v.length > 64) return null;
      return isCommonPassword(x.v) ? { valid: true, scheme: 'common', chance: 1, spec: 0.8 } : null;
    },
  },
  {
    kind: 'password',
    needsHeader: true,
    test(x) {
      if (x.words > 1 || x.v.length < 3 || x.v.length > 64 || x.hasAt) return null;
      return { valid: true, scheme: 'plaintext', chance: 1, spec: 0.55 };
    },
  },
  {
    // Handles derived from names ("marie.durand85", "kevin_92", "jdupont7"): weak on their own.
    kind: 'username',
    test(x) {
      if (x.words > 1 || x.hasAt || x.v.length < 4 || x.v.length > 32) return null;
      if (!/^[a-z][a-z0-9._-]+$/.test(x.v) || x.letters < 3 || !/[\d._-]/.test(x.v)) return null;
      return { valid: true, scheme: 'handle', chance: 1, spec: 0.4 };
    },
  },
  {
    kind: 'username',
    needsHeader: true,
    test(x) {
      if (x.words > 1 || x.hasAt || !USERNAME.test(x.v) || x.letters === 0) return null;
      return { valid: true, scheme: 'username', chance: 1, spec: 0.55 };
    },
  },
  {
    kind: 'free_text',
    test(x) {
      if (x.words < 5 || x.v.length < 30) return null;
      return { valid: true, scheme: 'text', chance: 1, spec: 0.7 };
    },
  },
];

/** Kinds with a bit each in per-value masks (index in this list). */
export const MASK_KINDS: readonly PiiKind[] = [...new Set(DETECTORS.map((d) => d.kind))];
export const KIND_BIT: ReadonlyMap<PiiKind, number> = new Map(MASK_KINDS.map((k, i) => [k, i]));

/** Date parser re-exported for the column profiler (one parse per value, shared). */
export { parseDate };
