/**
 * The profiling thread (pass-thread.ts starts it; jobs/entry.ts with workerData.entry ===
 * 'profile-pass'): takes the decisions on the snapshots the import's writer sends. While the
 * import runs it warms them up once on an early snapshot (reference lists built into Sets,
 * detectors compiled by the JIT: ~1 s cold against ~0.3 s warm at 1M × 12), so the final
 * decisions, which the import job waits for, run warm. Nothing of the warm-up is kept.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import type { PassToMain, PassToWorker, PassWorkerData } from './pass-protocol';
import { decide } from './profiler';

if (!parentPort) throw new Error('profile/pass-worker.ts must run in a worker thread');
const port = parentPort;
const test = (workerData as PassWorkerData).test;

function send(m: PassToMain): void {
  port.postMessage(m);
}

port.on('message', (m: PassToWorker) => {
  if (m.t === 'warm') {
    try {
      if (test?.failWarmUp) throw new Error('profiling thread test failure');
      decide(m.snapshot, { id: 0, name: '' }, { now: new Date(), started: performance.now() });
    } catch (e) {
      send({ t: 'error', id: null, error: toErrorInfo(e) });
    }
    return;
  }
  if (test?.exitOnDecide) process.exit(1);
  try {
    const opts = { now: new Date(m.now), started: performance.now() };
    send({ t: 'profile', id: m.id, profile: decide(m.snapshot, m.dataset, opts) });
  } catch (e) {
    send({ t: 'error', id: m.id, error: toErrorInfo(e) });
  }
});
