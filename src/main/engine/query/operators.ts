/**
 * The SQL of each column operator, paired one-to-one with its description in
 * src/shared/filter.ts (DESCRIBE_OPS): the mapped type makes an operator without SQL a compile
 * error. Each `where(column, op, bind)` gets the column as an SQL expression (`t."c_3"`) and
 * returns a predicate in which every value is a bound placeholder from `bind`.
 *
 * NULL semantics: a missing value matches no positive operator; `notEquals` and `empty` are true
 * for it (an investigator asking "email is not X" expects the records without an email too).
 */
import { LeakscopeError } from '../../../shared/errors';
import {
  DATE_BOUND,
  isCaseSensitive,
  type ColumnOp,
  type ColumnOpName,
} from '../../../shared/filter';
import { compileRegex, fold, parseNumber } from './functions';

export type Bind = (value: string | number | null) => string;
type Where<K extends ColumnOpName> = (
  column: string,
  op: Extract<ColumnOp, { op: K }>,
  bind: Bind,
) => string;

const NON_ASCII = /[^\p{ASCII}]/u;
/** GLOB pattern matching any text holding a non-ASCII character. */
const NON_ASCII_GLOB = '*[^\u0001-\u007f]*';

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function globEscape(s: string): string {
  return s.replace(/[*?[]/g, (c) => `[${c}]`);
}

function str(v: string | number): string {
  return typeof v === 'number' ? String(v) : v;
}

/**
 * Case- and accent-insensitive LIKE. An ASCII needle can only match folded text that is ASCII
 * after folding; a value that is ASCII already is matched by SQLite's LIKE (ASCII case-insensitive,
 * in C), and only values holding a non-ASCII character pay the JavaScript fold. On French leaks,
 * most values are ASCII: this keeps unindexed `contains` close to a plain LIKE scan.
 */
function foldedLike(column: string, needle: string, pattern: (n: string) => string, bind: Bind) {
  const folded = fold(needle);
  const p = bind(pattern(likeEscape(folded)));
  if (!NON_ASCII.test(folded)) {
    return `(CASE WHEN ${column} GLOB ${bind(NON_ASCII_GLOB)} THEN ls_fold(${column}) LIKE ${p} ESCAPE '\\' ELSE ${column} LIKE ${p} ESCAPE '\\' END)`;
  }
  return `(ls_fold(${column}) LIKE ${p} ESCAPE '\\')`;
}

function numberBound(v: string | number | undefined): number | null {
  if (v === undefined) return null;
  const n = typeof v === 'number' ? v : parseNumber(v);
  if (n === null) throw new LeakscopeError('E_BAD_INPUT', `${JSON.stringify(v)} is not a number`);
  return n;
}

/** A date bound as an ISO day; a partial bound covers its whole year or month. */
function dateBound(v: string | number | undefined, end: boolean): string | null {
  if (v === undefined) return null;
  const s = String(v);
  if (!DATE_BOUND.test(s)) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `${JSON.stringify(s)} is not a date bound: write YYYY, YYYY-MM or YYYY-MM-DD`,
    );
  }
  if (s.length === 10) return s;
  if (s.length === 7) return end ? `${s}-31` : `${s}-01`;
  return end ? `${s}-12-31` : `${s}-01-01`;
}

function bounds(expr: string, lo: string | number | null, hi: string | number | null, bind: Bind) {
  const parts: string[] = [];
  if (lo !== null) parts.push(`${expr} >= ${bind(lo)}`);
  if (hi !== null) parts.push(`${expr} <= ${bind(hi)}`);
  return `(${parts.join(' AND ')})`;
}

export const OPERATOR_SQL: { [K in ColumnOpName]: Where<K> } = {
  equals: (c, o, bind) =>
    isCaseSensitive(o)
      ? `${c} = ${bind(str(o.value))}`
      : `ls_fold(${c}) = ${bind(fold(str(o.value)))}`,
  notEquals: (c, o, bind) =>
    isCaseSensitive(o)
      ? `${c} IS NOT ${bind(str(o.value))}`
      : `ls_fold(${c}) IS NOT ${bind(fold(str(o.value)))}`,
  contains: (c, o, bind) =>
    isCaseSensitive(o)
      ? `instr(${c}, ${bind(o.value)}) > 0`
      : foldedLike(c, o.value, (n) => `%${n}%`, bind),
  startsWith: (c, o, bind) =>
    // GLOB is case-sensitive and, on a BINARY column index, becomes an index range.
    isCaseSensitive(o)
      ? `${c} GLOB ${bind(`${globEscape(o.value)}*`)}`
      : foldedLike(c, o.value, (n) => `${n}%`, bind),
  endsWith: (c, o, bind) => {
    if (!isCaseSensitive(o)) return foldedLike(c, o.value, (n) => `%${n}`, bind);
    const p = bind(o.value);
    return `substr(${c}, -length(${p})) = ${p}`;
  },
  regex: (c, o, bind) => {
    const folded = !isCaseSensitive(o);
    compileRegex(o.value);
    return `ls_regex(${c}, ${bind(o.value)}, ${folded ? 1 : 0}) = 1`;
  },
  in: (c, o, bind) => {
    const sensitive = isCaseSensitive(o);
    const list = o.value.map((v) => (sensitive ? str(v) : fold(str(v))));
    const expr = sensitive ? c : `ls_fold(${c})`;
    // One bound JSON array, whatever the list's length: no statement grows with the input.
    return `${expr} IN (SELECT value FROM json_each(${bind(JSON.stringify(list))}))`;
  },
  range: (c, o, bind) => {
    if (o.type === 'number') {
      return bounds(`ls_num(${c})`, numberBound(o.value.min), numberBound(o.value.max), bind);
    }
    if (o.type === 'date') {
      return bounds(
        `ls_date(${c})`,
        dateBound(o.value.min, false),
        dateBound(o.value.max, true),
        bind,
      );
    }
    const t = (v: string | number | undefined) => (v === undefined ? null : str(v));
    return bounds(c, t(o.value.min), t(o.value.max), bind);
  },
  empty: (c) => `(${c} IS NULL OR trim(${c}) = '')`,
  notEmpty: (c) => `trim(${c}) <> ''`,
  length: (c, o, bind) => bounds(`length(${c})`, o.value.min ?? null, o.value.max ?? null, bind),
};

export function operatorSql(column: string, op: ColumnOp, bind: Bind): string {
  return (OPERATOR_SQL[op.op] as Where<ColumnOpName>)(column, op as never, bind);
}
