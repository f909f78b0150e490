/**
 * Job worker thread: opens its own connection to the case (WAL lets the main connection keep
 * reading), runs one job, streams progress, and exits. Never imports electron.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { openCase } from '../store/open';
import type { HostToWorker, WorkerToHost } from './protocol';
import { JOBS, type JobFn } from './registry';

if (!parentPort) throw new Error('jobs/worker.ts must run in a worker thread');
const port = parentPort;
const controller = new AbortController();

function send(msg: WorkerToHost): void {
  port.postMessage(msg);
}

port.on('message', (msg: HostToWorker) => {
  if (msg.type === 'cancel') {
    controller.abort();
    return;
  }
  void (async () => {
    const { access, job } = msg;
    const c = openCase(access.casePath, access.passphrase, {
      lock: false,
      cacheMiB: access.cacheMiB ?? 64,
      ...(access.nativeBinding ? { nativeBinding: access.nativeBinding } : {}),
    });
    try {
      const run = JOBS[job.kind] as JobFn;
      const output = await run(c.db, job.input as never, {
        signal: controller.signal,
        onProgress: (progress) => send({ type: 'progress', progress }),
      });
      send({ type: 'done', output });
    } catch (e) {
      send({ type: 'error', error: toErrorInfo(e) });
    } finally {
      c.close();
      port.close();
    }
  })();
});
