/**
 * The one script every job thread runs: the job worker itself, or (workerData.entry) the WAL
 * checkpointer it starts beside a bulk write. One entry keeps the Electron build to a single
 * extra bundle and lets a worker start its helper from the same script URL it was started from.
 */
import { workerData } from 'node:worker_threads';

const entry = (workerData as { entry?: string } | null)?.entry;
if (entry === 'checkpointer') await import('./checkpointer');
else if (entry === 'query') await import('../query/worker');
else await import('./worker');
