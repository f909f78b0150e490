/**
 * A rough passphrase strength estimate for the create/rekey forms: bits from length and character
 * classes, discounted for repeats, keyboard/alphabet runs and well-known passwords. It guides the
 * investigator; it is not a cracking-cost model (the KDF is PBKDF2-SHA512, 256,000 rounds).
 *
 * Pure: no DOM, no imports.
 */

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  score: StrengthScore;
  label: 'too weak' | 'weak' | 'fair' | 'strong' | 'very strong';
  /** Estimated entropy in bits, after penalties. */
  bits: number;
  /** What would help most, or null when strong enough. */
  hint: string | null;
}

/** The minimum score the forms accept. */
export const MIN_ACCEPTED_SCORE: StrengthScore = 2;

const LABELS: Strength['label'][] = ['too weak', 'weak', 'fair', 'strong', 'very strong'];

/** Passwords and words attackers try first (French and English). */
const COMMON = [
  'password',
  'motdepasse',
  'azerty',
  'qwerty',
  'letmein',
  'welcome',
  'bonjour',
  'soleil',
  'admin',
  'leakscope',
  'secret',
  'iloveyou',
  'doudou',
  'chouchou',
  'marseille',
  'football',
];

const RUNS = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'azertyuiop', 'qwertyuiop', 'asdfghjkl'];

function poolSize(p: string): number {
  let pool = 0;
  if (/[a-z]/.test(p)) pool += 26;
  if (/[A-Z]/.test(p)) pool += 26;
  if (/[0-9]/.test(p)) pool += 10;
  if (/[ !-/:-@[-`{-~]/.test(p)) pool += 33;
  if (/[^\x20-\x7e]/.test(p)) pool += 64;
  return Math.max(pool, 1);
}

/** Characters that continue an ascending or descending run (abc, 321, azer). */
function runLength(p: string): number {
  const lower = p.toLowerCase();
  let inRuns = 0;
  for (let i = 2; i < lower.length; i++) {
    const tri = lower.slice(i - 2, i + 1);
    const reversed = [...tri].reverse().join('');
    if (RUNS.some((r) => r.includes(tri) || r.includes(reversed))) inRuns++;
  }
  return inRuns;
}

export function passphraseStrength(passphrase: string): Strength {
  if (passphrase.length === 0)
    return { score: 0, label: 'too weak', bits: 0, hint: 'type a passphrase' };
  const chars = [...passphrase];
  const perChar = Math.log2(poolSize(passphrase));
  // Repeated characters add little: count distinct characters more than repeats.
  const distinct = new Set(chars).size;
  const effectiveLength =
    distinct + (chars.length - distinct) * 0.25 - runLength(passphrase) * 0.75;
  let bits = Math.max(0, effectiveLength) * perChar;
  const lower = passphrase.toLowerCase();
  const common = COMMON.find((w) => lower.includes(w));
  if (common) bits = Math.max(0, bits - common.length * perChar * 0.9);
  bits = Math.round(bits);

  const score: StrengthScore = bits < 28 ? 0 : bits < 45 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  let hint: string | null = null;
  if (common) hint = `avoid well-known words such as “${common}”`;
  else if (score < 3 && chars.length < 16)
    hint = 'make it longer: several unrelated words work well';
  else if (score < 3) hint = 'mix in words, digits or symbols that do not follow each other';
  return { score, label: LABELS[score]!, bits, hint };
}
