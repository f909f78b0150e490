/**
 * The filter AST (DESIGN.md "Filters"): what the grid's filter chips, the `query` CLI's --filter,
 * saved sessions and export manifests all speak. Pure: zod and src/shared only, so the renderer
 * validates and describes filters with the same code the engine uses.
 *
 * Core form (stable): a leaf `{"column": "<name or dotted path>", "op": "contains", "value": "a"}`
 * and groups `{"and": [...]}`, `{"or": [...]}`, `{"not": {...}}`. It also grows:
 * - PII-kind leaves: `{"kind": "email", "op": "endsWith", "value": "@francetravail.fr"}` — the
 *   same operator applied to every column profiled as that kind (OR over them);
 * - linkage leaves: `{"linkage": "seenIn", "dataset": "kairos"}`, `{"linkage": "duplicate"}`,
 *   `{"linkage": "matched", "minScore": 0.9}`, `{"linkage": "clusterSize", "min": 3}`;
 * - provenance leaves: `{"provenance": "line" | "ordinal" | "offset", "min": 1, "max": 9}` and
 *   `{"provenance": "nearReject", "within": 1}` (records next to a rejected, malformed one);
 * - investigators' marks (issue 8): `{"tag": "victim contacted"}` (records carrying the tag) and
 *   `{"hasNote": true}` (records with a note; false: without).
 *
 * Each column operator is declared once here with its schema and its plain-language `describe`;
 * the engine pairs every one with its SQL (src/main/engine/query/operators.ts, typed so that an
 * operator without SQL does not compile). The description is what UI chips, audit entries and
 * export manifests show, so it must read well to an investigator.
 *
 * Text semantics: values are stored as text exactly as the source had them. `caseSensitive:
 * false` means "ignore case AND accents" (both sides folded: NFD, marks removed, lower case):
 * 'helene' matches 'HÉLÈNE'. Defaults: equality operators (equals, notEquals, in) and regex are
 * exact, so an equality can use a column index; contains / startsWith / endsWith ignore case and
 * accents, which is what someone typing into a filter box expects.
 */
import { z } from 'zod';
import { PII_LABELS, PiiKind } from './pii';

/** Bounds that keep a compiled filter well inside SQLite's limits (expression depth 1000). */
export const FILTER_LIMITS = {
  depth: 24,
  nodes: 400,
  inValues: 10_000,
  valueChars: 10_000,
  regexChars: 500,
} as const;

const Text = z.string().max(FILTER_LIMITS.valueChars);
const NonEmptyText = Text.min(1, 'must not be empty');
/** A scalar compared with a text value: numbers are compared as their decimal text. */
const Scalar = z.union([Text, z.number().finite()]);
const CaseSensitive = z
  .boolean()
  .optional()
  .describe('false: ignore case and accents (both sides folded); true: exact');

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: a range bound on dates (a partial date covers its span). */
export const DATE_BOUND = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

const RangeValue = z
  .object({
    min: z.union([z.number().finite(), Text]).optional(),
    max: z.union([z.number().finite(), Text]).optional(),
  })
  .strict()
  .refine((r) => r.min !== undefined || r.max !== undefined, 'give min, max or both');

const IntRange = z
  .object({
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((r) => r.min !== undefined || r.max !== undefined, 'give min, max or both');

/** Operator shapes (without their target, column or kind). */
const OP_SHAPES = {
  equals: { value: Scalar, caseSensitive: CaseSensitive },
  notEquals: { value: Scalar, caseSensitive: CaseSensitive },
  contains: { value: NonEmptyText, caseSensitive: CaseSensitive },
  startsWith: { value: NonEmptyText, caseSensitive: CaseSensitive },
  endsWith: { value: NonEmptyText, caseSensitive: CaseSensitive },
  regex: {
    value: z.string().min(1).max(FILTER_LIMITS.regexChars),
    caseSensitive: CaseSensitive,
  },
  in: { value: z.array(Scalar).min(1).max(FILTER_LIMITS.inValues), caseSensitive: CaseSensitive },
  range: { value: RangeValue, type: z.enum(['number', 'date', 'text']) },
  empty: {},
  notEmpty: {},
  length: { value: IntRange },
} as const;

export type ColumnOpName = keyof typeof OP_SHAPES;
export const COLUMN_OP_NAMES = Object.keys(OP_SHAPES) as ColumnOpName[];

function opVariants<T extends z.core.$ZodLooseShape>(target: T) {
  const variants = COLUMN_OP_NAMES.map((op) =>
    z.object({ ...target, op: z.literal(op), ...OP_SHAPES[op] }).strict(),
  );
  return z.discriminatedUnion(
    'op',
    variants as unknown as [(typeof variants)[number], ...(typeof variants)[number][]],
  );
}

type Shape<K extends ColumnOpName> = {
  [F in keyof (typeof OP_SHAPES)[K]]: (typeof OP_SHAPES)[K][F] extends z.ZodType
    ? z.output<(typeof OP_SHAPES)[K][F]>
    : never;
};
/** One operator with its operands, e.g. `{op: 'contains', value: 'x'}`. */
export type ColumnOp = {
  [K in ColumnOpName]: { op: K } & OptionalUndefined<Shape<K>>;
}[ColumnOpName];
type OptionalUndefined<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] };

export type ColumnLeaf = ColumnOp & { column: string };
export type KindLeaf = ColumnOp & { kind: PiiKind; minConfidence?: number };

export const ColumnLeafSchema = opVariants({
  column: z.string().min(1).max(1000).describe('column name or dotted path'),
});
export const KindLeafSchema = opVariants({
  kind: PiiKind,
  minConfidence: z.number().min(0).max(1).optional(),
});

/** Default confidence for "columns of kind K" (profile output). */
export const DEFAULT_KIND_CONFIDENCE = 0.5;

const DatasetName = z.string().min(1).max(300);
export const LinkageLeafSchema = z.discriminatedUnion('linkage', [
  z
    .object({
      linkage: z.literal('seenIn'),
      dataset: DatasetName,
      keyKind: z.string().min(1).max(64).optional(),
    })
    .strict(),
  z
    .object({ linkage: z.literal('duplicate'), keyKind: z.string().min(1).max(64).optional() })
    .strict(),
  z
    .object({
      linkage: z.literal('matched'),
      minScore: z.number().min(0).max(1),
      dataset: DatasetName.optional(),
    })
    .strict(),
  z.object({ linkage: z.literal('clusterSize'), min: z.number().int().min(2) }).strict(),
]);
export type LinkageLeaf = z.infer<typeof LinkageLeafSchema>;

const Pos = z.number().int().min(0);
const positionRange = <P extends 'line' | 'ordinal' | 'offset'>(p: P) =>
  z
    .object({ provenance: z.literal(p), min: Pos.optional(), max: Pos.optional() })
    .strict()
    .refine((r) => r.min !== undefined || r.max !== undefined, 'give min, max or both');
export const ProvenanceLeafSchema = z.discriminatedUnion('provenance', [
  positionRange('line'),
  positionRange('ordinal'),
  positionRange('offset'),
  z
    .object({
      provenance: z.literal('nearReject'),
      within: z.number().int().min(0).max(1000).optional(),
    })
    .strict(),
]);
export type ProvenanceLeaf =
  | { provenance: 'line' | 'ordinal' | 'offset'; min?: number; max?: number }
  | { provenance: 'nearReject'; within?: number };

/**
 * A tag as stored and compared: trimmed, inner whitespace collapsed ("fake " and "fake" are one
 * tag). Used by the tag store and by the {tag} filter node alike.
 */
export function normaliseTag(tag: string): string {
  return tag.trim().replace(/\s+/g, ' ');
}

export const TagLeafSchema = z
  .object({
    tag: z
      .string()
      .max(200)
      .refine(
        (t) => normaliseTag(t).length >= 1 && normaliseTag(t).length <= 100,
        'a tag is 1 to 100 characters',
      ),
  })
  .strict();
export type TagLeaf = { tag: string };
export const NoteLeafSchema = z.object({ hasNote: z.boolean() }).strict();
export type NoteLeaf = { hasNote: boolean };

export type FilterNode =
  | { and: FilterNode[] }
  | { or: FilterNode[] }
  | { not: FilterNode }
  | ColumnLeaf
  | KindLeaf
  | LinkageLeaf
  | ProvenanceLeaf
  | TagLeaf
  | NoteLeaf;

const NODE_KEYS = [
  'and',
  'or',
  'not',
  'column',
  'kind',
  'linkage',
  'provenance',
  'tag',
  'hasNote',
] as const;
const LEAF_SCHEMAS = {
  column: ColumnLeafSchema,
  kind: KindLeafSchema,
  linkage: LinkageLeafSchema,
  provenance: ProvenanceLeafSchema,
  tag: TagLeafSchema,
  hasNote: NoteLeafSchema,
} as const;

interface Issue {
  path: (string | number)[];
  message: string;
}

/**
 * Validates a node by its distinguishing key, so that a mistake gets a precise message and path
 * ("filter.and.1.value: expected string") instead of a union's "invalid input".
 */
function checkNode(
  v: unknown,
  path: (string | number)[],
  depth: number,
  count: { n: number },
  issues: Issue[],
): void {
  if (++count.n > FILTER_LIMITS.nodes) {
    if (count.n === FILTER_LIMITS.nodes + 1)
      issues.push({ path, message: `a filter has at most ${FILTER_LIMITS.nodes} nodes` });
    return;
  }
  if (depth > FILTER_LIMITS.depth) {
    issues.push({ path, message: `filters nest at most ${FILTER_LIMITS.depth} levels deep` });
    return;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    issues.push({ path, message: 'expected a filter object' });
    return;
  }
  const keys = NODE_KEYS.filter((k) => k in v);
  if (keys.length !== 1) {
    issues.push({
      path,
      message:
        keys.length === 0
          ? 'a filter node is {"column","op","value"}, {"kind","op","value"}, {"and":[...]}, {"or":[...]}, {"not":{...}}, {"linkage":...}, {"provenance":...}, {"tag":"..."} or {"hasNote":true}'
          : `a filter node cannot combine ${keys.map((k) => `"${k}"`).join(' and ')}`,
    });
    return;
  }
  const key = keys[0]!;
  const obj = v as Record<string, unknown>;
  if (key === 'and' || key === 'or' || key === 'not') {
    const extra = Object.keys(obj).filter((k) => k !== key);
    if (extra.length) issues.push({ path, message: `unexpected key(s) ${extra.join(', ')}` });
    if (key === 'not') return checkNode(obj.not, [...path, 'not'], depth + 1, count, issues);
    const list = obj[key];
    if (!Array.isArray(list) || list.length === 0) {
      issues.push({ path: [...path, key], message: 'expected a non-empty list of filters' });
      return;
    }
    list.forEach((child, i) => checkNode(child, [...path, key, i], depth + 1, count, issues));
    return;
  }
  const parsed = LEAF_SCHEMAS[key].safeParse(v);
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      issues.push({ path: [...path, ...(i.path as (string | number)[])], message: i.message });
  }
}

/** Validates a filter; returns the issues (empty when valid). */
export function filterIssues(v: unknown): Issue[] {
  const issues: Issue[] = [];
  checkNode(v, [], 0, { n: 0 }, issues);
  return issues;
}

/** The filter schema: a recursive node validated by its key (see checkNode). */
export const FilterNodeSchema = z.custom<FilterNode>().superRefine((v, ctx) => {
  for (const i of filterIssues(v))
    ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
}) as unknown as z.ZodType<FilterNode, FilterNode>;

/** Parses a filter from JSON text (CLI --filter, sessions) with readable errors. */
export function parseFilterJson(
  text: string,
): { ok: true; filter: FilterNode } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `the filter is not valid JSON: ${(e as Error).message}` };
  }
  const issues = filterIssues(raw);
  if (issues.length) {
    return {
      ok: false,
      message: issues.map((i) => `${['filter', ...i.path].join('.')}: ${i.message}`).join('; '),
    };
  }
  return { ok: true, filter: raw as FilterNode };
}

// ---------------------------------------------------------------------------------------------
// Plain-language descriptions.

/** Default of `caseSensitive` per operator (see the module comment). */
export const CASE_SENSITIVE_DEFAULT: Record<ColumnOpName, boolean> = {
  equals: true,
  notEquals: true,
  in: true,
  regex: true,
  contains: false,
  startsWith: false,
  endsWith: false,
  range: true,
  empty: true,
  notEmpty: true,
  length: true,
};

export function isCaseSensitive(op: ColumnOp): boolean {
  return 'caseSensitive' in op && op.caseSensitive !== undefined
    ? op.caseSensitive
    : CASE_SENSITIVE_DEFAULT[op.op];
}

const MAX_SHOWN = 60;
/** A value as shown in a description: quoted, control characters escaped, long ones cut. */
export function quoteValue(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const cut = v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}…` : v;
  return JSON.stringify(cut);
}

function caseNote(op: ColumnOp): string {
  const sensitive = isCaseSensitive(op);
  if (sensitive === CASE_SENSITIVE_DEFAULT[op.op]) return '';
  if (op.op === 'regex') return ' (ignoring case and accents)';
  return sensitive ? ' (exact case and accents)' : ' (ignoring case and accents)';
}

function between(lo: string | undefined, hi: string | undefined): string {
  if (lo !== undefined && hi !== undefined) return `between ${lo} and ${hi}`;
  if (lo !== undefined) return `at least ${lo}`;
  return `at most ${hi!}`;
}

type Describe<K extends ColumnOpName> = (
  subject: string,
  op: Extract<ColumnOp, { op: K }>,
) => string;

/** One plain-language phrase per operator: "<subject> contains "x"". */
export const DESCRIBE_OPS: { [K in ColumnOpName]: Describe<K> } = {
  equals: (s, o) => `${s} is ${quoteValue(o.value)}${caseNote(o)}`,
  notEquals: (s, o) => `${s} is not ${quoteValue(o.value)}${caseNote(o)}`,
  contains: (s, o) => `${s} contains ${quoteValue(o.value)}${caseNote(o)}`,
  startsWith: (s, o) => `${s} starts with ${quoteValue(o.value)}${caseNote(o)}`,
  endsWith: (s, o) => `${s} ends with ${quoteValue(o.value)}${caseNote(o)}`,
  regex: (s, o) =>
    `${s} matches the pattern /${o.value.length > MAX_SHOWN ? `${o.value.slice(0, MAX_SHOWN)}…` : o.value}/${caseNote(o)}`,
  in: (s, o) => {
    const shown = o.value.slice(0, 5).map(quoteValue).join(', ');
    const more = o.value.length > 5 ? ` and ${o.value.length - 5} more` : '';
    return `${s} is one of ${shown}${more}${caseNote(o)}`;
  },
  range: (s, o) => {
    const fmt = (v: string | number | undefined) =>
      v === undefined ? undefined : o.type === 'text' ? quoteValue(v) : String(v);
    const kind = o.type === 'date' ? 'a date ' : o.type === 'number' ? 'a number ' : '';
    const order = o.type === 'text' ? ' (text order)' : '';
    return `${s} is ${kind}${between(fmt(o.value.min), fmt(o.value.max))}${order}`;
  },
  empty: (s) => `${s} is empty`,
  notEmpty: (s) => `${s} is not empty`,
  length: (s, o) => {
    const { min, max } = o.value;
    if (min !== undefined && max !== undefined && min === max) return `${s} has ${min} characters`;
    const range =
      min !== undefined && max !== undefined
        ? `${min} to ${max}`
        : between(
            min === undefined ? undefined : String(min),
            max === undefined ? undefined : String(max),
          );
    return `${s} has ${range} characters`;
  },
};

export function describeOp(subject: string, op: ColumnOp): string {
  return (DESCRIBE_OPS[op.op] as Describe<ColumnOpName>)(subject, op as never);
}

/** Column references as the dataset names them (a dotted path is shown by its column name). */
export interface DescribeContext {
  columns?: readonly { name: string; path: string }[];
}

function columnLabel(ref: string, ctx: DescribeContext): string {
  const byPath = ctx.columns?.find((c) => c.name !== ref && c.path === ref);
  return byPath ? byPath.name : ref;
}

function describeProvenance(p: ProvenanceLeaf): string {
  if (p.provenance === 'nearReject') {
    const w = p.within ?? 1;
    return w === 0
      ? 'at the position of a rejected record'
      : `within ${w} record${w === 1 ? '' : 's'} of a rejected record`;
  }
  const label = { line: 'source line', ordinal: 'record number', offset: 'byte offset' }[
    p.provenance
  ];
  return `${label} ${between(p.min === undefined ? undefined : String(p.min), p.max === undefined ? undefined : String(p.max))}`;
}

function describeLinkage(l: LinkageLeaf): string {
  switch (l.linkage) {
    case 'seenIn':
      return `also seen in dataset ${quoteValue(l.dataset)}${l.keyKind ? ` (by ${l.keyKind})` : ''}`;
    case 'duplicate':
      return `in a duplicate group${l.keyKind ? ` (by ${l.keyKind})` : ''}`;
    case 'matched':
      return `matched with score ≥ ${l.minScore}${l.dataset ? ` in dataset ${quoteValue(l.dataset)}` : ''}`;
    case 'clusterSize':
      return `in a cluster of at least ${l.min} records`;
  }
}

function describeNode(n: FilterNode, ctx: DescribeContext, top: boolean): string {
  if ('and' in n || 'or' in n) {
    const list = 'and' in n ? n.and : n.or;
    const joiner = 'and' in n ? ' AND ' : ' OR ';
    if (list.length === 1) return describeNode(list[0]!, ctx, top);
    const text = list.map((c) => describeNode(c, ctx, false)).join(joiner);
    return top ? text : `(${text})`;
  }
  if ('not' in n) return `NOT (${describeNode(n.not, ctx, true)})`;
  if ('column' in n) return describeOp(columnLabel(n.column, ctx), n);
  if ('kind' in n) {
    const conf =
      n.minConfidence !== undefined && n.minConfidence !== DEFAULT_KIND_CONFIDENCE
        ? ` (confidence ≥ ${n.minConfidence})`
        : '';
    return describeOp(`any ${PII_LABELS[n.kind]} column${conf}`, n);
  }
  if ('linkage' in n) return describeLinkage(n);
  if ('tag' in n) return `tagged ${quoteValue(normaliseTag(n.tag))}`;
  if ('hasNote' in n) return n.hasNote ? 'has a note' : 'has no note';
  return describeProvenance(n);
}

/**
 * The filter in plain language, e.g. `nom is "PICARD" AND (email ends with "@orange.fr" OR NOT
 * (ville is empty))`. `columns` (the dataset's) lets dotted paths show as column names.
 */
export function describeFilter(
  ast: FilterNode | undefined,
  columns?: readonly { name: string; path: string }[],
): string {
  if (!ast) return 'all records';
  return describeNode(ast, columns ? { columns } : {}, true);
}

/** One description per top-level AND member: the filter chips of the grid. */
export function filterChips(
  ast: FilterNode | undefined,
  columns?: readonly { name: string; path: string }[],
): string[] {
  if (!ast) return [];
  const ctx = columns ? { columns } : {};
  const members = 'and' in ast ? ast.and : [ast];
  return members.map((m) => describeNode(m, ctx, true));
}

// ---------------------------------------------------------------------------------------------
// Full-text search text.

/** Most words a search may hold (each one is a full-text term, ANDed). */
export const MAX_SEARCH_TERMS = 16;
/** Words shorter than this cannot use the trigram index: they are found by scanning. */
export const MIN_INDEXED_TERM = 3;

/**
 * The words of a search: whitespace-separated, `"quoted phrases"` kept whole, NFC-normalised,
 * control characters removed, duplicates dropped. Every word must appear somewhere in a record
 * (any column, any case or accents).
 */
export function parseSearchTerms(text: string | undefined): string[] {
  if (!text) return [];
  const terms: string[] = [];
  for (const m of text.normalize('NFC').matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').replace(/\p{Cc}/gu, '').trim();
    if (term && !terms.includes(term)) terms.push(term);
  }
  return terms.slice(0, MAX_SEARCH_TERMS);
}

export function describeSearch(text: string | undefined): string | null {
  const terms = parseSearchTerms(text);
  if (terms.length === 0) return null;
  return `containing ${terms.map(quoteValue).join(' and ')} (any column, ignoring case and accents)`;
}

/** Filter and search together, e.g. `nom is "PICARD" AND containing "orange"`. */
export function describeQuery(
  ast: FilterNode | undefined,
  search: string | undefined,
  columns?: readonly { name: string; path: string }[],
): string {
  const s = describeSearch(search);
  if (!ast) return s ?? 'all records';
  const f = describeFilter(ast, columns);
  if (!s) return f;
  return 'or' in ast ? `(${f}) AND ${s}` : `${f} AND ${s}`;
}
