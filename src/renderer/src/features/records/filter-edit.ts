/**
 * Editing the filter AST (src/shared/filter.ts) the way the grid's chips show it: the filter is
 * an AND of members, one chip each; a member may be a leaf, a NOT, or an OR group (built by
 * "or…" on a chip). Every edit returns a new AST (or undefined for "all records"); nothing here
 * mutates its input.
 *
 * Pure: no React, no DOM.
 */
import {
  COLUMN_OP_NAMES,
  filterIssues,
  type ColumnOpName,
  type FilterNode,
} from '../../../../shared/filter';
import type { PiiKind } from '../../../../shared/pii';

export function members(ast: FilterNode | undefined): FilterNode[] {
  if (!ast) return [];
  return 'and' in ast ? ast.and : [ast];
}

export function fromMembers(list: FilterNode[]): FilterNode | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  return { and: list };
}

export function addMember(ast: FilterNode | undefined, node: FilterNode): FilterNode {
  return fromMembers([...members(ast), node])!;
}

export function removeMember(ast: FilterNode | undefined, i: number): FilterNode | undefined {
  return fromMembers(members(ast).filter((_, k) => k !== i));
}

/** Member `i` becomes `(member OR node)` (joining an existing OR group). */
export function orWithMember(
  ast: FilterNode | undefined,
  i: number,
  node: FilterNode,
): FilterNode | undefined {
  const list = members(ast).slice();
  const m = list[i];
  if (!m) return addMember(ast, node);
  list[i] = 'or' in m ? { or: [...m.or, node] } : { or: [m, node] };
  return fromMembers(list);
}

/** What the builder form holds. */
export type Target =
  | { type: 'column'; column: string }
  | { type: 'kind'; kind: PiiKind }
  | { type: 'tag' }
  | { type: 'hasNote' }
  | { type: 'provenance'; field: 'line' | 'ordinal' | 'offset' | 'nearReject' }
  | { type: 'linkage'; link: 'seenIn' | 'duplicate' | 'matched' | 'clusterSize' };

export interface Draft {
  target: Target;
  op: ColumnOpName;
  value: string;
  /** Second bound for range and length, and numbers for provenance ranges. */
  min: string;
  max: string;
  rangeType: 'number' | 'date' | 'text';
  /** null: the operator's default. */
  ignoreCase: boolean | null;
  negate: boolean;
}

export const OPS_LABELS: Record<ColumnOpName, string> = {
  contains: 'contains',
  equals: 'is',
  notEquals: 'is not',
  startsWith: 'starts with',
  endsWith: 'ends with',
  regex: 'matches pattern',
  in: 'is one of',
  range: 'is between',
  empty: 'is empty',
  notEmpty: 'is not empty',
  length: 'has length',
};

export const OP_ORDER: ColumnOpName[] = [
  'contains',
  'equals',
  'notEquals',
  'startsWith',
  'endsWith',
  'in',
  'range',
  'regex',
  'empty',
  'notEmpty',
  'length',
];
// Every operator of the AST is offered (compile-time and run-time check).
if (OP_ORDER.length !== COLUMN_OP_NAMES.length) throw new Error('filter operators out of sync');

export const needsValue = (op: ColumnOpName) => op !== 'empty' && op !== 'notEmpty';
export const usesBounds = (op: ColumnOpName) => op === 'range' || op === 'length';
export const hasCaseOption = (op: ColumnOpName) =>
  !['range', 'empty', 'notEmpty', 'length'].includes(op);

function num(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function intBound(s: string): number | undefined {
  const n = num(s);
  return n === undefined ? undefined : Math.max(0, Math.trunc(n));
}

/** The operator part of a column or kind leaf. */
function opPart(d: Draft): Record<string, unknown> {
  const part: Record<string, unknown> = { op: d.op };
  switch (d.op) {
    case 'empty':
    case 'notEmpty':
      break;
    case 'in':
      part.value = d.value
        .split(/[\n,]/)
        .map((v) => v.trim())
        .filter(Boolean);
      break;
    case 'range': {
      const bound = (s: string) =>
        s.trim() === '' ? undefined : d.rangeType === 'number' ? (num(s) ?? s.trim()) : s.trim();
      const value: Record<string, unknown> = {};
      const lo = bound(d.min);
      const hi = bound(d.max);
      if (lo !== undefined) value.min = lo;
      if (hi !== undefined) value.max = hi;
      part.value = value;
      part.type = d.rangeType;
      break;
    }
    case 'length': {
      const value: Record<string, unknown> = {};
      const lo = intBound(d.min);
      const hi = intBound(d.max);
      if (lo !== undefined) value.min = lo;
      if (hi !== undefined) value.max = hi;
      part.value = value;
      break;
    }
    default:
      part.value = d.value;
  }
  if (d.ignoreCase !== null && hasCaseOption(d.op)) part.caseSensitive = !d.ignoreCase;
  return part;
}

/** Builds the node of a draft, or says what is wrong with it. */
export function buildNode(d: Draft): { node: FilterNode } | { error: string } {
  let node: unknown;
  const t = d.target;
  switch (t.type) {
    case 'column':
      node = { column: t.column, ...opPart(d) };
      break;
    case 'kind':
      node = { kind: t.kind, ...opPart(d) };
      break;
    case 'tag':
      node = { tag: d.value };
      break;
    case 'hasNote':
      node = { hasNote: true };
      break;
    case 'provenance':
      if (t.field === 'nearReject') {
        const w = intBound(d.value);
        node = { provenance: 'nearReject', ...(w !== undefined ? { within: w } : {}) };
      } else {
        const lo = intBound(d.min);
        const hi = intBound(d.max);
        node = {
          provenance: t.field,
          ...(lo !== undefined ? { min: lo } : {}),
          ...(hi !== undefined ? { max: hi } : {}),
        };
      }
      break;
    case 'linkage':
      if (t.link === 'seenIn') node = { linkage: 'seenIn', dataset: d.value };
      else if (t.link === 'duplicate') node = { linkage: 'duplicate' };
      else if (t.link === 'matched') node = { linkage: 'matched', minScore: num(d.value) ?? NaN };
      else node = { linkage: 'clusterSize', min: intBound(d.value) ?? NaN };
      break;
  }
  if (d.negate) node = { not: node };
  const issues = filterIssues(node);
  if (issues.length) {
    const i = issues[0]!;
    const where = i.path.filter((p) => p !== 'not').join('.');
    return { error: where ? `${where}: ${i.message}` : i.message };
  }
  return { node: node as FilterNode };
}

export function emptyDraft(firstColumn: string | undefined): Draft {
  return {
    target: firstColumn ? { type: 'column', column: firstColumn } : { type: 'hasNote' },
    op: 'contains',
    value: '',
    min: '',
    max: '',
    rangeType: 'number',
    ignoreCase: null,
    negate: false,
  };
}
