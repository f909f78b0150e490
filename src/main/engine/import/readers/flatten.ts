/**
 * Flattening of one JSON record (the text of one NDJSON line or one array element) into the
 * positional string values of a table whose columns grow as new keys appear. Shared by the
 * NDJSON and JSON readers.
 *
 * Why our own small parser instead of JSON.parse + a walk over the result:
 *  - numbers must reach the sink as written (`1.50`, `12345678901234567890`, `1e3`); JSON.parse
 *    turns them into doubles, and Node 20's V8 has no `context.source` in the reviver without a
 *    flag (checked: `JSON.parse('[1.50]', (k, v, c) => c?.source ?? v)` gives 1.5);
 *  - walking a parsed object visits integer-like keys first, so it cannot even be lined up with
 *    the number tokens of the source;
 *  - parsing straight into columns avoids building the object tree, and a per-object cache of
 *    the last key order lets the common case (every record has the same keys) match each key
 *    with one `startsWith`, without creating the key string or hashing it.
 * The parser accepts exactly the JSON grammar (RFC 8259, as JSON.parse does); when it refuses a
 * record, JSON.parse is asked for the reason so the reject message is the familiar one. Strings
 * with escapes are decoded by JSON.parse on the string token (\u escapes, surrogate pairs).
 *
 * Flattening rules (the contract of the dotted columns):
 *  - nested objects become dotted paths: {"stagiaire": {"contact": {"email": …}}} →
 *    `stagiaire.contact.email`; column name = path = the dotted path;
 *  - keys are kept as written, dots included: {"a.b": 1} and {"a": {"b": 2}} both map to `a.b`
 *    and share the column (the later value wins, as with a repeated key);
 *  - an empty object holds no value and adds no column;
 *  - arrays (of scalars or of objects) are stored as compact JSON text: `["a","b"]`,
 *    `[{"x":1.50}]`, with numbers as written and strings re-escaped by JSON.stringify;
 *  - strings → their decoded text; numbers → their text as written; true/false → 'true'/'false';
 *    null → null (the column is still created: the key exists in the data);
 *  - a repeated key: the later value wins (JSON.parse semantics); a key repeated with object
 *    values merges their members (JSON.parse would keep only the last object).
 * A table is capped at MAX_COLUMNS columns: a record that would go past it is rejected (its raw
 * text is kept in the reject) rather than letting a map keyed by ids explode the schema.
 *
 * Pure: no I/O; must not import electron, the store, or anything outside node:* and this folder.
 */
import type { ColumnSpec } from '../types';

/** Columns per table beyond which records adding new keys are rejected. */
export const MAX_COLUMNS = 4096;
/** Nesting depth beyond which a record is rejected (keeps the recursive parser off the stack limit). */
export const MAX_DEPTH = 512;
/** The column used when a records array holds scalars rather than objects. */
export const VALUE_COLUMN = 'value';

export type FlattenResult =
  | { ok: true; values: (string | null)[]; added: ColumnSpec[] | null }
  | { ok: false; reason: string };

/** One key of one object level: its column (for scalar/array values) and its sub-level. */
interface FieldInfo {
  key: string;
  /** The key token as last seen in the source, quotes included, for the startsWith fast path. */
  raw: string;
  path: string;
  col: number;
  child: ObjNode | null;
}

interface ObjNode {
  byKey: Map<string, FieldInfo>;
  /** The fields in the order the last record listed them: slot i is the guess for member i. */
  order: FieldInfo[];
}

/** Thrown inside the parser on the first grammar error; never escapes this module. */
class SyntaxStop {
  constructor(readonly message: string) {}
}

function newNode(): ObjNode {
  return { byKey: new Map(), order: [] };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return 'an object';
}

/** JSON.parse's own message for an invalid text, or null when JSON.parse accepts it. */
export function jsonParseError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * The growing column list of one table and the parser that fills it. Not re-entrant: one
 * instance per table, used synchronously.
 */
export class TableFlattener {
  /** Every column declared so far, in declaration order (the positional order of values). */
  readonly columns: ColumnSpec[] = [];
  private readonly byPath = new Map<string, number>();
  private readonly root = newNode();
  /** The `value` column of an array of scalars (kept apart from the keys of objects). */
  private valueInfo: FieldInfo | null = null;

  // Parser state for the record being read.
  private t = '';
  private p = 0;
  private n = 0;
  private vals: (string | null)[] = [];
  private added: ColumnSpec[] | null = null;
  /** Fields whose column was created during the current record (undone if it is rejected). */
  private touched: FieldInfo[] = [];
  private startCols = 0;
  /** Set by string(): whether the last string token held an escape. */
  private lastEscaped = false;

  /**
   * Flattens one record that must be a JSON object. On success `added` lists the columns this
   * record introduced (declare them before the row); on failure nothing is changed.
   */
  flattenObject(text: string): FlattenResult {
    this.begin(text);
    try {
      this.ws();
      if (this.t.charCodeAt(this.p) !== 0x7b) return this.fail(text, true);
      this.p++;
      this.object(this.root, '', 1);
      this.ws();
      if (this.p !== this.n) throw new SyntaxStop('unexpected text after the record');
    } catch (e) {
      return this.fail(text, false, e);
    }
    return this.done();
  }

  /**
   * Flattens one element of an array of scalars: the whole value goes to the `value` column
   * (scalars as text, containers as compact JSON).
   */
  flattenValue(text: string): FlattenResult {
    this.begin(text);
    try {
      this.ws();
      const v = this.valueText(1);
      this.ws();
      if (this.p !== this.n) throw new SyntaxStop('unexpected text after the value');
      this.set(
        (this.valueInfo ??= {
          key: VALUE_COLUMN,
          raw: '',
          path: VALUE_COLUMN,
          col: -1,
          child: null,
        }),
        v,
      );
    } catch (e) {
      return this.fail(text, false, e);
    }
    return this.done();
  }

  private begin(text: string): void {
    this.t = text;
    this.p = 0;
    this.n = text.length;
    this.startCols = this.columns.length;
    this.vals = new Array<string | null>(this.startCols).fill(null);
    this.added = null;
    if (this.touched.length) this.touched = [];
  }

  private done(): FlattenResult {
    const r: FlattenResult = { ok: true, values: this.vals, added: this.added };
    if (this.touched.length) this.touched = [];
    this.t = '';
    return r;
  }

  /** Undoes the columns of a refused record and explains why it was refused. */
  private fail(text: string, notObject: boolean, e?: unknown): FlattenResult {
    if (e !== undefined && !(e instanceof SyntaxStop) && !(e instanceof RangeError)) throw e;
    for (const info of this.touched) info.col = -1;
    this.touched = [];
    for (let i = this.startCols; i < this.columns.length; i++) {
      this.byPath.delete(this.columns[i]!.path);
    }
    this.columns.length = this.startCols;
    this.added = null;
    this.t = '';
    const jsonError = jsonParseError(text);
    if (jsonError !== null) return { ok: false, reason: `invalid JSON: ${jsonError}` };
    if (notObject) {
      return { ok: false, reason: `expected a JSON object, found ${kindOf(JSON.parse(text))}` };
    }
    // JSON.parse accepts what we refused: only our own limits can get here.
    const why = e instanceof SyntaxStop ? e.message : 'nesting too deep';
    return { ok: false, reason: `record could not be flattened: ${why}` };
  }

  private stop(what: string): never {
    throw new SyntaxStop(`${what} at position ${this.p}`);
  }

  private ws(): void {
    const t = this.t;
    let p = this.p;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.p = p;
  }

  /** Assigns a value to a field's column, creating the column on first use. */
  private set(info: FieldInfo, v: string | null): void {
    let col = info.col;
    if (col < 0) {
      const known = this.byPath.get(info.path);
      if (known !== undefined) {
        col = known;
      } else {
        if (this.columns.length >= MAX_COLUMNS) {
          throw new SyntaxStop(`more than ${MAX_COLUMNS} distinct columns`);
        }
        col = this.columns.length;
        const spec: ColumnSpec = { name: info.path, path: info.path };
        this.columns.push(spec);
        this.byPath.set(info.path, col);
        (this.added ??= []).push(spec);
      }
      info.col = col;
      if (col >= this.startCols) this.touched.push(info);
    }
    const vals = this.vals;
    if (col < vals.length) vals[col] = v;
    else vals.push(v); // a column created by this record: always the next position
  }

  /** Members of an object whose '{' has been consumed. */
  private object(node: ObjNode, prefix: string, depth: number): void {
    if (depth > MAX_DEPTH) this.stop(`nesting deeper than ${MAX_DEPTH}`);
    const t = this.t;
    this.ws();
    if (t.charCodeAt(this.p) === 0x7d) {
      this.p++;
      return;
    }
    const order = node.order;
    for (let m = 0; ; m++) {
      if (t.charCodeAt(this.p) !== 0x22) this.stop('expected a key');
      let info: FieldInfo | undefined = order[m];
      if (info !== undefined && t.startsWith(info.raw, this.p)) {
        this.p += info.raw.length;
      } else {
        const at = this.p;
        const key = this.string();
        info = node.byKey.get(key);
        if (info === undefined) {
          const path = prefix === '' ? key : prefix + '.' + key;
          info = { key, raw: '', path, col: -1, child: null };
          node.byKey.set(key, info);
        }
        info.raw = t.slice(at, this.p);
        order[m] = info;
      }
      this.ws();
      if (t.charCodeAt(this.p) !== 0x3a) this.stop("expected ':'");
      this.p++;
      this.ws();
      const c = t.charCodeAt(this.p);
      if (c === 0x22) {
        this.set(info, this.string());
      } else if (c === 0x7b) {
        this.p++;
        this.object((info.child ??= newNode()), info.path, depth + 1);
      } else {
        this.set(info, this.valueText(depth + 1));
      }
      this.ws();
      const d = t.charCodeAt(this.p);
      if (d === 0x2c) {
        this.p++;
        this.ws();
      } else if (d === 0x7d) {
        this.p++;
        return;
      } else {
        this.stop("expected ',' or '}'");
      }
    }
  }

  /** A string token at p (on its opening quote), decoded. */
  private string(): string {
    const t = this.t;
    const n = this.n;
    const start = this.p + 1;
    for (let i = start; i < n; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        this.p = i + 1;
        this.lastEscaped = false;
        return t.slice(start, i);
      }
      if (c === 0x5c) return this.escapedString();
      if (c < 0x20) this.stop('control character in string');
    }
    return this.stop('unterminated string');
  }

  /** Slow path for strings holding escapes: JSON.parse decodes the token exactly. */
  private escapedString(): string {
    const t = this.t;
    const n = this.n;
    const q = this.p;
    let i = q + 1;
    for (;;) {
      if (i >= n) this.stop('unterminated string');
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) i += 2;
      else if (c < 0x20) this.stop('control character in string');
      else i++;
    }
    let s: unknown;
    try {
      s = JSON.parse(t.slice(q, i + 1));
    } catch {
      this.stop('bad escape in string');
    }
    this.p = i + 1;
    this.lastEscaped = true;
    return s as string;
  }

  /** A number token at p, returned as written. */
  private number(): string {
    const t = this.t;
    const start = this.p;
    let p = start;
    let c = t.charCodeAt(p);
    if (c === 0x2d) c = t.charCodeAt(++p);
    if (c === 0x30) {
      c = t.charCodeAt(++p);
    } else if (c >= 0x31 && c <= 0x39) {
      do c = t.charCodeAt(++p);
      while (c >= 0x30 && c <= 0x39);
    } else {
      this.p = p;
      this.stop('bad number');
    }
    if (c === 0x2e) {
      c = t.charCodeAt(++p);
      if (!(c >= 0x30 && c <= 0x39)) {
        this.p = p;
        this.stop('bad number');
      }
      do c = t.charCodeAt(++p);
      while (c >= 0x30 && c <= 0x39);
    }
    if (c === 0x65 || c === 0x45) {
      c = t.charCodeAt(++p);
      if (c === 0x2b || c === 0x2d) c = t.charCodeAt(++p);
      if (!(c >= 0x30 && c <= 0x39)) {
        this.p = p;
        this.stop('bad number');
      }
      do c = t.charCodeAt(++p);
      while (c >= 0x30 && c <= 0x39);
    }
    this.p = p;
    return t.slice(start, p);
  }

  /**
   * Any value at p as column text: strings decoded, numbers as written, literals, and
   * containers as compact JSON.
   */
  private valueText(depth: number): string | null {
    const c = this.t.charCodeAt(this.p);
    if (c === 0x22) return this.string();
    if (c === 0x7b || c === 0x5b) return this.compact(depth);
    return this.scalarText();
  }

  /** A number or literal at p, as JSON text (null for the null literal). */
  private scalarText(): string | null {
    const t = this.t;
    const c = t.charCodeAt(this.p);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74 && t.startsWith('true', this.p)) {
      this.p += 4;
      return 'true';
    }
    if (c === 0x66 && t.startsWith('false', this.p)) {
      this.p += 5;
      return 'false';
    }
    if (c === 0x6e && t.startsWith('null', this.p)) {
      this.p += 4;
      return null;
    }
    return this.stop('unexpected character');
  }

  /** A string token as compact JSON: as written when it had no escape, else re-escaped. */
  private stringJson(): string {
    const at = this.p;
    const s = this.string();
    return this.lastEscaped ? JSON.stringify(s) : this.t.slice(at, this.p);
  }

  /** Any value at p re-written as compact JSON (numbers as written). */
  private compact(depth: number): string {
    if (depth > MAX_DEPTH) this.stop(`nesting deeper than ${MAX_DEPTH}`);
    const t = this.t;
    const c = t.charCodeAt(this.p);
    if (c === 0x22) return this.stringJson();
    if (c === 0x5b) {
      this.p++;
      this.ws();
      if (t.charCodeAt(this.p) === 0x5d) {
        this.p++;
        return '[]';
      }
      let out = '[';
      for (;;) {
        out += this.compact(depth + 1);
        this.ws();
        const d = t.charCodeAt(this.p++);
        if (d === 0x5d) return out + ']';
        if (d !== 0x2c) {
          this.p--;
          this.stop("expected ',' or ']'");
        }
        out += ',';
        this.ws();
      }
    }
    if (c === 0x7b) {
      this.p++;
      this.ws();
      if (t.charCodeAt(this.p) === 0x7d) {
        this.p++;
        return '{}';
      }
      let out = '{';
      for (;;) {
        if (t.charCodeAt(this.p) !== 0x22) this.stop('expected a key');
        out += this.stringJson();
        this.ws();
        if (t.charCodeAt(this.p) !== 0x3a) this.stop("expected ':'");
        this.p++;
        this.ws();
        out += ':' + this.compact(depth + 1);
        this.ws();
        const d = t.charCodeAt(this.p++);
        if (d === 0x7d) return out + '}';
        if (d !== 0x2c) {
          this.p--;
          this.stop("expected ',' or '}'");
        }
        out += ',';
        this.ws();
      }
    }
    const v = this.scalarText();
    return v === null ? 'null' : v;
  }
}
