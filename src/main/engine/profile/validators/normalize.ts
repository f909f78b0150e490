/**
 * Input clean-up shared by the identifier validators.
 *
 * Leaked files write identifiers the way people type them (spaces, dots, dashes, lower case);
 * every validator strips the same separators so that "2 95 10 99 126 111 93" and
 * "295109912611193" get the same verdict, and reports the compact form it actually checked.
 */

const SEPARATORS = /[\s.-]+/g;

/** Removes spaces, dots and dashes and upper-cases what is left. */
export function compactIdentifier(input: string): string {
  return input.replace(SEPARATORS, '').toUpperCase();
}

export function isAllDigits(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Left-pads a non-negative integer with zeros (check digits are fixed-width). */
export function padNumber(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
