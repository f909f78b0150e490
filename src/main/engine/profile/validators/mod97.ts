/**
 * Remainder modulo 97 of arbitrarily long digit strings (IBAN, RIB, NIR).
 *
 * An IBAN rearranged into digits reaches ~60 digits, far beyond 2^53, so the remainder is
 * reduced chunk by chunk instead of parsing a BigInt for every value the profiler samples.
 */

/** Remainder modulo 97 of a non-negative integer written in decimal digits. */
export function mod97(digits: string): number {
  let remainder = 0;
  // 7 digits at a time: remainder (< 97, 2 digits) followed by 7 digits stays under 2^53.
  for (let i = 0; i < digits.length; i += 7) {
    remainder = Number(String(remainder) + digits.slice(i, i + 7)) % 97;
  }
  return remainder;
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
