/**
 * Recognition of password-hash formats (which scheme, how strong), never cracking.
 *
 * A leak's sensitivity depends on whether its passwords are plaintext, fast unsalted digests
 * (md5/sha1: effectively plaintext for common passwords) or slow salted KDFs (bcrypt, argon2).
 * Self-describing formats ($2y$, $argon2id$, $6$ …) are certain; bare hex digests are only
 * identified by length, so the result names the usual reading and lists the others that share
 * the format (32 hex: MD5, NTLM, MD4). Column-level decisions (shared prefix, uniqueness) belong
 * to the profiler. Formats and hashcat modes: shared/reference/identifiers.md §3.
 */

export type PasswordHashScheme =
  | 'bcrypt'
  | 'argon2i'
  | 'argon2d'
  | 'argon2id'
  | 'scrypt'
  | 'yescrypt'
  | 'pbkdf2-sha256-django'
  | 'pbkdf2-sha1-django'
  | 'pbkdf2-sha256'
  | 'pbkdf2-atlassian'
  | 'pbkdf2-werkzeug'
  | 'md5-crypt'
  | 'apr1'
  | 'sha256-crypt'
  | 'sha512-crypt'
  | 'phpass'
  | 'phpbb3'
  | 'drupal7'
  | 'django-sha1'
  | 'django-md5'
  | 'django-bcrypt'
  | 'ldap-sha'
  | 'ldap-ssha'
  | 'ldap-ssha256'
  | 'ldap-ssha512'
  | 'ldap-md5'
  | 'ldap-smd5'
  | 'mysql41'
  | 'authme-sha256'
  | 'md5'
  | 'md4'
  | 'ntlm'
  | 'lm'
  | 'mysql323'
  | 'sha1'
  | 'mysql5'
  | 'ripemd160'
  | 'sha224'
  | 'sha256'
  | 'sha384'
  | 'sha512'
  | 'sha3-256'
  | 'sha3-512'
  | 'whirlpool'
  | 'md5-salted'
  | 'sha1-salted'
  | 'sha256-salted'
  | 'sha512-salted'
  | 'md5-base64'
  | 'sha1-base64'
  | 'sha256-base64'
  | 'sha512-base64';

/** `fast`: a plain digest (GPU-crackable at billions/s); `slow`: a salted, iterated KDF. */
export type HashStrength = 'fast' | 'slow';

export interface PasswordHashMatch {
  scheme: PasswordHashScheme;
  strength: HashStrength;
  salted: boolean;
  /** hashcat mode of the scheme, null where hashcat has none. */
  hashcatMode: number | null;
  /** Other schemes with exactly the same format (empty when the format names itself). */
  alternatives: PasswordHashScheme[];
  /** Work factor when the format carries one (bcrypt cost, crypt rounds, PBKDF2 iterations). */
  cost: number | null;
}

interface Rule {
  pattern: RegExp;
  scheme: PasswordHashScheme;
  strength: HashStrength;
  salted: boolean;
  hashcatMode: number | null;
  alternatives?: PasswordHashScheme[];
  /** Index of the capture group holding the cost, if any. */
  costGroup?: number;
}

const C = '[./A-Za-z0-9]'; // crypt(3) base-64 alphabet
const B = '[A-Za-z0-9+/]'; // standard base-64 alphabet

function rule(
  pattern: string,
  scheme: PasswordHashScheme,
  strength: HashStrength,
  salted: boolean,
  hashcatMode: number | null,
  extra: { alternatives?: PasswordHashScheme[]; costGroup?: number; flags?: string } = {},
): Rule {
  return {
    pattern: new RegExp(pattern, extra.flags ?? ''),
    scheme,
    strength,
    salted,
    hashcatMode,
    alternatives: extra.alternatives,
    costGroup: extra.costGroup,
  };
}

// Self-describing formats first; bare hex / base64 by length last.
// prettier-ignore
const RULES: readonly Rule[] = [
  rule(`^\\$2[abxy]?\\$(\\d{2})\\$${C}{53}$`, 'bcrypt', 'slow', true, 3200, { costGroup: 1 }),
  rule(`^\\$argon2id\\$(?:v=\\d+\\$)?m=\\d+,t=(\\d+),p=\\d+\\$${B}+\\$${B}+$`, 'argon2id', 'slow', true, 34000, { costGroup: 1 }),
  rule(`^\\$argon2i\\$(?:v=\\d+\\$)?m=\\d+,t=(\\d+),p=\\d+\\$${B}+\\$${B}+$`, 'argon2i', 'slow', true, 34000, { costGroup: 1 }),
  rule(`^\\$argon2d\\$(?:v=\\d+\\$)?m=\\d+,t=(\\d+),p=\\d+\\$${B}+\\$${B}+$`, 'argon2d', 'slow', true, 34000, { costGroup: 1 }),
  rule(`^SCRYPT:(\\d+):\\d+:\\d+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$`, 'scrypt', 'slow', true, 8900, { costGroup: 1 }),
  rule(`^\\$scrypt\\$ln=(\\d+),r=\\d+,p=\\d+\\$[^$]+\\$[^$]+$`, 'scrypt', 'slow', true, null, { costGroup: 1 }),
  rule(`^\\$y\\$${C}+\\$${C}*\\$${C}{43}$`, 'yescrypt', 'slow', true, null),
  rule(`^pbkdf2_sha256\\$(\\d+)\\$[^$]+\\$[A-Za-z0-9+/=]{44}$`, 'pbkdf2-sha256-django', 'slow', true, 10000, { costGroup: 1 }),
  rule(`^pbkdf2_sha1\\$(\\d+)\\$[^$]+\\$[A-Za-z0-9+/=]{28}$`, 'pbkdf2-sha1-django', 'slow', true, 20000, { costGroup: 1 }),
  rule(`^sha256[:$](\\d+)[:$][A-Za-z0-9+/=]+[:$][A-Za-z0-9+/=]{32,128}$`, 'pbkdf2-sha256', 'slow', true, 10900, { costGroup: 1 }),
  rule(`^\\{PKCS5S2\\}[A-Za-z0-9+/=]{64}$`, 'pbkdf2-atlassian', 'slow', true, 12001),
  rule(`^pbkdf2:sha(?:1|256|512):(\\d+)\\$[^$]+\\$[0-9a-f]+$`, 'pbkdf2-werkzeug', 'slow', true, null, { costGroup: 1 }),
  rule(`^\\$1\\$${C}{0,8}\\$${C}{22}$`, 'md5-crypt', 'slow', true, 500),
  rule(`^\\$apr1\\$${C}{0,8}\\$${C}{22}$`, 'apr1', 'slow', true, 1600),
  rule(`^\\$5\\$(?:rounds=(\\d+)\\$)?${C}{0,16}\\$${C}{43}$`, 'sha256-crypt', 'slow', true, 7400, { costGroup: 1 }),
  rule(`^\\$6\\$(?:rounds=(\\d+)\\$)?${C}{0,16}\\$${C}{86}$`, 'sha512-crypt', 'slow', true, 1800, { costGroup: 1 }),
  rule(`^\\$P\\$${C}{31}$`, 'phpass', 'slow', true, 400),
  rule(`^\\$H\\$${C}{31}$`, 'phpbb3', 'slow', true, 400),
  rule(`^\\$S\\$${C}{52}$`, 'drupal7', 'slow', true, 7900),
  rule(`^sha1\\$[^$]*\\$[0-9a-f]{40}$`, 'django-sha1', 'fast', true, 124),
  rule(`^md5\\$[^$]*\\$[0-9a-f]{32}$`, 'django-md5', 'fast', true, null),
  rule(`^bcrypt(?:_sha256)?\\$\\$2[abxy]?\\$(\\d{2})\\$${C}{53}$`, 'django-bcrypt', 'slow', true, null, { costGroup: 1 }),
  rule(`^\\{SHA\\}${B}{27}=$`, 'ldap-sha', 'fast', false, 101),
  rule(`^\\{SSHA\\}[A-Za-z0-9+/=]{28,}$`, 'ldap-ssha', 'fast', true, 111),
  rule(`^\\{SSHA256\\}[A-Za-z0-9+/=]{44,}$`, 'ldap-ssha256', 'fast', true, 1411),
  rule(`^\\{SSHA512\\}[A-Za-z0-9+/=]{88,}$`, 'ldap-ssha512', 'fast', true, 1711),
  rule(`^\\{MD5\\}${B}{22}==$`, 'ldap-md5', 'fast', false, null),
  rule(`^\\{SMD5\\}[A-Za-z0-9+/=]{24,}$`, 'ldap-smd5', 'fast', true, null),
  rule(`^\\*[0-9A-Fa-f]{40}$`, 'mysql41', 'fast', false, 300),
  rule(`^\\$SHA\\$[0-9a-f]+\\$[0-9a-f]{64}$`, 'authme-sha256', 'fast', true, 20711),
  rule(`^\\$NT\\$[0-9a-fA-F]{32}$`, 'ntlm', 'fast', false, 1000),
  // Upper-case 32-hex is the usual rendering of Windows (NTLM) dumps; lower case of MD5.
  rule(`^(?=[0-9A-F]*[A-F])[0-9A-F]{32}$`, 'ntlm', 'fast', false, 1000, { alternatives: ['md5', 'md4'] }),
  rule(`^[0-9a-f]{32}$`, 'md5', 'fast', false, 0, { alternatives: ['ntlm', 'md4'], flags: 'i' }),
  rule(`^[0-9a-f]{16}$`, 'lm', 'fast', false, 3000, { alternatives: ['mysql323'], flags: 'i' }),
  rule(`^[0-9a-f]{40}$`, 'sha1', 'fast', false, 100, { alternatives: ['mysql5', 'ripemd160'], flags: 'i' }),
  rule(`^[0-9a-f]{56}$`, 'sha224', 'fast', false, 1300, { flags: 'i' }),
  rule(`^[0-9a-f]{64}$`, 'sha256', 'fast', false, 1400, { alternatives: ['sha3-256'], flags: 'i' }),
  rule(`^[0-9a-f]{96}$`, 'sha384', 'fast', false, 10800, { flags: 'i' }),
  rule(`^[0-9a-f]{128}$`, 'sha512', 'fast', false, 1700, { alternatives: ['sha3-512', 'whirlpool'], flags: 'i' }),
  rule(`^[0-9a-f]{32}:[^:\\s]{1,64}$`, 'md5-salted', 'fast', true, 10, { flags: 'i' }),
  rule(`^[0-9a-f]{40}:[^:\\s]{1,64}$`, 'sha1-salted', 'fast', true, 110, { flags: 'i' }),
  rule(`^[0-9a-f]{64}:[^:\\s]{1,64}$`, 'sha256-salted', 'fast', true, 1410, { flags: 'i' }),
  rule(`^[0-9a-f]{128}:[^:\\s]{1,64}$`, 'sha512-salted', 'fast', true, 1710, { flags: 'i' }),
  rule(`^${B}{22}==$`, 'md5-base64', 'fast', false, null),
  rule(`^${B}{27}=$`, 'sha1-base64', 'fast', false, null),
  rule(`^${B}{43}=$`, 'sha256-base64', 'fast', false, null),
  rule(`^${B}{86}==$`, 'sha512-base64', 'fast', false, null),
];

/** Identifies the hash scheme of one value (surrounding whitespace ignored), or null. */
export function identifyPasswordHash(value: string): PasswordHashMatch | null {
  let v = value.trim();
  // `{CRYPT}` is an LDAP wrapper around a crypt(3) string.
  if (v.startsWith('{CRYPT}')) v = v.slice(7);
  if (v.length < 16 || v.length > 512) return null;
  for (const r of RULES) {
    const m = r.pattern.exec(v);
    if (!m) continue;
    const costText = r.costGroup !== undefined ? m[r.costGroup] : undefined;
    return {
      scheme: r.scheme,
      strength: r.strength,
      salted: r.salted,
      hashcatMode: r.hashcatMode,
      alternatives: r.alternatives ? [...r.alternatives] : [],
      cost: costText !== undefined ? Number(costText) : null,
    };
  }
  return null;
}

/** True when the value has a recognised password-hash format. */
export function isPasswordHash(value: string): boolean {
  return identifyPasswordHash(value) !== null;
}
