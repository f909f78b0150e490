/**
 * SQL functions the compiled filters call, registered on each connection that runs queries
 * (`registerQueryFunctions`): text folding, regex matching, number and date parsing, and the
 * search re-check. They are deterministic, so SQLite may evaluate them once per value.
 *
 * Regex safety (decided here, documented in the README of the query layer): JavaScript regexes
 * backtrack, and a pattern such as `(a+)+$` can take exponential time on one value, which would
 * hang the thread that runs the query. We do not guess by looking at the pattern; we use V8's
 * own guarantee:
 * - a pattern must compile under V8's linear-time engine (`new RegExp(p, 'l')`), which accepts
 *   exactly the constructs that can run in linear time (no backreferences, no lookaround): the
 *   RE2 subset. Anything else is refused with a plain message;
 * - it then runs on the ordinary (fast) engine with V8's
 *   `--enable-experimental-regexp-engine-on-excessive-backtracks`: a match that starts to
 *   backtrack excessively is re-run by the linear engine. Worst case: linear in the value;
 * - patterns are at most 500 characters, and the linear engine has no `i` or `u` flag, so
 *   "ignore case" matches the pattern against the folded value (lower case, no accents): write
 *   such patterns in lower case without accents;
 * - the query still runs in a worker thread that the engine terminates on cancel: the backstop.
 */
import v8 from 'node:v8';
import { LeakscopeError } from '../../../shared/errors';
import { FILTER_LIMITS } from '../../../shared/filter';
import { isoDate, parseDate } from '../profile/stats/dates';
import type { ReadableDB } from '../store/types';

// V8 reads these when a RegExp is compiled; they only add an engine, so setting them for the
// whole process (main or worker thread) changes nothing else.
v8.setFlagsFromString('--enable-experimental-regexp-engine');
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
v8.setFlagsFromString('--regexp-backtracks-before-fallback=20000');

const NON_ASCII = /[^\p{ASCII}]/u;
/** V8's linear-time engine flag (a variable: linters do not know it). */
const LINEAR = 'l';
const MARKS = /\p{M}+/gu;

/**
 * Case- and accent-insensitive form of a text: NFD, combining marks removed, lower case
 * ('Hélène' → 'helene'). Ligatures and letters without a decomposition (œ, ø, ß) stay as they are.
 */
export function fold(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  // No NFC afterwards: both sides of every comparison go through fold(), so they agree.
  return s.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/** Validates a user regex (see the module comment); returns the compiled fast form. */
export function compileRegex(pattern: string): RegExp {
  if (pattern.length > FILTER_LIMITS.regexChars) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `a regex pattern has at most ${FILTER_LIMITS.regexChars} characters`,
    );
  }
  let fast: RegExp;
  try {
    fast = new RegExp(pattern);
  } catch (e) {
    throw new LeakscopeError('E_BAD_INPUT', `invalid regex /${pattern}/: ${(e as Error).message}`);
  }
  try {
    new RegExp(pattern, LINEAR);
  } catch {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `the regex /${pattern}/ cannot be guaranteed to run in linear time: backreferences (\\1) and lookarounds ((?=…), (?<=…)) are not supported`,
    );
  }
  return fast;
}

const regexCache = new Map<string, RegExp>();
function cachedRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = compileRegex(pattern);
    if (regexCache.size > 64) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * Numbers as found in leaks: '1234', '-12.5', '1 234,50' (French), '1,234.50'. The last of ',' or
 * '.' is the decimal separator when both appear. null when the text is not a number.
 */
export function parseNumber(s: string): number | null {
  let t = s.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return null;
  const comma = t.lastIndexOf(',');
  const dot = t.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    t = comma > dot ? t.replaceAll('.', '').replace(',', '.') : t.replaceAll(',', '');
  } else if (comma >= 0) {
    if (t.indexOf(',') !== comma) return null;
    t = t.replace(',', '.');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A date value as ISO 'YYYY-MM-DD' (day-first for ambiguous slash dates, as French files are). */
export function parseIsoDate(s: string): string | null {
  const p = parseDate(s);
  return p ? isoDate(p) : null;
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

/** Whether any of `values` contains the (already folded) term, ignoring case and accents. */
export function hasTerm(foldedTerm: string, values: readonly unknown[]): boolean {
  for (const v of values) {
    const s = text(v);
    if (s !== null && s.length >= foldedTerm.length && fold(s).includes(foldedTerm)) return true;
  }
  return false;
}

const registered = new WeakSet<object>();

/** Registers the ls_* functions on a connection (idempotent). */
export function registerQueryFunctions(db: ReadableDB): void {
  if (registered.has(db)) return;
  registered.add(db);
  const det = { deterministic: true } as const;
  db.function('ls_fold', det, (v: unknown) => {
    const s = text(v);
    return s === null ? null : fold(s);
  });
  // ls_regex(value, pattern, folded): 1/0, NULL for a missing value.
  db.function('ls_regex', det, (v: unknown, pattern: unknown, folded: unknown) => {
    const s = text(v);
    if (s === null) return null;
    const re = cachedRegex(String(pattern));
    return re.test(folded ? fold(s) : s) ? 1 : 0;
  });
  db.function('ls_num', det, (v: unknown) => {
    const s = text(v);
    return s === null ? null : parseNumber(s);
  });
  db.function('ls_date', det, (v: unknown) => {
    const s = text(v);
    return s === null ? null : parseIsoDate(s);
  });
  // ls_has(foldedTerm, v1, v2, ...): the search re-check: some column contains the term.
  db.function('ls_has', { deterministic: true, varargs: true }, (term: unknown, ...values) =>
    hasTerm(String(term), values) ? 1 : 0,
  );
}
