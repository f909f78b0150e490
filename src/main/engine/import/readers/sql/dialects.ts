/**
 * SQL dialects: recognising which tool wrote a dump, and the lexical rules that follow from it.
 *
 * Owns: dialect detection from the head of a file (markers such as `-- MySQL dump`, `COPY ... FROM
 * stdin`, `GO` lines), the sniff score for SQL dumps, and the per-dialect lexer settings (whether
 * a backslash escapes inside '...', whether `#` starts a comment, whether [x] is an identifier).
 *
 * Detection only needs ASCII markers, so it runs on the head decoded as latin1 (every byte maps to
 * one character); UTF-16 heads are decoded first. Pure: no I/O.
 */
import { Buffer } from 'node:buffer';
import type { SniffResult, TextEncodingName } from '../../types';
import { detectEncoding } from '../../encoding';

export type SqlDialect = 'mysql' | 'postgres' | 'sqlite' | 'mssql' | 'generic';

/** Lexical rules the tokenizer needs; they differ between dialects in ways that change values. */
export interface LexRules {
  /** MySQL: `\'`, `\n`... are escapes inside '...' and "...". Elsewhere a backslash is a byte. */
  backslashEscapes: boolean;
  /** MySQL: `#` starts a comment. In T-SQL `#` starts a temp-table name, in PostgreSQL an operator. */
  hashComments: boolean;
  /** MySQL: `--` starts a comment only when followed by a space or control character. */
  strictDashDash: boolean;
  /** T-SQL / SQLite: `[name]` is a quoted identifier. In PostgreSQL `[` is array syntax. */
  bracketIdentifiers: boolean;
  /** T-SQL: `@var` and `#tmp` are words. */
  sigilWords: boolean;
}

export function lexRulesFor(dialect: SqlDialect): LexRules {
  switch (dialect) {
    case 'mysql':
      return {
        backslashEscapes: true,
        hashComments: true,
        strictDashDash: true,
        bracketIdentifiers: false,
        sigilWords: false,
      };
    case 'postgres':
      // standard_conforming_strings is on by default since PostgreSQL 9.1; a dump that turns it
      // off says so with a SET statement, which the statement layer honours.
      return {
        backslashEscapes: false,
        hashComments: false,
        strictDashDash: false,
        bracketIdentifiers: false,
        sigilWords: false,
      };
    case 'sqlite':
      return {
        backslashEscapes: false,
        hashComments: false,
        strictDashDash: false,
        bracketIdentifiers: true,
        sigilWords: false,
      };
    case 'mssql':
      return {
        backslashEscapes: false,
        hashComments: false,
        strictDashDash: false,
        bracketIdentifiers: true,
        sigilWords: true,
      };
    case 'generic':
      // Most leaked SQL is mysqldump output, so an unrecognised dump gets MySQL string rules
      // (a literal backslash is far rarer in the wild than an escaped quote).
      return {
        backslashEscapes: true,
        hashComments: true,
        strictDashDash: false,
        bracketIdentifiers: true,
        sigilWords: false,
      };
  }
}

interface Marker {
  re: RegExp;
  weight: number;
}

// Weights: a tool's own header is decisive (10); syntax only one dialect accepts is strong (4-8);
// a product name in a comment or a type name is a hint (1-2).
const MARKERS: Record<Exclude<SqlDialect, 'generic'>, Marker[]> = {
  mysql: [
    { re: /^-- (?:MySQL|MariaDB) dump/m, weight: 10 },
    { re: /\/\*!\d{5}/, weight: 5 },
    { re: /^[ \t]*LOCK TABLES /m, weight: 5 },
    { re: /`[^`\r\n]+`/, weight: 4 },
    { re: /\bENGINE\s*=/i, weight: 3 },
    { re: /^[ \t]*DELIMITER[ \t]/im, weight: 3 },
    { re: /\bAUTO_INCREMENT\b/i, weight: 2 },
    { re: /^[ \t]*SET NAMES[ \t]/im, weight: 2 },
    { re: /\b(?:mysql|mariadb)\b/i, weight: 2 },
    { re: /^#/m, weight: 1 },
  ],
  postgres: [
    { re: /PostgreSQL database dump/, weight: 10 },
    { re: /^[ \t]*COPY[ \t][^;\n]+[ \t]FROM[ \t]+stdin/im, weight: 8 },
    { re: /\bstandard_conforming_strings\b/i, weight: 5 },
    { re: /\bSET\s+client_encoding\b/i, weight: 4 },
    { re: /\bpg_catalog\./, weight: 4 },
    { re: /^\\(?:connect|c|restrict)\b/m, weight: 4 },
    { re: /\bOWNER TO\b/, weight: 3 },
    { re: /\bcharacter varying\b/i, weight: 3 },
    { re: /\bnextval\(/i, weight: 2 },
    { re: /'::[a-z]/i, weight: 2 },
    { re: /\bpostgres(?:ql)?\b/i, weight: 2 },
    { re: /\$\$/, weight: 1 },
  ],
  sqlite: [
    { re: /^[ \t]*PRAGMA[ \t]/im, weight: 6 },
    { re: /\bsqlite_sequence\b/, weight: 5 },
    { re: /^[ \t]*BEGIN TRANSACTION;/im, weight: 4 },
    { re: /\bAUTOINCREMENT\b/i, weight: 3 },
    { re: /\bsqlite\b/i, weight: 2 },
  ],
  mssql: [
    { re: /^[ \t]*GO[ \t]*\r?$/im, weight: 6 },
    { re: /\bSET\s+IDENTITY_INSERT\b/i, weight: 6 },
    { re: /\[dbo\]\./i, weight: 5 },
    { re: /\bSET\s+ANSI_NULLS\b/i, weight: 4 },
    { re: /\bIDENTITY\s*\(\s*\d/i, weight: 3 },
    { re: /\bCLUSTERED\b/i, weight: 2 },
    { re: /\bsql ?server\b/i, weight: 2 },
    { re: /\bNVARCHAR\b/i, weight: 1 },
    { re: /\bN'/, weight: 1 },
  ],
};

export interface DialectGuess {
  dialect: SqlDialect;
  /** Score of the winner (sum of marker weights); 0 when nothing matched. */
  score: number;
}

/** Picks the dialect whose markers weigh most in `text`; 'generic' below a minimal score. */
export function detectDialect(text: string): DialectGuess {
  let best: SqlDialect = 'generic';
  let bestScore = 0;
  for (const [dialect, markers] of Object.entries(MARKERS) as [SqlDialect, Marker[]][]) {
    let score = 0;
    for (const m of markers) if (m.re.test(text)) score += m.weight;
    if (score > bestScore) {
      best = dialect;
      bestScore = score;
    }
  }
  return bestScore >= 2 ? { dialect: best, score: bestScore } : { dialect: 'generic', score: 0 };
}

/** Decodes a file head for marker matching: latin1 keeps bytes 1:1, UTF-16 is decoded. */
export function headText(head: Uint8Array): { text: string; encoding: TextEncodingName } {
  const guess = detectEncoding(head);
  if (guess.encoding === 'utf-16le' || guess.encoding === 'utf-16be') {
    const text = new TextDecoder(guess.encoding).decode(head);
    return { text, encoding: guess.encoding };
  }
  return {
    text: Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'),
    encoding: guess.encoding,
  };
}

// Statements anchored at a line start: a CSV cell that happens to contain "insert into" is not
// at the start of a line in a way that also matches the rest of these shapes. Every pattern stays
// within one line (`[ \t]`, `[^\n]`) except right after a keyword: `^\s*` under /m backtracks
// quadratically over a run of blank lines (64 KiB of newlines took seconds).
const DUMP_HEADER =
  /^-- (?:MySQL|MariaDB) dump|^-- PostgreSQL database dump|^-- Dumped (?:from|by) (?:database version|pg_dump)|^PRAGMA foreign_keys=OFF;\r?\nBEGIN TRANSACTION;/m;
const DATA_STATEMENT =
  /^[ \t]*(?:CREATE[ \t]+(?:TEMPORARY[ \t]+)?TABLE[ \t]+[^\s(]+\s*\(|(?:INSERT|REPLACE)(?:[ \t]+(?:IGNORE|LOW_PRIORITY|DELAYED|OR[ \t]+\w+))*[ \t]+INTO[ \t]+\S|INSERT[ \t]+\S+[ \t]*(?:\([^)\n]*\)[ \t]*)?VALUES|COPY[ \t][^;\n]+[ \t]FROM[ \t]+stdin)/im;
const OTHER_STATEMENT =
  /^[ \t]*(?:SET[ \t]+(?:NAMES|client_encoding|@\w+|FOREIGN_KEY_CHECKS|statement_timeout|IDENTITY_INSERT|ANSI_NULLS)|DROP[ \t]+TABLE|USE[ \t]+\S+;|LOCK[ \t]+TABLES|BEGIN[ \t]+TRANSACTION;|CREATE[ \t]+(?:DATABASE|SCHEMA|INDEX|VIEW|SEQUENCE)|ALTER[ \t]+TABLE)\b/gim;

/**
 * Scores the head of a file as a SQL dump. Tool headers are near-certain, a CREATE TABLE / INSERT
 * / COPY statement at a line start is strong, a few other statements are a weaker hint; the `.sql`
 * extension is only a tie-breaker.
 */
export function sniffSql(head: Uint8Array, name: string): SniffResult | null {
  if (head.length === 0) return null;
  const { text, encoding } = headText(head);
  let likelihood = 0;
  if (DUMP_HEADER.test(text)) likelihood = 0.98;
  else if (DATA_STATEMENT.test(text)) likelihood = 0.9;
  else {
    const others = text.match(OTHER_STATEMENT)?.length ?? 0;
    if (others >= 2) likelihood = 0.6;
    else if (others === 1) likelihood = 0.35;
  }
  const isSqlName = /\.sql(?:\.gz)?$/i.test(name);
  if (likelihood === 0) {
    // A .sql file of comments only (the data further down) still deserves a low score.
    if (isSqlName && /^\s*(?:--|\/\*|#)/.test(text)) likelihood = 0.3;
    else return null;
  }
  if (isSqlName) likelihood = Math.min(1, likelihood + 0.01);
  const { dialect } = detectDialect(text);
  return { likelihood, options: { dialect, encoding } };
}
