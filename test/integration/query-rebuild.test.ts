/**
 * `search.rebuild` / `search.status` and writers during index builds:
 * - the rebuild runs in a query worker with progress events, is audited, can be cancelled (the
 *   index is then not ready and searches scan, saying so) and run again;
 * - audited calls made while the build runs succeed (the build leaves the write lock free
 *   between short transactions);
 * - an audit append waits out another connection holding the write lock longer than the busy
 *   timeout (retry), instead of failing with SQLITE_BUSY;
 * - the CLI `search rebuild`.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/main/engine';
import { appendAudit, verifyAudit } from '../../src/main/engine/audit';
import { closeQueryWorkers } from '../../src/main/engine/query';
import { pragmaString } from '../../src/main/engine/store';
import type { JobProgress } from '../../src/shared/api';
import { generateFile } from '../fixtures/gen';
import { createTestCase, NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { runCli } from '../helpers/cli';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-query-rebuild-');
let engine: Engine;
let casePath: string;
const ROWS = 20_000;

beforeAll(async () => {
  ({ engine, path: casePath } = await engineWithCase(dir));
  await generateFile({ format: 'csv', seed: 3, rows: ROWS, out: `${dir}/people.csv` });
  await engine.call('import.run', { path: `${dir}/people.csv` });
}, 120_000);
afterAll(() => {
  closeQueryWorkers();
  engine?.close();
});

describe('search.rebuild', () => {
  it('rebuilds with progress, audited; audited calls during the build succeed', async () => {
    expect(await engine.call('search.status', { dataset: 'people' })).toMatchObject({
      status: 'ready',
      rows: ROWS,
    });
    const progress: JobProgress[] = [];
    let reads = 0;
    let reading: Promise<void> | null = null;
    const build = engine.call(
      'search.rebuild',
      { dataset: 'people' },
      {
        onProgress: (p) => {
          progress.push(p);
          // While the worker builds, the main connection writes audit entries.
          reading ??= (async () => {
            for (let i = 0; i < 5; i++) {
              await engine.call('rows.get', { dataset: 'people', id: 1 + i });
              reads++;
            }
          })();
        },
      },
    );
    const r = await build;
    await reading;
    expect(r).toMatchObject({ dataset: 'people', rows: ROWS, tokenizer: expect.any(String) });
    expect(r.transactions).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ step: 'search index', records: ROWS });
    expect(reads).toBe(5);
    expect(await engine.call('search.status', { dataset: 'people' })).toMatchObject({
      status: 'ready',
      rows: ROWS,
    });
    const { entries } = await engine.call('audit.list', { afterSeq: 0, limit: 1000 });
    expect(entries.filter((e) => e.action === 'rows.get')).toHaveLength(5);
    expect(entries.find((e) => e.action === 'search.rebuild')?.result).toMatchObject({
      dataset: 'people',
      rows: ROWS,
    });
    expect((await engine.call('audit.verify', {})).ok).toBe(true);
    const found = await engine.call('rows.query', { dataset: 'people', search: 'orange.fr' });
    expect(found.searchMode).toBe('index');
    expect(found.rows.length).toBeGreaterThan(0);
  }, 120_000);

  it('cancels (searches then scan), and a new rebuild makes the index ready again', async () => {
    const ac = new AbortController();
    // Cancelled once the build has committed its first transactions (status 'building').
    const cancelled = engine.call(
      'search.rebuild',
      { dataset: 'people' },
      { signal: ac.signal, onProgress: () => ac.abort() },
    );
    await expect(cancelled).rejects.toMatchObject({ code: 'E_CANCELLED' });
    const status = await engine.call('search.status', { dataset: 'people' });
    expect(status.status).not.toBe('ready');
    const scanned = await engine.call('rows.query', {
      dataset: 'people',
      search: 'orange.fr',
      countMode: 'exact',
    });
    expect(scanned.searchMode).toBe('scan');
    expect(scanned.notes.join(' ')).toContain('no search index');
    const r = await engine.call('search.rebuild', { dataset: 'people' });
    expect(r.rows).toBe(ROWS);
    const indexed = await engine.call('rows.query', {
      dataset: 'people',
      search: 'orange.fr',
      countMode: 'exact',
    });
    expect(indexed.searchMode).toBe('index');
    expect(indexed.total).toBe(scanned.total);
  }, 120_000);

  it('rows.count splits across query workers and agrees with a single-threaded count', async () => {
    const filter = { column: 'adresse', op: 'contains', value: 'rue' } as const;
    const progress: JobProgress[] = [];
    const parallel = await engine.call(
      'rows.count',
      { dataset: 'people', filter },
      { onProgress: (p) => progress.push(p) },
    );
    const page = await engine.call('rows.query', {
      dataset: 'people',
      filter,
      countMode: 'exact',
      limit: 1,
    });
    expect(parallel.total).toBe(page.total);
    expect(parallel.total).toBeGreaterThan(0);
    const regex = { column: 'nom', op: 'regex', value: '^ma', caseSensitive: false } as const;
    const a = await engine.call('rows.count', { dataset: 'people', filter: regex });
    const b = await engine.call('rows.query', {
      dataset: 'people',
      filter: regex,
      countMode: 'exact',
      limit: 1,
    });
    expect(a.total).toBe(b.total);
  }, 120_000);

  it('refuses an unknown dataset', async () => {
    await expect(engine.call('search.rebuild', { dataset: 'nope' })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
    });
  });
});

/** Holds the case's write lock from another thread for `ms`, then commits. */
function holdWriteLock(path: string, ms: number): { locked: Promise<void>; done: Promise<void> } {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require('better-sqlite3-multiple-ciphers');
    const db = new Database(workerData.path, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma('key=' + workerData.key);
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
    db.exec('COMMIT');
    db.close();
    parentPort.postMessage('released');
    `,
    {
      eval: true,
      workerData: {
        path,
        ms,
        key: pragmaString(TEST_PASSPHRASE),
        nativeBinding: NATIVE_BINDING ?? null,
      },
    },
  );
  let onLocked!: () => void;
  const locked = new Promise<void>((r) => (onLocked = r));
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (m) => {
      if (m === 'locked') onLocked();
      if (m === 'released') resolve();
    });
    worker.on('error', reject);
  });
  return { locked, done };
}

describe('audit appends while another connection writes', () => {
  it('wait for the lock beyond the busy timeout instead of failing', async () => {
    const c = createTestCase(scratchDir('leakscope-query-lock-'));
    try {
      c.db.pragma('busy_timeout = 100');
      const holder = holdWriteLock(c.path, 1500);
      await holder.locked;
      const t0 = performance.now();
      const entry = appendAudit(c.db, {
        at: new Date(),
        action: 'rows.get',
        params: { dataset: 'x', id: 1 },
        result: { id: 1 },
      });
      const waited = performance.now() - t0;
      await holder.done;
      expect(entry.seq).toBe(1);
      expect(waited).toBeGreaterThan(1000);
      expect(verifyAudit(c.db).ok).toBe(true);
    } finally {
      c.close();
    }
  }, 30_000);
});

describe('leakscope search rebuild', () => {
  it('rebuilds from the command line (JSON result, progress on stderr)', () => {
    closeQueryWorkers();
    engine.close();
    const r = runCli(['search', 'rebuild', 'people', '--case', casePath, '--json'], {
      LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE,
    });
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ dataset: 'people', rows: ROWS });
    const bad = runCli(['search', 'rebuild', 'nope', '--case', casePath, '--json'], {
      LEAKSCOPE_PASSPHRASE: TEST_PASSPHRASE,
    });
    expect(bad.status).toBe(1);
    expect(bad.json).toMatchObject({ error: { code: 'E_NOT_FOUND' } });
  }, 120_000);
});
