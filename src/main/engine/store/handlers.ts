/** case.* methods: create, open, info, rekey, close. */
import type { CaseInfo } from '../../../shared/api';
import { countAudit } from '../audit';
import type { CallOptions, EngineContext, HandlerMap } from '../context';
import { jobAccess, runJob } from '../jobs/host';
import { acquireLock } from './lock';
import { caseKeyFor, newCaseKey } from './case-key';
import { getMeta } from './meta';
import {
  caseFileBytes,
  caseNeedsUpgrade,
  CIPHER,
  createCase,
  openCase,
  rekeyCase,
  type WritableCase,
} from './open';
import { schemaVersion } from './migrations';
import { markInterruptedImports } from '../import/pipeline';
import { warmQueryPool } from '../query/handlers';
import { closeQueryWorkers } from '../query/pool';

export function describeCase(c: WritableCase, ctx: EngineContext): CaseInfo {
  const { db } = c;
  const hasDatasets =
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'datasets'").get() !==
    undefined;
  const datasets = hasDatasets
    ? (db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n
    : 0;
  return {
    path: c.path,
    caseId: getMeta(db, 'case_id') ?? '',
    createdAt: getMeta(db, 'created_at') ?? '',
    schemaVersion: schemaVersion(db),
    appVersion: ctx.deps.appVersion,
    cipher: {
      name: CIPHER.name,
      legacy: CIPHER.legacy,
      kdfIter: Number(db.pragma('kdf_iter', { simple: true })),
    },
    bytes: caseFileBytes(c.path),
    datasets,
    auditEntries: countAudit(db),
  };
}

/**
 * Opens a case read-write. A case written by an earlier version is upgraded first, in a job
 * worker: on a large case the upgrade takes tens of seconds (migration 0120 at 6.4M identity
 * keys: about 37 s), which this thread (Electron's main process) must not spend blocked, and the
 * worker reports how far it is. The case's lock is held from before the upgrade to the close.
 */
async function openUpgraded(
  path: string,
  key: string,
  ctx: EngineContext,
  call: CallOptions,
): Promise<WritableCase> {
  const opts = ctx.openOptions();
  if (!caseNeedsUpgrade(path, key, opts)) return openCase(path, key, opts);
  const lock = acquireLock(path);
  try {
    await runJob(
      jobAccess(ctx.deps, path, key),
      { kind: 'upgrade', input: {} },
      {
        ...(call.onProgress ? { onProgress: call.onProgress } : {}),
        ...(ctx.deps.jobWorkerUrl ? { workerUrl: ctx.deps.jobWorkerUrl } : {}),
      },
    );
    return openCase(path, key, { ...opts, heldLock: lock });
  } catch (e) {
    lock.release();
    throw e;
  }
}

export const caseHandlers: HandlerMap = {
  'case.create': ({ path, passphrase }, ctx) => {
    closeQueryWorkers();
    ctx.currentCase()?.close();
    ctx.setCase(null);
    const key = newCaseKey(passphrase);
    const c = createCase(path, key.create, ctx.openOptions());
    ctx.setCase(c, key.open);
    return describeCase(c, ctx);
  },
  'case.open': async ({ path, passphrase }, ctx, call) => {
    closeQueryWorkers();
    ctx.currentCase()?.close();
    ctx.setCase(null);
    const key = caseKeyFor(path, passphrase);
    const c = await openUpgraded(path, key, ctx, call);
    markInterruptedImports(c.db);
    ctx.setCase(c, key);
    warmQueryPool(ctx);
    return describeCase(c, ctx);
  },
  'case.info': (_input, ctx) => describeCase(ctx.requireCase(), ctx),
  'case.rekey': ({ newPassphrase }, ctx) => {
    closeQueryWorkers();
    const c = ctx.requireCase();
    rekeyCase(c, newPassphrase);
    // The job workers' key, derived again from the new passphrase and the file's salt.
    ctx.setCase(c, caseKeyFor(c.path, newPassphrase));
    return { rekeyed: true as const };
  },
  'case.close': (_input, ctx) => {
    closeQueryWorkers();
    const c = ctx.currentCase();
    c?.close();
    ctx.setCase(null);
    return { closed: c !== null };
  },
};
