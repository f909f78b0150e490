/**
 * A key thread (key-threads.ts starts it; jobs/entry.ts with workerData.entry ===
 * 'identity-keys'): reads ranges of a dataset's records on a read-only connection of its own,
 * normalises them and sends their keys back as transferred typed arrays.
 */
import { workerData } from 'node:worker_threads';
import { openCase } from '../store/open';
import { pageBuffers, readKeyPage } from './key-pages';
import type { FromKeyWorker, KeyWorkerData, ToKeyWorker } from './key-threads';
import { recordReader } from './records';

const data = workerData as KeyWorkerData;
const { port, signals } = data;

function send(m: FromKeyWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
  Atomics.add(signals, 0, 1);
  Atomics.notify(signals, 0);
}

try {
  const c = openCase(data.access.casePath, data.access.key, {
    readOnly: true,
    lock: false,
    // Rows are read once, in order: a small cache is enough.
    cacheMiB: 8,
    ...(data.access.nativeBinding ? { nativeBinding: data.access.nativeBinding } : {}),
  });
  const reader = recordReader(c.db, data.datasetId, data.options, data.roles);
  port.on('message', (m: ToKeyWorker) => {
    try {
      const page = readKeyPage(reader, m.after, m.upto);
      send({ t: 'page', seq: m.seq, page }, pageBuffers(page));
    } catch (e) {
      send({ t: 'error', seq: m.seq, message: e instanceof Error ? e.message : String(e) });
    }
  });
  port.on('close', () => c.close());
} catch (e) {
  send({ t: 'error', seq: -1, message: e instanceof Error ? e.message : String(e) });
}
