/**
 * The NDJSON / JSON Lines reader: one JSON object per line, one table ('').
 *
 * Fast path: line ends are found in the raw units with indexOf (memchr for bytes), each line is
 * decoded once and flattened by flatten.ts (numbers kept as written, nested objects as dotted
 * columns). Blank lines are skipped; CRLF and a BOM are accepted; UTF-16 with a BOM works the same
 * way as in the JSON reader (offsets stay original byte offsets).
 *
 * Rejects, with the line, the byte offset and the raw text (bounded): a line that is not valid
 * JSON (reason from JSON.parse), a line holding a scalar or an array ("expected a JSON object,
 * found an array"), a line longer than MAX_RECORD_BYTES (never buffered whole). Reading goes on
 * after every reject. A last line without a newline that does not parse means the file was cut:
 * the result is `truncated` and that line is rejected.
 *
 * Must not import: electron, the store, anything outside node:* and this folder.
 */
import type {
  FormatReader,
  ReadContext,
  ReaderOptions,
  ReadResult,
  RecordSink,
  SniffResult,
} from '../types';
import { TableFlattener } from './flatten';
import {
  boundRaw,
  MAX_RAW_CHARS,
  MAX_RECORD_BYTES,
  openUnits,
  sniffJsonHead,
  withExtension,
  type Units,
  INVALID_UTF8,
  type UnitStream,
} from './json';

const TABLE = '';

/** Counters a caller (the tests) can read after a run: records = rows + rejects. */
export interface NdjsonStats {
  records: number;
}

/**
 * Line splitting and record delivery, fed chunk by chunk. Exposed for tests and the bench; the
 * reader below is the public entry.
 */
export class NdjsonLines {
  private readonly fl = new TableFlattener();
  private readonly maxUnits: number;
  /** Pieces of a line that started in an earlier chunk. */
  private pending: Units[] = [];
  private pendingLen = 0;
  private oversize = false;
  private oversizeRaw = '';
  /** Global unit index where the current line starts. */
  private lineStart = 0;
  private base = 0;
  private line = 1;
  readonly stats: NdjsonStats = { records: 0 };

  constructor(
    private readonly sink: RecordSink,
    private readonly units: Pick<
      UnitStream,
      'bomLength' | 'unitSize' | 'decode' | 'concat' | 'takeInvalid'
    >,
  ) {
    this.maxUnits = Math.floor(MAX_RECORD_BYTES / units.unitSize);
    sink.columns(TABLE, []);
  }

  feed(u: Units): void {
    const n = u.length;
    let i = 0;
    for (;;) {
      const j = u.indexOf(0x0a, i);
      if (j < 0) break;
      if (this.pendingLen === 0 && !this.oversize) {
        this.lineFrom(u, i, j, false);
      } else {
        this.hold(u, i, j);
        this.lineFromPending(false);
      }
      i = j + 1;
      this.line++;
      this.lineStart = this.base + i;
    }
    if (i < n) this.hold(u, i, n);
    this.base += n;
  }

  /** Keeps part of a line that continues in the next chunk (up to the size limit). */
  private hold(u: Units, s: number, e: number): void {
    if (this.oversize) return;
    if (this.pendingLen + (e - s) > this.maxUnits) {
      // Too long to be a record: keep its head for the reject and stop buffering.
      const head: Units[] = [];
      let total = 0;
      for (const p of [...this.pending, u.subarray(s, e)]) {
        if (total >= MAX_RAW_CHARS) break;
        const q = p.subarray(0, MAX_RAW_CHARS - total);
        head.push(q);
        total += q.length;
      }
      this.oversizeRaw = this.units.decode(this.units.concat(head, total), 0, total);
      this.oversize = true;
      this.pending = [];
      this.pendingLen = 0;
      return;
    }
    // A view, not a copy: Node streams hand out a fresh buffer per chunk.
    this.pending.push(u.subarray(s, e));
    this.pendingLen += e - s;
  }

  private lineFromPending(atEof: boolean): boolean {
    if (this.oversize) {
      this.oversize = false;
      this.stats.records++;
      this.sink.reject(TABLE, {
        line: this.line,
        offset: this.offsetOf(this.lineStart),
        reason: `line longer than ${MAX_RECORD_BYTES} bytes`,
        raw: this.oversizeRaw,
      });
      this.oversizeRaw = '';
      return true;
    }
    const all =
      this.pending.length === 1
        ? this.pending[0]!
        : this.units.concat(this.pending, this.pendingLen);
    this.pending = [];
    this.pendingLen = 0;
    return this.lineFrom(all, 0, all.length, atEof);
  }

  private offsetOf(unit: number): number {
    return this.units.bomLength + unit * this.units.unitSize;
  }

  /** One line in u[s, e) (without its '\n'). Returns false if it was a reject. */
  private lineFrom(u: Units, s: number, e: number, atEof: boolean): boolean {
    if (e > s && u[e - 1] === 0x0d) e--;
    // Blank line? Usually the first unit is '{' and this costs one comparison.
    let k = s;
    while (k < e) {
      const c = u[k]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
      k++;
    }
    if (k === e) return true;
    this.units.takeInvalid?.();
    const text = this.units.decode(u, s, e);
    const loc = { line: this.line, offset: this.offsetOf(this.lineStart) };
    this.stats.records++;
    if (this.units.takeInvalid?.()) {
      // Bytes that are not UTF-8 are never stored altered: the record goes to the rejects.
      this.sink.reject(TABLE, { ...loc, reason: INVALID_UTF8, raw: boundRaw(text) });
      return false;
    }
    const r = this.fl.flattenObject(text);
    if (r.ok) {
      if (r.added !== null) this.sink.columns(TABLE, r.added);
      this.sink.row(TABLE, r.values, loc);
      return true;
    }
    this.sink.reject(TABLE, {
      ...loc,
      reason: atEof ? `truncated: ${r.reason}` : r.reason,
      raw: boundRaw(text),
    });
    return false;
  }

  /** The input has ended: a last line without '\n' is read; if it fails, the file was cut. */
  end(): ReadResult {
    if (this.pendingLen === 0 && !this.oversize) return { truncated: false };
    const line = this.line;
    const wasOversize = this.oversize;
    const ok = this.lineFromPending(true);
    if (ok && !wasOversize) return { truncated: false };
    return {
      truncated: true,
      truncatedReason: `file ends inside the record started at line ${line}`,
    };
  }
}

export const ndjsonReader: FormatReader = {
  id: 'ndjson',

  sniff(head: Uint8Array, name: string): SniffResult | null {
    const h = sniffJsonHead(head);
    if (h.lines === 0 || h.first !== '{') return null;
    let likelihood: number;
    if (h.lines >= 2 && h.objectLines === h.lines) {
      likelihood = 0.95;
    } else if (h.lines >= 2 && h.firstLineComplete && h.objectLines >= h.lines / 2) {
      likelihood = 0.75; // NDJSON with some damaged lines
    } else if (h.lines === 1 && h.objectLines === 1) {
      // One object on one line: the JSON reader scores 0.6 and wins unless the name says .jsonl.
      likelihood = 0.58;
    } else {
      return null;
    }
    return {
      likelihood: withExtension(likelihood, name, 'ndjson'),
      options: { encoding: h.encoding },
    };
  },

  async read(
    source: AsyncIterable<Uint8Array>,
    options: ReaderOptions,
    sink: RecordSink,
    ctx?: ReadContext,
  ): Promise<ReadResult> {
    const units = await openUnits(source, options.encoding, ctx?.signal);
    sink.meta('encoding', units.encoding);
    const lines = new NdjsonLines(sink, units);
    for await (const u of units.chunks) {
      ctx?.signal?.throwIfAborted();
      lines.feed(u);
    }
    return lines.end();
  },
};
