/**
 * First-name and surname look-ups over the bundled lists (reference/data/names.ts).
 *
 * Real values are messier than list entries: compound first names ("Jean-Pierre", "Marie
 * Claire"), double-barrelled surnames ("Dupont-Martin"), particles ("de La Fontaine", "d'Arc"),
 * upper-case administrative spellings. A value counts when it is an entry, or when every part of
 * a compound is one. Sets are built on first use (≈ 16 k entries, a few milliseconds).
 */
import { FIRST_NAMES, LAST_NAMES } from './data/names';
import { keySet, normKey } from './normalize';

let first: Set<string> | null = null;
let last: Set<string> | null = null;

function firstSet(): Set<string> {
  first ??= keySet(FIRST_NAMES);
  return first;
}
function lastSet(): Set<string> {
  last ??= keySet(LAST_NAMES);
  return last;
}

const PARTICLE =
  /^(?:de la |de l'|de |du |des |d'|le |la |les |van der |van den |van |von |del |della |di |da |dos |das |mac |mc |o')/;

/** An entry, or a hyphenated compound of entries ("jean-pierre", "dupont-martin"). */
function compoundIn(set: Set<string>, key: string): boolean {
  if (set.has(key)) return true;
  if (!key.includes('-')) return false;
  const parts = key.split('-').filter(Boolean);
  if (parts.length < 2 || parts.length > 4) return false;
  return parts.every((p) => set.has(p));
}

export function isFirstName(value: string): boolean {
  const key = normKey(value);
  if (key.length < 2 || key.length > 40) return false;
  return compoundIn(firstSet(), key);
}

export function isLastName(value: string): boolean {
  let key = normKey(value);
  if (key.length < 2 || key.length > 50) return false;
  if (lastSet().has(key)) return true;
  const stripped = key.replace(PARTICLE, '');
  if (stripped !== key) {
    key = stripped;
    if (key.length >= 2 && (lastSet().has(key) || firstSet().has(key))) return true;
  }
  return compoundIn(lastSet(), key);
}

/**
 * "Jean Dupont", "DUPONT Jean", "Dupont, Jean", "M. Jean Dupont": two to four words, one of
 * which is a first name and another a surname (or a name-like word next to a first name).
 */
export function isFullName(value: string): boolean {
  const v = value.trim();
  if (v.length < 4 || v.length > 60 || /\d|@/.test(v)) return false;
  const words = normKey(v)
    .replace(/^(?:m\.|mr\.?|mme|mrs\.?|ms\.?|mlle|dr\.?|monsieur|madame|mademoiselle) /, '')
    .split(/[\s,]+/)
    .filter(Boolean);
  if (words.length < 2 || words.length > 4) return false;
  const f = firstSet();
  const l = lastSet();
  let firstAt = -1;
  for (let i = 0; i < words.length; i++) {
    if (compoundIn(f, words[i]!)) {
      firstAt = i;
      break;
    }
  }
  if (firstAt < 0) return false;
  for (let i = 0; i < words.length; i++) {
    if (i === firstAt) continue;
    const w = words[i]!;
    if (compoundIn(l, w) || compoundIn(f, w)) return true;
  }
  // An unknown surname next to a known first name still reads as a full name when it is a
  // capitalised word (most surnames are rare: no list has them all).
  return words.length === 2 && /^[\p{Lu}][\p{L}'-]+[,\s]+[\p{Lu}][\p{L}'-]+$/u.test(v);
}
