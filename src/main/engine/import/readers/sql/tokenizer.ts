/**
 * Streaming SQL tokenizer: bytes in, chunk by chunk, tokens out to a handler, in flat memory.
 *
 * Owns: lexing of every dialect we read (quotes and their escapes, comments, MySQL versioned
 * comments, DELIMITER and psql client commands, T-SQL `GO` lines, dollar quoting) and the
 * line-oriented data section of PostgreSQL `COPY ... FROM stdin`. It knows nothing of statements;
 * the statement layer drives it (COPY mode, escape rules) through a few methods.
 *
 * How it streams: one growable byte buffer holds the unconsumed tail of the input. A token that
 * runs past the end of the buffer is left "pending" with a resume position, so the next chunk
 * continues the scan where it stopped instead of rescanning (a 100 MB value spread over 1600
 * chunks costs one pass, not 1600). Only the current token, and the current tuple while the
 * statement layer pins it for a reject's raw text (64 KiB at most), stay in memory: a 100 MB
 * single-line INSERT streams tuple by tuple.
 *
 * Token starts get a small guaranteed lookahead (LOOKAHEAD bytes, or the end of input): deciding
 * between `--` and `-`, `/*!50705` and `/*`, `N'` and `N` needs a few bytes, and waiting for them
 * at a token start is free because nothing has been consumed yet.
 *
 * Values are decoded from bytes once their token is complete: escapes are applied to the bytes
 * (so a multi-byte character is never split), then the bytes are decoded in the file's encoding.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { latin1ToWindows1252 } from '../../cp1252';
import type { LexRules } from './dialects';

// Token types handed to the handler.
export const T_WORD = 1;
export const T_NUMBER = 2;
/** A string literal; `Tokenizer.strKind` says which kind. */
export const T_STRING = 3;
/** `backtick` or [bracket] identifier. */
export const T_QIDENT = 4;
/** "double quoted": an identifier in standard SQL, a string in MySQL; the parser decides. */
export const T_DQUOTE = 5;
/** Any other single character; its byte is the `code` argument. */
export const T_PUNCT = 6;
/** Statement terminator: `;` or the current DELIMITER. */
export const T_END = 7;
/** A T-SQL `GO` batch separator line. */
export const T_GO = 8;

// String kinds (Tokenizer.strKind) for T_STRING.
export const STR_PLAIN = 0;
export const STR_NATIONAL = 1;
/** PostgreSQL E'...' (C-style escapes). */
export const STR_ESCAPE = 2;
/** X'ABCD' hex literal: the text is the literal as written. */
export const STR_HEX = 3;
/** B'0101' bit literal: the text is the literal as written. */
export const STR_BIT = 4;
export const STR_DOLLAR = 5;

/** Longest raw text kept for a reject (the contract asks for a sane bound). */
export const RAW_LIMIT = 64 * 1024;
/** Default cap on one token (a value): beyond it the token is scanned but not kept. */
export const DEFAULT_MAX_TOKEN_BYTES = 64 * 1024 * 1024;

const LOOKAHEAD = 64;
/** How far a client-command line (DELIMITER, GO) may run before we stop waiting for its end. */
const COMMAND_LINE_MAX = 4096;

export interface TokenHandler {
  /**
   * True while the current statement has no token yet: client commands (DELIMITER, psql `\c`)
   * are only commands there, elsewhere they are ordinary words.
   */
  readonly stmtEmpty: boolean;
  /** `start` is the absolute byte offset of the token's first byte; `line` its 1-based line. */
  token(type: number, text: string | null, code: number, start: number, line: number): void;
  /**
   * One line of COPY data: its values, or null with a reason when the line cannot be read.
   * `start`/`end` are absolute offsets of the line (terminator excluded).
   */
  copyRow(
    values: (string | null)[] | null,
    reason: string | null,
    start: number,
    line: number,
    end: number,
  ): void;
  /** The `\.` line that ends a COPY data block. */
  copyEnd(): void;
}

export type ByteDecoder = (bytes: Buffer, start: number, end: number) => string;

export interface CopyFormat {
  /** Field separator byte (tab by default). */
  delimiter: number;
  /** The null marker as raw bytes (`\N` by default). */
  nullMarker: Buffer;
  /** Null when the format is readable; else why not (csv, binary). */
  unsupported: string | null;
}

// Byte classes for the dispatch at a token start (0: anything else).
const C_WS = 1;
const C_WORD = 2;
const C_DIGIT = 3;
const CLASS = new Uint8Array(256);
for (const b of [0x00, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) CLASS[b] = C_WS;
for (let b = 0x41; b <= 0x5a; b++) CLASS[b] = C_WORD;
for (let b = 0x61; b <= 0x7a; b++) CLASS[b] = C_WORD;
for (let b = 0x80; b <= 0xff; b++) CLASS[b] = C_WORD;
CLASS[0x5f] = C_WORD; // _
for (let b = 0x30; b <= 0x39; b++) CLASS[b] = C_DIGIT;

/** Bytes that continue a word (after its first byte). */
const WORD_CONT = new Uint8Array(256);
for (let b = 0; b < 256; b++) if (CLASS[b] === C_WORD || CLASS[b] === C_DIGIT) WORD_CONT[b] = 1;
WORD_CONT[0x24] = 1; // $ (MySQL and PostgreSQL identifiers may contain it)

/** Bytes that continue a number as written (digits, hex digits, `.`, exponent letters, `_`). */
const NUM_CONT = new Uint8Array(256);
for (let b = 0; b < 256; b++)
  if (CLASS[b] === C_DIGIT || (b < 0x80 && CLASS[b] === C_WORD)) NUM_CONT[b] = 1;
NUM_CONT[0x2e] = 1; // .

// Pending (unfinished) token kinds.
const P_NONE = 0;
const P_WORD = 1;
const P_NUMBER = 2;
const P_QUOTED = 3;
const P_DOLLAR = 4;
const P_BLOCK = 5;
const P_LINE = 6;

// Escape handling of a quoted token.
const BS_NONE = 0;
const BS_MYSQL = 1;
const BS_PG = 2;

const M_SQL = 0;
const M_COPY = 1;

const STAR_SLASH = Buffer.from('*/', 'latin1');
const HEX = '0123456789ABCDEF';

/**
 * Decoder for a single-byte or UTF-8 encoding. Node's TextDecoder treats 'windows-1252' as
 * ISO-8859-1 (C1 controls instead of € ’ œ), so 1252 is mapped by hand.
 */
export function byteDecoder(encoding: 'utf-8' | 'iso-8859-1' | 'windows-1252'): ByteDecoder {
  if (encoding === 'iso-8859-1') return (b, s, e) => b.toString('latin1', s, e);
  if (encoding === 'windows-1252') {
    return (b, s, e) => latin1ToWindows1252(b.toString('latin1', s, e));
  }
  return (b, s, e) => b.toString('utf8', s, e);
}

export interface TokenizerInit {
  rules: LexRules;
  decode: ByteDecoder;
  /** True when `decode` is UTF-8: `_binary` strings that are not valid UTF-8 are then kept as hex. */
  utf8: boolean;
  /** Absolute offset of the first byte fed (a skipped BOM counts). */
  baseOffset: number;
  maxTokenBytes?: number;
}

export class Tokenizer {
  /** Current escape rules; the statement layer changes them on `SET standard_conforming_strings`. */
  rules: LexRules;

  /** Absolute offset just past the last token handed out (for raw-text slices). */
  tokEnd = 0;
  /** Kind of the last T_STRING. */
  strKind = STR_PLAIN;
  /** Whether the last token started a line (only whitespace before it on its line). */
  tokAtLineStart = false;
  /** Whether the last token was longer than maxTokenBytes (its text is then empty). */
  tokOverflow = false;

  private buf: Buffer = Buffer.allocUnsafe(64 * 1024);
  /** `buf` limited to the valid bytes: indexOf on it never sees stale bytes. */
  private view: Buffer = this.buf.subarray(0, 0);
  private len = 0;
  private base: number;
  private pos = 0;
  private line = 1;
  private final = false;
  private lineStart = true;
  private inVersioned = false;
  private delim: Buffer | null = null;
  private binaryNext = false;
  private scratch: Buffer = Buffer.allocUnsafe(1024);

  // Pending token state.
  private pKind = P_NONE;
  private pStart = 0;
  private pLine = 1;
  private pScan = 0;
  private pBody = 0;
  private pClose = 0;
  private pType = 0;
  private pStrKind = 0;
  private pBs = BS_NONE;
  private pEsc = false;
  private pOverflow = false;
  private pTag: Buffer | null = null;

  // COPY data mode.
  private mode = M_SQL;
  private copy: CopyFormat | null = null;
  private copySkipLine = false;
  private copySearch = 0;

  // Raw-text pin (the current tuple), and the saved head of a pinned region that grew too long.
  private pinAbs = -1;
  private pinHead: Buffer | null = null;
  private pinHeadAbs = -1;

  /** Set when the input ends inside a token or comment. */
  unterminated: string | null = null;

  private readonly decode: ByteDecoder;
  private readonly utf8: boolean;
  private readonly maxTokenBytes: number;

  constructor(
    private readonly handler: TokenHandler,
    init: TokenizerInit,
  ) {
    this.rules = init.rules;
    this.decode = init.decode;
    this.utf8 = init.utf8;
    this.base = init.baseOffset;
    this.maxTokenBytes = init.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get currentLine(): number {
    return this.line;
  }

  /** Size of the internal byte buffer: stays near the chunk size however long a statement is. */
  get bufferCapacity(): number {
    return this.buf.length;
  }

  /** Whether a custom DELIMITER (not `;`) is active. */
  get customDelimiter(): boolean {
    return this.delim !== null;
  }

  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.append(chunk);
    this.run();
  }

  /** Processes what is left; afterwards `unterminated` says whether input ended mid-token. */
  finish(): void {
    this.final = true;
    this.run();
  }

  /** Keeps bytes from `abs` on for rawText() (the statement layer pins the current tuple). */
  pin(abs: number): void {
    this.pinAbs = abs;
    this.pinHead = null;
    this.pinHeadAbs = -1;
  }

  unpin(): void {
    this.pinAbs = -1;
    this.pinHead = null;
    this.pinHeadAbs = -1;
  }

  /**
   * Source text of [startAbs, endAbs), at most RAW_LIMIT bytes, if those bytes are still held:
   * anything from the pinned offset on is. Null when they are gone.
   */
  rawText(startAbs: number, endAbs: number): string | null {
    const end = Math.min(endAbs, startAbs + RAW_LIMIT);
    if (end <= startAbs) return '';
    if (this.pinHead !== null && startAbs === this.pinHeadAbs) {
      return this.decode(this.pinHead, 0, Math.min(this.pinHead.length, end - startAbs));
    }
    if (startAbs >= this.base && end <= this.base + this.len) {
      return this.decode(this.buf, startAbs - this.base, end - this.base);
    }
    return null;
  }

  /** Switches to COPY data lines, starting after the end of the current line. */
  startCopy(format: CopyFormat): void {
    this.mode = M_COPY;
    this.copy = format;
    this.copySkipLine = true;
    this.copySearch = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Buffer management

  private append(chunk: Uint8Array): void {
    let keep = this.pos;
    if (this.pKind !== P_NONE && this.pStart < keep) keep = this.pStart;
    if (this.pinAbs >= 0) {
      const pinIdx = this.pinAbs - this.base;
      if (pinIdx >= 0 && pinIdx < keep) {
        if (this.len - pinIdx >= RAW_LIMIT) {
          // The pinned tuple is already longer than any raw text we would report: save its head
          // and let the rest go, so a huge tuple does not hold the whole stream in memory.
          this.pinHead = Buffer.from(this.buf.subarray(pinIdx, pinIdx + RAW_LIMIT));
          this.pinHeadAbs = this.pinAbs;
          this.pinAbs = -1;
        } else {
          keep = pinIdx;
        }
      }
    }
    const rest = this.len - keep;
    const need = rest + chunk.length;
    const cap = this.buf.length;
    if (need > cap || (cap > 4 * 1024 * 1024 && need * 4 < cap)) {
      // Grow geometrically (amortised linear copying); shrink back after a huge token passed.
      const size = Math.max(need * 2, 64 * 1024);
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, keep, this.len);
      this.buf = next;
    } else if (keep > 0 && rest > 0) {
      this.buf.copy(this.buf, 0, keep, this.len);
    }
    this.base += keep;
    this.pos -= keep;
    this.pStart -= keep;
    this.pScan -= keep;
    this.pBody -= keep;
    this.copySearch = Math.max(0, this.copySearch - keep);
    this.len = rest;
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
    this.view = this.buf.subarray(0, this.len);
  }

  private countNewlines(from: number, to: number): number {
    let n = 0;
    let i = this.view.indexOf(0x0a, from);
    while (i !== -1 && i < to) {
      n++;
      i = this.view.indexOf(0x0a, i + 1);
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // Main loop

  private run(): void {
    const buf = this.buf;
    for (;;) {
      if (this.pKind !== P_NONE) {
        if (!this.resume()) return;
        continue;
      }
      if (this.mode === M_COPY) {
        if (!this.copyStep()) return;
        continue;
      }
      let pos = this.pos;
      const len = this.len;
      while (pos < len) {
        const c = buf[pos]!;
        if (CLASS[c] !== C_WS) break;
        if (c === 0x0a) {
          this.line++;
          this.lineStart = true;
        }
        pos++;
      }
      this.pos = pos;
      if (pos >= len) return;
      if (!this.final && len - pos < LOOKAHEAD) return;
      if (!this.lexOne()) return;
    }
  }

  private emit(
    type: number,
    text: string | null,
    code: number,
    start: number,
    end: number,
    line: number,
  ): void {
    this.tokEnd = this.base + end;
    this.tokAtLineStart = this.lineStart;
    this.lineStart = false;
    this.handler.token(type, text, code, this.base + start, line);
  }

  /** Lexes one token (or comment) at `pos`. False: wait for more input, nothing consumed. */
  private lexOne(): boolean {
    const buf = this.buf;
    const len = this.len;
    const pos = this.pos;
    const c = buf[pos]!;
    const b1 = pos + 1 < len ? buf[pos + 1]! : -1;

    if (this.inVersioned && c === 0x2a && b1 === 0x2f) {
      this.inVersioned = false;
      this.pos = pos + 2;
      return true;
    }
    const delim = this.delim;
    if (delim !== null && c === delim[0] && this.matchAt(pos, delim)) {
      this.binaryNext = false;
      this.pos = pos + delim.length;
      this.emit(T_END, null, 0, pos, pos + delim.length, this.line);
      return true;
    }
    if (this.lineStart) {
      if (this.handler.stmtEmpty) {
        if (c === 0x5c) {
          // psql meta-command (\connect, \c, \restrict, \.): a client line, not SQL.
          this.startLineComment(pos + 1);
          return true;
        }
        if ((c | 0x20) === 0x64 && this.matchWordCI(pos, 'delimiter')) {
          const r = this.delimiterCommand(pos);
          if (r !== 0) return r > 0;
        }
      }
      if ((c | 0x20) === 0x67 && (b1 | 0x20) === 0x6f) {
        const r = this.goLine(pos);
        if (r !== 0) return r > 0;
      }
    }

    const cls = CLASS[c]!;
    if (cls === C_WORD) {
      if (b1 === 0x27) {
        const lower = c | 0x20;
        if (lower === 0x6e)
          return this.startQuoted(pos, pos + 2, 0x27, T_STRING, STR_NATIONAL, this.bsPlain());
        if (lower === 0x65)
          return this.startQuoted(pos, pos + 2, 0x27, T_STRING, STR_ESCAPE, BS_PG);
        if (lower === 0x78) return this.startQuoted(pos, pos + 2, 0x27, T_STRING, STR_HEX, BS_NONE);
        if (lower === 0x62) return this.startQuoted(pos, pos + 2, 0x27, T_STRING, STR_BIT, BS_NONE);
      }
      this.pKind = P_WORD;
      this.pStart = pos;
      this.pScan = pos + 1;
      this.pLine = this.line;
      this.pOverflow = false;
      return true;
    }
    if (cls === C_DIGIT || (c === 0x2e && b1 >= 0x30 && b1 <= 0x39)) {
      this.pKind = P_NUMBER;
      this.pStart = pos;
      this.pScan = pos + 1;
      this.pLine = this.line;
      this.pOverflow = false;
      return true;
    }
    switch (c) {
      case 0x27: // '
        return this.startQuoted(pos, pos + 1, 0x27, T_STRING, STR_PLAIN, this.bsPlain());
      case 0x22: // "
        return this.startQuoted(pos, pos + 1, 0x22, T_DQUOTE, STR_PLAIN, this.bsPlain());
      case 0x60: // `
        return this.startQuoted(pos, pos + 1, 0x60, T_QIDENT, STR_PLAIN, BS_NONE);
      case 0x5b: // [
        if (this.rules.bracketIdentifiers) {
          return this.startQuoted(pos, pos + 1, 0x5d, T_QIDENT, STR_PLAIN, BS_NONE);
        }
        break;
      case 0x3b: // ;
        if (delim === null) {
          this.binaryNext = false;
          this.pos = pos + 1;
          this.emit(T_END, null, 0, pos, pos + 1, this.line);
          return true;
        }
        break;
      case 0x2d: // -
        if (b1 === 0x2d) {
          const b2 = pos + 2 < len ? buf[pos + 2]! : -1;
          if (!this.rules.strictDashDash || b2 <= 0x20 || b2 === 0x2d) {
            this.startLineComment(pos + 2);
            return true;
          }
        }
        break;
      case 0x23: // #
        if (this.rules.hashComments) {
          this.startLineComment(pos + 1);
          return true;
        }
        if (this.rules.sigilWords) return this.startWordAt(pos);
        break;
      case 0x40: // @
        if (this.rules.sigilWords) return this.startWordAt(pos);
        break;
      case 0x2f: // /
        if (b1 === 0x2a) return this.blockComment(pos);
        break;
      case 0x24: // $
        if (this.dollarQuote(pos)) return true;
        break;
    }
    this.binaryNext = false;
    this.pos = pos + 1;
    this.emit(T_PUNCT, null, c, pos, pos + 1, this.line);
    return true;
  }

  private bsPlain(): number {
    return this.rules.backslashEscapes ? BS_MYSQL : BS_NONE;
  }

  private matchAt(pos: number, needle: Buffer): boolean {
    if (pos + needle.length > this.len) return false;
    for (let k = 0; k < needle.length; k++) if (this.buf[pos + k] !== needle[k]) return false;
    return true;
  }

  /** Case-insensitive match of an ASCII word followed by a non-word byte (or end of input). */
  private matchWordCI(pos: number, word: string): boolean {
    const n = word.length;
    if (pos + n > this.len) return false;
    for (let k = 0; k < n; k++)
      if ((this.buf[pos + k]! | 0x20) !== word.charCodeAt(k)) return false;
    return pos + n >= this.len || WORD_CONT[this.buf[pos + n]!] === 0;
  }

  private startWordAt(pos: number): boolean {
    this.pKind = P_WORD;
    this.pStart = pos;
    this.pScan = pos + 1;
    this.pLine = this.line;
    this.pOverflow = false;
    return true;
  }

  /** Index of the next LF at or after `from`, or -1. */
  private findEol(from: number): number {
    return this.view.indexOf(0x0a, from);
  }

  /**
   * `DELIMITER xx` (mysql client command). 1: handled; -1: wait for the rest of the line;
   * 0: not a command after all.
   */
  private delimiterCommand(pos: number): number {
    let eol = this.findEol(pos);
    if (eol === -1) {
      if (!this.final && this.len - pos < COMMAND_LINE_MAX) return -1;
      eol = this.len;
    }
    let i = pos + 9;
    while (i < eol && (this.buf[i] === 0x20 || this.buf[i] === 0x09)) i++;
    let j = i;
    while (j < eol && CLASS[this.buf[j]!] !== C_WS) j++;
    if (j === i) return 0;
    const d = Buffer.from(this.buf.subarray(i, j));
    this.delim = d.length === 1 && d[0] === 0x3b ? null : d;
    this.pos = eol;
    return 1;
  }

  /** A T-SQL `GO [count]` line. 1: emitted T_GO; -1: wait; 0: an ordinary word. */
  private goLine(pos: number): number {
    const buf = this.buf;
    let i = pos + 2;
    const limit = Math.min(this.len, pos + COMMAND_LINE_MAX);
    while (i < limit && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
    while (i < limit && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
    while (i < limit && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0d)) i++;
    if (i < limit && buf[i] === 0x2d && i + 1 < limit && buf[i + 1] === 0x2d) {
      const eol = this.findEol(i);
      if (eol === -1) {
        if (!this.final && this.len - pos < COMMAND_LINE_MAX) return -1;
        i = this.len;
      } else i = eol;
    }
    if (i >= this.len) {
      if (!this.final) return this.len - pos < COMMAND_LINE_MAX ? -1 : 0;
    } else if (buf[i] !== 0x0a) return 0;
    this.binaryNext = false;
    this.pos = i;
    this.emit(T_GO, null, 0, pos, pos + 2, this.line);
    return 1;
  }

  private startLineComment(from: number): void {
    this.pKind = P_LINE;
    this.pStart = from;
    this.pScan = from;
  }

  private blockComment(pos: number): boolean {
    const buf = this.buf;
    const len = this.len;
    let i = pos + 2;
    let versioned = false;
    if (i < len && buf[i] === 0x21) {
      versioned = true;
      i++;
    } else if (i + 1 < len && buf[i] === 0x4d && buf[i + 1] === 0x21) {
      versioned = true; // MariaDB /*M!100101 ... */
      i += 2;
    }
    if (versioned) {
      while (i < len && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
      let j = i;
      while (j < len && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
      // `/*M!999999\- enable the sandbox mode */` holds a client command, not SQL.
      if (!(j < len && buf[j] === 0x5c)) {
        // The content of a versioned comment is SQL that MySQL executes: lex it as such.
        this.inVersioned = true;
        this.pos = i;
        return true;
      }
    }
    this.pKind = P_BLOCK;
    this.pStart = pos + 2;
    this.pScan = pos + 2;
    this.pLine = this.line;
    return true;
  }

  private dollarQuote(pos: number): boolean {
    const buf = this.buf;
    const len = this.len;
    let i = pos + 1;
    if (i < len && buf[i] !== 0x24) {
      const c = buf[i]!;
      if (CLASS[c] !== C_WORD) return false; // $1 is a parameter, not a tag
      i++;
      while (
        i < len &&
        i - pos < LOOKAHEAD &&
        (CLASS[buf[i]!] === C_WORD || CLASS[buf[i]!] === C_DIGIT)
      )
        i++;
      if (i >= len || buf[i] !== 0x24) return false;
    } else if (i >= len) return false;
    const tag = Buffer.from(buf.subarray(pos, i + 1));
    this.pKind = P_DOLLAR;
    this.pTag = tag;
    this.pStart = pos;
    this.pBody = i + 1;
    this.pScan = i + 1;
    this.pLine = this.line;
    this.pOverflow = false;
    return true;
  }

  private startQuoted(
    start: number,
    body: number,
    close: number,
    type: number,
    strKind: number,
    bs: number,
  ): boolean {
    this.pKind = P_QUOTED;
    this.pStart = start;
    this.pBody = body;
    this.pScan = body;
    this.pClose = close;
    this.pType = type;
    this.pStrKind = strKind;
    this.pBs = bs;
    this.pEsc = false;
    this.pOverflow = false;
    this.pLine = this.line;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Pending tokens

  /** Continues the pending token. False: the buffer ended first (state saved). */
  private resume(): boolean {
    switch (this.pKind) {
      case P_WORD:
      case P_NUMBER:
        return this.resumeWord();
      case P_QUOTED:
        return this.resumeQuoted();
      case P_DOLLAR:
        return this.resumeDollar();
      case P_BLOCK:
        return this.resumeBlock();
      case P_LINE:
        return this.resumeLine();
    }
    return true;
  }

  /** Drops the kept bytes of a token that has grown past the cap; it is still scanned to its end. */
  private checkOverflow(): void {
    if (this.pScan - this.pStart > this.maxTokenBytes) {
      this.pOverflow = true;
      // Keep one byte before the scan position: a number's exponent sign looks one byte back.
      this.pStart = this.pScan - 1;
      if (this.pBody < this.pStart) this.pBody = this.pStart;
    }
  }

  private resumeWord(): boolean {
    const buf = this.buf;
    const len = this.len;
    let i = this.pScan;
    if (this.pKind === P_WORD) {
      const sigil = this.rules.sigilWords;
      while (i < len) {
        const c = buf[i]!;
        if (WORD_CONT[c] === 1 || (sigil && (c === 0x40 || c === 0x23))) i++;
        else break;
      }
    } else {
      const hex =
        buf[this.pStart] === 0x30 &&
        this.pStart + 1 < len &&
        (buf[this.pStart + 1]! | 0x20) === 0x78;
      while (i < len) {
        const c = buf[i]!;
        if (NUM_CONT[c] === 1) i++;
        else if ((c === 0x2b || c === 0x2d) && !hex && (buf[i - 1]! | 0x20) === 0x65) i++;
        else break;
      }
    }
    if (i >= len && !this.final) {
      this.pScan = i;
      this.checkOverflow();
      return false;
    }
    const start = this.pStart;
    const overflow = this.pOverflow;
    const type = this.pKind === P_NUMBER ? T_NUMBER : T_WORD;
    const text = overflow ? '' : this.decode(buf, start, i);
    this.pKind = P_NONE;
    this.pos = i;
    this.tokOverflow = overflow;
    this.binaryNext = false;
    this.emit(type, text, 0, start, i, this.pLine);
    // `_binary '...'`: the next string holds bytes, not text (see quotedValue).
    if (type === T_WORD && text.length === 7 && text.toLowerCase() === '_binary') {
      this.binaryNext = true;
    }
    return true;
  }

  private resumeQuoted(): boolean {
    const buf = this.buf;
    const len = this.len;
    const close = this.pClose;
    const bs = this.pBs !== BS_NONE;
    let i = this.pScan;
    let nl = 0;
    for (; i < len; i++) {
      const c = buf[i]!;
      if (c === close) {
        if (i + 1 >= len) {
          if (!this.final) break; // need the next byte: '' is an escaped quote
          return this.endQuoted(i, nl);
        }
        if (buf[i + 1] === close) {
          this.pEsc = true;
          i++;
          continue;
        }
        return this.endQuoted(i, nl);
      }
      if (c === 0x5c && bs) {
        if (i + 1 >= len) break; // the escaped byte is in the next chunk
        this.pEsc = true;
        i++;
        if (buf[i] === 0x0a) nl++;
        continue;
      }
      if (c === 0x0a) nl++;
    }
    this.line += nl;
    this.pScan = i;
    if (this.final) {
      this.pKind = P_NONE;
      this.pos = this.len;
      const what = this.pType === T_STRING ? 'a string literal' : 'a quoted identifier';
      this.unterminated = `file ends inside ${what} started at line ${this.pLine}`;
      return true;
    }
    this.checkOverflow();
    return false;
  }

  private endQuoted(closeAt: number, nl: number): boolean {
    this.line += nl;
    const start = this.pStart;
    const type = this.pType;
    const kind = this.pStrKind;
    const overflow = this.pOverflow;
    let text: string;
    if (overflow) text = '';
    else if (kind === STR_HEX || kind === STR_BIT) text = this.decode(this.buf, start, closeAt + 1);
    else text = this.quotedValue(this.pBody, closeAt, type === T_STRING && this.binaryNext);
    this.pKind = P_NONE;
    this.pos = closeAt + 1;
    this.binaryNext = false;
    this.strKind = kind;
    this.tokOverflow = overflow;
    this.emit(type, text, 0, start, closeAt + 1, this.pLine);
    return true;
  }

  private resumeDollar(): boolean {
    const tag = this.pTag!;
    const k = this.view.indexOf(tag, this.pScan);
    if (k === -1) {
      if (this.final) {
        this.line += this.countNewlines(this.pScan, this.len);
        this.pKind = P_NONE;
        this.pos = this.len;
        this.unterminated = `file ends inside a dollar-quoted string started at line ${this.pLine}`;
        return true;
      }
      const next = Math.max(this.pScan, this.len - tag.length + 1);
      this.line += this.countNewlines(this.pScan, next);
      this.pScan = next;
      this.checkOverflow();
      return false;
    }
    this.line += this.countNewlines(this.pScan, k);
    const start = this.pStart;
    const overflow = this.pOverflow;
    const text = overflow ? '' : this.decode(this.buf, this.pBody, k);
    this.pKind = P_NONE;
    this.pos = k + tag.length;
    this.binaryNext = false;
    this.strKind = STR_DOLLAR;
    this.tokOverflow = overflow;
    this.emit(T_STRING, text, 0, start, k + tag.length, this.pLine);
    return true;
  }

  private resumeBlock(): boolean {
    const k = this.view.indexOf(STAR_SLASH, this.pScan);
    if (k === -1) {
      if (this.final) {
        this.line += this.countNewlines(this.pScan, this.len);
        this.pKind = P_NONE;
        this.pos = this.len;
        this.unterminated = `file ends inside a comment started at line ${this.pLine}`;
        return true;
      }
      // Keep the last byte: it may be the `*` of the closing `*/`.
      const next = Math.max(this.pScan, this.len - 1);
      this.line += this.countNewlines(this.pScan, next);
      this.pScan = next;
      this.pStart = next;
      return false;
    }
    this.line += this.countNewlines(this.pScan, k);
    this.pKind = P_NONE;
    this.pos = k + 2;
    return true;
  }

  private resumeLine(): boolean {
    const k = this.findEol(this.pScan);
    if (k === -1) {
      if (!this.final) {
        this.pScan = this.len;
        this.pStart = this.len;
        return false;
      }
      this.pKind = P_NONE;
      this.pos = this.len;
      return true;
    }
    this.pKind = P_NONE;
    this.pos = k; // the newline itself is counted by the whitespace loop
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Value decoding

  private ensureScratch(n: number): Buffer {
    if (this.scratch.length < n)
      this.scratch = Buffer.allocUnsafe(Math.max(n, this.scratch.length * 2));
    return this.scratch;
  }

  /** Decodes the body [s, e) of a quoted token, applying its escapes. */
  private quotedValue(s: number, e: number, binary: boolean): string {
    if (!this.pEsc && !binary) return this.decode(this.buf, s, e);
    const n = this.unescapeQuoted(s, e);
    const out = this.scratch;
    if (binary && this.utf8 && !isUtf8(out.subarray(0, n))) {
      // Bytes that are not text: keep them losslessly as a hex literal, as --hex-blob would.
      let hex = '0x';
      for (let k = 0; k < n; k++) hex += HEX[out[k]! >> 4]! + HEX[out[k]! & 15]!;
      return hex;
    }
    return this.decode(out, 0, n);
  }

  /** Unescapes [s, e) into scratch; returns the byte length. */
  private unescapeQuoted(s: number, e: number): number {
    const buf = this.buf;
    // Unescaping never lengthens the text (\uXXXX is 6 bytes for at most 4), so one sizing holds.
    const out = this.ensureScratch(e - s + 8);
    const close = this.pClose;
    const bs = this.pBs;
    let o = 0;
    for (let i = s; i < e; i++) {
      const c = buf[i]!;
      if (c === close) {
        // Inside the body a quote can only be the first of a doubled pair.
        out[o++] = c;
        i++;
        continue;
      }
      if (c !== 0x5c || bs === BS_NONE || i + 1 >= e) {
        out[o++] = c;
        continue;
      }
      const d = buf[++i]!;
      if (bs === BS_MYSQL) {
        switch (d) {
          case 0x30:
            out[o++] = 0x00;
            break; // \0
          case 0x62:
            out[o++] = 0x08;
            break; // \b
          case 0x6e:
            out[o++] = 0x0a;
            break; // \n
          case 0x72:
            out[o++] = 0x0d;
            break; // \r
          case 0x74:
            out[o++] = 0x09;
            break; // \t
          case 0x5a:
            out[o++] = 0x1a;
            break; // \Z
          case 0x27:
          case 0x22:
          case 0x5c:
            out[o++] = d;
            break;
          default:
            // MySQL keeps the backslash of \% and \_ and drops it elsewhere; we keep it for every
            // unknown escape: mysqldump never writes one, so it is hand-written text where the
            // backslash was meant literally (Chinook's "Rusticana \ Act"), and keeping it loses
            // nothing.
            out[o++] = 0x5c;
            out[o++] = d;
        }
        continue;
      }
      o = this.unescapePg(buf, i, e, out, o, true);
      i = this.pgNext;
    }
    return o;
  }

  private pgNext = 0;

  /** PostgreSQL E'' escape whose letter is at `i`; writes to out at `o`, sets pgNext. */
  private unescapePg(
    buf: Buffer,
    i: number,
    e: number,
    out: Buffer,
    o: number,
    unicode: boolean,
  ): number {
    const d = buf[i]!;
    this.pgNext = i;
    switch (d) {
      case 0x62:
        out[o++] = 0x08;
        return o;
      case 0x66:
        out[o++] = 0x0c;
        return o;
      case 0x6e:
        out[o++] = 0x0a;
        return o;
      case 0x72:
        out[o++] = 0x0d;
        return o;
      case 0x74:
        out[o++] = 0x09;
        return o;
      case 0x76:
        out[o++] = 0x0b;
        return o;
    }
    if (d >= 0x30 && d <= 0x37) {
      let v = 0;
      let k = i;
      while (k < e && k < i + 3 && buf[k]! >= 0x30 && buf[k]! <= 0x37) v = v * 8 + buf[k++]! - 0x30;
      out[o++] = v & 0xff;
      this.pgNext = k - 1;
      return o;
    }
    if (d === 0x78) {
      let v = 0;
      let k = i + 1;
      while (k < e && k < i + 3 && hexVal(buf[k]!) >= 0) v = v * 16 + hexVal(buf[k++]!);
      if (k === i + 1) {
        out[o++] = d;
        return o;
      }
      out[o++] = v;
      this.pgNext = k - 1;
      return o;
    }
    // \uXXXX and \UXXXXXXXX exist in E'' strings, not in COPY data.
    if (unicode && (d === 0x75 || d === 0x55)) {
      const n = d === 0x75 ? 4 : 8;
      let v = 0;
      let k = i + 1;
      while (k < e && k < i + 1 + n && hexVal(buf[k]!) >= 0) v = v * 16 + hexVal(buf[k++]!);
      if (k === i + 1 + n && v <= 0x10ffff) {
        const bytes = this.utf8
          ? Buffer.from(String.fromCodePoint(v), 'utf8')
          : Buffer.from([v < 256 ? v : 0x3f]);
        bytes.copy(out, o);
        this.pgNext = k - 1;
        return o + bytes.length;
      }
    }
    out[o++] = d; // any other character after a backslash is itself
    return o;
  }

  // ---------------------------------------------------------------------------------------------
  // COPY ... FROM stdin data

  /** Handles one COPY line. False: wait for more input. */
  private copyStep(): boolean {
    const buf = this.buf;
    const len = this.len;
    if (this.copySkipLine) {
      const eol = this.findEol(this.pos);
      if (eol === -1) {
        if (this.final) {
          this.pos = len;
          this.mode = M_SQL;
          this.unterminated = 'file ends right after a COPY statement';
          return true;
        }
        this.pos = len;
        return false;
      }
      this.pos = eol + 1;
      this.line++;
      this.copySkipLine = false;
      this.copySearch = this.pos;
    }
    const start = this.pos;
    let eol = this.findEol(Math.max(start, this.copySearch));
    if (eol === -1) {
      if (!this.final) {
        this.copySearch = len;
        return false;
      }
      if (start >= len) {
        this.mode = M_SQL;
        this.unterminated = 'file ends inside COPY data (no \\. line)';
        return true;
      }
      eol = len;
    }
    let end = eol;
    if (end > start && buf[end - 1] === 0x0d) end--;
    const line = this.line;
    if (end - start === 2 && buf[start] === 0x5c && buf[start + 1] === 0x2e) {
      this.pos = eol < len ? eol + 1 : len;
      if (eol < len) this.line++;
      this.mode = M_SQL;
      this.copy = null;
      this.lineStart = true;
      this.handler.copyEnd();
      return true;
    }
    if (eol >= len) {
      // A last line without newline: the file was cut inside a COPY row.
      this.handler.copyRow(
        null,
        'file ends inside a COPY row',
        this.base + start,
        line,
        this.base + end,
      );
      this.pos = len;
      this.mode = M_SQL;
      this.unterminated = 'file ends inside COPY data (no \\. line)';
      return true;
    }
    const fmt = this.copy!;
    if (fmt.unsupported !== null) {
      this.handler.copyRow(null, fmt.unsupported, this.base + start, line, this.base + end);
    } else {
      this.handler.copyRow(
        this.copyFields(start, end, fmt),
        null,
        this.base + start,
        line,
        this.base + end,
      );
    }
    this.pos = eol + 1;
    this.line++;
    this.copySearch = this.pos;
    return true;
  }

  private copyFields(s: number, e: number, fmt: CopyFormat): (string | null)[] {
    const values: (string | null)[] = [];
    const view = this.view;
    const d = fmt.delimiter;
    let f = s;
    for (;;) {
      let k = view.indexOf(d, f);
      if (k === -1 || k > e) k = e;
      values.push(this.copyField(f, k, fmt.nullMarker));
      if (k >= e) break;
      f = k + 1;
    }
    return values;
  }

  private copyField(s: number, e: number, nullMarker: Buffer): string | null {
    const buf = this.buf;
    if (e - s === nullMarker.length && this.matchAt(s, nullMarker)) return null;
    const bsAt = this.view.indexOf(0x5c, s);
    if (bsAt === -1 || bsAt >= e) return this.decode(buf, s, e);
    const out = this.ensureScratch(e - s + 8);
    let o = 0;
    for (let i = s; i < e; i++) {
      const c = buf[i]!;
      if (c !== 0x5c || i + 1 >= e) {
        out[o++] = c;
        continue;
      }
      // COPY text escapes: \b \f \n \r \t \v, octal \NNN, hex \xNN; anything else is itself.
      o = this.unescapePg(buf, i + 1, e, out, o, false);
      i = this.pgNext;
    }
    return this.decode(out, 0, o);
  }
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}
