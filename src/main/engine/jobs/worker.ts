/**
 * Job worker thread: opens its own connection to the case (WAL lets the main connection keep
 * reading), runs one job, streams progress, and exits. Never imports electron.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { openCase } from '../store/open';
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

port.on('message', (msg: HostToWorker) => {
  if (msg.type === 'cancel') {
    controller.abort();
    return;
  }
  void (async () => {
    const { access, job, workerUrl } = msg;
    const c = openCase(access.casePath, access.key, {
      lock: false,
      cacheMiB: access.cacheMiB ?? 64,
      ...(access.nativeBinding ? { nativeBinding: access.nativeBinding } : {}),
    });
    const checkpointer = BULK_WRITES.has(job.kind)
      ? startCheckpointer(workerUrl, access, c.db)
      : null;
    try {
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
      c.close();
      port.close();
    }
  })();
});
