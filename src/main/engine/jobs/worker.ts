/**
 * Job worker thread: opens its own connection to the case (WAL lets the main connection keep
 * reading), runs one job, streams progress, and exits. Never imports electron.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { openCase, type WritableCase } from '../store/open';
import type { UpgradeProgress } from '../store/migrations';
import type { WritableDB } from '../store/types';
import type { HostToWorker, JobCaseAccess, WorkerToHost } from './protocol';
import { JOBS, type JobFn } from './registry';

if (!parentPort) throw new Error('jobs/worker.ts must run in a worker thread');
const port = parentPort;
const controller = new AbortController();

/** Jobs that write a lot: their WAL is checkpointed by a helper thread (checkpointer.ts). */
const BULK_WRITES = new Set<string>(['import']);

function startCheckpointer(url: string, access: JobCaseAccess, db: WritableDB) {
  db.pragma('wal_autocheckpoint = 0');
  const helper = new Worker(new URL(url), {
    workerData: { entry: 'checkpointer', access },
    // It only calls a pragma every 200 ms: a small heap is plenty (measured −3 MB peak RSS), and
    // running out of it only stops the helper, which the 'error' handler below covers.
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
  });
  helper.on('error', () => {
    // Without the helper the WAL still gets checkpointed: by the job's own connection.
    db.pragma('wal_autocheckpoint = 1000');
  });
  const exited = new Promise<void>((resolve) => helper.once('exit', () => resolve()));
  return {
    // Also resolves when the helper had already stopped (an error ends it).
    stop: (): Promise<void> => {
      helper.postMessage({ type: 'stop' });
      setTimeout(() => void helper.terminate(), 5000).unref();
      return exited;
    },
  };
}

function send(msg: WorkerToHost): void {
  port.postMessage(msg);
}

/** Progress of a schema upgrade run by this worker's open, as job progress with a rate and ETA. */
function upgradeProgress(): (p: UpgradeProgress) => void {
  let key = '';
  let since = 0;
  return (p) => {
    const now = performance.now();
    if (`${p.index} ${p.step}` !== key) {
      key = `${p.index} ${p.step}`;
      since = now;
    }
    const seconds = (now - since) / 1000;
    const rate = seconds > 0 && p.done > 0 ? p.done / seconds : 0;
    const pct = p.total > 0 ? `, ${Math.floor((100 * p.done) / p.total)}%` : '';
    send({
      type: 'progress',
      progress: {
        step: `upgrading the case (${p.index}/${p.count} ${p.migration})${p.step === 'started' ? '' : `: ${p.step}`}${pct}`,
        bytesDone: 0,
        bytesTotal: 0,
        records: p.done,
        rejected: 0,
        rowsPerSecond: Math.round(rate),
        etaSeconds: rate > 0 && p.total > p.done ? (p.total - p.done) / rate : null,
      },
    });
  };
}

port.on('message', (msg: HostToWorker) => {
  if (msg.type === 'cancel') {
    controller.abort();
    return;
  }
  void (async () => {
    const { access, job, workerUrl } = msg;
    let c: WritableCase | null = null;
    let checkpointer: ReturnType<typeof startCheckpointer> | null = null;
    try {
      // Inside the try: a failed open (or upgrade) is reported with its code, like a failed job.
      c = openCase(access.casePath, access.key, {
        lock: false,
        onUpgrade: upgradeProgress(),
        cacheMiB: access.cacheMiB ?? 64,
        ...(access.nativeBinding ? { nativeBinding: access.nativeBinding } : {}),
      });
      if (BULK_WRITES.has(job.kind)) checkpointer = startCheckpointer(workerUrl, access, c.db);
      const run = JOBS[job.kind] as JobFn;
      const output = await run(c.db, job.input as never, {
        signal: controller.signal,
        onProgress: (progress) => send({ type: 'progress', progress }),
        workerUrl,
        access,
      });
      send({ type: 'done', output });
    } catch (e) {
      send({ type: 'error', error: toErrorInfo(e) });
    } finally {
      await checkpointer?.stop();
      c?.close();
      port.close();
    }
  })();
});
