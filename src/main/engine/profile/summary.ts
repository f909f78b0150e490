/**
 * The dataset-level answer to "what is in here, and how sensitive": the data-class inventory
 * (which kinds, in which columns, in how many records) and the sensitivity summary (special
 * categories of data — health, social-security numbers, credentials, financial data — and an
 * overall level an investigator can triage by).
 *
 * Record counts come from the presence patterns counted on every row (which columns are filled
 * together), so "records holding a NIR" is exact even when two columns hold NIRs.
 */
import type {
  ColumnProfile,
  InventoryEntry,
  ProfileSummary,
  SpecialCategory,
} from '../../../shared/api';
import { HIGH_RISK_KINDS, type PiiKind } from '../../../shared/pii';

/** Column names that point at health data (GDPR art. 9) whatever their values look like. */
const HEALTH_WORDS =
  /\b(?:mutuelle|medecin|médecin|medical|médical|sante|santé|health|pathologie|maladie|diagnostic|diagnosis|traitement|treatment|handicap|invalidite|invalidité|ald|allergie|allergy|grossesse|pregnancy|patient|hopital|hôpital|hospital|ordonnance|prescription|vaccin|vaccination|soins|care|cpam|ameli|rqth|mdph)\b/i;
const IDENTITY_WORDS =
  /\b(?:passeport|passport|cni|carte d.identite|identity card|id card|titre de sejour)\b/i;

const DIRECT_IDENTIFIERS: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'email',
  'phone',
  'first_name',
  'last_name',
  'full_name',
  'street_address',
  'date_of_birth',
  'username',
]);

export interface PresencePatterns {
  /** Count of rows per set of non-empty columns (bit i = column index i + 1). */
  counts: ReadonlyMap<string, number>;
  /** More distinct patterns than the bound: record counts are estimates. */
  overflow: boolean;
}

function maskKey(indexes: readonly number[], width: number): bigint[] {
  const words = new Array<bigint>(Math.ceil(width / 31)).fill(0n);
  for (const i of indexes) words[Math.floor((i - 1) / 31)]! |= 1n << BigInt((i - 1) % 31);
  return words;
}

function recordsWithAny(p: PresencePatterns, indexes: readonly number[], width: number): number {
  const want = maskKey(indexes, width);
  let total = 0;
  for (const [key, count] of p.counts) {
    const parts = key.split(',');
    for (let w = 0; w < want.length; w++) {
      if ((BigInt(Number(parts[w] ?? 0)) & want[w]!) !== 0n) {
        total += count;
        break;
      }
    }
  }
  return total;
}

export function summarize(
  columns: readonly ColumnProfile[],
  rows: number,
  presence: PresencePatterns,
): Omit<ProfileSummary, 'consistency'> {
  const byKind = new Map<PiiKind, { major: ColumnProfile[]; minor: ColumnProfile[] }>();
  for (const c of columns) {
    for (const f of c.pii) {
      let e = byKind.get(f.kind);
      if (!e) {
        e = { major: [], minor: [] };
        byKind.set(f.kind, e);
      }
      (f.share >= 0.5 || c.kind === f.kind ? e.major : e.minor).push(c);
    }
  }
  const inventory: InventoryEntry[] = [];
  for (const [kind, { major, minor }] of byKind) {
    let records = 0;
    if (major.length && !presence.overflow) {
      records = recordsWithAny(
        presence,
        major.map((c) => c.index),
        columns.length,
      );
    } else if (major.length) {
      records = Math.max(...major.map((c) => c.nonEmpty));
    }
    for (const c of minor) {
      const f = c.pii.find((x) => x.kind === kind)!;
      records = Math.max(records, Math.round(c.nonEmpty * f.share));
    }
    inventory.push({
      kind,
      columns: [...major, ...minor].map((c) => c.name),
      records,
      share: rows ? Math.round((records / rows) * 1000) / 1000 : 0,
    });
  }
  inventory.sort((a, b) => b.records - a.records || (a.kind < b.kind ? -1 : 1));

  const present = new Set(inventory.map((i) => i.kind));
  const cols = (kinds: readonly PiiKind[]) =>
    columns.filter((c) => c.pii.some((f) => kinds.includes(f.kind))).map((c) => c.name);
  const recordsOf = (kind: PiiKind) => inventory.find((i) => i.kind === kind)?.records ?? 0;
  const special: SpecialCategory[] = [];
  const reasons: string[] = [];

  if (present.has('nir')) {
    special.push({
      category: 'social_security',
      columns: cols(['nir']),
      evidence: `${recordsOf('nir')} records carry a French social-security number (NIR)`,
    });
  }
  const ssn = columns.filter((c) => c.pii.some((f) => f.kind === 'national_id'));
  if (ssn.length) {
    const us = ssn.some((c) =>
      c.pii.some((f) => f.kind === 'national_id' && f.scheme === 'us-ssn'),
    );
    special.push({
      category: us ? 'social_security' : 'identity_document',
      columns: ssn.map((c) => c.name),
      evidence: `${recordsOf('national_id')} records carry a national identity number of another country`,
    });
  }
  const healthCols = columns.filter(
    (c) => c.pii.some((f) => f.kind === 'rpps' || f.kind === 'finess') || HEALTH_WORDS.test(c.name),
  );
  if (healthCols.length) {
    const ids = present.has('rpps') || present.has('finess');
    special.push({
      category: 'health',
      columns: healthCols.map((c) => c.name),
      evidence: ids
        ? 'health-professional (RPPS/ADELI) or health-establishment (FINESS) numbers: records tie people to their care'
        : 'column names point at health data (mutuelle, medical, handicap...)',
    });
  }
  const idDocs = columns.filter((c) => IDENTITY_WORDS.test(c.name));
  if (idDocs.length) {
    special.push({
      category: 'identity_document',
      columns: idDocs.map((c) => c.name),
      evidence: 'column names point at identity documents (passport, identity card)',
    });
  }
  if (present.has('password') || present.has('password_hash')) {
    const hashes = columns.flatMap((c) => c.pii.filter((f) => f.kind === 'password_hash'));
    const fast = hashes.some((f) =>
      /(?:^|[:,])(?:md5|sha1|sha256|sha512|ntlm|lm|md4|mysql41|sha1-salted|md5-salted)(?:$|,)/.test(
        f.scheme ?? '',
      ),
    );
    const parts: string[] = [];
    if (present.has('password')) parts.push(`${recordsOf('password')} plaintext passwords`);
    if (hashes.length) {
      parts.push(
        `${recordsOf('password_hash')} password hashes (${hashes.map((f) => f.scheme).join('; ')})${fast ? ', some of them fast unsalted digests that common passwords fall to at once' : ''}`,
      );
    }
    special.push({
      category: 'credentials',
      columns: cols(['password', 'password_hash']),
      evidence: parts.join(', '),
    });
  }
  if (present.has('iban') || present.has('credit_card')) {
    special.push({
      category: 'financial',
      columns: cols(['iban', 'credit_card', 'bic']),
      evidence: `${recordsOf('iban')} bank account numbers, ${recordsOf('credit_card')} payment card numbers`,
    });
  }

  const direct = [...present].filter((k) => DIRECT_IDENTIFIERS.has(k));
  const grave = special.some(
    (s) => s.category !== 'financial' && s.category !== 'identity_document',
  );
  let level: ProfileSummary['sensitivity']['level'] = 'low';
  if (direct.length) {
    level = 'moderate';
    reasons.push(`direct identifiers: ${direct.join(', ')}`);
  }
  if (special.length) {
    level = 'high';
    reasons.push(`special categories: ${special.map((s) => s.category).join(', ')}`);
  }
  if (grave && direct.length) {
    level = 'critical';
    reasons.push('special-category data tied to directly identified people');
  }
  const highRiskKinds = [...present].filter((k) => HIGH_RISK_KINDS.has(k));
  return {
    inventory,
    sensitivity: { level, specialCategories: special, highRiskKinds, reasons },
    ambiguousColumns: columns.filter((c) => c.ambiguous).map((c) => c.name),
    mixedColumns: columns.filter((c) => c.mixed).map((c) => c.name),
  };
}
