/**
 * Place look-ups: INSEE commune codes, French postal codes and commune names from the official
 * list bundled in reference/data/communes.ts, plus a short list of large foreign cities and
 * country names (French and English) for international files. Built on first use (≈ 38 k
 * communes, ~30 ms).
 */
import { COMMUNES_TSV } from './data/communes';
import { keySet, normKey, normKeyText } from './normalize';

interface PlaceSets {
  insee: Set<string>;
  postal: Set<string>;
  cities: Set<string>;
}

let sets: PlaceSets | null = null;

function places(): PlaceSets {
  if (sets) return sets;
  const insee = new Set<string>();
  const postal = new Set<string>();
  const cities = new Set<string>();
  // The list is normalised once as a whole (normKeyText), not name by name: one Unicode
  // normalisation of the text instead of 38 k (the first look-up pays for this build).
  const text = COMMUNES_TSV;
  const keys = normKeyText(text);
  let p = 0;
  let q = 0;
  while (p < text.length) {
    let end = text.indexOf('\n', p);
    if (end < 0) end = text.length;
    let kend = keys.indexOf('\n', q);
    if (kend < 0) kend = keys.length;
    if (end > p) {
      const bar1 = text.indexOf('|', p);
      const bar2 = text.indexOf('|', bar1 + 1);
      insee.add(text.slice(p, bar1));
      const kbar1 = keys.indexOf('|', q);
      const key = keys.slice(kbar1 + 1, keys.indexOf('|', kbar1 + 1)).trim();
      cities.add(key);
      // "Saint-Étienne" is also written "St Etienne", "Saint Etienne".
      if (key.includes('-')) cities.add(key.replace(/-/g, ' '));
      if (key.startsWith('saint')) cities.add(key.replace(/^saint/, 'st'));
      if (bar2 > 0 && bar2 < end) {
        for (const c of text.slice(bar2 + 1, end).split(' ')) if (c) postal.add(c);
      }
    }
    p = end + 1;
    q = kend + 1;
  }
  for (const c of WORLD_CITIES) cities.add(c);
  sets = { insee, postal, cities };
  return sets;
}

export function isFrenchPostalCode(code: string): boolean {
  return places().postal.has(code);
}

export function isInseeCommuneCode(code: string): boolean {
  return places().insee.has(code.toUpperCase());
}

/** "Paris", "PARIS 15", "Lyon 3e", "Saint-Denis", "Marseille Cedex 08" and large foreign cities. */
export function isCityName(value: string): boolean {
  let key = normKey(value);
  if (key.length < 2 || key.length > 60) return false;
  const s = places().cities;
  if (s.has(key)) return true;
  key = key
    .replace(/\s+cedex(?:\s+\d{1,2})?$/, '')
    .replace(/\s+\d{1,2}(?:e|er|eme)?(?: arrondissement)?$/, '')
    .replace(/\s*\(.*\)$/, '');
  return s.has(key) || s.has(key.replace(/-/g, ' '));
}

let countries: Set<string> | null = null;

export function isCountryName(value: string): boolean {
  countries ??= keySet(COUNTRY_NAMES);
  return countries.has(normKey(value));
}

/** Département of a French postal code: 2 digits, 3 for the overseas 97x/98x, 20 for Corsica. */
export function postalDepartment(code: string): string | null {
  if (!/^\d{5}$/.test(code)) return null;
  if (code.startsWith('97') || code.startsWith('98')) return code.slice(0, 3);
  return code.slice(0, 2);
}

// prettier-ignore
const WORLD_CITIES = new Set([
  'london', 'new york', 'los angeles', 'chicago', 'houston', 'phoenix', 'philadelphia',
  'san antonio', 'san diego', 'dallas', 'san jose', 'austin', 'boston', 'seattle', 'denver',
  'washington', 'miami', 'atlanta', 'detroit', 'portland', 'las vegas', 'orlando', 'tucson',
  'reno', 'salt lake city', 'fort worth', 'redmond', 'mountain view', 'cupertino', 'kirkland',
  'toronto', 'montreal', 'vancouver', 'ottawa', 'calgary', 'edmonton', 'winnipeg', 'halifax',
  'quebec', 'yellowknife', 'lethbridge', 'mexico', 'mexico city', 'sao paulo', 'rio de janeiro',
  'brasilia', 'sao jose dos campos', 'buenos aires', 'santiago', 'lima', 'bogota', 'caracas',
  'berlin', 'hamburg', 'munich', 'munchen', 'frankfurt', 'stuttgart', 'cologne', 'koln',
  'dusseldorf', 'leipzig', 'dresden', 'vienna', 'wien', 'salzburg', 'graz', 'zurich', 'geneva',
  'geneve', 'bern', 'basel', 'lausanne', 'brussels', 'bruxelles', 'antwerp', 'anvers', 'liege',
  'amsterdam', 'rotterdam', 'the hague', 'utrecht', 'luxembourg', 'madrid', 'barcelona',
  'valencia', 'seville', 'sevilla', 'bilbao', 'lisbon', 'lisboa', 'porto', 'rome', 'roma',
  'milan', 'milano', 'naples', 'napoli', 'turin', 'torino', 'florence', 'firenze', 'venice',
  'bergamo', 'dublin', 'cork', 'edinburgh', 'glasgow', 'manchester', 'birmingham', 'liverpool',
  'leeds', 'bristol', 'oslo', 'bergen', 'stockholm', 'gothenburg', 'copenhagen', 'kobenhavn',
  'helsinki', 'reykjavik', 'warsaw', 'warszawa', 'krakow', 'prague', 'praha', 'budapest',
  'bucharest', 'sofia', 'athens', 'istanbul', 'ankara', 'moscow', 'saint petersburg', 'kyiv',
  'kiev', 'algiers', 'alger', 'oran', 'constantine', 'tunis', 'sfax', 'casablanca', 'rabat',
  'marrakech', 'fes', 'tanger', 'dakar', 'abidjan', 'bamako', 'cairo', 'le caire', 'lagos',
  'nairobi', 'johannesburg', 'cape town', 'tokyo', 'osaka', 'kyoto', 'beijing', 'pekin',
  'shanghai', 'hong kong', 'singapore', 'singapour', 'seoul', 'bangkok', 'hanoi',
  'ho chi minh city', 'manila', 'jakarta', 'delhi', 'new delhi', 'mumbai', 'bangalore',
  'chennai', 'kolkata', 'dubai', 'abu dhabi', 'doha', 'riyadh', 'tel aviv', 'jerusalem',
  'beirut', 'tehran', 'sydney', 'sidney', 'melbourne', 'brisbane', 'perth', 'adelaide',
  'auckland', 'wellington',
]);

const COUNTRY_NAMES = `
France Allemagne Germany Belgique Belgium Suisse Switzerland Espagne Spain Italie Italy Portugal
Royaume-Uni United_Kingdom UK Irlande Ireland Pays-Bas Netherlands Luxembourg Autriche Austria
Pologne Poland Roumanie Romania Grèce Greece Suède Sweden Norvège Norway Danemark Denmark
Finlande Finland Islande Iceland Tchéquie Czechia Czech_Republic Hongrie Hungary Bulgarie Bulgaria
Croatie Croatia Serbie Serbia Slovaquie Slovakia Slovénie Slovenia Russie Russia Ukraine Turquie
Turkey Algérie Algeria Maroc Morocco Tunisie Tunisia Sénégal Senegal Mali Côte_d'Ivoire
Ivory_Coast Cameroun Cameroon Égypte Egypt Nigeria Afrique_du_Sud South_Africa Madagascar
États-Unis Etats-Unis USA United_States Canada Mexique Mexico Brésil Brazil Argentine Argentina
Chili Chile Colombie Colombia Pérou Peru Venezuela Chine China Japon Japan Inde India Corée
Korea South_Korea Vietnam Viêt_Nam Thaïlande Thailand Indonésie Indonesia Philippines Australie
Australia Nouvelle-Zélande New_Zealand Israël Israel Liban Lebanon Iran Irak Iraq Arabie_Saoudite
Saudi_Arabia Émirats_arabes_unis United_Arab_Emirates Haïti Haiti Comores Comoros Monaco Andorre
Andorra
`;
