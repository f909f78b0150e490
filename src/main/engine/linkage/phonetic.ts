/**
 * French phonetic code: Soundex2 (F. Brouard's French adaptation of Soundex, as described by
 * F. Carlier), written here from the published rule list because packages cannot be installed on
 * the build machines. The maintained reference implementation is `talisman`'s
 * `phonetics/french/soundex2` (MIT); its test vectors are reused in test/unit/linkage.
 *
 * Why Soundex2 and not an English Soundex: French spellings of one sound differ in ways English
 * codes split (GA/KA, PH/F, silent final D/T/S, H after consonants), and leaks are full of
 * "Gauthier / Gautier / Gottier". The code is short (≤ 4 letters), so it is a blocking key and an
 * extra agreement level beside Jaro-Winkler, never a match by itself.
 *
 * Input is expected folded (lower-case ASCII letters, see normalize.foldName); anything else is
 * dropped first. Pure.
 */

const GROUPS: ReadonlyArray<readonly [RegExp, string]> = [
  [/GU([IE])/g, 'K$1'],
  [/G([AO])/g, 'K$1'],
  [/GU/g, 'K'],
  [/C([AOU])/g, 'K$1'],
  [/Q|CC|CK/g, 'K'],
];

const PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['MAC', 'MCC'],
  ['SCH', 'SSS'],
  ['ASA', 'AZA'],
  ['KN', 'NN'],
  ['PH', 'FF'],
  ['PF', 'FF'],
];

const cache = new Map<string, string>();

/** Soundex2 of one word (letters only; accents must already be folded). '' for no letters. */
export function soundex2(word: string): string {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  let code = word.toUpperCase().replace(/[^A-Z]/g, '');
  if (code.length > 0) {
    for (const [re, to] of GROUPS) code = code.replace(re, to);
    // Every vowel but the first letter sounds alike for identification purposes.
    code = code[0] + code.slice(1).replace(/[EIOU]/g, 'A');
    for (const [prefix, to] of PREFIXES) {
      if (code.startsWith(prefix)) {
        code = to + code.slice(prefix.length);
        break;
      }
    }
    code = code.replace(/([^CS])H/g, '$1');
    code = code.replace(/([^A])Y/g, '$1');
    // Final A, D, T and S are silent in French.
    code = code.replace(/[ADTS]$/, '');
    code = code[0] + code.slice(1).replace(/A/g, '');
    code = code.replace(/(.)\1+/g, '$1').slice(0, 4);
  }
  // Names come from a few thousand values: memoise, bounded.
  if (cache.size > 200_000) cache.clear();
  cache.set(word, code);
  return code;
}
