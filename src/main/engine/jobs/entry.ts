/**
 * The one script every job thread runs: the job worker itself, or (workerData.entry) the WAL
 * checkpointer it starts beside a bulk write, the profiling thread of an import (which also
 * parses for its writer: profile/pass-worker.ts), or a key thread of an identity key
 * extraction (linkage/key-worker.ts). One entry keeps the Electron build to a single extra
 * bundle and lets a worker start its helpers from the same script URL it was started from.
 */
import { workerData } from 'node:worker_threads';

const entry = (workerData as { entry?: string } | null)?.entry;
if (entry === 'checkpointer') await import('./checkpointer');
else if (entry === 'query') await import('../query/worker');
else if (entry === 'profile-pass') await import('../profile/pass-worker');
else if (entry === 'identity-keys') await import('../linkage/key-worker');
else await import('./worker');
