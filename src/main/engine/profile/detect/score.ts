/**
 * From per-value matches to column findings: how much of the column is each kind, how sure we
 * are, and which kinds explain the same values (ambiguous) or different ones (mixed).
 *
 * Confidence of kind K over the n sampled non-empty values of a column:
 *   - checksum part: of the Mc values with K's shape, Vc pass the check where Ec = Σ chance
 *     would pass at random; the excess over chance κ = (Vc − Ec) / (Mc − Ec) says how many of
 *     the passes are real (a 15-digit column passing the NIR key 1 % of the time is random
 *     digits: κ ≈ 0, whatever the share);
 *   - values recognised without a check (e-mail syntax, a name on the list) count fully;
 *   - Veff = κ·Vc + Vn values are believed to be K; c0 = (Veff / V) · spec · g(Veff / n) · f(Veff)
 *     with spec the detector's specificity, g(s) = √min(1, s / 0.8) (how much of the column it
 *     is) and f(v) = 1 − e^(−v/3) (a handful of values is weaker evidence than thousands);
 *   - the header then moves the log-odds by ±1.5·g: it raises or lowers, and c0 = 0 stays 0.
 *
 * Selection, best first: a kind whose validated values are already explained by a better kind
 * (an RPPS column also has France Travail's 11-digit shape) is dropped, unless its confidence is
 * within AMBIGUITY_MARGIN of the best: then both are reported and flagged ambiguous. A kind with
 * a material share of values no better kind explains is kept: the column is mixed.
 */
import type { PiiEvidence, PiiFinding } from '../../../../shared/api';
import type { PiiKind } from '../../../../shared/pii';
import type { ParsedDate } from '../stats/dates';
import { isLuhnValid } from '../validators';
import { DETECTORS, KIND_BIT, type KindDetector, type Match } from './detectors';
import { headerVerdict, type HeaderHint, type HeaderVerdict } from './headers';
import { viewOf } from './view';

export const AMBIGUITY_MARGIN = 0.1;
export const MIN_CONFIDENCE = 0.2;
/** Share of non-empty values a kind must validate on to be reported (checksum / other kinds). */
export const MIN_SHARE_CHECKED = 0.05;
export const MIN_SHARE_OTHER = 0.15;
export const MIN_SHARE_LIST = 0.4;
const HEADER_SUPPORT = 1.5;
/** Smaller than support: a misleading header should not outweigh good value evidence. */
const HEADER_CONTRADICTION = 1.0;
/** Specificity at or below which a reading rests on shape (or header) more than on values. */
const WEAK_SPEC = 0.55;
const LIST_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>([
  'first_name',
  'last_name',
  'full_name',
  'city',
  'country',
]);

interface KindAgg {
  kind: PiiKind;
  checksum: boolean;
  mc: number;
  vc: number;
  ec: number;
  specC: number;
  mn: number;
  vn: number;
  specN: number;
  /** Validated values whose match was weak (spec ≤ WEAK_SPEC). */
  weak: number;
  schemes: Map<string, number>;
  /** Values validated, for reading them back (Luhn rate of 11-digit values...). */
  examples: string[];
}

export interface ColumnDetection {
  findings: PiiFinding[];
  ambiguous: boolean;
  mixed: boolean;
  /** Per sampled value: bit mask of the kinds it validated as (KIND_BIT). */
  masks: Uint32Array;
}

export interface DetectOptions {
  hint: HeaderHint | null;
  year: number;
  /** Distinct values of the whole column (sex codes are few). */
  distinct: number;
  /**
   * Dates parsed by the type counter, aligned with `values`: parseDate of the trimmed value, so
   * equal values have equal dates (results are remembered per distinct value).
   */
  dates: readonly (ParsedDate | null)[];
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Distinct values per column whose detector results are remembered. */
const MEMO_BOUND = 20_000;

interface Verdict {
  /** Per kind: the first valid match of the kind's detectors, else its first match. */
  chosen: [PiiKind, Match][];
  /** What the value reads as for the examples (compact form, else trimmed). */
  example: string;
}

function testValue(
  value: string,
  detectors: readonly KindDetector[],
  ctx: { date: ParsedDate | null; year: number },
): Verdict {
  const view = viewOf(value);
  const chosen = new Map<PiiKind, Match>();
  for (const d of detectors) {
    const prev = chosen.get(d.kind);
    if (prev?.valid) continue;
    const m = d.test(view, ctx);
    if (m && (!prev || m.valid)) chosen.set(d.kind, m);
  }
  return { chosen: [...chosen], example: view.compact || view.v };
}

function allowed(d: KindDetector, hint: HeaderHint | null): boolean {
  if (!d.needsHeader) return true;
  return hint !== null && !hint.inherited && hint.kinds.includes(d.kind);
}

export function detectColumn(values: readonly string[], opts: DetectOptions): ColumnDetection {
  const { hint } = opts;
  const detectors = DETECTORS.filter((d) => allowed(d, hint));
  const aggs = new Map<PiiKind, KindAgg>();
  const agg = (kind: PiiKind, checksum: boolean): KindAgg => {
    let a = aggs.get(kind);
    if (!a) {
      a = {
        kind,
        checksum,
        mc: 0,
        vc: 0,
        ec: 0,
        specC: 0,
        mn: 0,
        vn: 0,
        specN: 0,
        weak: 0,
        schemes: new Map(),
        examples: [],
      };
      aggs.set(kind, a);
    }
    if (checksum) a.checksum = true;
    return a;
  };
  const masks = new Uint32Array(values.length);
  const ctx = { date: null as ParsedDate | null, year: opts.year };
  // Per value and kind: the first valid match of the kind's detectors, else its first match.
  // Detectors are pure functions of the value (and of its date, parsed from the value), so a
  // value repeated in the sample (sex codes, postal codes, cities, first names) is tested once.
  const memo = new Map<string, Verdict>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let verdict = memo.get(value);
    if (verdict === undefined) {
      ctx.date = opts.dates[i] ?? null;
      verdict = testValue(value, detectors, ctx);
      if (memo.size < MEMO_BOUND) memo.set(value, verdict);
    }
    let mask = 0;
    for (const [kind, m] of verdict.chosen) {
      const a = agg(kind, false);
      const checked = m.chance < 1;
      if (checked) {
        a.checksum = true;
        a.mc++;
        a.ec += m.chance;
      } else a.mn++;
      if (!m.valid) continue;
      if (checked) {
        a.vc++;
        a.specC += m.spec;
      } else {
        a.vn++;
        a.specN += m.spec;
      }
      if (m.spec <= WEAK_SPEC) a.weak++;
      a.schemes.set(m.scheme, (a.schemes.get(m.scheme) ?? 0) + 1);
      if (a.examples.length < 2000) a.examples.push(verdict.example);
      mask |= 1 << KIND_BIT.get(kind)!;
    }
    masks[i] = mask;
  }

  const n = values.length;
  const scored: { f: PiiFinding; bit: number; checksum: boolean; weak: boolean; c0: number }[] = [];
  for (const a of aggs.values()) {
    const v = a.vc + a.vn;
    if (v === 0 || n === 0) continue;
    const kc = a.mc > a.ec ? Math.min(1, Math.max(0, (a.vc - a.ec) / (a.mc - a.ec))) : 0;
    const veff = kc * a.vc + a.vn;
    if (veff <= 0) continue;
    let spec = (kc * a.specC + a.specN) / veff;
    spec *= columnAdjustment(a, opts);
    const share = v / n;
    const g = Math.sqrt(Math.min(1, veff / n / 0.8));
    const f = 1 - Math.exp(-veff / 3);
    const c0 = (veff / v) * spec * g * f;
    let verdict = headerVerdict(hint, a.kind);
    let against = HEADER_CONTRADICTION;
    // "created", "hire date", "registered.date": a date column that is not a birth date. Any
    // date can be a birth date, so here the header is the deciding evidence.
    if (a.kind === 'date_of_birth' && hint?.kinds[0] === 'date' && hint.specific) {
      verdict = 'contradicts';
      against = HEADER_SUPPORT;
    }
    const adj =
      verdict === 'supports' ? HEADER_SUPPORT * g : verdict === 'contradicts' ? -against * g : 0;
    const confidence = c0 <= 0 ? 0 : sigmoid(logit(c0) + adj);
    // List look-ups (names, places) hit common words by chance: without a header, a column
    // must be mostly list entries to be called a name or a place column.
    const listKind = LIST_KINDS.has(a.kind) && verdict !== 'supports';
    const minShare =
      a.checksum && kc >= 0.5 ? MIN_SHARE_CHECKED : listKind ? MIN_SHARE_LIST : MIN_SHARE_OTHER;
    if (confidence < MIN_CONFIDENCE || share < minShare) continue;
    const evidence: PiiEvidence = {
      sampled: n,
      matched: a.mc + a.mn,
      validated: v,
      chance: a.mc > 0 ? round3(a.ec / a.mc) : 1,
      header: verdict,
      headerWord: verdict === 'neutral' ? null : (hint?.word ?? null),
      note: noteFor(a, n, kc, verdict, hint),
    };
    scored.push({
      f: {
        kind: a.kind,
        confidence: round3(confidence),
        share: round3(share),
        scheme: schemeOf(a.schemes),
        evidence,
        ambiguous: false,
        alternatives: [],
      },
      bit: 1 << KIND_BIT.get(a.kind)!,
      checksum: a.checksum,
      weak: a.weak > v / 2,
      c0,
    });
  }
  // A reading that rests on shape and header ranks below a reading the values themselves
  // support (c0 ≥ 0.5 before any header): a misleading header must not win over good values.
  const strong = scored.filter((x) => !x.weak && x.c0 >= 0.5);
  if (strong.length) {
    const cap = Math.max(...strong.map((x) => x.f.confidence)) - AMBIGUITY_MARGIN - 0.01;
    for (const x of scored) {
      if (x.weak && x.f.confidence > cap) {
        x.f.confidence = round3(Math.max(0, cap));
        x.f.evidence.note += '; ranked below readings the values support on their own';
      }
    }
  }
  scored.sort((x, y) => y.f.confidence - x.f.confidence || y.f.share - x.f.share);

  const findings: PiiFinding[] = [];
  let acceptedBits = 0;
  let mixed = false;
  let ambiguous = false;
  for (const s of scored) {
    if (findings.length === 0) {
      findings.push(s.f);
      acceptedBits |= s.bit;
      continue;
    }
    let exclusive = 0;
    for (let i = 0; i < n; i++) if (masks[i]! & s.bit && !(masks[i]! & acceptedBits)) exclusive++;
    const top = findings[0]!;
    if (top.confidence - s.f.confidence <= AMBIGUITY_MARGIN && exclusive / n < MIN_SHARE_OTHER) {
      // Same values, about as well explained: say so rather than guess.
      ambiguous = true;
      top.ambiguous = true;
      top.alternatives.push(s.f.kind);
      s.f.ambiguous = true;
      s.f.alternatives.push(top.kind);
      findings.push(s.f);
      acceptedBits |= s.bit;
    } else if (exclusive / n >= MIN_SHARE_OTHER && exclusive >= 2) {
      mixed = true;
      findings.push(s.f);
      acceptedBits |= s.bit;
    } else if (exclusive === 0 && findings.length > 0) {
      top.evidence.note += `; also fits ${s.f.kind} (confidence ${s.f.confidence}), explained by ${top.kind}`;
    }
  }
  return { findings, ambiguous, mixed, masks };
}

/** Column-level corrections that a single value cannot see. */
function columnAdjustment(a: KindAgg, opts: DetectOptions): number {
  if (a.kind === 'sex') {
    // Sex codes are a handful of values; a column of many distinct short words is not sex.
    if (opts.distinct > 12) return 0;
    if (a.schemes.get('sex-1-2') === a.vn + a.vc && opts.distinct > 3) return 0;
  }
  if (a.kind === 'date_of_birth') {
    // Birth dates spread over decades with a median age of adults; event dates (hiring,
    // registration, orders) cluster within a few recent years.
    const years: number[] = [];
    for (const d of opts.dates) if (d) years.push(d.y);
    if (years.length >= 5) {
      years.sort((x, y) => x - y);
      const q = (p: number) => years[Math.min(years.length - 1, Math.floor(p * years.length))]!;
      const medianAge = opts.year - q(0.5);
      const spread = q(0.9) - q(0.1);
      if (medianAge < 16 || medianAge > 100 || spread < 4) return 0.4;
    }
  }
  return 1;
}

function schemeOf(schemes: Map<string, number>): string | null {
  const sorted = [...schemes.entries()].sort((a, b) => b[1] - a[1]);
  if (sorted.length === 0) return null;
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  if (sorted.length === 1 || sorted[0]![1] >= 0.9 * total) return sorted[0]![0];
  return `mixed:${sorted
    .slice(0, 8)
    .map(([k]) => k)
    .join(',')}`;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
}

function noteFor(
  a: KindAgg,
  n: number,
  kc: number,
  verdict: HeaderVerdict,
  hint: HeaderHint | null,
): string {
  const v = a.vc + a.vn;
  const parts: string[] = [];
  if (a.mc > 0) {
    const chance = a.ec / a.mc;
    parts.push(
      `${a.vc} of ${a.mc} values with the shape pass the check (${pct(a.vc / a.mc)} vs ${pct(chance)} by chance; excess over chance ${pct(kc)})`,
    );
  }
  if (a.vn > 0) parts.push(`${a.vn} of ${n} values recognised without a checksum`);
  if (a.schemes.size > 1) {
    const list = [...a.schemes.entries()].sort((x, y) => y[1] - x[1]).map(([s, c]) => `${s} ${c}`);
    parts.push(`forms: ${list.slice(0, 8).join(', ')}`);
  }
  if (a.kind === 'rpps' || a.kind === 'france_travail_id') parts.push(rppsVersusFt(a));
  if (verdict === 'supports') parts.push(`header "${hint?.word}" supports it`);
  if (verdict === 'contradicts') parts.push(`header "${hint?.word}" names another kind`);
  parts.push(`share ${pct(v / n)} of ${n} sampled values`);
  return parts.filter(Boolean).join('; ');
}

/** The 11-digit collision: RPPS carries a Luhn key, France Travail's national id none. */
function rppsVersusFt(a: KindAgg): string {
  const eleven = a.examples.filter((e) => e.length === 11 && /^\d+$/.test(e));
  if (eleven.length === 0) return '';
  let luhn = 0;
  for (const e of eleven) if (isLuhnValid(e)) luhn++;
  const rate = luhn / eleven.length;
  if (a.kind === 'rpps') {
    return `11-digit values could be France Travail's national id (no key), but the Luhn key holds on ${pct(rate)} of them (10% by chance): decided RPPS`;
  }
  return `11-digit values could be RPPS numbers, but the Luhn key holds on only ${pct(rate)} of them (10% by chance): decided France Travail national id`;
}
