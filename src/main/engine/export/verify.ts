/**
 * Verification of a written export, before it is given its final name (issue 7, point 4): the
 * output is read back from disk and refused if it holds
 *   (a) an original value of a column the policy redacts (its rule is not keep) or of a kind the
 *       policy says must never appear in clear (a `keep` there is itself a leak), or
 *   (b) a value that validates as a NIR, an e-mail or a phone number (of the must-redact kinds)
 *       anywhere a format-preserving pseudonym is not expected: kept free-text columns, report
 *       narrative, manifest.
 *
 * How (a) stays exact with flat memory:
 *   1. While the export is written, every qualifying original value ("form") of the redacted
 *      columns goes into a Bloom filter (RawIndex): fixed size, no values kept.
 *   2. The output is re-read in lockstep with a fresh run of the same query (same order), so
 *      each output record is compared exactly with its own source record, and every token of
 *      the output is looked up in the Bloom filter (any record); hits are kept as candidates.
 *   3. If there are candidates, one more pass over the source confirms them exactly; Bloom false
 *      positives (≈0.05 %) are dropped there.
 *
 * Forms and tokens: values are compared NFC-normalised, trimmed, lower case, whitespace
 * collapsed, and for values with digits also without separators (so `06 12 34 56 78` is found as
 * `0612345678`). Output cells are tokenised into the whole cell, its words, runs of 2–6 words
 * and digit runs. Short values are not searched (under 4 characters, or numbers under 6 digits:
 * postal codes, years, counts would match everywhere and say nothing alone). Name-like values
 * (letters only, one word) are only searched in their own column's output: "Nancy" the first
 * name and "Nancy" the city are different facts; identifier-like values (6+ digits, an @, or
 * several words) are searched everywhere.
 *
 * Two exemptions, both by construction rather than by trust: cells of format-preserving and
 * keyed pseudonym columns are compared with their own record only (a pseudonymised NIR is a
 * valid NIR and may, by chance, equal someone else's NIR); and a value whose partial or
 * generalised form is the value itself ("75002 Paris" as an address) is not a redaction target,
 * since the policy allows exactly that much.
 *
 * Reasons name columns, record ordinals and output positions, never the value found: they go to
 * the user, the audit log and the job's error message.
 */
import type { PiiKind } from '../../../shared/pii';
import { PII_LABELS } from '../../../shared/pii';
import type { ColumnPlan, RedactionPlan } from '../redact/apply';
import { applyRule } from '../redact/rules';
import { findToken } from '../redact/tokens';
import { fmix32 } from '../profile/stats/hll';

// ---------------------------------------------------------------------------------------------
// Normalisation, forms and tokens.

const EXTRA_SPACE = /\s\s|^\s|\s$|[\t\n\r\f\v\u00a0]/;

/**
 * Trimmed, inner whitespace collapsed, lower case. No Unicode normalisation: output values are
 * copied from the stored ones, so both sides of a comparison share their composition already.
 */
export function normaliseText(v: string): string {
  const lower = v.toLowerCase();
  return EXTRA_SPACE.test(lower) ? lower.trim().replace(/\s+/gu, ' ') : lower;
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Long enough to say something on its own. */
export function qualifies(form: string): boolean {
  return qualifiesWith(form.length, form.length < 4 ? 0 : digitCount(form));
}

/** `qualifies` for a form of `length` characters of which `digits` are digits. */
function qualifiesWith(length: number, digits: number): boolean {
  return length >= 4 && !(digits === length && digits < 6);
}

/** Searched in every output column, not only the value's own column. */
export function crossColumn(form: string): boolean {
  return crossColumnWith(form, digitCount(form));
}

function crossColumnWith(form: string, digits: number): boolean {
  return digits >= 6 || form.includes('@') || (form.length >= 10 && form.includes(' '));
}

const SEPARATORS = /[\s.\-/()]/g;

/** The normalised forms an original value is searched under. */
export function rawForms(v: string): string[] {
  const n = normaliseText(v);
  const out: string[] = [];
  if (qualifies(n)) out.push(n);
  if (digitCount(n) > 0) {
    const c = n.replace(SEPARATORS, '');
    if (c !== n && qualifies(c)) out.push(c);
  }
  return out;
}

const WORD_SPLIT = /[\s,;:()[\]{}<>"|*!?]+/u;
const DIGIT_RUN = /\+?\d[\d\s.\-/]{4,}\d/g;
const MAX_NGRAM = 6;

/** Every token of an output cell that an original value could be equal to. */
const HAS_SEPARATOR = /[\s,;:()[\]{}<>"|*!?]/;
const ONLY_MASKED = /^[•\s]*$/;

const EDGE_PUNCTUATION = /^[.'’-]+|[.'’-]+$/gu;
const MASK_CODE = 0x2022;

/** Sentence punctuation at either end of a word (`.`, `'`, `’`, `-`). */
function edgePunctuation(c: number): boolean {
  return c === 0x2e || c === 0x27 || c === 0x2019 || c === 0x2d;
}

/** Only mask characters (a word of a split cell has no whitespace). */
function onlyMask(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) !== MASK_CODE) return false;
  return true;
}

/**
 * Every token of an output cell that an original value could be equal to (may repeat). Runs of
 * words made only of mask characters (`•• •• ••`) are not tokens, as a whole masked cell is not:
 * they hold nothing of any value.
 */
export function outputTokens(v: string, wholeOnly = false): string[] {
  const out: string[] = [];
  if (ONLY_MASKED.test(v)) return out;
  const n = normaliseText(v);
  if (n.length === 0) return out;
  const digits = n.length < 4 ? 0 : digitCount(n);
  if (qualifiesWith(n.length, digits)) out.push(n);
  if (digits > 0) {
    const c = n.replace(SEPARATORS, '');
    if (c !== n && qualifiesWith(c.length, digits)) out.push(c);
  }
  if (wholeOnly || !HAS_SEPARATOR.test(n)) return out;
  const words = n.split(WORD_SPLIT);
  let count = 0;
  for (const w of words) {
    if (w.length === 0) continue;
    // Words trimmed of sentence punctuation: "écrire à jean@x.fr." has the token "jean@x.fr".
    words[count++] =
      edgePunctuation(w.charCodeAt(0)) || edgePunctuation(w.charCodeAt(w.length - 1))
        ? w.replace(EDGE_PUNCTUATION, '')
        : w;
  }
  if (count > 1) {
    const wordDigits = new Array<number>(count);
    const masked = new Array<boolean>(count);
    for (let i = 0; i < count; i++) {
      wordDigits[i] = digitCount(words[i]!);
      masked[i] = onlyMask(words[i]!);
    }
    const maxN = count > 400 ? 1 : MAX_NGRAM;
    for (let i = 0; i < count; i++) {
      let gram = '';
      let gramDigits = 0;
      let allMasked = true;
      for (let k = 0; k < maxN && i + k < count; k++) {
        gram = k === 0 ? words[i]! : `${gram} ${words[i + k]}`;
        gramDigits += wordDigits[i + k]!;
        allMasked &&= masked[i + k]!;
        if (!allMasked && qualifiesWith(gram.length, gramDigits)) out.push(gram);
      }
    }
  }
  if (digits >= 6) {
    for (const m of n.matchAll(DIGIT_RUN)) {
      const c = m[0].replace(SEPARATORS, '');
      if (qualifies(c)) out.push(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The Bloom filter of original values.

/** The two hashes of the last `hashForm` call (no allocation per token: millions of them). */
const HASH = new Uint32Array(2);

/**
 * Two independent 32-bit hashes of a form (FNV-1a steps, murmur3 finaliser), computed once per
 * form, into a shared scratch pair that callers use at once.
 */
export function hashForm(s: string): Uint32Array {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  HASH[0] = fmix32(a);
  HASH[1] = fmix32(b);
  return HASH;
}

/** Column tag of the "any column" entries. */
export const ANY = -1;

const BLOCK_WORDS = 16; // 512 bits: one 64-byte cache line
const PROBES = 8;

/** Bit `i` (0–7) of a key inside its block: 9-bit fields of the three mixed words. */
function probeBit(a: number, b: number, c: number, i: number): number {
  const w = i < 3 ? a : i < 6 ? b : c;
  return (w >>> ((i % 3) * 9)) & 511;
}

/**
 * A blocked Bloom filter over (column, form) pairs: each key sets 8 bits inside one 512-bit
 * block (one cache line, so an insert or a look-up costs one memory miss, not eight), chosen by
 * the form alone (the same form under its column and under ANY: still one miss). Sized from
 * the number of forms expected at 16 bits each, between 2^20 and 2^31 bits (128 KiB to 256 MiB):
 * about 0.1 % false positives at the target load, never a false negative. The cap is reached
 * near 8M rows of 16 columns; past it the filter stays 256 MiB (memory flat) and fills up, and
 * false candidates are settled by the verifier's confirmation passes (bench/RESULTS.md, Export).
 */
export class RawIndex {
  private readonly bits: Uint32Array;
  /** Number of blocks − 1 (a power of two − 1). */
  private readonly blockMask: number;
  added = 0;

  constructor(expectedForms: number) {
    const want = Math.max(1 << 20, Math.min(2 ** 31, expectedForms * 16));
    const log = Math.ceil(Math.log2(want));
    this.bits = new Uint32Array(2 ** log / 32);
    this.blockMask = this.bits.length / BLOCK_WORDS - 1;
  }

  private probe(h: Uint32Array, column: number, set: boolean): boolean {
    // The block depends on the form only, so the entries of one form under its own column and
    // under ANY share a cache line: indexing and looking up both costs one memory miss, not two.
    const base = (h[0]! & this.blockMask) * BLOCK_WORDS;
    // 9 bits per probe (word 0–15, bit 0–31): three probes from each of three mixed words.
    const a = fmix32(h[1]! + Math.imul(column + 2, 0x85ebca6b));
    const b = fmix32(a ^ 0x27d4eb2d);
    const c = fmix32((a + Math.imul(h[0]!, 0x165667b1)) | 0);
    const bits = this.bits;
    if (set) {
      for (let i = 0; i < PROBES; i++) {
        const bit = probeBit(a, b, c, i);
        bits[base + (bit >>> 5)]! |= 1 << (bit & 31);
      }
      return true;
    }
    for (let i = 0; i < PROBES; i++) {
      const bit = probeBit(a, b, c, i);
      if ((bits[base + (bit >>> 5)]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  add(h: Uint32Array, column: number): void {
    this.probe(h, column, true);
    this.added++;
  }

  has(h: Uint32Array, column: number): boolean {
    return this.probe(h, column, false);
  }
}

// ---------------------------------------------------------------------------------------------
// Which original values are redaction targets.

export interface ScanColumn {
  /** Position in the dataset's columns (the source row's value index). */
  source: number;
  plan: ColumnPlan;
}

export interface Target {
  form: string;
  /** Searched in every column, not only the value's own. */
  any: boolean;
}

/**
 * The forms under which an original value of a scanned column is a redaction target. `reduced`
 * is the value's partial / generalised form when the caller has it (the writer does); otherwise
 * it is computed.
 */
export function targets(
  col: ScanColumn,
  value: string,
  now: Date,
  reduced?: string | null,
): Target[] {
  const forms = rawForms(value);
  if (forms.length === 0 || allowedAsIs(col, value, now, reduced)) return [];
  return forms.map((form) => ({ form, any: crossColumn(form) }));
}

/**
 * The policy allows this much: a value equal to its own partial or generalised form ("75002
 * Paris" as an address) is not a redaction target.
 */
function allowedAsIs(col: ScanColumn, value: string, now: Date, reduced?: string | null): boolean {
  const { rule, kind } = col.plan;
  if (rule.op !== 'partial' && rule.op !== 'generalise') return false;
  const r = reduced ?? applyRule(rule, kind, value, { keys: null, now });
  return normaliseText(r) === normaliseText(value);
}

// ---------------------------------------------------------------------------------------------
// The scan.

export interface LeakFinding {
  reason: string;
}

export class VerificationFailed extends Error {
  constructor(readonly findings: LeakFinding[]) {
    super(findings.map((f) => f.reason).join('; '));
  }
}

export interface SourceRow {
  ordinal: number;
  values: readonly (string | null)[];
}

/** An output cell: its text and the plan of the column it came from (null: our own text). */
export interface OutputCell {
  text: string | null;
  column: ColumnPlan | null;
}

/** A source record, or how to fetch it: verification only needs it when a token hits. */
export type SourceRef = SourceRow | (() => SourceRow);
/** Where a record is in the output, or how to say it (only built for a finding). */
export type Where = string | (() => string);

const KEYED = new Set(['fpe', 'pseudonym']);
const MAX_FINDINGS = 5;
const MAX_CANDIDATES = 2_000_000;

function label(c: ColumnPlan): string {
  return `"${c.name}" (${PII_LABELS[c.kind]})`;
}

const whereText = (w: Where): string => (typeof w === 'string' ? w : w());

interface OwnEntry {
  column: number;
  plan: ColumnPlan;
  any: boolean;
}

interface ScanState extends ScanColumn {
  /** Position of the column's written form in the output row, or -1 (dropped). */
  output: number;
  /** partial / generalise: a value equal to its reduced form is not a target. */
  reduces: boolean;
}

/**
 * Runs the comparisons for one export. Index the original values while writing (`indexRow`),
 * then feed it the re-read output records with their source records and the free text blocks,
 * confirm candidates with one more pass over the source if needed, and call `finish`.
 *
 * Stops (throws VerificationFailed) as soon as it has MAX_FINDINGS reasons: a leaky policy is
 * refused without reading the rest of a large file.
 */
export class Verifier {
  private readonly scan: ScanState[];
  private readonly position = new Map<ColumnPlan, number>();
  private readonly findings: LeakFinding[] = [];
  /** Candidate (column tag, form) → where it was seen. */
  private readonly candidates = new Map<string, string>();
  private candidateForms = new Set<string>();
  /** Per output column (plan.outputColumns order): what `cell` needs, looked up once. */
  private readonly outputs: CellColumn[];
  records = 0;
  cells = 0;

  /** Passes over the source made before the end because the candidates filled up. */
  interimConfirmations = 0;

  constructor(
    private readonly plan: RedactionPlan,
    readonly index: RawIndex,
    private readonly now: Date,
    /**
     * The source records again, for a confirmation pass in the middle of the read-back when the
     * candidates reach `maxCandidates` (a very large export saturating the fixed-size Bloom
     * filter): the pending candidates are settled and the read-back goes on, so a big export
     * costs one more source pass per `maxCandidates` false positives instead of being refused.
     * Without it, reaching the bound refuses the export as unverifiable.
     */
    private readonly confirmSource?: () => Iterable<SourceRow>,
    private readonly maxCandidates = MAX_CANDIDATES,
  ) {
    const outputAt = new Map(plan.outputColumns.map((c, i) => [c, i]));
    this.scan = plan.columns
      .map((c, source) => ({
        source,
        plan: c,
        output: outputAt.get(c) ?? -1,
        reduces: c.rule.op === 'partial' || c.rule.op === 'generalise',
      }))
      .filter((s) => s.plan.scanRaw);
    plan.columns.forEach((c, i) => this.position.set(c, i));
    this.outputs = plan.outputColumns.map((c) => this.cellColumn(c));
  }

  private cellColumn(col: ColumnPlan | null): CellColumn {
    return {
      plan: col,
      index: col ? this.position.get(col)! : ANY,
      keyed: col !== null && KEYED.has(col.rule.op),
      // A keyed pseudonym is PREFIX-hex by construction: only the whole cell can be a value.
      wholeOnly: col !== null && col.rule.op === 'pseudonym',
    };
  }

  get scanColumns(): readonly ScanColumn[] {
    return this.scan;
  }

  /**
   * Indexes the original values of one exported record (called while writing). `outRow` is the
   * record as written (plan.outputColumns order), when the writer has it: a value whose written
   * partial / generalised form is the value itself is not a target (see `targets`).
   *
   * Forms searched in every column go in under ANY only: a look-up in a column also looks under
   * ANY, so a second entry under the column would find nothing more.
   */
  indexRow(values: readonly (string | null)[], outRow?: readonly (string | null)[]): void {
    for (const s of this.scan) {
      const v = values[s.source];
      if (v === null || v === undefined || v.length < 4) continue;
      // rawForms + targets, inlined: this runs for every redacted value of the export.
      const n = normaliseText(v);
      const digits = digitCount(n);
      const c = digits > 0 ? n.replace(SEPARATORS, '') : n;
      const okN = qualifiesWith(n.length, digits);
      const okC = c !== n && qualifiesWith(c.length, digits);
      if (!okN && !okC) continue;
      if (s.reduces) {
        const written = outRow && s.output >= 0 ? outRow[s.output] : undefined;
        const r = written ?? applyRule(s.plan.rule, s.plan.kind, v, { keys: null, now: this.now });
        if (r === v || normaliseText(r) === n) continue;
      }
      if (okN) this.index.add(hashForm(n), crossColumnWith(n, digits) ? ANY : s.source);
      if (okC) this.index.add(hashForm(c), crossColumnWith(c, digits) ? ANY : s.source);
    }
  }

  get failed(): boolean {
    return this.findings.length > 0;
  }

  private fail(reason: string): void {
    if (this.findings.length < MAX_FINDINGS) this.findings.push({ reason });
    if (this.findings.length >= MAX_FINDINGS) throw new VerificationFailed(this.findings);
  }

  private candidate(column: number, form: string, where: Where): void {
    const key = `${column}\u0000${form}`;
    if (this.candidates.has(key)) return;
    if (this.candidates.size >= this.maxCandidates) {
      if (!this.confirmSource) {
        this.fail('verification could not complete: too many candidate matches to confirm');
        return;
      }
      this.confirmPending(this.confirmSource());
    }
    this.candidates.set(key, whereText(where));
    this.candidateForms.add(form);
  }

  /** The original values of one source record that are redaction targets, by form. */
  private ownTargets(source: SourceRow): Map<string, OwnEntry[]> {
    const own = new Map<string, OwnEntry[]>();
    for (const s of this.scan) {
      const v = source.values[s.source];
      if (v === null || v === undefined || v.length < 4) continue;
      for (const t of targets(s, v, this.now)) {
        const list = own.get(t.form);
        const e = { column: s.source, plan: s.plan, any: t.any };
        if (list) list.push(e);
        else own.set(t.form, [e]);
      }
    }
    return own;
  }

  /**
   * One output record and the source record it was made from. Every token is looked up in the
   * Bloom filter first; the source record (fetched only then, when given as a function) and its
   * own original values are only needed when one hits (rare: a leak, or a false positive), so a
   * clean record costs a hash and two probes (one cache line) per token.
   */
  record(cells: readonly OutputCell[], source: SourceRef, where: Where): void {
    this.records++;
    const ctx: RecordContext = { source, own: null, ordinal: null };
    for (const cell of cells) {
      const k = cell.column ? this.plan.outputColumns.indexOf(cell.column) : -1;
      this.cell(cell.text, k >= 0 ? this.outputs[k]! : this.cellColumn(cell.column), ctx, where);
    }
  }

  /**
   * One re-read output row (`values[offset + k]` is the cell of plan.outputColumns[k]), the
   * allocation-free form of `record` used for whole files.
   */
  recordRow(
    values: readonly (string | number | null)[],
    offset: number,
    source: SourceRef,
    where: Where,
  ): void {
    this.records++;
    const ctx: RecordContext = { source, own: null, ordinal: null };
    const outputs = this.outputs;
    for (let k = 0; k < outputs.length; k++) {
      const v = values[k + offset];
      if (v === null || v === undefined) continue;
      this.cell(typeof v === 'string' ? v : String(v), outputs[k]!, ctx, where);
    }
  }

  private cell(text: string | null, out: CellColumn, ctx: RecordContext, where: Where) {
    if (text === null || text.length === 0) return;
    this.cells++;
    const col = out.plan;
    const colIdx = out.index;
    const keyed = out.keyed;
    const tokens = outputTokens(text, out.wholeOnly);
    for (const t of tokens) {
      const h = hashForm(t);
      const inOwn = colIdx !== ANY && this.index.has(h, colIdx);
      const inAny = this.index.has(h, ANY);
      if (!inOwn && !inAny) continue;
      if (ctx.own === null) {
        const src = typeof ctx.source === 'function' ? ctx.source() : ctx.source;
        ctx.own = this.ownTargets(src);
        ctx.ordinal = src.ordinal;
      }
      const hit = ctx.own.get(t)?.find((e) => e.any || e.column === colIdx);
      if (hit) {
        this.fail(
          hit.plan === col && col.rule.op === 'keep'
            ? `column ${label(hit.plan)} is kept although the policy says this kind of data must never appear in clear (record ${ctx.ordinal}, ${whereText(where)})`
            : `an original value of column ${label(hit.plan)} appears in ${col ? `column "${col.output}"` : 'the output'} (record ${ctx.ordinal}, ${whereText(where)})`,
        );
        continue;
      }
      // Another record's value in a keyed column is a coincidence of the permutation, not a leak.
      if (keyed) continue;
      const at = () => `${col ? `column "${col.output}"` : 'the output'}, ${whereText(where)}`;
      if (inOwn) this.candidate(colIdx, t, at);
      if (inAny) this.candidate(ANY, t, at);
    }
    if (this.plan.tokenKinds.size && !keyed) {
      const found = findToken(text, this.plan.tokenKinds);
      if (found) {
        if (ctx.ordinal === null) {
          const src = typeof ctx.source === 'function' ? ctx.source() : ctx.source;
          ctx.ordinal = src.ordinal;
        }
        this.fail(
          `a value that validates as ${PII_LABELS[found.kind as PiiKind]} appears in ${col ? `column "${col.output}"` : 'the output'} (record ${ctx.ordinal}, ${whereText(where)}), which the policy says must never appear in clear`,
        );
      }
    }
  }

  /**
   * Text of our own (report narrative, manifest, aggregate labels): searched for values of any
   * column, and of `column` when the text is that column's (an aggregate category).
   */
  text(text: string, where: string, column: ColumnPlan | null = null): void {
    const colIdx = column ? this.position.get(column)! : ANY;
    for (const t of outputTokens(text)) {
      const h = hashForm(t);
      if (colIdx !== ANY && this.index.has(h, colIdx)) this.candidate(colIdx, t, where);
      if (this.index.has(h, ANY)) this.candidate(ANY, t, where);
    }
    if (this.plan.tokenKinds.size) {
      const found = findToken(text, this.plan.tokenKinds);
      if (found) {
        this.fail(
          `a value that validates as ${PII_LABELS[found.kind as PiiKind]} appears in ${where}, which the policy says must never appear in clear`,
        );
      }
    }
  }

  /** Whether a confirmation pass over the source is needed. */
  get needsConfirmation(): boolean {
    return this.candidates.size > 0 && !this.failed;
  }

  /** Confirmation pass: one source record at a time. */
  confirm(source: SourceRow): void {
    if (this.candidates.size === 0) return;
    for (const s of this.scan) {
      const v = source.values[s.source];
      if (v === null || v === undefined || v.length < 4) continue;
      // Cheap membership test first: almost no value is a candidate.
      const n = normaliseText(v);
      if (!this.candidateForms.has(n) && !this.candidateForms.has(n.replace(SEPARATORS, ''))) {
        continue;
      }
      for (const t of targets(s, v, this.now)) {
        if (!this.candidateForms.has(t.form)) continue;
        for (const tag of t.any ? [s.source, ANY] : [s.source]) {
          const key = `${tag}\u0000${t.form}`;
          const where = this.candidates.get(key);
          if (where !== undefined) {
            this.candidates.delete(key);
            this.fail(
              `an original value of column ${label(s.plan)} (record ${source.ordinal}) appears in ${where}`,
            );
          }
        }
      }
    }
  }

  /**
   * Settles every pending candidate with one pass over the source: a candidate found there is a
   * leak (recorded by `confirm`); the others were Bloom false positives and are forgotten.
   */
  private confirmPending(records: Iterable<SourceRow>): void {
    this.interimConfirmations++;
    for (const rec of records) {
      this.confirm(rec);
      if (this.candidates.size === 0) break;
    }
    this.candidates.clear();
    this.candidateForms = new Set<string>();
  }

  /** Throws VerificationFailed with the reasons, if any. */
  finish(): { records: number; cells: number; candidates: number } {
    if (this.findings.length) throw new VerificationFailed(this.findings);
    return { records: this.records, cells: this.cells, candidates: this.candidates.size };
  }
}

interface CellColumn {
  plan: ColumnPlan | null;
  /** Position in plan.columns (the Bloom filter's column tag), ANY for our own text. */
  index: number;
  keyed: boolean;
  wholeOnly: boolean;
}

interface RecordContext {
  source: SourceRef;
  own: Map<string, OwnEntry[]> | null;
  ordinal: number | null;
}
