/**
 * Delimited text reader (CSV, TSV, semicolon and pipe files): sniffing of the dialect and a
 * streaming RFC-4180 parser with byte-exact provenance that never loses a record.
 *
 * What it owns:
 *  - sniff: delimiter among , ; TAB | (field-count consistency, quote-aware), junk title lines
 *    and Excel's `sep=;` hint above the header, header or not, encoding (detectEncoding);
 *  - read: quoting with "" escapes, CRLF / LF / bare CR (mixed), quoted fields spanning lines,
 *    BOM, UTF-8 / ISO-8859-1 / Windows-1252 / UTF-16; every record becomes exactly one row or
 *    one reject (meta recordsRead = rows + rejects), with the byte offset of its first byte and
 *    the 1-based physical line where it starts.
 *
 * Policy decisions (documented because they change what an investigator sees):
 *  - values are exactly as written: no trimming, no coercion; an empty field is '' (never null);
 *  - a record with more OR fewer fields than expected is rejected ("expected 12 fields, found
 *    11"): padding short rows would hide misaligned data. The expected count is the header's, or
 *    without a header the most common count in the first 64 KiB;
 *  - a blank line (zero bytes between line ends) is not a record: skipped, counted in meta
 *    blankLines. A line of spaces or of delimiters is a record;
 *  - a quote inside an unquoted field (`Jean "Jeannot" Dupont`) is literal (meta strayQuotes);
 *    text after a closing quote (`"abc"def`) makes the whole field literal as written, quotes
 *    included, up to the next delimiter (meta malformedQuotes);
 *  - undecodable bytes (invalid UTF-8, lone UTF-16 surrogates) and NUL characters reject the
 *    record: we never substitute U+FFFD;
 *  - header names are trimmed (FEBRL writes ", " between names), then deduplicated
 *    case-insensitively (SQLite identifiers are case-insensitive): email, email_2; an empty
 *    name becomes col_<position>.
 *
 * Unterminated quotes (the classic way one bad record swallows the rest of a file): a record
 * whose quoted field crosses a line end is believed only if it closes cleanly (closing quote
 * followed by a delimiter or a line end) AND has the expected field count AND stays within
 * bounds (maxQuotedLines physical lines, maxRecordUnits). Otherwise only the record's FIRST
 * physical line is rejected ("unterminated quote ...") and parsing restarts on the next line,
 * so every following line gets a fresh chance. A mis-paired quote almost always shows up as one
 * of those symptoms, because the quote that wrongly closes the runaway field was really an
 * opening quote, followed by text instead of a delimiter. At end of file inside an open quote:
 * a single-line partial record is a truncation (truncated: true, the partial record rejected);
 * a multi-line one is treated as an unterminated quote (resynchronise) if any of its
 * continuation lines parses on its own as a clean record with the expected field count, and as
 * a truncation otherwise.
 *
 * Speed: lines are found with Buffer.indexOf (memchr) on the raw bytes, with cached positions of
 * the next LF, CR, quote and NUL; a line without quote or NUL is decoded once and split with
 * String.prototype.split; a line with quotes that all close on it is decoded once and split by
 * splitQuotedLine. Only records spanning lines (or holding NULs) go through the byte state
 * machine, which decodes field by field. Results never depend on how the input is chunked.
 *
 * Pure: node:buffer and this folder only (no electron, no store).
 */
import { Buffer } from 'node:buffer';
import { detectEncoding } from '../encoding';
import type {
  ColumnSpec,
  FormatReader,
  ReadContext,
  ReadResult,
  ReaderOptions,
  RecordSink,
  SniffResult,
  TextEncodingName,
} from '../types';
import {
  CR,
  LF,
  NUL,
  QUOTE,
  MAX_RAW_UNITS,
  UnitBuffer,
  bomLengthFor,
  countLineBreaks,
  decodeHead,
  encodingLabel,
  findUndecodable,
  peekHead,
  rangeDecoder,
  type RangeDecoder,
  type UnitView,
} from './text';

/** Bytes of the stream's head used to sniff the dialect (also what the registry passes). */
export const HEAD_BYTES = 64 * 1024;

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

export interface CsvLimits {
  /** A quoted field spanning more physical lines than this is taken as an unterminated quote. */
  maxQuotedLines: number;
  /** A record longer than this many units (bytes, or UTF-16 code units) is rejected. */
  maxRecordUnits: number;
  /**
   * Parse one-line records that contain quotes on the decoded line (one decode per line)
   * rather than with the byte state machine (one decode per field). Same results; tests turn
   * it off to check exactly that.
   */
  quotedLineFastPath: boolean;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = {
  maxQuotedLines: 1000,
  maxRecordUnits: 32 * 1024 * 1024,
  quotedLineFastPath: true,
};

const TABLE = '';

/** What a resynchronisation is counted as in meta: unterminatedQuotes or oversizeRecords. */
type ResyncKind = 'unterminated' | 'bound';
const NEED_MORE = -1;

// ---------------------------------------------------------------------------------------------
// Sniffing (string level, on the decoded head: approximate by nature, exactness is read()'s job)
// ---------------------------------------------------------------------------------------------

interface HeadRecord {
  fields: string[];
  /** 0-based physical line where the record starts. */
  line: number;
}

/** Quote-aware split of a decoded head into records (blank lines skipped), for sniffing. */
export function headRecords(text: string, delim: string, max = 400): HeadRecord[] {
  const out: HeadRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 0;
  const eolFrom = (k: number): number => {
    let a = text.indexOf('\n', k);
    const b = text.indexOf('\r', k);
    if (a === -1 || (b !== -1 && b < a)) a = b;
    return a === -1 ? n : a;
  };
  const skipBreak = (k: number): number =>
    k < n && text[k] === '\r' && text[k + 1] === '\n' ? k + 2 : k + 1;
  while (i < n && out.length < max) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      i = skipBreak(i);
      line++;
      continue;
    }
    const start = i;
    const startLine = line;
    const fields: string[] = [];
    let inner = 0;
    let bad = false;
    for (;;) {
      if (text[i] === '"') {
        let q = i + 1;
        let close = -1;
        for (;;) {
          const k = text.indexOf('"', q);
          if (k === -1) break;
          if (text[k + 1] === '"') {
            q = k + 2;
            continue;
          }
          close = k;
          break;
        }
        if (close === -1) {
          bad = true;
          break;
        }
        const content = text.slice(i + 1, close);
        const breaks = (content.match(/\r\n|\r|\n/g) ?? []).length;
        if (breaks > 50) {
          bad = true;
          break;
        }
        inner += breaks;
        let e = close + 1;
        if (e < n && text[e] !== delim && text[e] !== '\n' && text[e] !== '\r') {
          while (e < n && text[e] !== delim && text[e] !== '\n' && text[e] !== '\r') e++;
          fields.push(text.slice(i, e));
        } else fields.push(content.replaceAll('""', '"'));
        i = e;
      } else {
        let e = i;
        while (e < n && text[e] !== delim && text[e] !== '\n' && text[e] !== '\r') e++;
        fields.push(text.slice(i, e));
        i = e;
      }
      if (i < n && text[i] === delim) {
        i++;
        continue;
      }
      break;
    }
    if (bad) {
      // Runaway quote in the head: take the first line literally and move on.
      const e = eolFrom(start);
      out.push({ fields: text.slice(start, e).split(delim), line: startLine });
      i = skipBreak(e);
      line++;
      continue;
    }
    out.push({ fields, line: startLine });
    line += inner;
    if (i < n) {
      i = skipBreak(i);
      line++;
    }
  }
  return out;
}

const EMAIL = /^[^@\s:;,|]+@[^@\s:;,|]+\.[A-Za-z]{2,}$/;
const DATA_LIKE = /^[\s+\-(]*\d[\d\s.,:/+\-()]*$/;
const HEADER_WORD =
  /^(id|uid|uuid|nom|prenom|prénom|name|first|last|given|surname|family|email|e-mail|mail|courriel|tel|tél|telephone|téléphone|phone|mobile|portable|fax|adresse|address|addr|street|rue|voie|ville|city|town|suburb|cp|code|postal|postcode|zip|pays|country|state|region|région|departement|département|commune|date|naissance|dob|birth|birthdate|sexe|sex|gender|genre|civilite|civilité|titre|title|login|user|username|utilisateur|pseudo|password|pass|passwd|pwd|mdp|hash|salt|iban|bic|nir|ssn|secu|siret|siren|age|âge|numero|numéro|number|num|no|ref|reference|référence|created|updated|status|statut|type|label|libelle|libellé|montant|amount|ip|url|site|entreprise|company|societe|société|job|metier|métier|profession|occupation|cluster|group|rec|soc|sec|score|source|dataset|unique)$/i;
const SECRET_WORD = /(pass|pwd|mdp|hash|secret|motdepasse|mot_de_passe)/i;

function looksLikeHeader(first: string[], data: string[][]): boolean {
  const names = first.map((s) => s.trim());
  if (names.some((s) => EMAIL.test(s) || DATA_LIKE.test(s) || s.length > 64)) return false;
  const nonEmpty = names.filter((s) => s !== '');
  if (nonEmpty.length === 0) return false;
  if (new Set(nonEmpty.map((s) => s.toLowerCase())).size !== nonEmpty.length) return false;
  const empties = names.length - nonEmpty.length;
  let keywords = 0;
  for (const s of nonEmpty) {
    const words = s.split(/[\s_\-./]+|(?<=[a-zà-ÿ])(?=[A-Z])/).filter(Boolean);
    if (words.some((w) => HEADER_WORD.test(w))) keywords++;
  }
  if (data.length === 0) return empties === 0 && nonEmpty.every((s) => /\p{L}/u.test(s));
  let evidence = 0;
  let against = 0;
  for (let j = 0; j < names.length; j++) {
    const vals = data.map((r) => r[j]).filter((v): v is string => v !== undefined && v !== '');
    if (vals.length === 0) continue;
    const share = (re: RegExp): number => vals.filter((v) => re.test(v)).length / vals.length;
    const name = names[j]!;
    if (!/\d/.test(name) && share(/\d/) >= 0.5) evidence++;
    if (!name.includes('@') && share(/@/) >= 0.5) evidence++;
    if (vals.includes(first[j]!)) against++;
  }
  if (keywords >= Math.max(1, Math.ceil(nonEmpty.length / 3)) && against <= names.length / 4) {
    return true;
  }
  return evidence >= 1 && evidence > against && empties <= names.length / 4;
}

function mode(values: number[]): number {
  const freq = new Map<number, number>();
  let best = 0;
  let bestN = 0;
  for (const v of values) {
    const k = (freq.get(v) ?? 0) + 1;
    freq.set(v, k);
    if (k > bestN || (k === bestN && v > best)) {
      best = v;
      bestN = k;
    }
  }
  return best;
}

export interface DelimitedAnalysis {
  delimiter: string;
  /** Physical lines above the header (or above the first record without header). */
  skipLines: number;
  header: boolean;
  /** The modal field count of the records. */
  fieldCount: number;
  /** Share of records (after the junk lines) that have fieldCount fields. */
  consistency: number;
  records: number;
  /** Two fields and the first looks like a login: a combolist read as CSV. */
  comboLike: boolean;
  /** An Excel `sep=` first line was found. */
  sepHint: boolean;
  /** Looks like another format entirely (JSON, SQL). */
  otherFormat: boolean;
}

/** Works out the dialect from a decoded head; fixed options are respected, not re-guessed. */
export function analyzeDelimited(
  text: string,
  fixed: Pick<ReaderOptions, 'delimiter' | 'header' | 'skipLines'> = {},
  name = '',
): DelimitedAnalysis {
  let hintLines = 0;
  let hinted: string | undefined;
  const sep = /^"?sep=(.)"?[ \t]*(\r\n|\r|\n|$)/i.exec(text);
  if (sep && fixed.skipLines === undefined) {
    hinted = sep[1]!;
    hintLines = 1;
    text = text.slice(sep[0].length);
  }
  const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const extOrder = ext === 'tsv' || ext === 'tab' ? ['\t', ',', ';', '|'] : [',', ';', '\t', '|'];
  const candidates = fixed.delimiter ? [fixed.delimiter] : hinted ? [hinted] : extOrder;

  interface Cand {
    d: string;
    recs: HeadRecord[];
    m: number;
    s: number;
    consistency: number;
    key: number;
  }
  let best: Cand | null = null;
  for (const d of candidates) {
    const recs = headRecords(text, d);
    const n = recs.length;
    let s = 0;
    let m = 0;
    let consistency = 0;
    if (n > 0) {
      const counts = recs.map((r) => r.fields.length);
      const share = (from: number, k: number): number => {
        let hit = 0;
        for (let i = from; i < n; i++) if (counts[i] === k) hit++;
        return n > from ? hit / (n - from) : 0;
      };
      if (fixed.skipLines !== undefined) {
        s = recs.findIndex((r) => r.line >= fixed.skipLines!);
        if (s < 0) s = n;
        m = mode(counts.slice(s));
        consistency = share(s, m);
      } else {
        // Junk title lines on top: try starting at each of the first records. The record we
        // start at must have the common count, the skipped ones fewer fields (a title is one
        // field, or a few), and skipping costs something so data is never skipped lightly.
        let bestScore = -1;
        for (let from = 0; from < Math.min(6, n); from++) {
          const k = mode(counts.slice(from));
          if (counts[from] !== k) continue;
          if (from > 0 && counts.slice(0, from).some((x) => x >= k)) continue;
          const cons = share(from, k);
          const score = cons - 0.15 * from;
          if (score > bestScore + 1e-9) {
            bestScore = score;
            s = from;
            m = k;
            consistency = cons;
          }
        }
      }
    }
    const key = (m >= 2 ? consistency : 0) - 0.15 * s + 0.001 * Math.min(m, 50);
    if (!best || key > best.key + 1e-9) best = { d, recs, m, s, consistency, key };
  }
  const c = best!;
  const recs = c.recs;
  const firstIdx = c.s;
  const first = recs[firstIdx];
  const data = recs.slice(firstIdx + 1, firstIdx + 101).map((r) => r.fields);
  const header = fixed.header ?? (first ? c.m >= 1 && looksLikeHeader(first.fields, data) : false);
  const skipLines = fixed.skipLines ?? hintLines + (first ? first.line : 0);
  const body = header ? data : recs.slice(firstIdx, firstIdx + 100).map((r) => r.fields);
  const fieldCount = header && first ? first.fields.length : c.m;

  let comboLike = false;
  if (fieldCount === 2 && body.length > 0) {
    const logins = body.filter((r) => r.length === 2 && /^\S+$/.test(r[0]!) && r[1] !== '');
    const emails = logins.filter((r) => EMAIL.test(r[0]!)).length;
    const secretHeader = header && first ? SECRET_WORD.test(first.fields[1] ?? '') : true;
    comboLike = secretHeader && logins.length >= 0.8 * body.length && emails >= 0.5 * body.length;
  }
  // JSON starts with a bracket; a SQL dump starts with a statement or a comment AND has SQL
  // statements in its head (a CSV title line "-- Export --" alone must not count).
  const trimmed = text.trimStart();
  const firstLine = trimmed.slice(0, 200);
  const otherFormat =
    /^[[{]/.test(trimmed) ||
    (/^(INSERT\s+INTO|CREATE\s+TABLE|DROP\s+TABLE|LOCK\s+TABLES|SET\s+[\w@]+\s*=|COPY\s+\S+|BEGIN\s*;|PRAGMA\b|--|\/\*)/i.test(
      firstLine,
    ) &&
      /^\s*(INSERT\s+INTO|CREATE\s+TABLE|COPY\s+\S+\s*\()/im.test(trimmed.slice(0, 8192)));
  return {
    delimiter: c.d,
    skipLines,
    header,
    fieldCount,
    consistency: c.consistency,
    records: recs.length,
    comboLike,
    sepHint: hinted !== undefined,
    otherFormat,
  };
}

function likelihoodOf(a: DelimitedAnalysis, text: string, name: string): number {
  const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  let l: number;
  if (a.records === 0) l = 0.05;
  else if (a.fieldCount < 2)
    l = 0.2; // one column of text: readable as CSV, weakly
  else if (a.records === 1) l = 0.5;
  else if (a.consistency >= 0.9) l = a.fieldCount >= 3 ? 0.9 : 0.75;
  else if (a.consistency >= 0.7) l = 0.6;
  else l = 0.3;
  if (a.sepHint) l = Math.max(l, 0.9);
  if (a.comboLike) l = Math.min(l, 0.55);
  if (a.otherFormat) l = Math.min(l, 0.2);
  // Binary junk: control characters other than TAB/CR/LF.
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  const ctrl = (text.slice(0, 8192).match(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g) ?? []).length;
  if (ctrl > 0.01 * Math.min(text.length, 8192)) l = Math.min(l, 0.05);
  if (ext === 'csv' || ext === 'tsv' || ext === 'tab') l = Math.min(0.95, l + 0.05);
  return l;
}

// ---------------------------------------------------------------------------------------------
// Streaming parser
// ---------------------------------------------------------------------------------------------

interface ParserConfig {
  encoding: TextEncodingName;
  delimiter: string;
  header: boolean;
  skipLines: number;
  /** Expected field count without a header (-1: take the first record's). */
  fieldCount: number;
  limits: CsvLimits;
}

/** Deduplicates header names: trimmed, unique case-insensitively, empty -> col_<n>. */
export function columnNames(fields: readonly string[]): string[] {
  const used = new Set<string>();
  const out: string[] = [];
  const base = fields.map((f, i) => f.trim() || `col_${i + 1}`);
  for (let i = 0; i < base.length; i++) {
    let name = base[i]!;
    if (used.has(name.toLowerCase())) {
      let k = 2;
      while (used.has(`${base[i]}_${k}`.toLowerCase())) k++;
      name = `${base[i]}_${k}`;
    }
    used.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

class DelimitedParser {
  private readonly d: number;
  private readonly dStr: string;
  private readonly decode: RangeDecoder;
  private readonly checkDecode: boolean;
  private readonly unitBytes: number;
  private readonly maxLines: number;
  private readonly maxUnits: number;
  private readonly quotedFast: boolean;

  // Position state.
  line = 1;
  private skipLeft: number;
  private wantHeader: boolean;
  private expected: number;
  private declared = false;
  /** Dropping the tail of an over-long line that was already rejected. */
  private skipping = false;

  // Current view.
  private u: Buffer = Buffer.alloc(0);
  private t: Buffer = Buffer.alloc(0);
  private base = 0;
  private len = 0;
  private final = false;

  // Counters (meta).
  recordsRead = 0;
  rows = 0;
  rejects = 0;
  blankLines = 0;
  skippedLines = 0;
  strayQuotes = 0;
  malformedQuotes = 0;
  unterminatedQuotes = 0;
  lf = 0;
  crlf = 0;
  cr = 0;
  headerLine = 0;
  title = '';
  truncated = false;
  truncatedReason: string | undefined;

  constructor(
    private readonly sink: RecordSink,
    private readonly cfg: ParserConfig,
  ) {
    this.d = cfg.delimiter.charCodeAt(0);
    this.dStr = cfg.delimiter;
    this.decode = rangeDecoder(cfg.encoding);
    this.checkDecode =
      cfg.encoding === 'utf-8' || cfg.encoding === 'utf-16le' || cfg.encoding === 'utf-16be';
    this.unitBytes = cfg.encoding === 'utf-16le' || cfg.encoding === 'utf-16be' ? 2 : 1;
    this.maxLines = cfg.limits.maxQuotedLines;
    this.maxUnits = cfg.limits.maxRecordUnits;
    this.quotedFast = cfg.limits.quotedLineFastPath;
    this.skipLeft = cfg.skipLines;
    this.wantHeader = cfg.header;
    this.expected = cfg.header ? -1 : cfg.fieldCount;
    if (!cfg.header && cfg.fieldCount >= 0) this.declare(cfg.fieldCount);
  }

  private declare(n: number, names?: string[]): void {
    const cols: ColumnSpec[] = [];
    for (let i = 0; i < n; i++) {
      const name = names ? names[i]! : `col_${i + 1}`;
      cols.push({ name, path: name });
    }
    this.sink.columns(TABLE, cols);
    this.declared = true;
  }

  /** Makes sure a table exists even for an empty file. */
  ensureDeclared(): void {
    if (!this.declared) this.declare(Math.max(0, this.expected));
  }

  /** Scans a view; returns how many units were consumed and how many are needed to go on. */
  feed(view: UnitView, final: boolean): { consumed: number; need: number } {
    const u = view.units;
    const len = u.length;
    this.u = u;
    this.t = view.text;
    this.base = view.base;
    this.len = len;
    this.final = final;
    const d = this.dStr;
    const decode = this.decode;
    let pos = 0;
    let nLF = -1;
    let nCR = -1;
    let nQ = -1;
    let nNul = -1;
    while (pos < len) {
      if (nLF < pos) {
        nLF = u.indexOf(LF, pos);
        if (nLF === -1) nLF = len;
      }
      if (nCR < pos) {
        nCR = u.indexOf(CR, pos);
        if (nCR === -1) nCR = len;
      }
      const eol = nLF < nCR ? nLF : nCR;
      let next: number;
      if (eol === len) {
        if (!final) {
          if (this.skipping) {
            pos = len; // still inside the over-long line: drop what came, keep nothing
            break;
          }
          if (len - pos > this.maxUnits) {
            if (this.skipLeft > 0) {
              this.skipLine(pos, len);
              this.skipping = true;
              pos = len;
            } else pos = this.oversize(pos, len, len);
          }
          break;
        }
        next = len;
      } else if (eol === nCR) {
        if (eol + 1 === len && !final) break; // is it CRLF? the LF may be in the next chunk
        next = eol + 1 < len && u[eol + 1] === LF ? eol + 2 : eol + 1;
      } else next = eol + 1;

      if (this.skipping) {
        // The rest of a line already rejected as too long.
        this.skipping = false;
        this.countEol(eol, next);
        this.line++;
        pos = next;
        continue;
      }
      if (this.skipLeft > 0) {
        this.skipLine(pos, eol);
        this.countEol(eol, next);
        this.line++;
        pos = next;
        continue;
      }
      if (eol - pos > this.maxUnits) {
        this.countEol(eol, next);
        pos = this.oversize(pos, eol, next);
        this.line++;
        continue;
      }
      if (nQ < pos) {
        nQ = u.indexOf(QUOTE, pos);
        if (nQ === -1) nQ = len;
      }
      if (nNul < pos) {
        nNul = u.indexOf(NUL, pos);
        if (nNul === -1) nNul = len;
      }
      if (nQ >= eol && nNul >= eol) {
        // Fast path: one physical line, no quote, no NUL.
        this.countEol(eol, next);
        if (eol === pos) {
          this.blankLines++;
        } else {
          const s = decode(this.t, pos, eol);
          // A header with bad bytes still names the columns (lossily): never reject it.
          const bad =
            this.checkDecode && !this.wantHeader
              ? findUndecodable(this.cfg.encoding, s, this.t, pos, eol)
              : -1;
          if (bad >= 0) {
            this.recordsRead++;
            this.rejectRange(pos, eol, this.undecodableReason(bad));
          } else {
            this.record(s.split(d), pos, eol, eol === len);
          }
        }
        this.line++;
        pos = next;
        continue;
      }
      if (nNul >= eol && this.quotedFast) {
        // A line with quotes: if every quoted field closes on this line, split the decoded
        // line; otherwise (a field running onto the next lines) the byte state machine below.
        const s = decode(this.t, pos, eol);
        const fields = this.splitQuotedLine(s);
        if (fields !== null) {
          this.countEol(eol, next);
          const bad =
            this.checkDecode && !this.wantHeader
              ? findUndecodable(this.cfg.encoding, s, this.t, pos, eol)
              : -1;
          this.strayQuotes += this.lineStray;
          this.malformedQuotes += this.lineMalformed;
          if (bad >= 0) {
            this.recordsRead++;
            this.rejectRange(pos, eol, this.undecodableReason(bad));
          } else {
            this.record(fields, pos, eol, eol === len);
          }
          this.line++;
          pos = next;
          continue;
        }
      }
      const r = this.complex(pos);
      if (r === NEED_MORE) {
        // The record extends to at least len - 1: past the bound, whatever comes next.
        const why =
          !final && len - 1 - pos > this.maxUnits ? this.crossedBound(pos, len - 1) : null;
        if (why !== null) {
          const q = this.resync(pos, why.reason, why.kind);
          if (q === NEED_MORE) break;
          pos = q;
          continue;
        }
        break;
      }
      pos = r;
    }
    const need = final ? 0 : Math.max(2 * (len - pos), len - pos + 1);
    return { consumed: pos, need };
  }

  private lineStray = 0;
  private lineMalformed = 0;

  /**
   * Splits one decoded physical line that contains quotes, with the same rules as complex():
   * "" escapes, stray quotes literal, text after a closing quote makes the field literal.
   * Returns null when a quoted field does not close on this line. Structure characters are
   * ASCII, so string positions line up with the byte machine's decisions in every encoding.
   */
  private splitQuotedLine(s: string): string[] | null {
    const d = this.dStr;
    const n = s.length;
    const fields: string[] = [];
    let stray = 0;
    let malformed = 0;
    let p = 0;
    for (;;) {
      if (s.charCodeAt(p) === QUOTE) {
        let q = p + 1;
        let esc = false;
        let c: number;
        for (;;) {
          c = s.indexOf('"', q);
          if (c === -1) return null;
          if (s.charCodeAt(c + 1) === QUOTE) {
            esc = true;
            q = c + 2;
            continue;
          }
          break;
        }
        const a = c + 1;
        if (a === n || s[a] === d) {
          const v = s.slice(p + 1, c);
          fields.push(esc ? v.replaceAll('""', '"') : v);
          p = a;
        } else {
          malformed++;
          let e = s.indexOf(d, a);
          if (e === -1) e = n;
          fields.push(s.slice(p, e));
          p = e;
        }
      } else {
        let e = s.indexOf(d, p);
        if (e === -1) e = n;
        for (let k = s.indexOf('"', p); k !== -1 && k < e; k = s.indexOf('"', k + 1)) stray++;
        fields.push(s.slice(p, e));
        p = e;
      }
      if (p < n) {
        p++; // the delimiter
        continue;
      }
      break;
    }
    this.lineStray = stray;
    this.lineMalformed = malformed;
    return fields;
  }

  /** A junk line above the header; the first non-empty one is kept as meta title. */
  private skipLine(pos: number, eol: number): void {
    this.skipLeft--;
    this.skippedLines++;
    if (this.title === '' && eol > pos) {
      this.title = this.decode(this.t, pos, Math.min(eol, pos + Math.min(200, this.maxUnits)));
    }
  }

  private unitName(): string {
    return this.unitBytes === 2 ? 'UTF-16 code units' : 'bytes';
  }

  private countEol(eol: number, next: number): void {
    const k = next - eol;
    if (k === 0) return;
    if (k === 2) this.crlf++;
    else if (this.u[eol] === LF) this.lf++;
    else this.cr++;
  }

  private undecodableReason(unit: number): string {
    return `invalid ${encodingLabel(this.cfg.encoding)} at byte ${this.base + unit * this.unitBytes}`;
  }

  private offsetOf(unit: number): number {
    return this.base + unit * this.unitBytes;
  }

  /** A parsed record: header, row, or reject for a wrong field count. */
  private record(fields: string[], start: number, end: number, atEof: boolean): void {
    if (this.wantHeader) {
      this.wantHeader = false;
      this.headerLine = this.line;
      this.expected = fields.length;
      this.declare(fields.length, columnNames(fields));
      return;
    }
    if (this.expected < 0) {
      this.expected = fields.length;
      this.declare(fields.length);
    }
    this.recordsRead++;
    if (fields.length === this.expected) {
      this.rows++;
      this.sink.row(TABLE, fields, { line: this.line, offset: this.base + start * this.unitBytes });
      return;
    }
    if (atEof && fields.length < this.expected) {
      this.truncated = true;
      this.truncatedReason = `file ends in the middle of the record at line ${this.line} (${fields.length} of ${this.expected} fields)`;
    }
    this.rejects++;
    this.sink.reject(TABLE, {
      line: this.line,
      offset: this.offsetOf(start),
      reason: `expected ${this.expected} fields, found ${fields.length}`,
      raw: this.decode(this.t, start, Math.min(end, start + MAX_RAW_UNITS)),
    });
  }

  private rejectRange(start: number, end: number, reason: string): void {
    this.rejects++;
    this.sink.reject(TABLE, {
      line: this.line,
      offset: this.offsetOf(start),
      reason,
      raw: this.decode(this.t, start, Math.min(end, start + MAX_RAW_UNITS)),
    });
  }

  /**
   * Which bound a record starting at `start` crosses first, given that units [start, end) belong
   * to it: more than maxQuotedLines line breaks, or more than maxRecordUnits units. Decided by
   * position in the stream, so the verdict and its reason never depend on chunking. Null when
   * neither is crossed yet.
   */
  private crossedBound(start: number, end: number): { reason: string; kind: ResyncKind } | null {
    const u = this.u;
    const sizeAt = start + this.maxUnits; // first unit past the size bound
    const scanEnd = Math.min(end, sizeAt + 1, this.len);
    let n = 0;
    for (let i = start; i < scanEnd; i++) {
      const x = u[i];
      if (x === LF || (x === CR && u[i + 1] !== LF)) {
        if (++n > this.maxLines) {
          return {
            reason: `unterminated quote: the record from line ${this.line} runs over more than ${this.maxLines} lines`,
            kind: 'unterminated',
          };
        }
      }
    }
    if (end > sizeAt) {
      return { reason: `record longer than ${this.maxUnits} ${this.unitName()}`, kind: 'bound' };
    }
    return null;
  }

  /** Records or lines rejected for passing maxRecordUnits. */
  oversizeRecords = 0;

  /**
   * A physical line longer than the bound: rejected on its own (its start only as raw text).
   * `eol` is the line end, or len when not seen yet: then the rest of the line is dropped as it
   * arrives (skipping) instead of being buffered. Returns the position to go on from.
   */
  private oversize(pos: number, eol: number, next: number): number {
    const shown = pos + Math.min(this.maxUnits, MAX_RAW_UNITS);
    this.oversizeRecords++;
    if (this.wantHeader) {
      this.headerFromLine(pos, shown);
    } else {
      this.recordsRead++;
      this.rejectRange(pos, shown, `line longer than ${this.maxUnits} ${this.unitName()}`);
    }
    if (eol === this.len && !this.final) this.skipping = true;
    return next;
  }

  private headerFromLine(start: number, end: number): void {
    // A header with a broken quote: take its first line literally rather than lose the file.
    const fields = this.decode(this.t, start, Math.min(end, start + MAX_RAW_UNITS)).split(
      this.dStr,
    );
    this.record(fields, start, end, false);
  }

  /** First line end (LF or CR) at or after `p`, or len; bounded by the next LF, never the view. */
  private eolFrom(p: number): number {
    const u = this.u;
    let a = u.indexOf(LF, p);
    if (a === -1) a = this.len;
    const c = a > p ? u.subarray(p, a).indexOf(CR) : -1;
    return c === -1 ? a : p + c;
  }

  /** Physical line breaks in units [a, b), searched inside that range only. */
  private breaksIn(a: number, b: number): number {
    return b > a ? countLineBreaks(this.u.subarray(a, b), 0, b - a) : 0;
  }

  /** The expected field count (-1 while unknown). */
  get fieldCount(): number {
    return this.expected;
  }

  /**
   * Rejects only the first physical line of the record starting at `start` and resumes right
   * after it. Returns the new position, or NEED_MORE when the line end is not decidable yet.
   */
  private resync(start: number, reason: string, kind: ResyncKind): number {
    const count = (): void => {
      if (kind === 'bound') this.oversizeRecords++;
      else this.unterminatedQuotes++;
    };
    const u = this.u;
    const len = this.len;
    const a = this.eolFrom(start);
    if (a === len && !this.final) {
      return this.oversize(start, len, len);
    }
    let next = a + 1;
    if (a < len && u[a] === CR) {
      if (a + 1 === len && !this.final) return NEED_MORE;
      next = a + 1 < len && u[a + 1] === LF ? a + 2 : a + 1;
    }
    if (a === len) next = len;
    count();
    this.countEol(a, next);
    if (this.wantHeader) {
      this.headerFromLine(start, a);
    } else {
      this.recordsRead++;
      this.rejectRange(start, a, reason);
    }
    this.line++;
    return next;
  }

  /** Field count of units [a, b) as one line on its own; -1 when its quotes are not clean. */
  private cleanFieldCount(a: number, b: number): number {
    const u = this.u;
    const d = this.d;
    let p = a;
    let count = 1;
    for (;;) {
      if (p < b && u[p] === QUOTE) {
        let q = p + 1;
        for (;;) {
          // Searched inside the line only: this runs on up to 200 lines of a large tail.
          const k = q < b ? u.subarray(q, b).indexOf(QUOTE) : -1;
          if (k === -1) return -1;
          const c = q + k;
          if (c + 1 < b && u[c + 1] === QUOTE) {
            q = c + 2;
            continue;
          }
          p = c + 1;
          break;
        }
        if (p < b && u[p] !== d) return -1;
      } else {
        while (p < b && u[p] !== d) p++;
      }
      if (p < b) {
        count++;
        p++;
        continue;
      }
      return count;
    }
  }

  /** End of file inside a quoted field of the record starting at `start`. */
  private eofInQuote(start: number): number {
    const u = this.u;
    const len = this.len;
    const a = this.eolFrom(start);
    if (a < len && !this.wantHeader && this.expected > 0) {
      // Multi-line partial record: runaway quote or truncation? Look for a continuation line
      // that stands on its own as a clean record.
      let p = u[a] === CR && u[a + 1] === LF ? a + 2 : a + 1;
      for (let k = 0; k < 200 && p < len; k++) {
        const e = this.eolFrom(p);
        if (e > p && this.cleanFieldCount(p, e) === this.expected) {
          return this.resync(
            start,
            `unterminated quote: the quoted field opened on line ${this.line} never closes`,
            'unterminated',
          );
        }
        p = u[e] === CR && u[e + 1] === LF ? e + 2 : e + 1;
      }
    }
    if (this.wantHeader) {
      return this.resync(start, 'unterminated quote in the header', 'unterminated');
    }
    this.truncated = true;
    this.truncatedReason = `file ends inside a quoted field started at line ${this.line}`;
    this.recordsRead++;
    this.rejectRange(start, len, `file ends inside a quoted field (started at line ${this.line})`);
    return len;
  }

  /**
   * The byte state machine for a record that has a quote or a NUL on its first line. Emits the
   * record and returns the position after it, or NEED_MORE.
   */
  private complex(start: number): number {
    const u = this.u;
    const t = this.t;
    const len = this.len;
    const final = this.final;
    const d = this.d;
    const decode = this.decode;
    const enc = this.cfg.encoding;
    const check = this.checkDecode;
    const fields: string[] = [];
    let p = start;
    let breaks = 0;
    let stray = 0;
    let malformed = 0;
    let bad = -1;
    for (;;) {
      if (p < len && u[p] === QUOTE) {
        let q = p + 1;
        let esc = false;
        let c: number;
        for (;;) {
          c = u.indexOf(QUOTE, q);
          if (c === -1) {
            // The open quote makes [start, len) part of the record: check the bounds before
            // waiting for more (or concluding at end of file).
            if (len - start > this.maxUnits || this.breaksIn(start, len) > this.maxLines) {
              const why = this.crossedBound(start, len);
              if (why !== null) return this.resync(start, why.reason, why.kind);
            }
            if (final) return this.eofInQuote(start);
            return NEED_MORE;
          }
          if (c + 1 === len && !final) return NEED_MORE; // "" escape or closing quote?
          if (c + 1 < len && u[c + 1] === QUOTE) {
            esc = true;
            q = c + 2;
            continue;
          }
          break;
        }
        breaks += this.breaksIn(p + 1, c);
        const a = c + 1;
        const x = a < len ? u[a] : -1;
        if (a === len || x === d || x === CR || x === LF) {
          let v = decode(t, p + 1, c);
          if (check && bad < 0) bad = findUndecodable(enc, v, t, p + 1, c);
          if (esc) v = v.replaceAll('""', '"');
          fields.push(v);
          p = a;
        } else {
          // Text after the closing quote: keep the whole field literally, as written.
          malformed++;
          let e = a;
          while (e < len) {
            const y = u[e];
            if (y === d || y === CR || y === LF) break;
            e++;
          }
          if (e === len && !final) return NEED_MORE;
          const v = decode(t, p, e);
          if (check && bad < 0) bad = findUndecodable(enc, v, t, p, e);
          fields.push(v);
          p = e;
        }
      } else {
        let e = p;
        while (e < len) {
          const y = u[e];
          if (y === d || y === CR || y === LF) break;
          if (y === QUOTE) stray++;
          e++;
        }
        if (e === len && !final) return NEED_MORE;
        const v = decode(t, p, e);
        if (check && bad < 0) bad = findUndecodable(enc, v, t, p, e);
        fields.push(v);
        p = e;
      }
      if (p < len && u[p] === d) {
        p++;
        continue;
      }
      break;
    }
    // p is at CR, LF or the end of the stream.
    let next: number;
    if (p === len) next = len;
    else if (u[p] === CR) {
      if (p + 1 === len && !final) return NEED_MORE;
      next = p + 1 < len && u[p + 1] === LF ? p + 2 : p + 1;
    } else next = p + 1;

    if (p - start > this.maxUnits || breaks > this.maxLines) {
      const why = this.crossedBound(start, p);
      if (why !== null) return this.resync(start, why.reason, why.kind);
    }
    if (
      breaks > 0 &&
      (malformed > 0 || (!this.wantHeader && this.expected >= 0 && fields.length !== this.expected))
    ) {
      // A multi-line record that does not hold together: a runaway quote. Reject its first line
      // only and give the following lines a fresh start.
      return this.resync(
        start,
        malformed > 0
          ? `unterminated quote: the quoted field opened on line ${this.line} closes on a later line followed by text`
          : `unterminated quote: record from line ${this.line} spans ${breaks + 1} lines with ${fields.length} fields, expected ${this.expected}`,
        'unterminated',
      );
    }
    this.strayQuotes += stray;
    this.malformedQuotes += malformed;
    this.countEol(p, next);
    const nul = u.subarray(start, p).indexOf(NUL);
    if (this.wantHeader) {
      this.record(fields, start, p, false);
    } else if (bad >= 0) {
      this.recordsRead++;
      this.rejectRange(start, p, this.undecodableReason(bad));
    } else if (nul !== -1) {
      this.recordsRead++;
      this.rejectRange(start, p, `NUL character at byte ${this.offsetOf(start + nul)}`);
    } else {
      this.record(fields, start, p, p === len);
    }
    this.line += breaks + 1;
    return next;
  }
}

// ---------------------------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------------------------

function lineEndingsLabel(p: DelimitedParser): string {
  const kinds = [p.lf > 0 ? 'lf' : '', p.crlf > 0 ? 'crlf' : '', p.cr > 0 ? 'cr' : ''].filter(
    Boolean,
  );
  return kinds.length === 0 ? 'none' : kinds.length === 1 ? kinds[0]! : 'mixed';
}

/** Builds a delimited-text reader; `limits` exist so tests can exercise the bounds cheaply. */
export function createCsvReader(limits: Partial<CsvLimits> = {}): FormatReader {
  const lim: CsvLimits = { ...DEFAULT_CSV_LIMITS, ...limits };
  return {
    id: 'csv',

    sniff(head: Uint8Array, name: string): SniffResult | null {
      if (head.length === 0) return null;
      const enc = detectEncoding(head);
      const complete = head.length < HEAD_BYTES;
      const text = decodeHead(head, enc.encoding, enc.bomLength, complete);
      const a = analyzeDelimited(text, {}, name);
      return {
        likelihood: likelihoodOf(a, text, name),
        options: {
          encoding: enc.encoding,
          delimiter: a.delimiter,
          header: a.header,
          skipLines: a.skipLines,
        },
      };
    },

    async read(
      source: AsyncIterable<Uint8Array>,
      options: ReaderOptions,
      sink: RecordSink,
      ctx?: ReadContext,
    ): Promise<ReadResult> {
      const peek = await peekHead(source, HEAD_BYTES);
      const head = peek.head.subarray(0, HEAD_BYTES);
      const complete = peek.ended && peek.head.length <= HEAD_BYTES;
      const encoding = options.encoding ?? detectEncoding(head).encoding;
      const bomLength = bomLengthFor(encoding, head);
      const dc = options.delimiter?.charCodeAt(0) ?? 0;
      if (
        options.delimiter !== undefined &&
        // The scanner works on bytes: one ASCII byte, and not one with a meaning of its own.
        (options.delimiter.length !== 1 ||
          dc === 0 ||
          dc > 0x7f ||
          dc === QUOTE ||
          dc === CR ||
          dc === LF)
      ) {
        throw new Error(
          `delimiter must be one ASCII character other than quote, CR or LF: ${JSON.stringify(options.delimiter)}`,
        );
      }
      const text = decodeHead(head, encoding, bomLength, complete);
      const a = analyzeDelimited(text, {
        delimiter: options.delimiter,
        header: options.header,
        skipLines: options.skipLines,
      });
      const cfg: ParserConfig = {
        encoding,
        delimiter: options.delimiter ?? a.delimiter,
        header: options.header ?? a.header,
        skipLines: options.skipLines ?? a.skipLines,
        fieldCount: a.records > 0 ? a.fieldCount : -1,
        limits: lim,
      };
      sink.meta('encoding', encoding);
      sink.meta('bomLength', bomLength);
      sink.meta('delimiter', cfg.delimiter);
      sink.meta('header', cfg.header);
      sink.meta('skipLines', cfg.skipLines);

      const parser = new DelimitedParser(sink, cfg);
      const buf = new UnitBuffer(encoding, bomLength);
      for await (const chunk of peek.source) {
        ctx?.signal?.throwIfAborted();
        buf.push(chunk);
        if (!buf.ready) continue;
        const r = parser.feed(buf.view(), false);
        buf.consume(r.consumed, r.need);
      }
      ctx?.signal?.throwIfAborted();
      const r = parser.feed(buf.view(), true);
      buf.consume(r.consumed, 0);
      parser.ensureDeclared();
      if (buf.hasDanglingByte && !parser.truncated) {
        parser.truncated = true;
        parser.truncatedReason = 'UTF-16 stream ends with an odd byte';
      }

      sink.meta('fieldCount', Math.max(0, parser.fieldCount));
      sink.meta('recordsRead', parser.recordsRead);
      sink.meta('rows', parser.rows);
      sink.meta('rejects', parser.rejects);
      sink.meta('blankLines', parser.blankLines);
      sink.meta('skippedLines', parser.skippedLines);
      if (parser.title) sink.meta('title', parser.title);
      if (parser.headerLine > 0) sink.meta('headerLine', parser.headerLine);
      sink.meta('strayQuotes', parser.strayQuotes);
      sink.meta('malformedQuotes', parser.malformedQuotes);
      sink.meta('unterminatedQuotes', parser.unterminatedQuotes);
      sink.meta('oversizeRecords', parser.oversizeRecords);
      sink.meta('lineEndings', lineEndingsLabel(parser));
      sink.meta('bytes', buf.bytesIn);
      sink.meta('empty', parser.recordsRead === 0 && parser.headerLine === 0);
      return parser.truncated
        ? { truncated: true, truncatedReason: parser.truncatedReason }
        : { truncated: false };
    },
  };
}

/** The delimited-text reader with default limits. */
export const csvReader: FormatReader = createCsvReader();
