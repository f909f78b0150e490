/**
 * The hash-chained audit log: append, list, verify.
 *
 * hash(n) = SHA-256( prevHash(n) || "\n" || canonicalJson({seq, at, action, params, result}) )
 * with prevHash(1) = 64 zeros. The head (last seq and hash) is mirrored in case_meta in the same
 * transaction, so editing a row, deleting a row in the middle and deleting the newest rows are all
 * detected by `verifyAudit`. Entries never hold passphrases (stripped by the router) or record
 * values; parameters describe the action (file names, filters, counts).
 */
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditVerifyResult } from '../../../shared/api';
import { getMeta, setMeta } from '../store/meta';
import type { ReadableDB, WritableDB } from '../store/types';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

interface AuditRow {
  seq: number;
  at: string;
  action: string;
  params: string;
  result: string;
  prev_hash: string;
  hash: string;
}

export function entryHash(
  prevHash: string,
  entry: { seq: number; at: string; action: string; params: unknown; result: unknown },
): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    params: entry.params,
    result: entry.result,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/**
 * How long an audit append keeps trying while another connection holds the write lock (an index
 * build in a query worker, an import): each attempt waits the connection's busy timeout (5 s),
 * then the append retries until this much time has passed. Search index builds leave the lock
 * free every second; a column index (one CREATE INDEX statement, ~45 s at 10M rows) is the long
 * case. The wait blocks the calling thread: better-sqlite3 is synchronous.
 */
export const AUDIT_BUSY_RETRY_MS = 120_000;
const RETRY_PAUSE_MS = 25;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** Runs `fn`, retrying while the database is busy (see AUDIT_BUSY_RETRY_MS). */
export function retryBusy<T>(fn: () => T, retryMs = AUDIT_BUSY_RETRY_MS): T {
  const deadline = performance.now() + retryMs;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || performance.now() >= deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_PAUSE_MS);
    }
  }
}

export function appendAudit(
  db: WritableDB,
  entry: { at: Date; action: string; params: unknown; result: unknown },
): AuditEntry {
  return retryBusy(() => appendOnce(db, entry));
}

function appendOnce(
  db: WritableDB,
  entry: { at: Date; action: string; params: unknown; result: unknown },
): AuditEntry {
  return db
    .transaction((): AuditEntry => {
      const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const at = entry.at.toISOString();
      // Round-trip through canonical JSON so what is hashed is exactly what is stored.
      const params = JSON.parse(canonicalJson(entry.params ?? null)) as unknown;
      const result = JSON.parse(canonicalJson(entry.result ?? null)) as unknown;
      const hash = entryHash(prevHash, { seq, at, action: entry.action, params, result });
      db.prepare(
        'INSERT INTO audit_log (seq, at, action, params, result, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(seq, at, entry.action, canonicalJson(params), canonicalJson(result), prevHash, hash);
      setMeta(db, 'audit_head', `${seq}:${hash}`);
      return { seq, at, action: entry.action, params, result, prevHash, hash };
    })
    .immediate();
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    action: row.action,
    params: JSON.parse(row.params) as unknown,
    result: JSON.parse(row.result) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function listAudit(db: ReadableDB, afterSeq: number, limit: number): AuditEntry[] {
  const rows = db
    .prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?')
    .all(afterSeq, limit) as AuditRow[];
  return rows.map(toEntry);
}

export function countAudit(db: ReadableDB): number {
  return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}

export function verifyAudit(db: ReadableDB): AuditVerifyResult {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  const broken = (seq: number, reason: string): AuditVerifyResult => ({
    ok: false,
    entries,
    firstBroken: seq,
    reason,
  });
  for (const row of db
    .prepare('SELECT * FROM audit_log ORDER BY seq')
    .iterate() as IterableIterator<AuditRow>) {
    entries++;
    if (row.seq !== expectedSeq) {
      return broken(
        expectedSeq,
        `entry ${expectedSeq} is missing (the log jumps to entry ${row.seq})`,
      );
    }
    if (row.prev_hash !== prevHash) {
      return broken(row.seq, `entry ${row.seq} does not link to the entry before it`);
    }
    let recomputed: string;
    try {
      recomputed = entryHash(prevHash, {
        seq: row.seq,
        at: row.at,
        action: row.action,
        params: JSON.parse(row.params) as unknown,
        result: JSON.parse(row.result) as unknown,
      });
    } catch {
      return broken(row.seq, `entry ${row.seq} is not valid JSON any more (edited)`);
    }
    if (recomputed !== row.hash) {
      return broken(row.seq, `entry ${row.seq} was modified after it was written (hash mismatch)`);
    }
    prevHash = row.hash;
    expectedSeq++;
  }
  const head = getMeta(db, 'audit_head');
  const lastSeq = expectedSeq - 1;
  if (head !== null) {
    const [headSeq, headHash] = head.split(':');
    if (Number(headSeq) !== lastSeq || (lastSeq > 0 && headHash !== prevHash)) {
      const h = Number(headSeq);
      if (h > lastSeq) {
        return broken(
          lastSeq + 1,
          `entries ${lastSeq + 1} to ${h} were deleted (the chain head says ${h})`,
        );
      }
      if (h < lastSeq) {
        return broken(h + 1, `entries ${h + 1} to ${lastSeq} were added outside Leakscope`);
      }
      return broken(lastSeq, `the chain head does not match entry ${lastSeq}`);
    }
  } else if (lastSeq > 0) {
    return broken(1, 'the chain head record is missing');
  }
  return { ok: true, entries, firstBroken: null, reason: null };
}
