/**
 * A policy applied to a dataset: each column gets its rule (column override, else the rule of its
 * kind, else the policy's default), and the plan becomes a row transformer that turns a stored
 * row (positional values, null = absent) into the redacted output row (dropped columns removed).
 *
 * The plan also says what verification must check for each column (`scanRaw`: the column is
 * redacted, or its kind is one the policy says must never appear in clear) and which token kinds
 * (NIR, e-mail, phone) must not appear in the kept columns.
 *
 * Pure apart from the keys it is given: no I/O, no store access.
 */
import type { PiiKind } from '../../../shared/pii';
import { PII_LABELS } from '../../../shared/pii';
import {
  describeRule,
  GENERALISE_KINDS,
  type RedactionPolicy,
  type RedactionRule,
} from '../../../shared/redaction';
import { RecentCache } from './cache';
import type { ColumnKind } from './kinds';
import type { RedactionKeys } from './keys';
import { applyRule, type RuleContext } from './rules';
import type { TokenKind } from './tokens';

export interface ColumnPlan extends ColumnKind {
  rule: RedactionRule;
  ruleSource: 'column' | 'kind' | 'default';
  /** The kind came from the policy's column override rather than the profile. */
  kindFromPolicy: boolean;
  /** Unique output name (a duplicate header gets ` (2)`), or null when the column is dropped. */
  output: string | null;
  /** Verification must find none of this column's original values in the output. */
  scanRaw: boolean;
  /** The kind is in the policy's must-redact list. */
  mustRedact: boolean;
  /** Plain-language rule for this column (manifest, report, preview). */
  description: string;
}

export interface RedactionPlan {
  policy: RedactionPolicy;
  columns: ColumnPlan[];
  /** Output columns in order (plan entries that are not dropped). */
  outputColumns: ColumnPlan[];
  /** Token kinds that must not appear in kept columns (must-redact ∩ {nir, email, phone}). */
  tokenKinds: ReadonlySet<TokenKind>;
  needsKeys: boolean;
  warnings: string[];
}

const TOKEN_KINDS: readonly TokenKind[] = ['nir', 'email', 'phone'];

/**
 * `visible`: when given (a saved session's visible columns, by name or path), the other columns
 * are left out of the output.
 */
export function planRedaction(
  policy: RedactionPolicy,
  columns: readonly ColumnKind[],
  visible?: ReadonlySet<string>,
): RedactionPlan {
  const warnings: string[] = [];
  const must = new Set<PiiKind>(policy.mustRedact);
  const used = new Set<string>();
  const overrides = new Map(policy.columns.map((o) => [o.column, o]));
  const matched = new Set<string>();
  const plans: ColumnPlan[] = columns.map((c) => {
    const o = overrides.get(c.name) ?? overrides.get(c.path);
    if (o) matched.add(o.column);
    const kind = o?.kind ?? c.kind;
    let rule: RedactionRule;
    let ruleSource: ColumnPlan['ruleSource'];
    if (o?.rule) {
      rule = o.rule;
      ruleSource = 'column';
    } else if (policy.kinds[kind]) {
      rule = policy.kinds[kind]!;
      ruleSource = 'kind';
    } else {
      rule = policy.defaultRule;
      ruleSource = 'default';
    }
    const hidden = visible !== undefined && !visible.has(c.name) && !visible.has(c.path);
    if (hidden) {
      rule = { op: 'drop' };
      ruleSource = 'column';
    }
    if (rule.op === 'generalise' && !GENERALISE_KINDS.has(kind)) {
      warnings.push(
        `column "${c.name}" (${PII_LABELS[kind]}) has no generalised form: it is masked entirely`,
      );
      rule = { op: 'mask', keepFirst: 0, keepLast: 0 };
    }
    let output: string | null = null;
    if (rule.op !== 'drop') {
      output = c.name;
      for (let n = 2; used.has(output); n++) output = `${c.name} (${n})`;
      used.add(output);
    }
    const mustRedact = must.has(kind);
    return {
      ...c,
      kind,
      kindFromPolicy: o?.kind !== undefined,
      rule,
      ruleSource,
      output,
      mustRedact,
      scanRaw: rule.op !== 'keep' || mustRedact,
      description: hidden ? 'left out (not shown in the saved session)' : describeRule(rule, kind),
    };
  });
  for (const o of policy.columns) {
    if (!matched.has(o.column)) {
      warnings.push(`the policy names column "${o.column}", which this dataset does not have`);
    }
  }
  const outputColumns = plans.filter((p) => p.output !== null);
  return {
    policy,
    columns: plans,
    outputColumns,
    tokenKinds: new Set(TOKEN_KINDS.filter((k) => must.has(k))),
    needsKeys: plans.some((p) => p.rule.op === 'pseudonym' || p.rule.op === 'fpe'),
    warnings,
  };
}

/**
 * Stored row in, redacted output row out. `into`, when given, is filled and returned instead of a
 * new array (callers that keep nothing of a row once they ask for the next: no allocation).
 */
export type RowTransformer = (
  values: readonly (string | null)[],
  into?: (string | null)[],
) => (string | null)[];

/**
 * The row transformer of a plan: input values are positional by dataset column index order
 * (values[k] is plan.columns[k]); the output holds the non-dropped columns in order.
 */
export function rowTransformer(
  plan: RedactionPlan,
  keys: RedactionKeys | null,
  now: Date,
): RowTransformer {
  if (plan.needsKeys && !keys) throw new Error('this policy needs the case keys');
  const ctx: RuleContext = { keys, now };
  const steps: ((v: string) => string)[] = [];
  const positions: number[] = [];
  plan.columns.forEach((c, k) => {
    if (c.output === null) return;
    positions.push(k);
    const { rule, kind } = c;
    if (rule.op === 'keep') {
      steps.push((v) => v);
    } else if (rule.op === 'pseudonym' || rule.op === 'fpe') {
      // Keyed operators cost an HMAC (or ten) per value; leaks repeat values a lot (names,
      // cities, domains). A column whose values hardly repeat (NIRs, IBANs) turns its cache off
      // after a trial (see RecentCache). Cheaper operators are not cached: a look-up in a large
      // map costs about what they do (measured).
      const memo = new RecentCache<string>();
      steps.push((v) => {
        let out = memo.get(v);
        if (out === undefined) {
          out = applyRule(rule, kind, v, ctx);
          memo.set(v, out);
        }
        return out;
      });
    } else {
      steps.push((v) => applyRule(rule, kind, v, ctx));
    }
  });
  return (values, into) => {
    const out = into ?? new Array<string | null>(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const v = values[positions[i]!];
      out[i] = v === null || v === undefined ? null : steps[i]!(v);
    }
    return out;
  };
}
