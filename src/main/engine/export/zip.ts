/**
 * A minimal streaming ZIP writer (PKWARE APPNOTE 6.3): deflated entries written straight to the
 * export file with flat memory, for the XLSX container.
 *
 * Streaming deflate with the one-shot `deflateRawSync`: each ~1 MiB piece of an entry is
 * compressed by a fresh compressor ending in a sync flush (byte-aligned, no final-block bit), and
 * the entry ends with an empty final block (0x03 0x00). A piece only refers back into itself,
 * which the inflater's window always covers, so the concatenation is one valid deflate stream.
 * CRC-32 comes from node:zlib's `crc32` (Node ≥ 20.15), updated piece by piece.
 *
 * Sizes are not known when an entry starts: its local header is written with zeros and patched
 * in place once the entry is done (no data descriptors, which some readers handle badly).
 * No ZIP64: an archive or entry reaching 4 GiB is refused with E_LIMIT (an XLSX sheet holds at
 * most 1,048,576 rows, far below that).
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Fastest deflate: sheet XML is markup repeated row after row, which level 1 still shrinks
 * several times over; the default level (6) cost a third of the whole XLSX write for a file
 * about a fifth smaller (bench/RESULTS.md, Export).
 */
const DEFLATE_LEVEL = constants.Z_BEST_SPEED;
import { LeakscopeError } from '../../../shared/errors';
import type { FileSink } from './sink';

const PIECE_CHARS = 1 << 20;
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const MAX32 = 0xffffffff;
const UTF8_NAMES = 0x0800;

interface EntryRecord {
  name: Buffer;
  offset: number;
  crc: number;
  csize: number;
  usize: number;
}

/** DOS date and time of a Date (local fields as the format expects; 2-second resolution). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export class ZipWriter {
  private readonly entries: EntryRecord[] = [];
  private current: (EntryRecord & { parts: string[]; pending: number }) | null = null;
  private readonly stamp: { time: number; date: number };

  constructor(
    private readonly sink: FileSink,
    now: Date,
  ) {
    this.stamp = dosDateTime(now);
  }

  private localHeader(e: EntryRecord): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(UTF8_NAMES, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    h.writeUInt32LE(e.crc >>> 0, 14);
    h.writeUInt32LE(e.csize, 18);
    h.writeUInt32LE(e.usize, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    return Buffer.concat([h, e.name]);
  }

  begin(name: string): void {
    if (this.current) throw new Error(`zip entry ${this.current.name.toString()} is still open`);
    const e = {
      name: Buffer.from(name, 'utf8'),
      offset: this.sink.position,
      crc: 0,
      csize: 0,
      usize: 0,
      parts: [] as string[],
      pending: 0,
    };
    this.sink.writeBytes(this.localHeader(e));
    this.current = e;
  }

  write(text: string): void {
    const e = this.current;
    if (!e) throw new Error('no zip entry is open');
    e.parts.push(text);
    e.pending += text.length;
    if (e.pending >= PIECE_CHARS) this.flushPiece(false);
  }

  private flushPiece(final: boolean): void {
    const e = this.current!;
    if (e.parts.length) {
      const raw = Buffer.from(e.parts.join(''), 'utf8');
      e.parts = [];
      e.pending = 0;
      e.crc = crc32(raw, e.crc);
      e.usize += raw.length;
      const z = deflateRawSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, level: DEFLATE_LEVEL });
      e.csize += z.length;
      this.sink.writeBytes(z);
    }
    if (final) {
      e.csize += FINAL_BLOCK.length;
      this.sink.writeBytes(FINAL_BLOCK);
    }
    if (e.usize > MAX32 || e.csize > MAX32 || this.sink.position > MAX32) {
      throw new LeakscopeError(
        'E_LIMIT',
        'the XLSX file would exceed 4 GiB; export fewer rows or use CSV',
      );
    }
  }

  end(): void {
    const e = this.current;
    if (!e) throw new Error('no zip entry is open');
    this.flushPiece(true);
    this.sink.patch(e.offset, this.localHeader(e));
    this.entries.push({
      name: e.name,
      offset: e.offset,
      crc: e.crc,
      csize: e.csize,
      usize: e.usize,
    });
    this.current = null;
  }

  /** A whole small entry at once. */
  entry(name: string, text: string): void {
    this.begin(name);
    this.write(text);
    this.end();
  }

  /** Writes the central directory; the sink stays open (the caller closes it). */
  finish(): void {
    if (this.current) this.end();
    const start = this.sink.position;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(UTF8_NAMES, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc >>> 0, 16);
      h.writeUInt32LE(e.csize, 20);
      h.writeUInt32LE(e.usize, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      this.sink.writeBytes(Buffer.concat([h, e.name]));
    }
    const size = this.sink.position - start;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(this.entries.length, 8);
    eocd.writeUInt16LE(this.entries.length, 10);
    eocd.writeUInt32LE(size, 12);
    eocd.writeUInt32LE(start, 16);
    this.sink.writeBytes(eocd);
  }
}
