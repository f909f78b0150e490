/**
 * What every detector looks at, computed once per sampled value: the trimmed text, the compact
 * form validators check (separators removed, upper case) and a few cheap character counts that
 * let most detectors reject a value without running a regular expression.
 */
import { compactIdentifier } from '../validators';

export interface ValueView {
  /** Trimmed value. */
  v: string;
  /** Spaces, dots and dashes removed, upper case (what identifier validators check). */
  compact: string;
  digits: number;
  letters: number;
  /** Characters other than digits, letters and the separators space . - */
  others: number;
  /** The compact form is all digits. */
  allDigits: boolean;
  hasAt: boolean;
  /** Number of whitespace-separated words. */
  words: number;
}

export function viewOf(value: string): ValueView {
  const v = value.trim();
  let digits = 0;
  let letters = 0;
  let others = 0;
  let words = v.length ? 1 : 0;
  let prevSpace = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 192) letters++;
    else if (c === 32 || c === 9) {
      if (!prevSpace) words++;
      prevSpace = true;
      continue;
    } else if (c !== 46 && c !== 45) others++;
    prevSpace = false;
  }
  const compact = digits + letters > 0 && v.length <= 64 ? compactIdentifier(v) : '';
  return {
    v,
    compact,
    digits,
    letters,
    others,
    allDigits: compact.length > 0 && digits === compact.length,
    hasAt: v.includes('@'),
    words,
  };
}
