/**
 * The XLSX package as a zip read by random access, never extracted: the member table, and each
 * member as a stream of decompressed chunks, bounded and checked.
 *
 * What it owns:
 *  - opening: yauzl reads the central directory (`decodeStrings: false`, lazy entries, as in
 *    source.ts). When the directory is missing or unreadable (a truncated download, a damaged
 *    end of file), the members are recovered by walking the local file headers from the start
 *    ("salvage"): every member whose data is complete reads normally, the one cut by the end of
 *    the file reads up to the cut and then reports the damage;
 *  - streaming: raw member bytes are inflated here (one code path for both ways of opening),
 *    so progress counts compressed bytes, and the output is checked against the declared size
 *    and the CRC-32 (yauzl checks neither the CRC nor, in salvage, anything at all);
 *  - bounds (zip-bomb guard, the same rules as source.ts): a member expanding more than maxRatio
 *    times its compressed size (past 16 MiB), a package expanding past maxTotalBytes, more than
 *    maxMembers members: E_LIMIT. Encrypted members: E_IMPORT_FORMAT.
 *
 * Damaged member data (inflate error, wrong size, CRC mismatch, cut by the end of the file) is a
 * MemberDataError thrown after every good byte was delivered, so the caller keeps what it read.
 *
 * Must not import: electron, the store, anything outside node:* and the import folder.
 */
import { Buffer } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable, type TransformOptions } from 'node:stream';
import { crc32, createInflateRaw, type ZlibOptions } from 'node:zlib';
import yauzl from 'yauzl';
import { LeakscopeError } from '../../../../../shared/errors';
import type { ZipLimits } from '../../source';

/** Data of one member is damaged; everything delivered before the throw was good. */
export class MemberDataError extends Error {
  constructor(
    message: string,
    /** Found after every byte was delivered (CRC or size check): the data may be altered. */
    readonly atEnd = false,
  ) {
    super(message);
    this.name = 'MemberDataError';
  }
}

export interface PackageEntry {
  /** Member name as stored (UTF-8 when flagged, else latin1). */
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  /** Declared size, or -1 when unknown (salvaged member written with a data descriptor). */
  uncompressedSize: number;
  /** Declared CRC-32, or null when unknown. */
  crc: number | null;
  /** yauzl's entry (directory mode), or the data range in the file (salvage mode). */
  entry?: yauzl.Entry;
  dataStart?: number;
  /** Salvage: the file ends before this member's data does. */
  cut?: boolean;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_DESCRIPTOR = 0x08074b50;
const CHUNK = 256 * 1024;
/** Ratios are only judged past this much output (small members compress absurdly well). */
const RATIO_GRACE = 16 * 1024 * 1024;

function decodeName(raw: Buffer, flags: number): string {
  return (flags & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
      (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open zip')) : resolve(zip)),
    );
  });
}

async function directoryEntries(zip: yauzl.ZipFile, limits: ZipLimits): Promise<PackageEntry[]> {
  if (zip.entryCount > limits.maxMembers) {
    throw new LeakscopeError(
      'E_LIMIT',
      `the workbook has ${zip.entryCount} zip members, more than the limit of ${limits.maxMembers}`,
    );
  }
  const out: PackageEntry[] = [];
  for await (const e of zip.eachEntry()) {
    const raw = e.fileName as unknown as Buffer;
    out.push({
      name: decodeName(raw, e.generalPurposeBitFlag),
      method: e.compressionMethod,
      flags: e.generalPurposeBitFlag,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
      crc: e.crc32,
      entry: e,
    });
  }
  return out;
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
}

interface DataEnd {
  /** End of the member's data in the file. */
  end: number;
  /** CRC-32 and size from a data descriptor with a signature, when one was found. */
  crc?: number;
  size?: number;
}

/**
 * Finds where a member written with a data descriptor (sizes unknown in its local header) ends:
 * a descriptor whose compressed size matches, else the next local or central directory header.
 * Returns null when the file ends first.
 */
async function findDataEnd(fh: FileHandle, from: number, size: number): Promise<DataEnd | null> {
  let pos = from;
  while (pos < size) {
    const block = await readAt(fh, pos, Math.min(CHUNK + 15, size - pos));
    let i = 0;
    for (;;) {
      i = block.indexOf('PK', i, 'latin1');
      if (i < 0 || i + 4 > block.length) break;
      const sig = block.readUInt32LE(i);
      const at = pos + i;
      if (sig === SIG_DESCRIPTOR && i + 16 <= block.length) {
        if (block.readUInt32LE(i + 8) === at - from) {
          return { end: at, crc: block.readUInt32LE(i + 4), size: block.readUInt32LE(i + 12) };
        }
      } else if (sig === SIG_LOCAL || sig === SIG_CENTRAL) {
        // An unsigned 12/16-byte descriptor sits before this header and is counted as data:
        // the inflater stops at the end of the deflate stream, so it does no harm.
        return { end: at };
      }
      i++;
    }
    if (block.length <= 15) break;
    pos += block.length - 15;
  }
  return null;
}

/** The next local header at or after `from` (skipping a data descriptor), or -1. */
async function nextLocalHeader(fh: FileHandle, from: number, size: number): Promise<number> {
  const probe = await readAt(fh, from, Math.min(64, size - from));
  for (let i = 0; i + 4 <= probe.length; i++) {
    const sig = probe.readUInt32LE(i);
    if (sig === SIG_LOCAL) return from + i;
    if (sig === SIG_CENTRAL) return -1;
  }
  return -1;
}

/** Recovers the member table from the local headers when the central directory is unusable. */
async function salvageEntries(path: string, limits: ZipLimits): Promise<PackageEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const out: PackageEntry[] = [];
    let pos = 0;
    while (pos >= 0 && pos + 30 <= size) {
      const h = await readAt(fh, pos, 30);
      if (h.length < 30 || h.readUInt32LE(0) !== SIG_LOCAL) break;
      if (out.length >= limits.maxMembers) {
        throw new LeakscopeError(
          'E_LIMIT',
          `the workbook has more than ${limits.maxMembers} zip members (limit)`,
        );
      }
      const flags = h.readUInt16LE(6);
      const method = h.readUInt16LE(8);
      let crc: number | null = h.readUInt32LE(14);
      let csize = h.readUInt32LE(18);
      let usize = h.readUInt32LE(22);
      const nameLen = h.readUInt16LE(26);
      const extraLen = h.readUInt16LE(28);
      const meta = await readAt(fh, pos + 30, nameLen + extraLen);
      if (meta.length < nameLen) break;
      const name = decodeName(meta.subarray(0, nameLen), flags);
      // Zip64: sizes of 0xFFFFFFFF live in extra field 0x0001.
      const extra = meta.subarray(nameLen);
      for (let i = 0; i + 4 <= extra.length;) {
        const id = extra.readUInt16LE(i);
        const len = extra.readUInt16LE(i + 2);
        if (id === 0x0001 && i + 4 + len <= extra.length) {
          let j = i + 4;
          if (usize === 0xffffffff && j + 8 <= i + 4 + len) {
            usize = Number(extra.readBigUInt64LE(j));
            j += 8;
          }
          if (csize === 0xffffffff && j + 8 <= i + 4 + len)
            csize = Number(extra.readBigUInt64LE(j));
        }
        i += 4 + len;
      }
      const dataStart = pos + 30 + nameLen + extraLen;
      const withDescriptor = (flags & 0x8) !== 0;
      let dataEnd: number;
      let cut = false;
      if (withDescriptor && csize === 0) {
        const found = await findDataEnd(fh, dataStart, size);
        if (found) {
          dataEnd = found.end;
          crc = found.crc ?? null;
          usize = found.size ?? -1;
        } else {
          dataEnd = size;
          cut = true;
          crc = null;
          usize = -1;
        }
        csize = dataEnd - dataStart;
      } else {
        dataEnd = dataStart + csize;
        if (dataEnd > size) {
          cut = true;
          dataEnd = size;
          csize = dataEnd - dataStart;
        }
      }
      out.push({
        name,
        method,
        flags,
        compressedSize: csize,
        uncompressedSize: usize,
        crc,
        dataStart,
        cut,
      });
      if (cut) break;
      pos = withDescriptor ? await nextLocalHeader(fh, dataEnd, size) : dataEnd;
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** An opened workbook package; close() it when done. */
export class XlsxPackage {
  private readonly byName = new Map<string, PackageEntry>();
  private readonly byLowerName = new Map<string, PackageEntry>();
  private total = 0;

  private constructor(
    private readonly path: string,
    private readonly zip: yauzl.ZipFile | null,
    readonly entries: readonly PackageEntry[],
    private readonly limits: ZipLimits,
    /** Why the central directory could not be used (salvage mode), or null. */
    readonly salvaged: string | null,
  ) {
    for (const e of entries) {
      // First occurrence wins: a duplicated name is suspicious, the directory order is not.
      if (!this.byName.has(e.name)) this.byName.set(e.name, e);
      const lower = e.name.toLowerCase();
      if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, e);
    }
  }

  static async open(path: string, limits: ZipLimits): Promise<XlsxPackage> {
    let zip: yauzl.ZipFile | null = null;
    try {
      zip = await openZip(path);
      const entries = await directoryEntries(zip, limits);
      return new XlsxPackage(path, zip, entries, limits, null);
    } catch (e) {
      zip?.close();
      if (e instanceof LeakscopeError) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      const entries = await salvageEntries(path, limits);
      if (entries.length === 0) {
        throw new LeakscopeError(
          'E_IMPORT_FORMAT',
          `the .xlsx file is not a readable zip archive (${reason}); it may be truncated or corrupt`,
        );
      }
      return new XlsxPackage(path, null, entries, limits, reason);
    }
  }

  /** A member by exact name, else case-insensitively (some writers vary the case). */
  find(name: string): PackageEntry | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  close(): void {
    this.zip?.close();
  }

  private async openRaw(entry: PackageEntry): Promise<Readable> {
    if (this.zip && entry.entry) {
      const zip = this.zip;
      const e = entry.entry;
      return new Promise((resolve, reject) =>
        zip.openReadStream(e, { decodeFileData: false }, (err, s) =>
          err || !s ? reject(err ?? new Error('no stream')) : resolve(s),
        ),
      );
    }
    const start = entry.dataStart ?? 0;
    if (entry.compressedSize === 0) return Readable.from([]);
    return createReadStream(this.path, {
      start,
      end: start + entry.compressedSize - 1,
      highWaterMark: CHUNK,
    });
  }

  /**
   * The decompressed content of a member. `onCompressed(n)` reports raw bytes consumed (for
   * progress). Throws LeakscopeError for limits, MemberDataError for damaged data.
   */
  async *stream(
    entry: PackageEntry,
    onCompressed?: (n: number) => void,
  ): AsyncGenerator<Buffer, void, undefined> {
    const name = entry.name;
    if ((entry.flags & 0x1) !== 0) {
      throw new LeakscopeError('E_IMPORT_FORMAT', `zip member "${name}" is encrypted`);
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new LeakscopeError(
        'E_IMPORT_FORMAT',
        `zip member "${name}" uses compression method ${entry.method} (only deflate and stored are supported)`,
      );
    }
    if (entry.uncompressedSize > this.limits.maxTotalBytes - this.total) {
      throw new LeakscopeError(
        'E_LIMIT',
        `the workbook expands to more than ${this.limits.maxTotalBytes} bytes (zip bomb limit); member "${name}" declares ${entry.uncompressedSize}`,
      );
    }
    const raw = await this.openRaw(entry);
    let source: Readable = raw;
    let out = 0;
    let reported = 0;
    let crc = 0;
    // Compressed bytes consumed, for progress: what the inflater has taken in (or the output).
    let consumed = (): number => out;
    if (entry.method === 8) {
      // A deep output buffer lets inflation (thread pool) run ahead while the sheet is parsed.
      const inflaterOptions: ZlibOptions & TransformOptions = {
        chunkSize: 64 * 1024,
        readableHighWaterMark: 4 * 1024 * 1024,
      };
      const inflater = createInflateRaw(inflaterOptions);
      source = pipeline(raw, inflater, () => undefined);
      consumed = () => inflater.bytesWritten;
    }
    const compressed = Math.max(entry.compressedSize, 1);
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (e) {
          // Only errors of the data itself (inflate, read) mean damage; limits and the
          // caller's own errors (cancellation from onCompressed) pass through unchanged.
          if (entry.cut) {
            throw new MemberDataError(
              `the file ends inside zip member "${name}" (truncated download?)`,
            );
          }
          throw new MemberDataError(
            `zip member "${name}" is corrupt: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        if (next.done) break;
        const chunk = next.value;
        out += chunk.length;
        this.total += chunk.length;
        if (out > RATIO_GRACE && out / compressed > this.limits.maxRatio) {
          throw new LeakscopeError(
            'E_LIMIT',
            `zip member "${name}" expands more than ${this.limits.maxRatio}× its compressed size (zip bomb limit)`,
          );
        }
        if (this.total > this.limits.maxTotalBytes) {
          throw new LeakscopeError(
            'E_LIMIT',
            `the workbook expands to more than ${this.limits.maxTotalBytes} bytes (zip bomb limit)`,
          );
        }
        if (entry.uncompressedSize >= 0 && out > entry.uncompressedSize) {
          throw new MemberDataError(
            `zip member "${name}" holds more data than its declared ${entry.uncompressedSize} bytes`,
          );
        }
        if (entry.crc !== null) crc = crc32(chunk, crc);
        const rawBytes = consumed();
        if (onCompressed && rawBytes > reported) {
          onCompressed(rawBytes - reported);
          reported = rawBytes;
        }
        yield chunk;
      }
    } finally {
      raw.destroy();
      source.destroy();
    }
    if (onCompressed && consumed() > reported) onCompressed(consumed() - reported);
    if (entry.cut) {
      throw new MemberDataError(`the file ends inside zip member "${name}" (truncated download?)`);
    }
    if (entry.uncompressedSize >= 0 && out !== entry.uncompressedSize) {
      throw new MemberDataError(
        `zip member "${name}" holds ${out} bytes, its header declares ${entry.uncompressedSize}`,
        true,
      );
    }
    if (entry.crc !== null && crc >>> 0 !== entry.crc >>> 0) {
      throw new MemberDataError(
        `zip member "${name}" fails its CRC-32 check: the data is corrupt`,
        true,
      );
    }
  }

  /** A small member whole (workbook, rels, styles), bounded by `maxBytes`. */
  async readAll(
    entry: PackageEntry,
    maxBytes: number,
    onCompressed?: (n: number) => void,
  ): Promise<Buffer> {
    if (entry.uncompressedSize > maxBytes) {
      throw new LeakscopeError(
        'E_LIMIT',
        `zip member "${entry.name}" declares ${entry.uncompressedSize} bytes, more than the ${maxBytes} bytes allowed for it`,
      );
    }
    const parts: Buffer[] = [];
    let size = 0;
    for await (const c of this.stream(entry, onCompressed)) {
      size += c.length;
      if (size > maxBytes) {
        throw new LeakscopeError(
          'E_LIMIT',
          `zip member "${entry.name}" is larger than the ${maxBytes} bytes allowed for it`,
        );
      }
      parts.push(c);
    }
    return Buffer.concat(parts);
  }
}
