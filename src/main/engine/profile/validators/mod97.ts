/**
 * Remainder modulo 97 of arbitrarily long digit strings (IBAN, RIB, NIR).
 *
 * An IBAN rearranged into digits reaches ~60 digits, far beyond 2^53; the remainder is reduced
 * character by character (Horner's rule), which needs neither BigInt nor an intermediate string:
 * the profiler runs it on every sampled value and the generator on every row.
 */

/** Remainder modulo 97 of a non-negative integer written in decimal digits. */
export function mod97(digits: string): number {
  let r = 0;
  for (let i = 0; i < digits.length; i++) r = (r * 10 + (digits.charCodeAt(i) - 48)) % 97;
  return r;
}

/**
 * Remainder modulo 97 of an alphanumeric string read the ISO 7064 / IBAN way: letters count as
 * two digits 10..35 (A=10 … Z=35), digits as themselves. Upper-case letters only.
 */
export function mod97Alphanumeric(value: string): number {
  let r = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) r = (r * 100 + (c - 55)) % 97;
    else r = (r * 10 + (c - 48)) % 97;
  }
  return r;
}

/** Letters become 10..35 (A=10 ... Z=35), digits stay; the ISO 7064 / IBAN convention. */
export function lettersToDigits(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) out += String(c - 55);
    else out += value[i];
  }
  return out;
}
