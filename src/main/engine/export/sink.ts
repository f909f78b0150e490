/**
 * Where an export is written: a `<out>.partial` file beside the target, filled with synchronous
 * buffered writes (the export runs in its own worker thread, so blocking I/O costs nothing and
 * keeps memory flat: at most one 1 MiB buffer), renamed to `<out>` only after verification, and
 * deleted on any failure. Nothing of an export exists under its final name until it is verified.
 *
 * Also: the SHA-256 of a finished file (read back from disk, so it is the hash of the bytes a
 * reader will get, after any positional patch of the XLSX container).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { LeakscopeError } from '../../../shared/errors';

const FLUSH_CHARS = 1 << 20;

export function partialPath(out: string): string {
  return `${out}.partial`;
}

export class FileSink {
  private fd: number | null;
  private parts: string[] = [];
  private pending = 0;
  /** Bytes handed to the file so far (buffered text not included until flushed). */
  private written = 0;

  constructor(readonly path: string) {
    // A stale .partial from a crashed export is ours to replace; 'wx' then refuses to follow a
    // file created in between (no overwrite through a planted symlink).
    if (existsSync(path)) rmSync(path, { force: true });
    try {
      this.fd = openSync(path, 'wx', 0o600);
    } catch (e) {
      throw new LeakscopeError('E_IO', `cannot write ${path}: ${(e as Error).message}`);
    }
  }

  /** Bytes in the file once everything buffered is flushed. */
  get position(): number {
    this.flush();
    return this.written;
  }

  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_CHARS) this.flush();
  }

  writeBytes(bytes: Uint8Array): void {
    this.flush();
    this.writeAll(bytes);
  }

  /** Overwrites bytes already written (zip local headers once sizes are known). */
  patch(position: number, bytes: Uint8Array): void {
    this.flush();
    let done = 0;
    while (done < bytes.length) {
      done += writeSync(this.fdOrThrow(), bytes, done, bytes.length - done, position + done);
    }
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.length === 1 ? this.parts[0]! : this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.writeAll(buf);
  }

  /** Flushes, syncs to disk and closes. */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }

  /** Closes (if open) and deletes the partial file. */
  discard(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Already unusable: deleting the file is what matters.
      }
      this.fd = null;
    }
    this.parts = [];
    rmSync(this.path, { force: true });
  }

  private fdOrThrow(): number {
    if (this.fd === null) throw new Error('the export file is already closed');
    return this.fd;
  }

  private writeAll(bytes: Uint8Array): void {
    const fd = this.fdOrThrow();
    let done = 0;
    while (done < bytes.length) {
      done += writeSync(fd, bytes, done, bytes.length - done, null);
    }
    this.written += bytes.length;
  }
}

/** SHA-256 of a file, read in 1 MiB chunks. */
export function sha256File(path: string): { sha256: string; bytes: number } {
  const fd = openSync(path, 'r');
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Renames verified partial files to their final names, all or none. */
export function publish(pairs: readonly { from: string; to: string }[]): void {
  const done: string[] = [];
  try {
    for (const p of pairs) {
      renameSync(p.from, p.to);
      done.push(p.to);
    }
  } catch (e) {
    for (const d of done) rmSync(d, { force: true });
    for (const p of pairs) rmSync(p.from, { force: true });
    throw new LeakscopeError(
      'E_IO',
      `could not move the export into place: ${(e as Error).message}`,
    );
  }
}
