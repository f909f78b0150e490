/**
 * Runs a job in a worker thread and turns its messages into a promise plus progress callbacks.
 *
 * The worker script is a dependency: under Node (CLI, tests, bridge) it is the TypeScript source
 * loaded through tsx; in the Electron build it is the bundled `job-worker.js` that electron-vite
 * emits next to the main bundle.
 */
import { Worker } from 'node:worker_threads';
import type { JobProgress } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import type { HostToWorker, JobCaseAccess, JobRequest, WorkerToHost } from './protocol';
import type { JobKind, JobResult } from './registry';

export interface RunJobOptions {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** Worker script; defaults to the tsx bootstrap of the TypeScript source. */
  workerUrl?: URL;
  /** After a cooperative cancel, terminate the worker if it has not stopped within this time. */
  hardStopMs?: number;
}

/** Under plain Node the TypeScript worker is loaded through a tiny tsx bootstrap. */
export function defaultWorkerUrl(): URL {
  return new URL('./worker-boot.mjs', import.meta.url);
}

/** How a job worker opens the case: its path, the engine's derived key, the engine's settings. */
export function jobAccess(
  deps: { nativeBinding?: string; cacheMiB?: number },
  casePath: string,
  key: string,
): JobCaseAccess {
  const { nativeBinding, cacheMiB } = deps;
  return {
    casePath,
    key,
    ...(nativeBinding ? { nativeBinding } : {}),
    ...(cacheMiB ? { cacheMiB } : {}),
  };
}

/**
 * An import's worker allocates little on the V8 heap per byte it moves (the profiling thread
 * parses, the writer hands batches to SQLite), so its young generation filled slowly and the
 * 1 MiB read buffers waited for a scavenge: up to 42 MB of dead buffers, peak RSS 278–290 MB on
 * a 1M-record JSON import. A young generation of 8 MB is scavenged often enough: 243–264 MB.
 */
const IMPORT_YOUNG_GENERATION_MB = 8;

export function runJob<K extends JobKind>(
  access: JobCaseAccess,
  job: JobRequest<K>,
  opts: RunJobOptions = {},
): Promise<JobResult<K>> {
  const url = opts.workerUrl ?? defaultWorkerUrl();
  const worker = new Worker(
    url,
    job.kind === 'import'
      ? { resourceLimits: { maxYoungGenerationSizeMb: IMPORT_YOUNG_GENERATION_MB } }
      : {},
  );
  return new Promise<JobResult<K>>((resolve, reject) => {
    let settled = false;
    let hardStop: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(hardStop);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' } satisfies HostToWorker);
      hardStop = setTimeout(() => {
        void worker.terminate();
        finish(() => reject(new LeakscopeError('E_CANCELLED', 'cancelled (worker stopped)')));
      }, opts.hardStopMs ?? 5000);
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (msg: WorkerToHost) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.progress);
      else if (msg.type === 'done') finish(() => resolve(msg.output as JobResult<K>));
      else
        finish(() =>
          reject(new LeakscopeError(msg.error.code, msg.error.message, msg.error.details)),
        );
    });
    worker.on('error', (e) =>
      finish(() => reject(new LeakscopeError('E_INTERNAL', `job worker failed: ${e.message}`))),
    );
    worker.on('exit', (code) =>
      finish(() =>
        reject(
          new LeakscopeError('E_INTERNAL', `job worker exited with code ${code} before finishing`),
        ),
      ),
    );
    worker.postMessage({ type: 'start', access, job, workerUrl: url.href } satisfies HostToWorker);
  });
}
