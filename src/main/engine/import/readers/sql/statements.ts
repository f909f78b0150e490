/**
 * SQL statement layer: turns the token stream of a dump into tables, rows and rejects.
 *
 * Owns: statement classification (data, schema, everything else skipped), CREATE TABLE column
 * lists, INSERT/REPLACE headers and their VALUES tuples, COPY ... FROM stdin blocks, routine
 * bodies (procedures, functions, triggers: skipped whole), table naming and column mapping, the
 * value rules (what a literal, a NULL, a CAST or an expression becomes), rejects with their raw
 * text, and recovery after a malformed tuple.
 *
 * It is a push state machine fed one token at a time by the Tokenizer, so a VALUES list of any
 * length is processed tuple by tuple: only the current tuple's values are held.
 *
 * Decisions (documented here because they shape what investigators see):
 * - Table names: the last part of a qualified name (`public.customer` -> `customer`,
 *   `[dbo].[Track]` -> `Track`), matched case-insensitively, spelled as first seen. If the same
 *   name later appears under a different schema, that one becomes `schema.table` so the two never
 *   mix; the first keeps the bare name (its rows are already out).
 * - Columns: from CREATE TABLE (constraints, keys and options ignored; MySQL versioned comments
 *   count, since MySQL executes them), else from the INSERT/COPY column list, else `col_1..col_n`
 *   from the first tuple. Names match case-insensitively. The first CREATE TABLE of a table that
 *   already has columns is authoritative: a later, different definition is ignored.
 * - Values stay text as written: numbers as written, string literals unescaped, NULL and DEFAULT
 *   -> null. Hex/bit literals keep their literal text (`0xABCD`, `X'ABCD'`) so nothing is lost or
 *   reinterpreted. A CAST/CONVERT/`::` around a simple literal keeps the literal (T-SQL scripts
 *   wrap every date this way); any other expression keeps its source text (`NOW()`).
 * - String escapes follow the dialect (tokenizer.ts): MySQL backslash escapes, with an unknown
 *   escape keeping its backslash (`\ ` stays `\ `, nothing is silently dropped); standard SQL
 *   '' doubling; PostgreSQL E'' and COPY escapes. `_binary '...'` bytes that are not valid UTF-8
 *   become a `0x...` hex literal instead of U+FFFD garbage.
 * - Statements inside routine bodies are never data (they refer to variables, not values); a
 *   CREATE TABLE inside a body still declares that table (Sakila's `tmpCustomer`), with no rows.
 *   A body ends at the custom DELIMITER, at `;` once its BEGIN/CASE...END blocks are closed, and
 *   in T-SQL at `GO` only.
 * - T-SQL needs no `;`: there (and in dumps of unknown dialect) a statement keyword opening a line
 *   outside parentheses ends the previous statement.
 * - Rejects: a tuple whose value count differs from the columns, a malformed tuple (empty value,
 *   stray punctuation, cut by `;`/EOF), and text between tuples that is not a tuple (kept as one
 *   reject up to the next `,(` where reading resumes). Raw text is bounded to 64 KiB.
 */
import { Buffer } from 'node:buffer';
import type { ColumnSpec, RecordSink } from '../../types';
import { lexRulesFor, type SqlDialect } from './dialects';
import {
  STR_BIT,
  STR_HEX,
  T_DQUOTE,
  T_END,
  T_GO,
  T_NUMBER,
  T_PUNCT,
  T_QIDENT,
  T_STRING,
  T_WORD,
  type CopyFormat,
  type TokenHandler,
  type Tokenizer,
} from './tokenizer';

// Parser states.
const S_START = 0;
const S_COLLECT = 1;
const S_SKIP = 2;
const S_ROUTINE = 3;
const S_EXPECT_TUPLE = 4;
const S_TUPLE = 5;
const S_AFTER_TUPLE = 6;
const S_GARBAGE = 7;
const S_TAIL = 8;
const S_COPY = 9;

// Statement kinds collected token by token.
const K_OTHER = 0;
const K_INSERT = 1;
const K_CREATE = 2;
const K_SET = 3;
const K_COPY = 4;

// What a CREATE statement creates.
const CO_UNDECIDED = 0;
const CO_TABLE = 1;

/** Most tokens kept for one collected statement (DDL, headers, routine bodies). */
const MAX_COLLECT = 200_000;
/** Most tokens kept for one value expression (enough for any CAST/CONVERT shape). */
const MAX_VALUE_TOKENS = 64;

const PAREN_OPEN = 0x28;
const PAREN_CLOSE = 0x29;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

const ROUTINE_OBJECTS = new Set([
  'TRIGGER',
  'PROCEDURE',
  'PROC',
  'FUNCTION',
  'EVENT',
  'RULE',
  'PACKAGE',
]);
const OTHER_OBJECTS = new Set([
  'VIEW',
  'INDEX',
  'UNIQUE',
  'DATABASE',
  'SCHEMA',
  'SEQUENCE',
  'TYPE',
  'DOMAIN',
  'EXTENSION',
  'USER',
  'ROLE',
  'TABLESPACE',
  'SERVER',
  'LANGUAGE',
  'CAST',
  'COLLATION',
  'OPERATOR',
  'AGGREGATE',
  'STATISTICS',
  'PUBLICATION',
  'SUBSCRIPTION',
  'POLICY',
  'MATERIALIZED',
  'SYNONYM',
  'LOGIN',
  'FULLTEXT',
  'SPATIAL',
  'CLUSTERED',
  'NONCLUSTERED',
  'CONVERSION',
  'ACCESS',
  'TEXT',
  'FOREIGN',
]);
/** Words that start a statement: seen where a statement may end, they end the previous one. */
const STATEMENT_WORDS = new Set([
  'INSERT',
  'REPLACE',
  'UPDATE',
  'DELETE',
  'MERGE',
  'SELECT',
  'SET',
  'CREATE',
  'ALTER',
  'DROP',
  'TRUNCATE',
  'GRANT',
  'REVOKE',
  'USE',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'EXEC',
  'EXECUTE',
  'PRINT',
  'DECLARE',
  'IF',
  'COPY',
  'LOCK',
  'UNLOCK',
]);
const INSERT_MODIFIERS = new Set([
  'INTO',
  'IGNORE',
  'LOW_PRIORITY',
  'DELAYED',
  'HIGH_PRIORITY',
  'OR',
  'REPLACE',
  'ROLLBACK',
  'ABORT',
  'FAIL',
]);
const TABLE_MODIFIERS = new Set([
  'OR',
  'REPLACE',
  'GLOBAL',
  'LOCAL',
  'TEMPORARY',
  'TEMP',
  'UNLOGGED',
]);
/** Table elements that are never columns (reserved words in every dialect that has them). */
const CONSTRAINT_WORDS = new Set(['PRIMARY', 'UNIQUE', 'CONSTRAINT', 'FOREIGN', 'CHECK', 'LIKE']);
/** Table elements that are an index when shaped like one (`KEY idx (col)`), else a column. */
const INDEX_WORDS = new Set(['KEY', 'INDEX', 'FULLTEXT', 'SPATIAL']);

interface TableState {
  /** Name handed to the sink. */
  name: string;
  /** Lower-cased schema qualifier it was first seen with, or null. */
  schema: string | null;
  columns: string[];
  /** Lower-cased column name -> position. */
  index: Map<string, number>;
  declared: boolean;
  /** Columns named col_1..col_n because nothing named them. */
  generated: boolean;
  /** Columns came from a CREATE TABLE (or the schema given up front). */
  fromSchema: boolean;
}

export interface SqlStats {
  statements: number;
  statementsSkipped: number;
  insertStatements: number;
  copyBlocks: number;
  createTables: number;
  routinesSkipped: number;
}

export interface StatementParserInit {
  sink: RecordSink;
  dialect: SqlDialect;
  /** Tables known before reading (a separate schema file): name -> column names. */
  schema?: ReadonlyMap<string, readonly string[]>;
  /** Cap used in the reject reason for an oversized value. */
  maxTokenBytes: number;
}

export class StatementParser implements TokenHandler {
  stmtEmpty = true;
  dialect: SqlDialect;
  readonly stats: SqlStats = {
    statements: 0,
    statementsSkipped: 0,
    insertStatements: 0,
    copyBlocks: 0,
    createTables: 0,
    routinesSkipped: 0,
  };
  /** Character set a SET NAMES / client_encoding declared, if any. */
  declaredCharset: string | null = null;

  private lex!: Tokenizer;
  private readonly sink: RecordSink;
  private readonly seed: Map<string, readonly string[]>;
  private readonly maxTokenBytes: number;
  private readonly detected: boolean;

  private state = S_START;
  private kind = K_OTHER;
  private useful = false;

  // Collected tokens of the current statement (parallel arrays: no object per token).
  private cType: number[] = [];
  private cText: (string | null)[] = [];
  private cCode: number[] = [];
  private cLen = 0;
  private cDepth = 0;
  private createObj = CO_UNDECIDED;

  // Routine body tracking.
  private rDepth = 0;
  private rParen = 0;
  private rPendingEnd = false;

  // Tables.
  private readonly byBase = new Map<string, TableState[]>();

  // Current INSERT/COPY target.
  private target: TableState | null = null;
  /** Positions of the listed columns in the table, or null when values are positional. */
  private map: number[] | null = null;
  /** Expected value count; 0 = not known yet (generated names from the first tuple). */
  private width = 0;

  // Current tuple.
  private vals: (string | null)[] = [];
  private tupleStart = 0;
  private tupleLine = 0;
  private depth = 0;
  private err: string | null = null;
  private vN = 0;
  private vStart = 0;
  private vEnd = 0;
  private vOverflow = false;
  private readonly vType: number[] = new Array<number>(MAX_VALUE_TOKENS).fill(0);
  private readonly vText: (string | null)[] = new Array<string | null>(MAX_VALUE_TOKENS).fill(null);
  private readonly vCode: number[] = new Array<number>(MAX_VALUE_TOKENS).fill(0);
  private readonly vKind: number[] = new Array<number>(MAX_VALUE_TOKENS).fill(0);

  // Text that follows a tuple but is not a tuple.
  private gStart = 0;
  private gLine = 0;
  private gEnd = 0;
  private gPrevComma = false;

  /** Why the input looks truncated, as seen from the statement level. */
  truncatedReason: string | null = null;

  constructor(init: StatementParserInit) {
    this.sink = init.sink;
    this.dialect = init.dialect;
    this.detected = init.dialect === 'generic';
    this.maxTokenBytes = init.maxTokenBytes;
    this.seed = new Map();
    if (init.schema) {
      for (const [name, cols] of init.schema) this.seed.set(name.toLowerCase(), cols);
    }
  }

  attach(lex: Tokenizer): void {
    this.lex = lex;
  }

  /** Tables whose columns came from CREATE TABLE (or the schema given up front). */
  schema(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const list of this.byBase.values()) {
      for (const t of list) if (t.fromSchema) out.set(t.name, [...t.columns]);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Token dispatch

  token(type: number, text: string | null, code: number, start: number, line: number): void {
    switch (this.state) {
      case S_TUPLE:
        this.tupleToken(type, text, code, start);
        return;
      case S_AFTER_TUPLE:
        this.afterTuple(type, text, code, start, line);
        return;
      case S_EXPECT_TUPLE:
        if (type === T_PUNCT && code === PAREN_OPEN) this.startTuple(start, line);
        else if (type === T_END || type === T_GO) this.endStatement(type);
        else this.startGarbage(type, code, start, line);
        return;
      case S_GARBAGE:
        this.garbageToken(type, code, start, line);
        return;
      case S_START:
        this.startStatement(type, text);
        return;
      case S_COLLECT:
        this.collectToken(type, text, code);
        return;
      case S_SKIP:
        if (type === T_END || type === T_GO) this.endStatement(type);
        else if (type === T_PUNCT) {
          if (code === PAREN_OPEN) this.cDepth++;
          else if (code === PAREN_CLOSE) this.cDepth--;
        } else if (this.implicitEnd(type, text)) {
          this.endStatement(T_END);
          this.startStatement(type, text);
        }
        return;
      case S_TAIL:
        if (type === T_END || type === T_GO) this.endStatement(type);
        return;
      case S_ROUTINE:
        this.routineToken(type, text, code);
        return;
      case S_COPY:
        // Tokens cannot arrive in COPY mode (the tokenizer reads lines); nothing to do.
        return;
    }
  }

  private startStatement(type: number, text: string | null): void {
    if (type === T_END) return; // empty statement
    if (type === T_GO) {
      this.observe('mssql');
      return;
    }
    this.stmtEmpty = false;
    this.stats.statements++;
    this.useful = false;
    this.cLen = 0;
    this.cDepth = 0;
    if (type === T_WORD) {
      switch (text!.toUpperCase()) {
        case 'INSERT':
        case 'REPLACE':
          this.kind = K_INSERT;
          this.state = S_COLLECT;
          return;
        case 'CREATE':
          this.kind = K_CREATE;
          this.createObj = CO_UNDECIDED;
          this.state = S_COLLECT;
          return;
        case 'SET':
          this.kind = K_SET;
          this.state = S_COLLECT;
          return;
        case 'COPY':
          this.kind = K_COPY;
          this.state = S_COLLECT;
          return;
        case 'LOCK':
        case 'UNLOCK':
          this.observe('mysql');
          break;
        case 'PRAGMA':
          this.observe('sqlite');
          break;
      }
    }
    this.kind = K_OTHER;
    this.state = S_SKIP;
  }

  private endStatement(type: number): void {
    if (type === T_GO) this.observe('mssql');
    if (!this.stmtEmpty && !this.useful) this.stats.statementsSkipped++;
    this.stmtEmpty = true;
    this.state = S_START;
    this.kind = K_OTHER;
    this.target = null;
    this.map = null;
    this.cLen = 0;
    this.lex.unpin();
  }

  /**
   * T-SQL does not need `;` between statements, so there (and in unrecognised dumps) a statement
   * keyword at the start of a line, outside parentheses, ends the statement before it.
   */
  private implicitEnd(type: number, text: string | null): boolean {
    if (type !== T_WORD || !this.lex.tokAtLineStart || this.cDepth > 0) return false;
    if (this.dialect !== 'mssql' && this.dialect !== 'generic') return false;
    return STATEMENT_WORDS.has(text!.toUpperCase());
  }

  /** Upgrades a 'generic' dialect when a statement only one dialect writes shows up. */
  private observe(d: SqlDialect): void {
    if (!this.detected || this.dialect !== 'generic') return;
    this.dialect = d;
    this.lex.rules = lexRulesFor(d);
  }

  // ---------------------------------------------------------------------------------------------
  // Collected statements (CREATE, SET, COPY, INSERT header)

  private push(type: number, text: string | null, code: number): void {
    if (this.cLen >= MAX_COLLECT) return;
    const i = this.cLen++;
    this.cType[i] = type;
    this.cText[i] = text;
    this.cCode[i] = code;
  }

  private collectToken(type: number, text: string | null, code: number): void {
    if (type === T_END || type === T_GO) {
      this.endCollected(type);
      return;
    }
    if (this.implicitEnd(type, text)) {
      this.endCollected(T_END);
      this.startStatement(type, text);
      return;
    }
    this.push(type, text, code);
    if (type === T_PUNCT) {
      if (code === PAREN_OPEN) this.cDepth++;
      else if (code === PAREN_CLOSE) this.cDepth--;
      return;
    }
    if (type !== T_WORD) return;
    const u = text!.toUpperCase();
    if (this.kind === K_INSERT && this.cDepth === 0) {
      if (u === 'VALUES' || u === 'VALUE') {
        this.beginValues();
      } else if (
        (u === 'SELECT' || u === 'SET' || u === 'DEFAULT' || u === 'EXEC') &&
        this.cLen > 2
      ) {
        // INSERT ... SELECT / SET / DEFAULT VALUES: no literal rows to read.
        this.state = S_SKIP;
      }
    } else if (this.kind === K_CREATE && this.createObj === CO_UNDECIDED) {
      if (u === 'TABLE') this.createObj = CO_TABLE;
      else if (ROUTINE_OBJECTS.has(u)) {
        this.state = S_ROUTINE;
        this.rDepth = 0;
        this.rParen = this.cDepth;
        this.rPendingEnd = false;
      } else if (OTHER_OBJECTS.has(u)) this.state = S_SKIP;
    }
  }

  private endCollected(type: number): void {
    if (this.kind === K_CREATE && this.createObj === CO_TABLE) {
      if (this.parseCreateTable(0, this.cLen)) this.useful = true;
    } else if (this.kind === K_SET) {
      this.applySet();
    } else if (this.kind === K_COPY) {
      if (this.startCopy()) return;
    }
    this.endStatement(type);
  }

  // ---------------------------------------------------------------------------------------------
  // Names and tables

  private isIdent(i: number): boolean {
    const t = this.cType[i];
    return t === T_WORD || t === T_QIDENT || t === T_DQUOTE;
  }

  private upper(i: number): string {
    return this.cType[i] === T_WORD ? this.cText[i]!.toUpperCase() : '';
  }

  private isPunct(i: number, code: number): boolean {
    return this.cType[i] === T_PUNCT && this.cCode[i] === code;
  }

  /** Reads a dotted name at i. Returns its parts and the index after it, or null. */
  private readName(i: number, end: number): { parts: string[]; next: number } | null {
    if (i >= end || !this.isIdent(i)) return null;
    const parts = [this.cText[i]!];
    i++;
    while (i + 1 < end && this.isPunct(i, 0x2e) && this.isIdent(i + 1)) {
      parts.push(this.cText[i + 1]!);
      i += 2;
    }
    // `db..table` (T-SQL default schema)
    while (
      i + 2 < end &&
      this.isPunct(i, 0x2e) &&
      this.isPunct(i + 1, 0x2e) &&
      this.isIdent(i + 2)
    ) {
      parts.push(this.cText[i + 2]!);
      i += 3;
    }
    return { parts, next: i };
  }

  /** Reads `(a, b, c)` at i (identifiers only). */
  private readIdentList(i: number, end: number): { names: string[]; next: number } | null {
    if (i >= end || !this.isPunct(i, PAREN_OPEN)) return null;
    const names: string[] = [];
    i++;
    for (;;) {
      if (i >= end || !this.isIdent(i)) return null;
      names.push(this.cText[i]!);
      i++;
      if (i < end && this.isPunct(i, COMMA)) {
        i++;
        continue;
      }
      if (i < end && this.isPunct(i, PAREN_CLOSE)) return { names, next: i + 1 };
      return null;
    }
  }

  private table(parts: readonly string[]): TableState {
    const base = parts[parts.length - 1]!;
    const schema = parts.length > 1 ? parts[parts.length - 2]!.toLowerCase() : null;
    const key = base.toLowerCase();
    let list = this.byBase.get(key);
    if (list === undefined) {
      list = [];
      this.byBase.set(key, list);
    }
    if (schema === null) {
      if (list.length > 0) return list[0]!;
    } else {
      for (const t of list) {
        if (t.schema === schema) return t;
        if (t.schema === null) {
          t.schema = schema;
          return t;
        }
      }
    }
    const name = list.length === 0 ? base : `${parts[parts.length - 2]!}.${base}`;
    const t: TableState = {
      name,
      schema,
      columns: [],
      index: new Map(),
      declared: false,
      generated: false,
      fromSchema: false,
    };
    const seeded = this.seed.get(name.toLowerCase());
    if (seeded !== undefined) {
      for (const c of seeded) this.addColumn(t, c);
      t.fromSchema = true;
    }
    list.push(t);
    return t;
  }

  private addColumn(t: TableState, name: string): number {
    const key = name.toLowerCase();
    const have = t.index.get(key);
    if (have !== undefined) return have;
    const i = t.columns.length;
    t.columns.push(name);
    t.index.set(key, i);
    if (t.declared) this.sink.columns(t.name, [{ name, path: name }]);
    return i;
  }

  private declare(t: TableState): void {
    if (t.declared) return;
    t.declared = true;
    const specs: ColumnSpec[] = t.columns.map((name) => ({ name, path: name }));
    this.sink.columns(t.name, specs);
  }

  /** Sets up the current target table and how values map onto its columns. */
  private setTarget(t: TableState, cols: string[] | null): void {
    this.target = t;
    if (cols === null) {
      this.map = null;
      this.width = t.columns.length;
      if (t.columns.length > 0) this.declare(t);
      return;
    }
    if (t.columns.length === 0) t.fromSchema = false;
    this.declare(t);
    const map = cols.map((c) => this.addColumn(t, c));
    let identity = map.length === t.columns.length;
    for (let k = 0; identity && k < map.length; k++) identity = map[k] === k;
    this.map = identity ? null : map;
    this.width = map.length;
  }

  // ---------------------------------------------------------------------------------------------
  // CREATE TABLE

  /** Parses collected tokens [from, to) that follow CREATE. True when a table was declared. */
  private parseCreateTable(from: number, to: number): boolean {
    let i = from;
    while (i < to && TABLE_MODIFIERS.has(this.upper(i))) i++;
    if (this.upper(i) !== 'TABLE') return false;
    i++;
    if (this.upper(i) === 'IF' && this.upper(i + 1) === 'NOT' && this.upper(i + 2) === 'EXISTS')
      i += 3;
    const name = this.readName(i, to);
    if (name === null) return false;
    i = name.next;
    let cols: string[] | null = null;
    if (i < to && this.isPunct(i, PAREN_OPEN)) {
      cols = this.tableElements(i + 1, to);
    } else if (this.upper(i) === 'LIKE') {
      const other = this.readName(i + 1, to);
      if (other !== null) cols = [...this.table(other.parts).columns];
    }
    if (cols === null || cols.length === 0) return false;
    this.stats.createTables++;
    const t = this.table(name.parts);
    if (t.columns.length === 0 || (!t.declared && t.fromSchema)) {
      // First definition (or a definition in the dump itself beating the schema given up front).
      t.columns = [];
      t.index = new Map();
      for (const c of cols) this.addColumn(t, c);
      t.fromSchema = true;
    } else if (cols.length > t.columns.length) {
      // Same table defined again with more columns: add them if the known ones are a prefix.
      let prefix = true;
      for (let k = 0; prefix && k < t.columns.length; k++) {
        prefix = t.columns[k]!.toLowerCase() === cols[k]!.toLowerCase();
      }
      if (prefix) for (const c of cols) this.addColumn(t, c);
    }
    this.declare(t);
    return true;
  }

  /** Column names among the table elements starting at i (just after the opening paren). */
  private tableElements(i: number, to: number): string[] {
    const cols: string[] = [];
    let depth = 1;
    let start = i;
    for (let k = i; k < to; k++) {
      if (this.cType[k] !== T_PUNCT) continue;
      const c = this.cCode[k];
      if (c === PAREN_OPEN) depth++;
      else if (c === PAREN_CLOSE) {
        depth--;
        if (depth === 0) {
          this.element(start, k, cols);
          return cols;
        }
      } else if (c === COMMA && depth === 1) {
        this.element(start, k, cols);
        start = k + 1;
      }
    }
    // Statement cut short (truncated file): keep the elements that are there.
    this.element(start, to, cols);
    return cols;
  }

  private element(a: number, b: number, cols: string[]): void {
    if (a >= b || !this.isIdent(a)) return;
    if (this.cType[a] === T_WORD) {
      const u = this.upper(a);
      if (CONSTRAINT_WORDS.has(u)) return;
      if (u === 'PERIOD' && this.upper(a + 1) === 'FOR') return;
      if (u === 'EXCLUDE' && (this.upper(a + 1) === 'USING' || this.isPunct(a + 1, PAREN_OPEN)))
        return;
      if (INDEX_WORDS.has(u) && this.looksLikeIndex(a + 1, b)) return;
    }
    const name = this.cText[a]!;
    if (!cols.some((c) => c.toLowerCase() === name.toLowerCase())) cols.push(name);
  }

  /** `KEY idx (col)`: the first parenthesised group lists identifiers; `key varchar(20)` does not. */
  private looksLikeIndex(a: number, b: number): boolean {
    for (let k = a; k < b; k++) {
      if (this.isPunct(k, PAREN_OPEN)) return k + 1 < b && this.isIdent(k + 1);
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // SET

  private applySet(): void {
    for (let i = 0; i < this.cLen; i++) {
      if (this.cType[i] !== T_WORD) continue;
      const u = this.upper(i);
      if (u === 'STANDARD_CONFORMING_STRINGS') {
        const v = this.setValue(i + 1);
        if (v !== null && (this.dialect === 'postgres' || this.dialect === 'generic')) {
          const off = v.toLowerCase() === 'off' || v.toLowerCase() === 'false';
          this.lex.rules = { ...this.lex.rules, backslashEscapes: off };
        }
      } else if (u === 'SQL_MODE') {
        if (this.dialect !== 'mysql' && this.dialect !== 'generic') continue;
        const j = this.assignAt(i + 1);
        if (j < 0) continue;
        if (this.cType[j] === T_STRING || this.cType[j] === T_DQUOTE) {
          const noBs = /NO_BACKSLASH_ESCAPES/i.test(this.cText[j]!);
          this.lex.rules = { ...this.lex.rules, backslashEscapes: !noBs };
        } else if (this.isPunct(j, 0x40)) {
          // Restoring a saved mode (`SQL_MODE=@OLD_SQL_MODE`): back to the dialect's default.
          this.lex.rules = {
            ...this.lex.rules,
            backslashEscapes: lexRulesFor(this.dialect).backslashEscapes,
          };
        }
      } else if (u === 'NAMES' && i === 0) {
        if (i + 1 < this.cLen && this.cText[i + 1] !== null)
          this.declaredCharset = this.cText[i + 1]!;
      } else if (u === 'CLIENT_ENCODING') {
        const v = this.setValue(i + 1);
        if (v !== null) this.declaredCharset = v;
      } else if (u === 'IDENTITY_INSERT') {
        this.observe('mssql');
      }
    }
  }

  /** Index of the value after `=`, `:=` or `TO` at i, or -1. */
  private assignAt(i: number): number {
    if (i < this.cLen && this.isPunct(i, 0x3d)) return i + 1;
    if (i + 1 < this.cLen && this.isPunct(i, 0x3a) && this.isPunct(i + 1, 0x3d)) return i + 2;
    if (this.upper(i) === 'TO') return i + 1;
    return -1;
  }

  private setValue(i: number): string | null {
    const j = this.assignAt(i);
    if (j < 0 || j >= this.cLen) return null;
    return this.cText[j] ?? null;
  }

  // ---------------------------------------------------------------------------------------------
  // INSERT

  /** Called on VALUES: parses the collected header. On success the tuples follow. */
  private beginValues(): void {
    const end = this.cLen - 1; // the VALUES word itself
    let i = 0;
    while (i < end && this.cType[i] === T_WORD && INSERT_MODIFIERS.has(this.upper(i))) i++;
    if (this.upper(i) === 'TOP') return; // INSERT TOP (n): not a dump statement
    const name = this.readName(i, end);
    if (name === null) return;
    i = name.next;
    if (this.upper(i) === 'AS' && this.isIdent(i + 1)) i += 2; // PostgreSQL alias
    if (this.upper(i) === 'PARTITION' && this.isPunct(i + 1, PAREN_OPEN)) {
      i = this.skipGroup(i + 1, end);
    }
    if (this.upper(i) === 'WITH' && this.isPunct(i + 1, PAREN_OPEN)) i = this.skipGroup(i + 1, end);
    let cols: string[] | null = null;
    if (i < end && this.isPunct(i, PAREN_OPEN)) {
      const list = this.readIdentList(i, end);
      if (list === null) return;
      cols = list.names;
      i = list.next;
    }
    if (this.upper(i) === 'OVERRIDING') i += 3; // OVERRIDING SYSTEM|USER VALUE
    if (i !== end) return; // not an INSERT header we understand; VALUES may be a name
    this.stats.insertStatements++;
    this.useful = true;
    this.setTarget(this.table(name.parts), cols);
    this.state = S_EXPECT_TUPLE;
  }

  private skipGroup(i: number, end: number): number {
    let depth = 0;
    for (; i < end; i++) {
      if (this.isPunct(i, PAREN_OPEN)) depth++;
      else if (this.isPunct(i, PAREN_CLOSE) && --depth === 0) return i + 1;
    }
    return end;
  }

  private startTuple(start: number, line: number): void {
    this.vals = [];
    this.tupleStart = start;
    this.tupleLine = line;
    this.depth = 0;
    this.err = null;
    this.vN = 0;
    this.vOverflow = false;
    this.lex.pin(start);
    this.state = S_TUPLE;
  }

  private tupleToken(type: number, text: string | null, code: number, start: number): void {
    if (type === T_PUNCT) {
      if (code === COMMA && this.depth === 0) {
        this.endValue(false);
        return;
      }
      if (code === PAREN_OPEN) this.depth++;
      else if (code === PAREN_CLOSE) {
        if (this.depth === 0) {
          this.endValue(true);
          this.endTuple(this.lex.tokEnd);
          return;
        }
        this.depth--;
      }
    } else if (type === T_END || type === T_GO) {
      this.err = 'statement ends inside a tuple';
      this.endTuple(start);
      this.endStatement(type);
      return;
    }
    const n = this.vN++;
    if (n === 0) this.vStart = start;
    this.vEnd = this.lex.tokEnd;
    if (this.lex.tokOverflow) this.vOverflow = true;
    if (n < MAX_VALUE_TOKENS) {
      this.vType[n] = type;
      this.vText[n] = text;
      this.vCode[n] = code;
      this.vKind[n] = type === T_STRING ? this.lex.strKind : 0;
    }
  }

  private endValue(closing: boolean): void {
    if (this.vN === 0) {
      if (!(closing && this.vals.length === 0)) {
        this.err ??= 'empty value';
        this.vals.push(null);
      }
      return;
    }
    this.vals.push(this.value());
    this.vN = 0;
    this.vOverflow = false;
  }

  private endTuple(endAbs: number): void {
    const t = this.target!;
    if (this.err !== null) this.rejectRange(t, this.err, this.tupleStart, this.tupleLine, endAbs);
    else this.emitRow(this.vals, this.tupleLine, this.tupleStart, endAbs);
    this.lex.unpin();
    this.state = S_AFTER_TUPLE;
  }

  /** Maps one record's values onto the target table and hands it to the sink (or rejects it). */
  private emitRow(vals: (string | null)[], line: number, offset: number, endAbs: number): void {
    const t = this.target!;
    const n = vals.length;
    if (this.width === 0 && this.map === null) {
      if (t.columns.length === 0) {
        // Nothing names the columns: col_1..col_n from the first record.
        if (n === 0) {
          this.rejectRange(t, 'empty tuple', offset, line, endAbs);
          return;
        }
        for (let k = 1; k <= n; k++) this.addColumn(t, `col_${k}`);
        t.generated = true;
      }
      this.declare(t);
      this.width = t.columns.length;
    }
    if (n !== this.width) {
      const noun = this.width === 1 ? 'value' : 'values';
      this.rejectRange(t, `expected ${this.width} ${noun}, found ${n}`, offset, line, endAbs);
      return;
    }
    const map = this.map;
    if (map === null) {
      this.sink.row(t.name, vals, { line, offset });
      return;
    }
    const row = new Array<string | null>(t.columns.length).fill(null);
    for (let k = 0; k < n; k++) row[map[k]!] = vals[k]!;
    this.sink.row(t.name, row, { line, offset });
  }

  private rejectRange(
    t: TableState,
    reason: string,
    startAbs: number,
    line: number,
    endAbs: number,
  ): void {
    this.declare(t);
    const raw = this.lex.rawText(startAbs, endAbs) ?? '';
    this.sink.reject(t.name, { line, offset: startAbs, reason, raw });
  }

  private afterTuple(
    type: number,
    text: string | null,
    code: number,
    start: number,
    line: number,
  ): void {
    if (type === T_PUNCT) {
      if (code === COMMA) {
        this.state = S_EXPECT_TUPLE;
        return;
      }
      if (code === PAREN_OPEN) {
        // A missing comma between two tuples: read on rather than lose the rest of the list.
        this.startTuple(start, line);
        return;
      }
    } else if (type === T_END || type === T_GO) {
      this.endStatement(type);
      return;
    } else if (type === T_WORD) {
      const u = text!.toUpperCase();
      if (u === 'ON' || u === 'RETURNING' || u === 'AS' || u === 'OUTPUT') {
        // ON DUPLICATE KEY UPDATE / ON CONFLICT / RETURNING: not data.
        this.state = S_TAIL;
        return;
      }
      const noSemicolons = this.dialect === 'mssql' || this.dialect === 'generic';
      if (STATEMENT_WORDS.has(u) || (noSemicolons && this.lex.tokAtLineStart)) {
        // A statement without its `;` (T-SQL scripts): the next one starts here. In T-SQL any
        // word opening a line after a complete tuple starts a statement (PRINT, DBCC, ...).
        this.endStatement(T_END);
        this.startStatement(type, text);
        return;
      }
    }
    this.startGarbage(type, code, start, line);
  }

  private startGarbage(type: number, code: number, start: number, line: number): void {
    this.gStart = start;
    this.gLine = line;
    this.gEnd = this.lex.tokEnd;
    this.gPrevComma = type === T_PUNCT && code === COMMA;
    this.lex.pin(start);
    this.state = S_GARBAGE;
  }

  /** Skips text that is not a tuple until a `,(` or the end of the statement, then rejects it. */
  private garbageToken(type: number, code: number, start: number, line: number): void {
    if (type === T_END || type === T_GO) {
      this.rejectGarbage();
      this.endStatement(type);
      return;
    }
    if (type === T_PUNCT && code === PAREN_OPEN && this.gPrevComma) {
      this.rejectGarbage();
      this.startTuple(start, line);
      return;
    }
    this.gEnd = this.lex.tokEnd;
    this.gPrevComma = type === T_PUNCT && code === COMMA;
  }

  private rejectGarbage(): void {
    const t = this.target!;
    this.rejectRange(t, 'unexpected text between tuples', this.gStart, this.gLine, this.gEnd);
    this.lex.unpin();
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  /** The value of the expression tokens collected for one tuple field. */
  private value(): string | null {
    if (this.vOverflow) {
      this.err ??= `value longer than ${this.maxTokenBytes} bytes`;
      return null;
    }
    const n = this.vN;
    if (n === 1) {
      const v = this.literal(0, 1);
      if (v !== undefined) return v;
      this.err ??= `unexpected '${this.tokenText(0)}'`;
      return null;
    }
    if (n <= MAX_VALUE_TOKENS) {
      const lit = this.literal(0, n);
      if (lit !== undefined) return lit;
      const inner = this.castInner(n);
      if (inner !== undefined) return inner;
    }
    return this.lex.rawText(this.vStart, this.vEnd) ?? this.rebuild(n);
  }

  /**
   * The value of tokens [a, b) when they form a simple literal: a string (with an optional
   * charset introducer, or several adjacent strings), a signed number, NULL/DEFAULT or a bare word.
   * `undefined` when they are something else.
   */
  private literal(a: number, b: number): string | null | undefined {
    const n = b - a;
    const t0 = this.vType[a]!;
    if (n === 1) {
      switch (t0) {
        case T_STRING:
        case T_NUMBER:
        case T_DQUOTE:
        case T_QIDENT:
          return this.vText[a]!;
        case T_WORD: {
          const w = this.vText[a]!;
          if (w.length === 4 && w.toUpperCase() === 'NULL') return null;
          if (w.length === 7 && w.toUpperCase() === 'DEFAULT') return null;
          return w;
        }
      }
      return undefined;
    }
    if (n === 2) {
      const t1 = this.vType[a + 1]!;
      if (t0 === T_PUNCT && t1 === T_NUMBER) {
        const c = this.vCode[a]!;
        if (c === 0x2d) return `-${this.vText[a + 1]!}`;
        if (c === 0x2b) return `+${this.vText[a + 1]!}`;
        return undefined;
      }
      // _utf8mb4'...', _binary 0x..., _latin1'...' (MySQL charset introducers)
      if (t0 === T_WORD && this.vText[a]!.startsWith('_') && (t1 === T_STRING || t1 === T_NUMBER)) {
        return this.vText[a + 1]!;
      }
    }
    // 'abc' 'def': adjacent literals concatenate (not hex/bit literals, which are kept as written).
    let s = '';
    for (let k = a; k < b; k++) {
      if (this.vType[k] !== T_STRING) return undefined;
      const kind = this.vKind[k];
      if (kind === STR_HEX || kind === STR_BIT) return undefined;
      s += this.vText[k]!;
    }
    return s;
  }

  /** CAST(lit AS type), CONVERT(type, lit[, style]), CONVERT(lit, type), CONVERT(lit USING cs), lit::type. */
  private castInner(n: number): string | null | undefined {
    const t0 = this.vType[0];
    if (t0 === T_WORD && n >= 4 && this.vType[1] === T_PUNCT && this.vCode[1] === PAREN_OPEN) {
      if (!(this.vType[n - 1] === T_PUNCT && this.vCode[n - 1] === PAREN_CLOSE)) return undefined;
      const fn = this.vText[0]!.toUpperCase();
      if (fn === 'CAST' || fn === 'TRY_CAST') {
        const as = this.findWord(2, n - 1, 'AS');
        return as > 2 ? this.literal(2, as) : undefined;
      }
      if (fn === 'CONVERT' || fn === 'TRY_CONVERT') {
        const commas = this.topLevelCommas(2, n - 1);
        if (commas.length === 0) {
          const using = this.findWord(2, n - 1, 'USING');
          return using > 2 ? this.literal(2, using) : undefined;
        }
        const first = this.literal(2, commas[0]!);
        if (first !== undefined && this.vType[2] !== T_WORD) return first; // CONVERT('x', CHAR)
        const secondEnd = commas.length > 1 ? commas[1]! : n - 1;
        return this.literal(commas[0]! + 1, secondEnd); // CONVERT(type, 'x' [, style])
      }
      return undefined;
    }
    // PostgreSQL 'lit'::type
    for (let k = 1; k + 1 < n; k++) {
      if (
        this.vType[k] === T_PUNCT &&
        this.vCode[k] === 0x3a &&
        this.vType[k + 1] === T_PUNCT &&
        this.vCode[k + 1] === 0x3a
      ) {
        return this.literal(0, k);
      }
    }
    return undefined;
  }

  private findWord(a: number, b: number, word: string): number {
    let depth = 0;
    for (let k = a; k < b; k++) {
      const t = this.vType[k];
      if (t === T_PUNCT) {
        if (this.vCode[k] === PAREN_OPEN) depth++;
        else if (this.vCode[k] === PAREN_CLOSE) depth--;
      } else if (depth === 0 && t === T_WORD && this.vText[k]!.toUpperCase() === word) return k;
    }
    return -1;
  }

  private topLevelCommas(a: number, b: number): number[] {
    const out: number[] = [];
    let depth = 0;
    for (let k = a; k < b; k++) {
      if (this.vType[k] !== T_PUNCT) continue;
      const c = this.vCode[k];
      if (c === PAREN_OPEN) depth++;
      else if (c === PAREN_CLOSE) depth--;
      else if (c === COMMA && depth === 0) out.push(k);
    }
    return out;
  }

  private tokenText(k: number): string {
    const t = this.vType[k];
    return t === T_PUNCT ? String.fromCharCode(this.vCode[k]!) : (this.vText[k] ?? '');
  }

  /** Expression text rebuilt from its tokens, for when its source bytes are no longer held. */
  private rebuild(n: number): string {
    const m = Math.min(n, MAX_VALUE_TOKENS);
    let s = '';
    for (let k = 0; k < m; k++) {
      const t = this.vType[k];
      const txt = this.tokenText(k);
      if (t === T_STRING) s += `'${txt.replace(/'/g, "''")}'`;
      else if (t === T_PUNCT) s += txt;
      else s += (s.length > 0 && /\w$/.test(s) ? ' ' : '') + txt;
    }
    return n > m ? `${s}…` : s;
  }

  // ---------------------------------------------------------------------------------------------
  // Routine bodies

  private routineToken(type: number, text: string | null, code: number): void {
    if (type === T_GO) {
      this.endRoutine(T_GO);
      return;
    }
    let u = '';
    if (type === T_WORD) u = text!.toUpperCase();
    if (this.rPendingEnd) {
      this.rPendingEnd = false;
      // END IF / END LOOP / END WHILE / END REPEAT close openers we do not count.
      if (!(u === 'IF' || u === 'LOOP' || u === 'WHILE' || u === 'REPEAT' || u === 'FOR')) {
        this.rDepth--;
        if (u === 'CASE') {
          this.push(type, text, code); // END CASE: the CASE closes, it opens nothing
          return;
        }
      }
    }
    if (type === T_END) {
      // A custom DELIMITER ends the whole routine; `;` only once its blocks are closed. T-SQL
      // routines run to the end of the batch (GO).
      const done =
        this.lex.customDelimiter ||
        (this.dialect !== 'mssql' && this.rDepth <= 0 && this.rParen <= 0);
      if (done) this.endRoutine(T_END);
      else this.push(T_PUNCT, null, SEMICOLON);
      return;
    }
    if (type === T_WORD) {
      if (u === 'BEGIN' || u === 'CASE') this.rDepth++;
      else if (u === 'END') this.rPendingEnd = true;
    } else if (type === T_PUNCT) {
      if (code === PAREN_OPEN) this.rParen++;
      else if (code === PAREN_CLOSE) this.rParen--;
    }
    this.push(type, text, code);
  }

  /** Declares the tables a routine body creates (no rows), then ends the statement. */
  private endRoutine(type: number): void {
    this.stats.routinesSkipped++;
    for (let i = 0; i < this.cLen; i++) {
      if (this.upper(i) !== 'CREATE') continue;
      let end = i + 1;
      let depth = 0;
      for (; end < this.cLen; end++) {
        if (this.cType[end] !== T_PUNCT) continue;
        const c = this.cCode[end];
        if (c === PAREN_OPEN) depth++;
        else if (c === PAREN_CLOSE) depth--;
        else if (c === SEMICOLON && depth <= 0) break;
      }
      this.parseCreateTable(i + 1, end);
      i = end;
    }
    this.endStatement(type);
  }

  // ---------------------------------------------------------------------------------------------
  // COPY ... FROM stdin

  /** Starts a COPY data block when the collected statement is `COPY t [(cols)] FROM stdin ...`. */
  private startCopy(): boolean {
    const end = this.cLen;
    const name = this.readName(0, end);
    if (name === null) return false;
    let i = name.next;
    let cols: string[] | null = null;
    if (i < end && this.isPunct(i, PAREN_OPEN)) {
      const list = this.readIdentList(i, end);
      if (list === null) return false;
      cols = list.names;
      i = list.next;
    }
    if (this.upper(i) !== 'FROM' || this.upper(i + 1) !== 'STDIN') return false;
    const format: CopyFormat = {
      delimiter: 0x09,
      nullMarker: Buffer.from('\\N'),
      unsupported: null,
    };
    let csv = false;
    for (let k = i + 2; k < end; k++) {
      const u = this.upper(k);
      if (u === 'BINARY') format.unsupported = 'COPY binary format is not supported';
      else if (u === 'CSV') csv = true;
      else if (u === 'FORMAT') {
        const f = this.upper(k + 1);
        if (f === 'CSV') csv = true;
        else if (f === 'BINARY') format.unsupported = 'COPY binary format is not supported';
      } else if (u === 'DELIMITER') {
        const v = this.optionString(k + 1);
        if (v !== null && v.length === 1 && v.charCodeAt(0) < 0x80)
          format.delimiter = v.charCodeAt(0);
      } else if (u === 'NULL') {
        const v = this.optionString(k + 1);
        if (v !== null) format.nullMarker = Buffer.from(v, 'utf8');
      }
    }
    if (csv) format.unsupported = 'COPY csv format is not supported';
    this.observe('postgres');
    this.stats.copyBlocks++;
    this.useful = true;
    this.setTarget(this.table(name.parts), cols);
    this.state = S_COPY;
    this.lex.startCopy(format);
    return true;
  }

  private optionString(k: number): string | null {
    if (this.upper(k) === 'AS') k++;
    return k < this.cLen && this.cType[k] === T_STRING ? this.cText[k]! : null;
  }

  copyRow(
    values: (string | null)[] | null,
    reason: string | null,
    start: number,
    line: number,
    end: number,
  ): void {
    const t = this.target;
    if (t === null) return;
    if (values === null) this.rejectRange(t, reason ?? 'unreadable COPY row', start, line, end);
    else this.emitRow(values, line, start, end);
  }

  copyEnd(): void {
    this.endStatement(T_END);
  }

  // ---------------------------------------------------------------------------------------------
  // End of input

  /** Called once the tokenizer has seen all input; `lexReason` is why it ended mid-token. */
  eof(lexReason: string | null): void {
    switch (this.state) {
      case S_TUPLE: {
        const reason = lexReason ?? 'file ends inside a tuple';
        this.err = reason;
        this.endTuple(this.lex.offset);
        this.truncatedReason = reason;
        break;
      }
      case S_GARBAGE:
        this.rejectGarbage();
        this.truncatedReason = lexReason ?? 'file ends inside an INSERT statement';
        break;
      case S_EXPECT_TUPLE:
        this.truncatedReason = lexReason ?? 'file ends inside an INSERT statement';
        break;
      case S_COPY:
        this.truncatedReason = lexReason ?? 'file ends inside COPY data (no \\. line)';
        break;
      case S_COLLECT:
        this.endCollected(T_END);
        break;
      case S_ROUTINE:
        this.endRoutine(T_END);
        if (this.dialect !== 'mssql') this.truncatedReason = 'file ends inside a routine body';
        break;
    }
    if (this.truncatedReason === null && lexReason !== null) this.truncatedReason = lexReason;
    if (this.state !== S_START) {
      this.state = S_START;
      this.stmtEmpty = true;
    }
  }
}
