/**
 * Checkpointer thread: during a bulk write the job's connection runs with wal_autocheckpoint=0 and
 * this thread copies committed WAL frames into the case file (PASSIVE checkpoints: never blocks
 * the writer). Decrypting WAL pages and re-encrypting them into the main file is a large share of
 * an encrypted import; doing it here puts the second core to work (measured: about +40% rows/s).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openCase } from '../store/open';
import type { JobCaseAccess } from './protocol';
import { lowerThreadPriority } from './thread-priority';

if (!parentPort) throw new Error('jobs/checkpointer.ts must run in a worker thread');
const port = parentPort;
const { access } = workerData as { access: JobCaseAccess };

const INTERVAL_MS = 200;

/**
 * Checkpoints are background work: the WAL only has to be copied before the import ends. On
 * Linux this thread yields to the writer and the profiling thread (which parses for it) when
 * the two cores are busy; the largest WAL seen on a 1M-row JSON import was the same either way
 * (234 MiB). bench/RESULTS.md, session 9.
 */
const NICE = 10;
lowerThreadPriority(NICE);

const c = openCase(access.casePath, access.key, {
  lock: false,
  // A checkpoint copies WAL frames straight to the file, outside the page cache: keep it small.
  cacheMiB: 2,
  ...(access.nativeBinding ? { nativeBinding: access.nativeBinding } : {}),
});
let stopping = false;
const timer = setInterval(() => {
  if (!stopping) c.db.pragma('wal_checkpoint(PASSIVE)');
}, INTERVAL_MS);

port.on('message', (msg: { type: 'stop' }) => {
  if (msg.type !== 'stop') return;
  stopping = true;
  clearInterval(timer);
  c.close();
  port.postMessage({ type: 'stopped' });
  port.close();
});
