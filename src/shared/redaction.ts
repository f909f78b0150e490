/**
 * Redaction policies (issue 7): what an export, a preview or a redacted read does to each value,
 * decided per kind of personal data (the profile's kind of the column) with per-column overrides.
 *
 * A policy is a versioned JSON document (`format` + `version`), saved in the case and importable /
 * exportable as a file, so it can be reviewed and reused across cases. It never holds record
 * values or keys: the pseudonym secret lives only inside each encrypted case (migration 0070), so
 * the same policy gives different pseudonyms in two cases and the same pseudonyms within one.
 *
 * Operators (implemented in src/main/engine/redact/rules.ts):
 * - keep; drop (the column is left out);
 * - mask: every character replaced by •, optionally keeping the first / last N characters;
 * - partial: a per-kind partial form (email j•••@example.fr, phone •• •• •• •• 78, NIR keeps
 *   sex and birth year, address keeps postal code and city, date of birth keeps the year or a
 *   10-year age band...);
 * - generalise: postal code → département, date → decade (kinds listed in GENERALISE_KINDS);
 * - pseudonym: keyed HMAC-SHA256 of the normalised value, prefixed by kind (EMAIL-7f3a9c21…);
 * - fpe: format-preserving keyed pseudonym (a NIR stays a valid NIR with a valid key, a French
 *   phone a valid French phone of the same type; numeric identifiers keep their layout and, for
 *   Luhn identifiers, a valid check digit).
 *
 * `mustRedact` lists kinds that must never appear in clear in an export: verification treats a
 * column of such a kind as redacted whatever its rule (a `keep` there makes the export fail), and
 * searches kept free-text columns for values that validate as NIR, e-mail or phone of those kinds.
 *
 * `output: 'aggregates'` (publish-statistics): the export holds counts only, never records.
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import { PII_KINDS, PII_LABELS, PiiKind } from './pii';

export const POLICY_FORMAT = 'leakscope.redaction-policy';
/** The version this build writes; `restorePolicy` upgrades older ones. */
export const POLICY_VERSION = 1;
/** The masking character (U+2022): never part of an identifier, so masked text cannot validate. */
export const MASK = '•';

export const PolicyName = z
  .string()
  .trim()
  .min(1, 'a policy name must not be empty')
  .max(100)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    'a policy name holds letters, digits, spaces, dots, dashes and underscores',
  );

const Keep = z.object({ op: z.literal('keep') }).strict();
const Drop = z.object({ op: z.literal('drop') }).strict();
const Mask = z
  .object({
    op: z.literal('mask'),
    keepFirst: z.number().int().min(0).max(64).default(0),
    keepLast: z.number().int().min(0).max(64).default(0),
  })
  .strict();
const Partial = z
  .object({
    op: z.literal('partial'),
    /** Dates of birth: the year, or a 10-year age band at the time of the export. */
    dateOfBirth: z.enum(['year', 'age_band']).default('year'),
  })
  .strict();
const Generalise = z.object({ op: z.literal('generalise') }).strict();
const Pseudonym = z
  .object({
    op: z.literal('pseudonym'),
    /**
     * Hex characters of the HMAC kept after the prefix. 12 (48 bits) keeps accidental collisions
     * below one in a thousand for a million distinct values; 8 (EMAIL-7f3a9c21) is shorter but
     * collides ~100 times in a million.
     */
    hex: z.number().int().min(8).max(64).default(12),
  })
  .strict();
const Fpe = z.object({ op: z.literal('fpe') }).strict();

export const RedactionRule = z.discriminatedUnion('op', [
  Keep,
  Drop,
  Mask,
  Partial,
  Generalise,
  Pseudonym,
  Fpe,
]);
export type RedactionRule = z.output<typeof RedactionRule>;
export type RedactionRuleInput = z.input<typeof RedactionRule>;
export type RuleOp = RedactionRule['op'];
export const RULE_OPS: readonly RuleOp[] = [
  'keep',
  'drop',
  'mask',
  'partial',
  'generalise',
  'pseudonym',
  'fpe',
];

/** Kinds with a generalised form (others fall back to a full mask, with a warning). */
export const GENERALISE_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'postal_code',
  'street_address',
  'date',
  'date_of_birth',
  'ip_address',
]);

/** Kinds with a format-preserving form; on others `fpe` gives a keyed pseudonym. */
export const FPE_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'nir',
  'phone',
  'credit_card',
  'siren',
  'siret',
  'rpps',
  'finess',
  'id',
  'national_id',
  'france_travail_id',
]);

/** The prefix of keyed pseudonyms, by kind (`EMAIL-7f3a9c21…`). */
export const PSEUDONYM_PREFIX: Readonly<Record<PiiKind, string>> = {
  email: 'EMAIL',
  phone: 'PHONE',
  nir: 'NIR',
  national_id: 'NATID',
  france_travail_id: 'FTID',
  first_name: 'FIRSTNAME',
  last_name: 'LASTNAME',
  full_name: 'NAME',
  date_of_birth: 'DOB',
  sex: 'SEX',
  street_address: 'ADDRESS',
  postal_code: 'POSTCODE',
  city: 'CITY',
  country: 'COUNTRY',
  iban: 'IBAN',
  bic: 'BIC',
  siren: 'SIREN',
  siret: 'SIRET',
  rpps: 'RPPS',
  finess: 'FINESS',
  credit_card: 'CARD',
  ip_address: 'IP',
  password: 'PASSWORD',
  password_hash: 'HASH',
  username: 'USER',
  url: 'URL',
  date: 'DATE',
  id: 'ID',
  free_text: 'TEXT',
  none: 'VALUE',
};

/** A per-column override: a rule, a kind (the policy author's reading of the column), or both. */
export const ColumnOverride = z
  .object({
    /** Column name, or dotted JSON path, as the dataset names it. */
    column: z.string().min(1).max(1000),
    rule: RedactionRule.optional(),
    /** Overrides the profile's kind for this column (its kind rule then applies, unless `rule`). */
    kind: PiiKind.optional(),
  })
  .strict()
  .refine((o) => o.rule !== undefined || o.kind !== undefined, 'give a rule, a kind or both');
export type ColumnOverride = z.output<typeof ColumnOverride>;

const AggregateOptions = z
  .object({
    /** Categories with fewer records are merged into "other" (small-cell suppression). */
    minCount: z.number().int().min(1).max(100_000).default(10),
    /** Most categories listed per column. */
    maxCategories: z.number().int().min(1).max(500).default(50),
  })
  .strict();

const PolicyV1 = z
  .object({
    format: z.literal(POLICY_FORMAT).default(POLICY_FORMAT),
    version: z.literal(1),
    name: PolicyName,
    description: z.string().max(2000).default(''),
    /** records: one output row per record; aggregates: counts only, no record at all. */
    output: z.enum(['records', 'aggregates']).default('records'),
    kinds: z.partialRecord(PiiKind, RedactionRule).default({}),
    columns: z.array(ColumnOverride).max(2000).default([]),
    /** Rule for kinds the policy does not list. */
    defaultRule: RedactionRule.default({ op: 'keep' }),
    mustRedact: z.array(PiiKind).max(PII_KINDS.length).default([]),
    aggregates: AggregateOptions.default({ minCount: 10, maxCategories: 50 }),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const [kind, rule] of Object.entries(p.kinds) as [PiiKind, RedactionRule][]) {
      if (rule.op === 'generalise' && !GENERALISE_KINDS.has(kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['kinds', kind],
          message: `${PII_LABELS[kind]} has no generalised form (only ${[...GENERALISE_KINDS].join(', ')})`,
        });
      }
    }
    const seen = new Set<string>();
    p.columns.forEach((c, i) => {
      if (seen.has(c.column)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, 'column'],
          message: `column ${JSON.stringify(c.column)} has two overrides`,
        });
      }
      seen.add(c.column);
    });
  });

/** The current policy schema (what `restorePolicy` returns). */
export const RedactionPolicy = PolicyV1;
export type RedactionPolicy = z.output<typeof RedactionPolicy>;
export type RedactionPolicyInput = z.input<typeof RedactionPolicy>;

/**
 * Validates a policy document of any known version and upgrades it to the current one. Throws a
 * readable message for a document from a newer Leakscope or one that does not validate.
 */
export function restorePolicy(doc: unknown): RedactionPolicy {
  if (doc !== null && typeof doc === 'object' && 'version' in doc) {
    const v = (doc as { version: unknown }).version;
    if (typeof v === 'number' && v > POLICY_VERSION) {
      throw new Error(
        `this policy was written by a newer Leakscope (policy version ${v}, this version knows up to ${POLICY_VERSION})`,
      );
    }
  }
  const parsed = RedactionPolicy.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : 'policy'}: ${i.message}`)
      .join('; ');
    throw new Error(`not a valid redaction policy: ${issues}`);
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Built-in policies.

const IDENTIFIER_KINDS: readonly PiiKind[] = [
  'nir',
  'national_id',
  'france_travail_id',
  'first_name',
  'last_name',
  'full_name',
  'iban',
  'credit_card',
  'rpps',
  'username',
  'ip_address',
  'url',
  'id',
];

const SENSITIVE_KINDS: PiiKind[] = [
  'nir',
  'national_id',
  'france_travail_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'full_name',
  'street_address',
  'iban',
  'credit_card',
  'password',
  'password_hash',
  'rpps',
  'username',
  'ip_address',
  'free_text',
];

export const BUILTIN_POLICIES: Readonly<Record<string, RedactionPolicy>> = {
  'share-with-authority': RedactionPolicy.parse({
    version: 1,
    name: 'share-with-authority',
    description:
      'For the agency, the CNIL or a prosecutor: identifiers replaced by keyed pseudonyms (stable within this case, so records can still be linked), contact data partly hidden, passwords removed.',
    kinds: {
      ...Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, { op: 'pseudonym' }])),
      email: { op: 'partial' },
      phone: { op: 'partial' },
      street_address: { op: 'partial' },
      date_of_birth: { op: 'partial', dateOfBirth: 'year' },
      password: { op: 'drop' },
      password_hash: { op: 'drop' },
      free_text: { op: 'mask' },
      sex: { op: 'keep' },
      postal_code: { op: 'keep' },
      city: { op: 'keep' },
      country: { op: 'keep' },
      bic: { op: 'keep' },
      siren: { op: 'keep' },
      siret: { op: 'keep' },
      finess: { op: 'keep' },
      date: { op: 'keep' },
      none: { op: 'keep' },
    },
    defaultRule: { op: 'mask' },
    mustRedact: SENSITIVE_KINDS,
  }),
  'publish-statistics': RedactionPolicy.parse({
    version: 1,
    name: 'publish-statistics',
    description:
      'For publication: counts only (records per column and category, small categories merged), never a record.',
    output: 'aggregates',
    kinds: {
      sex: { op: 'keep' },
      postal_code: { op: 'generalise' },
      street_address: { op: 'generalise' },
      date_of_birth: { op: 'generalise' },
      date: { op: 'generalise' },
      country: { op: 'keep' },
    },
    defaultRule: { op: 'drop' },
    mustRedact: SENSITIVE_KINDS,
    aggregates: { minCount: 10, maxCategories: 50 },
  }),
  internal: RedactionPolicy.parse({
    version: 1,
    name: 'internal',
    description: 'Inside the investigation team: every value kept as it is.',
    defaultRule: { op: 'keep' },
  }),
};

export function isBuiltinPolicy(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILTIN_POLICIES, name);
}

// ---------------------------------------------------------------------------------------------
// Plain language.

/** What the partial form of each kind keeps (the partial rule on a kind without one: first character). */
export const PARTIAL_FORMS: Readonly<Partial<Record<PiiKind, string>>> = {
  email: 'first character of the name and the domain kept (j•••@example.fr)',
  phone: 'only the last two digits kept (•• •• •• •• 78)',
  nir: 'only sex and year of birth kept (1 85 •• •• ••• ••• ••)',
  street_address: 'reduced to postal code and city',
  postal_code: 'first two digits kept (75•••)',
  first_name: 'reduced to the initial (J.)',
  last_name: 'reduced to the initial (D.)',
  full_name: 'reduced to initials (J. D.)',
  iban: 'country, check digits and last four characters kept',
  credit_card: 'last four digits kept',
  ip_address: 'first two parts kept (192.168.•.•)',
  url: 'reduced to the site (https://example.fr/…)',
  date: 'reduced to the year',
};

const GENERALISED_FORMS: Readonly<Partial<Record<PiiKind, string>>> = {
  postal_code: 'generalised to the département (75)',
  street_address: 'generalised to the département of its postal code',
  date: 'generalised to the decade (1980s)',
  date_of_birth: 'generalised to the decade of birth (1980s)',
  ip_address: 'generalised to its /16 network (192.168.0.0/16)',
};

/** One rule applied to one kind, in plain language ("replaced by a keyed pseudonym (NIR-…)"). */
export function describeRule(rule: RedactionRule, kind: PiiKind | null): string {
  switch (rule.op) {
    case 'keep':
      return 'kept as is';
    case 'drop':
      return 'left out of the export';
    case 'mask':
      if (rule.keepFirst === 0 && rule.keepLast === 0) return 'masked entirely (•••)';
      return `masked except the ${[
        rule.keepFirst ? `first ${rule.keepFirst}` : '',
        rule.keepLast ? `last ${rule.keepLast}` : '',
      ]
        .filter(Boolean)
        .join(' and ')} characters`;
    case 'partial':
      if (kind === 'date_of_birth') {
        return rule.dateOfBirth === 'age_band'
          ? 'reduced to a 10-year age band at the export date (30–39)'
          : 'reduced to the year of birth';
      }
      return `partly hidden: ${(kind && PARTIAL_FORMS[kind]) ?? 'first character kept'}`;
    case 'generalise':
      return (
        (kind && GENERALISED_FORMS[kind]) ?? 'masked entirely (this kind has no generalised form)'
      );
    case 'pseudonym':
      return `replaced by a keyed pseudonym (${PSEUDONYM_PREFIX[kind ?? 'none']}-…, ${rule.hex} hex characters)`;
    case 'fpe':
      if (kind === 'nir')
        return 'replaced by a format-preserving pseudonym: another valid NIR (same sex and year of birth, valid key)';
      if (kind === 'phone')
        return 'replaced by a format-preserving pseudonym: another valid French number of the same type';
      if (kind && FPE_KINDS.has(kind))
        return 'digits replaced by a format-preserving keyed permutation (layout and check digit kept)';
      return `replaced by a keyed pseudonym (${PSEUDONYM_PREFIX[kind ?? 'none']}-…; this kind has no format-preserving form)`;
  }
}

/** The whole policy in plain language, one statement per line (reports, manifests, the UI). */
export function describePolicy(policy: RedactionPolicy): string {
  const lines: string[] = [];
  const builtIn = isBuiltinPolicy(policy.name) ? ' (built-in)' : '';
  lines.push(`Policy "${policy.name}"${builtIn}.`);
  if (policy.description) lines.push(policy.description);
  if (policy.output === 'aggregates') {
    lines.push(
      `Aggregates only: the export holds counts, never a record; categories with fewer than ${policy.aggregates.minCount} records are merged into "other", at most ${policy.aggregates.maxCategories} categories per column.`,
    );
  }
  const listed = PII_KINDS.filter((k) => policy.kinds[k] !== undefined);
  for (const k of listed) {
    lines.push(`- ${PII_LABELS[k]}: ${describeRule(policy.kinds[k]!, k)}.`);
  }
  const rest = PII_KINDS.filter((k) => policy.kinds[k] === undefined);
  if (rest.length) {
    lines.push(
      `- ${listed.length ? 'any other kind' : 'every kind'}: ${describeRule(policy.defaultRule, null)}.`,
    );
  }
  for (const c of policy.columns) {
    const as = c.kind ? ` (read as ${PII_LABELS[c.kind]})` : '';
    const rule = c.rule ? describeRule(c.rule, c.kind ?? null) : 'the rule of its kind';
    lines.push(`- column "${c.column}"${as}: ${rule}.`);
  }
  const rules = [
    ...Object.values(policy.kinds),
    policy.defaultRule,
    ...policy.columns.map((c) => c.rule),
  ];
  if (rules.some((r) => r?.op === 'pseudonym' || r?.op === 'fpe')) {
    lines.push(
      'Pseudonyms are keyed with a secret kept only inside this case: the same value gets the same pseudonym in every dataset and export of the case, a different one in any other case, and cannot be traced back without the case.',
    );
  }
  if (policy.mustRedact.length) {
    lines.push(
      `Never in clear: ${policy.mustRedact.map((k) => PII_LABELS[k]).join(', ')}. Every export is re-read before it is kept and refused if one of these values, or any original value of a redacted column, appears in it.`,
    );
  } else {
    lines.push(
      'Every export is re-read before it is kept and refused if any original value of a redacted column appears in it.',
    );
  }
  return lines.join('\n');
}
