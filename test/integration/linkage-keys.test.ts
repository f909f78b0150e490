/**
 * Identity key extraction (linkage/keys.ts): one sorted chunk or many store exactly the same
 * keys, identity_keys and the record tables (migration 0130) always hold the same rows; the
 * extraction leaves the write lock free between short transactions; a cancelled one leaves keys
 * that no query reads until the next extraction replaces them; two never run on one dataset.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLAIM_STALE_MS,
  ensureKeys,
  extractionClaimKey,
  extractKeys,
  hasKeys,
  keyThreads,
} from '../../src/main/engine/linkage/keys';
import { KEY_KIND_CODE } from '../../src/main/engine/linkage/kinds';
import { CROSS_PAIRS_SQL, registerLinkageFunctions } from '../../src/main/engine/linkage/queries';
import { getMeta } from '../../src/main/engine/store/meta';
import { pragmaString } from '../../src/main/engine/store';
import { Worker } from 'node:worker_threads';
import type { WritableCase } from '../../src/main/engine/store';
import { generateFile } from '../fixtures/gen';
import { defaultWorkerUrl } from '../../src/main/engine/jobs/host';
import { createTestCase, NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { scratchDir } from '../helpers/tmp';
import { importWithSteps } from './linkage-fixtures';

const dir = scratchDir('leakscope-linkage-keys-');
let c: WritableCase;
let a: { id: number; name: string; rows: number };
let b: { id: number; name: string; rows: number };

function keysOf(id: number, table = 'identity_keys'): string[] {
  return (
    c.db
      .prepare(
        `SELECT kind, key, row_id, coalesce(dob, 0) AS dob FROM ${table} WHERE dataset_id = ? ORDER BY kind, key, row_id`,
      )
      .raw(true)
      .safeIntegers(true)
      .all(id) as unknown[][]
  ).map((r) => r.join('\u0001'));
}

/** How a key thread opens the test case. */
function caseAccess() {
  return {
    casePath: c.path,
    key: TEST_PASSPHRASE,
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  };
}

/** The record table holds the same rows as identity_keys, for every dataset. */
function expectTwins(): void {
  for (const id of [a.id, b.id]) expect(keysOf(id, 'identity_key_record_keys')).toEqual(keysOf(id));
}

beforeAll(async () => {
  const file = join(dir, 'people.csv');
  await generateFile({ seed: 7, rows: 1500, format: 'csv', out: file });
  c = createTestCase(dir);
  a = await importWithSteps(c.db, file, 'a');
  b = await importWithSteps(c.db, file, 'b');
}, 120_000);

afterAll(() => c?.close());

describe('identity key extraction', () => {
  it('the post-import step stored the keys of both datasets, by key and by record', () => {
    expect(hasKeys(c.db, a.id)).toBe(true);
    expect(hasKeys(c.db, b.id)).toBe(true);
    expect(keysOf(a.id).length).toBeGreaterThan(a.rows * 5);
    // Same file twice: same keys.
    expect(keysOf(b.id)).toEqual(keysOf(a.id));
    expectTwins();
  });

  it('gives the same keys whatever the chunking, and re-extracts in place', () => {
    const reference = keysOf(a.id);
    const cache = c.db.pragma('cache_size', { simple: true }) as number;
    const steps: string[] = [];
    const first = extractKeys(c.db, a.id, { onProgress: (p) => steps.push(p.step) });
    const byKind = first.byKind;
    // The previous keys are taken out first (key-delete.ts), and that step is announced.
    expect(steps[0]).toBe(
      `identity keys: removing the ${first.keys.toLocaleString('en')} previous keys`,
    );
    for (const tuning of [{ chunkRows: 1000 }, {}, { chunkRows: 1, cacheMiB: 0 }]) {
      const r = extractKeys(c.db, a.id, {}, tuning);
      expect(keysOf(a.id)).toEqual(reference);
      expect(r.byKind).toEqual(byKind);
      expectTwins();
    }
    expect(keysOf(b.id)).toEqual(reference);
    expect(c.db.pragma('foreign_key_check')).toEqual([]);
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The staging table is gone and the page cache is back to the connection's setting.
    expect(
      c.db.prepare("SELECT name FROM temp.sqlite_schema WHERE name = 'lk_key_stage'").get(),
    ).toBeUndefined();
    expect(c.db.pragma('cache_size', { simple: true })).toBe(cache);
  });

  it('reads in key threads the same keys, and falls back when a thread fails', () => {
    const reference = keysOf(a.id);
    const access = caseAccess();
    const url = defaultWorkerUrl().href;
    // Two threads by default, none on a single core.
    expect([keyThreads(1), keyThreads(2), keyThreads(16)]).toEqual([0, 2, 2]);
    const local = extractKeys(c.db, a.id);
    expect(local.threadPages).toBe(0);
    // Many ranges per thread (1,500 ids: 30 ranges of 50, more than are handed out at once).
    const threaded = extractKeys(
      c.db,
      a.id,
      { threads: { url, access } },
      { threads: 2, threadMinRows: 0, rangeIds: 50 },
    );
    expect(threaded.pages).toBe(30);
    expect(threaded.threadPages).toBe(30);
    expect(threaded.records).toBe(local.records);
    expect(threaded.byKind).toEqual(local.byKind);
    expect(keysOf(a.id)).toEqual(reference);
    expectTwins();
    // A thread that cannot open the case reports it; every range is then read here.
    const fallback = extractKeys(
      c.db,
      a.id,
      { threads: { url, access: { ...access, key: 'not the passphrase' } } },
      { threads: 2, threadMinRows: 0, rangeIds: 200 },
    );
    expect(fallback.threadPages).toBe(0);
    expect(fallback.pages).toBe(8);
    expect(keysOf(a.id)).toEqual(reference);
    expectTwins();
  }, 60_000);

  it('a cancelled extraction leaves keys no query reads, and the next one replaces them', () => {
    const before = keysOf(b.id);
    const ac = new AbortController();
    const access = caseAccess();
    expect(() =>
      extractKeys(
        c.db,
        b.id,
        {
          signal: ac.signal,
          threads: { url: defaultWorkerUrl().href, access },
          // Cancelled once the first page is in (after the old keys went, in their own commit).
          onProgress: () => ac.abort(),
        },
        { threads: 2, threadMinRows: 0, rangeIds: 200, progressMs: 0 },
      ),
    ).toThrow();
    expect(hasKeys(c.db, b.id)).toBe(false);
    // What was written before the cancel is there, but unkeyed: overlap of a finds none of b.
    expect(keysOf(b.id).length).toBeLessThan(before.length);
    registerLinkageFunctions(c.db);
    const seen = c.db
      .prepare(CROSS_PAIRS_SQL.scan)
      .raw(true)
      .all({ kind: KEY_KIND_CODE.email, a: a.id }) as unknown[][];
    expect(seen.filter((r) => r[1] === b.id)).toEqual([]);
    // No claim is left behind: the next extraction starts at once and completes.
    expect(getMeta(c.db, extractionClaimKey(b.id))).toBeNull();
    ensureKeys(c.db, [b.id]);
    expect(keysOf(b.id)).toEqual(before);
    expectTwins();
  }, 60_000);

  it('a cancelled extraction keeps the old keys when it had not started', () => {
    const before = keysOf(b.id);
    const ac = new AbortController();
    ac.abort();
    expect(() => extractKeys(c.db, b.id, { signal: ac.signal })).toThrow();
    expect(keysOf(b.id)).toEqual(before);
    expect(hasKeys(c.db, b.id)).toBe(true);
    expectTwins();
  });

  it('leaves the write lock free between its transactions', async () => {
    const before = keysOf(b.id);
    const writer = startWriter(c.path);
    await writer.ready;
    const t0 = Date.now();
    extractKeys(c.db, b.id, {}, { threads: 0, rangeIds: 100, txMs: 5, gapMs: 40 });
    const t1 = Date.now();
    await writer.stop();
    // Another connection committed all along the extraction, not only before or after it: the
    // longest stretch without one of its commits is a fraction of the extraction.
    const times = (
      c.db
        .prepare("SELECT value FROM case_meta WHERE key LIKE 'test.writer.%'")
        .pluck()
        .all() as string[]
    )
      .map(Number)
      .filter((t) => t > t0 && t < t1)
      .sort((x, y) => x - y);
    const stretches = [t0, ...times, t1].slice(1).map((t, i) => t - [t0, ...times][i]!);
    expect(times.length).toBeGreaterThan(2);
    expect(Math.max(...stretches)).toBeLessThan((t1 - t0) / 4);
    expect(keysOf(b.id)).toEqual(before);
    expect(hasKeys(c.db, b.id)).toBe(true);
    expectTwins();
  }, 60_000);

  it('refuses to start beside a live extraction of the dataset, takes over a dead one', () => {
    const before = keysOf(b.id);
    const claim = (at: number) =>
      c.db
        .prepare('INSERT OR REPLACE INTO case_meta (key, value) VALUES (?, ?)')
        .run(extractionClaimKey(b.id), JSON.stringify({ token: 'other', at }));
    claim(Date.now());
    expect(() => extractKeys(c.db, b.id)).toThrow(/being extracted by another job/);
    expect(keysOf(b.id)).toEqual(before);
    claim(Date.now() - CLAIM_STALE_MS - 1000);
    extractKeys(c.db, b.id);
    expect(keysOf(b.id)).toEqual(before);
    expect(getMeta(c.db, extractionClaimKey(b.id))).toBeNull();
  });

  it('deleting a dataset takes its keys with it (migrations 0090, 0130)', () => {
    const n = keysOf(b.id).length;
    expect(n).toBeGreaterThan(0);
    c.db.prepare('DELETE FROM datasets WHERE id = ?').run(b.id);
    expect(keysOf(b.id)).toEqual([]);
    expect(keysOf(b.id, 'identity_key_record_keys')).toEqual([]);
    expect(hasKeys(c.db, b.id)).toBe(false);
    expect(keysOf(a.id).length).toBe(n);
  });
});

/** Another connection committing a case_meta row (its time as value) every few ms until stopped. */
function startWriter(path: string): { ready: Promise<void>; stop: () => Promise<void> } {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require('better-sqlite3-multiple-ciphers');
    const db = new Database(workerData.path, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma('key=' + workerData.key);
    db.pragma('busy_timeout = 10000');
    const put = db.prepare('INSERT INTO case_meta (key, value) VALUES (?, ?)');
    parentPort.postMessage('ready');
    for (let i = 0; Atomics.load(workerData.stop, 0) === 0; i++) {
      db.exec('BEGIN IMMEDIATE');
      put.run('test.writer.' + i, String(Date.now()));
      db.exec('COMMIT');
      Atomics.wait(workerData.stop, 0, 0, 5);
    }
    db.close();
    parentPort.postMessage('done');
    `,
    {
      eval: true,
      workerData: {
        path,
        key: pragmaString(TEST_PASSPHRASE),
        nativeBinding: NATIVE_BINDING ?? null,
        stop: stopFlag,
      },
    },
  );
  const message = (m: string) =>
    new Promise<void>((resolve, reject) => {
      worker.on('message', (x) => x === m && resolve());
      worker.on('error', reject);
    });
  const ready = message('ready');
  const done = message('done');
  return {
    ready,
    stop: async () => {
      Atomics.store(stopFlag, 0, 1);
      Atomics.notify(stopFlag, 0);
      await done;
    },
  };
}
