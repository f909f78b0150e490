/**
 * Opening a source file as evidence: its identity (name, size, mtime), its SHA-256 computed in the
 * same pass as the parse, and its content as streams of decompressed bytes — one stream for a
 * plain or gzipped file, one per member for a zip archive. Nothing is ever extracted to disk.
 *
 * Zip archives are bounded against bombs (expansion ratio and total size, stated in the error) and
 * member names are never used as paths (no extraction), only sanitised into dataset names.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import { LeakscopeError } from '../../../shared/errors';

export const HEAD_BYTES = 64 * 1024;
const CHUNK = 1024 * 1024;

export interface ZipLimits {
  /** Refuse a member whose output exceeds this many times its compressed size (past 16 MiB). */
  maxRatio: number;
  /** Refuse an archive whose members add up to more than this many bytes uncompressed. */
  maxTotalBytes: number;
  /** Refuse archives with more members than this. */
  maxMembers: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxRatio: 1000,
  maxTotalBytes: 256 * 1024 ** 3,
  maxMembers: 10_000,
};

export type Compression = 'gzip' | 'zip' | null;

export interface SourceMember {
  /** Member name inside an archive (as stored), or null for a plain/gzipped file. */
  member: string | null;
  /** Warnings about the member (suspicious path in the archive...). */
  warnings: string[];
  /** First bytes of the decompressed content, for sniffing. */
  head: Uint8Array;
  /** The whole decompressed content, starting with `head`. Iterate once. */
  chunks: AsyncIterable<Uint8Array>;
}

export interface SourceFile {
  path: string;
  fileName: string;
  bytes: number;
  mtime: Date;
  compression: Compression;
  /** Raw (compressed) bytes of the file read so far: the progress measure. */
  bytesRead(): number;
  members(): AsyncIterable<SourceMember>;
  /** SHA-256 of the raw file, available once every member was read to the end. */
  sha256(): Promise<string>;
}

async function readMagic(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(path, { start: 0, end: 3 })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Peeks the first HEAD_BYTES of a stream, then yields everything (head included). */
export async function withHead(
  stream: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; chunks: AsyncIterable<Uint8Array> }> {
  const it = stream[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    size += r.value.length;
  }
  const all = Buffer.concat(buffered);
  const head = all.subarray(0, Math.min(all.length, HEAD_BYTES));
  async function* chunks(): AsyncIterable<Uint8Array> {
    if (all.length) yield all;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, chunks: chunks() };
}

/** A pass-through that hashes and counts the raw bytes on their way to the parser. */
function tap(hash: Hash, onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

export async function openSource(
  path: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<SourceFile> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new LeakscopeError('E_IO', `cannot read ${path}: no such file`);
  }
  if (!st.isFile()) throw new LeakscopeError('E_IO', `${path} is not a regular file`);
  const magic = await readMagic(path);
  const compression: Compression =
    magic[0] === 0x1f && magic[1] === 0x8b
      ? 'gzip'
      : magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 0x03 && magic[3] === 0x04
        ? 'zip'
        : null;
  let read = 0;
  const hash = createHash('sha256');
  let resolveHash!: (h: string) => void;
  let rejectHash!: (e: Error) => void;
  const hashPromise = new Promise<string>((res, rej) => {
    resolveHash = res;
    rejectHash = rej;
  });
  hashPromise.catch(() => undefined);

  const base = {
    path,
    fileName: basename(path),
    bytes: st.size,
    mtime: st.mtime,
    compression,
    bytesRead: () => read,
    sha256: () => hashPromise,
  };

  if (compression !== 'zip') {
    return {
      ...base,
      async *members() {
        const raw = createReadStream(path, { highWaterMark: CHUNK });
        const tapped = raw.pipe(tap(hash, (n) => (read += n)));
        raw.on('error', (e) => tapped.destroy(e));
        // The hash covers the raw file: resolved when the raw bytes end, even when the
        // decompressor gave up early (a truncated .gz is read to its last byte for the hash).
        tapped.on('end', () => resolveHash(hash.digest('hex')));
        tapped.on('error', (e) => rejectHash(e));
        let stream: Readable = tapped;
        if (compression === 'gzip') {
          const gunzip = createGunzip({ chunkSize: CHUNK });
          tapped.on('error', (e) => gunzip.destroy(e));
          gunzip.on('error', () => {
            tapped.unpipe(gunzip);
            tapped.resume();
          });
          stream = tapped.pipe(gunzip);
        }
        const { head, chunks } = await withHead(gzipErrorsAsTruncation(stream));
        yield { member: null, warnings: [], head, chunks };
      },
    };
  }

  return {
    ...base,
    async *members() {
      // The archive is read by random access (central directory first), so the chain-of-custody
      // hash is a separate sequential pass over the raw bytes, done first.
      for await (const c of createReadStream(path, { highWaterMark: CHUNK }))
        hash.update(c as Buffer);
      resolveHash(hash.digest('hex'));
      yield* zipMembers(path, limits, (n) => (read = Math.min(st.size, read + n)));
      read = st.size;
    },
  };
}

/**
 * A gzip stream cut short ends with "unexpected end of file": surface it as a typed error the
 * pipeline turns into a truncated import (everything decoded so far is kept).
 */
async function* gzipErrorsAsTruncation(stream: Readable): AsyncIterable<Uint8Array> {
  try {
    for await (const c of stream) yield c as Uint8Array;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message)) {
      throw new TruncatedSourceError('the compressed stream ends early (truncated .gz file)');
    }
    throw new LeakscopeError('E_IMPORT_FORMAT', `corrupt compressed data: ${err.message}`);
  }
}

export class TruncatedSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedSourceError';
  }
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

/** Decodes a member name (UTF-8 when flagged, else CP437 approximated by latin1). */
function memberName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
  return utf8 ? raw.toString('utf8') : raw.toString('latin1');
}

export function memberWarnings(name: string): string[] {
  const warnings: string[] = [];
  if (/^([/\\]|[a-zA-Z]:)/.test(name))
    warnings.push(`member "${name}" has an absolute path (not extracted)`);
  if (name.split(/[/\\]/).includes('..'))
    warnings.push(`member "${name}" climbs out of the archive with ".." (not extracted)`);
  return warnings;
}

async function* zipMembers(
  path: string,
  limits: ZipLimits,
  onCompressed: (n: number) => void,
): AsyncIterable<SourceMember> {
  const zip = await openZip(path);
  try {
    if (zip.entryCount > limits.maxMembers) {
      throw new LeakscopeError(
        'E_LIMIT',
        `the archive has ${zip.entryCount} members, more than the limit of ${limits.maxMembers}`,
      );
    }
    let total = 0;
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once('entry', (e: yauzl.Entry) => {
          zip.removeAllListeners('end');
          resolve(e);
        });
        zip.once('end', () => resolve(null));
        zip.once('error', reject);
        zip.readEntry();
      });
      if (!entry) return;
      const name = memberName(entry);
      if (name.endsWith('/') || name.endsWith('\\')) continue;
      if ((entry.generalPurposeBitFlag & 0x1) !== 0) {
        throw new LeakscopeError(
          'E_IMPORT_FORMAT',
          `member "${name}" is encrypted; decrypt the archive first`,
        );
      }
      if (entry.uncompressedSize > limits.maxTotalBytes - total) {
        throw new LeakscopeError(
          'E_LIMIT',
          `the archive expands to more than ${limits.maxTotalBytes} bytes (zip bomb limit); member "${name}" declares ${entry.uncompressedSize}`,
        );
      }
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) =>
          err || !s ? reject(err ?? new Error('no stream')) : resolve(s),
        ),
      );
      const compressed = Math.max(entry.compressedSize, 1);
      const declared = Math.max(entry.uncompressedSize, 1);
      async function* guarded(): AsyncIterable<Uint8Array> {
        let out = 0;
        let reported = 0;
        for await (const c of stream) {
          const chunk = c as Buffer;
          out += chunk.length;
          total += chunk.length;
          if (out > 16 * 1024 * 1024 && out / compressed > limits.maxRatio) {
            stream.destroy();
            throw new LeakscopeError(
              'E_LIMIT',
              `member "${name}" expands more than ${limits.maxRatio}× its compressed size (zip bomb limit)`,
            );
          }
          if (total > limits.maxTotalBytes) {
            stream.destroy();
            throw new LeakscopeError(
              'E_LIMIT',
              `the archive expands to more than ${limits.maxTotalBytes} bytes (zip bomb limit)`,
            );
          }
          const progress = Math.floor((out / declared) * compressed);
          if (progress > reported) {
            onCompressed(progress - reported);
            reported = progress;
          }
          yield chunk;
        }
      }
      let body = guarded();
      let { head, chunks } = await withHead(body);
      // One level of gzip inside the archive (dump.sql.gz zipped again) is common.
      if (head[0] === 0x1f && head[1] === 0x8b) {
        const gunzip = createGunzip({ chunkSize: CHUNK });
        const src = chunks;
        void (async () => {
          try {
            for await (const c of src)
              if (!gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
            gunzip.end();
          } catch (e) {
            gunzip.destroy(e as Error);
          }
        })();
        body = gzipErrorsAsTruncation(gunzip);
        ({ head, chunks } = await withHead(body));
      }
      yield { member: name, warnings: memberWarnings(name), head, chunks };
    }
  } finally {
    zip.close();
  }
}
