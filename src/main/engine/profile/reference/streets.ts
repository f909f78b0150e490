/**
 * Street-address recognition: a house number and/or a street type word in French (rue, avenue,
 * av., bd, allée, chemin, impasse, place, lieu-dit, route...), English (street, st, avenue,
 * road, drive, lane, way...) and the other languages of European files (straße, weg, calle,
 * avenida, rua, via...). The type word is the strong signal; a number with words around it is
 * only compatible with an address.
 */

// prettier-ignore
const STREET_WORDS = [
  // French, with the abbreviations of address files
  'rue', 'r', 'avenue', 'av', 'ave', 'boulevard', 'bd', 'bld', 'boul', 'allee', 'all', 'chemin',
  'ch', 'chem', 'che', 'impasse', 'imp', 'place', 'pl', 'lieu-dit', 'lieu dit', 'ld', 'route',
  'rte', 'quai', 'square', 'sq', 'cours', 'crs', 'passage', 'faubourg', 'fbg', 'residence', 'res',
  'lotissement', 'lot', 'hameau', 'ham', 'cite', 'voie', 'sentier', 'promenade', 'esplanade',
  'parvis', 'rond-point', 'villa', 'domaine', 'mail', 'montee', 'traverse', 'ruelle', 'venelle',
  'clos', 'quartier', 'zone', 'za', 'zi', 'zac', 'bp', 'cedex',
  // English
  'street', 'st', 'road', 'rd', 'drive', 'dr', 'lane', 'ln', 'way', 'court', 'ct', 'blvd',
  'parkway', 'pkwy', 'highway', 'hwy', 'terrace', 'circle', 'close', 'crescent', 'gardens',
  'trail', 'suite',
  // German, Dutch, Scandinavian
  'strasse', 'str', 'weg', 'platz', 'allee', 'gasse', 'ring', 'damm', 'ufer', 'straat', 'laan',
  'plein', 'gracht', 'gade', 'gata', 'gatan', 'vej', 'veien', 'vagen', 'tie', 'katu',
  // Spanish, Portuguese, Italian
  'calle', 'c', 'avenida', 'avda', 'paseo', 'plaza', 'carrera', 'rua', 'travessa', 'praca',
  'largo', 'via', 'viale', 'piazza', 'corso', 'vicolo', 'strada',
];

const STREET_SET = new Set(STREET_WORDS);
const HAS_SUFFIX = /(?:strasse|straße|str\.|weg|platz|gasse|veien|vej|gatan|gata|straat|laan)\b/i;

export interface AddressMatch {
  /** A street type word is present. */
  typed: boolean;
  /** A house number is present. */
  numbered: boolean;
}

export function matchAddress(value: string): AddressMatch | null {
  const v = value.trim();
  if (v.length < 5 || v.length > 200 || v.includes('@')) return null;
  const lower = v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
  if (!/[a-z]{2}/.test(lower)) return null;
  const numbered = /(?:^|[\s,])\d{1,5}(?:\s?(?:bis|ter|[a-d]))?(?=[\s,]|$)|^\d{1,5}[a-z]?\b/.test(
    lower,
  );
  let typed = HAS_SUFFIX.test(lower);
  if (!typed) {
    for (const w of lower.split(/[\s,./]+/)) {
      if (STREET_SET.has(w) && w.length > 1) {
        typed = true;
        break;
      }
    }
    if (!typed && /\blieu[- ]dit\b/.test(lower)) typed = true;
  }
  if (!typed && !numbered) return null;
  // A bare number or a date is not an address.
  if (!typed && !/[a-z]{3}/.test(lower)) return null;
  return { typed, numbered };
}
