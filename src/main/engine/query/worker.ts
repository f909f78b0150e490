/**
 * Query worker thread: opens its own connection to the case (WAL: it reads a consistent snapshot
 * per statement while imports write), then runs query operations one at a time until told to
 * close, aborting one when asked (`cancel`: at its next check) or terminated (a statement that
 * does not stop in time). Read-write only because sorts may build a kept column index.
 * Never imports electron.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { openCase, type WritableCase } from '../store/open';
import { executeOp, type QueryOp } from './exec';
import { registerQueryFunctions } from './functions';
import type { HostToQueryWorker, QueryWorkerData, QueryWorkerToHost } from './protocol';

if (!parentPort) throw new Error('query/worker.ts must run in a worker thread');
const port = parentPort;
const { access } = workerData as QueryWorkerData;

function send(msg: QueryWorkerToHost): void {
  port.postMessage(msg);
}

let c: WritableCase | null = null;
try {
  c = openCase(access.casePath, access.key, {
    lock: false,
    cacheMiB: access.cacheMiB ?? 64,
    ...(access.nativeBinding ? { nativeBinding: access.nativeBinding } : {}),
  });
  registerQueryFunctions(c.db);
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'fatal', error: toErrorInfo(e) });
  port.close();
}

let chain = Promise.resolve();
/** Requests queued or running, by id: a cancel message aborts one at its next check. */
const running = new Map<number, AbortController>();
port.on('message', (msg: HostToQueryWorker) => {
  if (!c) return;
  const db = c.db;
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  if (msg.type === 'close') {
    chain = chain.then(() => {
      c?.close();
      c = null;
      port.close();
    });
    return;
  }
  // One operation at a time, in arrival order.
  const ac = new AbortController();
  running.set(msg.id, ac);
  chain = chain.then(async () => {
    try {
      ac.signal.throwIfAborted();
      const output = await executeOp(db, msg.op as QueryOp, msg.input as never, {
        signal: ac.signal,
        onProgress: (progress) => send({ type: 'progress', id: msg.id, progress }),
      });
      send({ type: 'done', id: msg.id, output });
    } catch (e) {
      send({
        type: 'error',
        id: msg.id,
        error: ac.signal.aborted
          ? { code: 'E_CANCELLED', message: 'query cancelled' }
          : toErrorInfo(e),
      });
    } finally {
      running.delete(msg.id);
    }
  });
});
