/**
 * The profiling thread of an import (pass-worker.ts): the per-value statistics stay on the
 * writer's thread, where the values already are (copying them to another thread costs about
 * what the statistics do: bench/RESULTS.md "Profiling"); the decisions go to this thread, which
 * warms them up on an early snapshot while the import runs, so what the import job waits for
 * at the end is the warm decisions instead of the cold ones.
 *
 * A thread that fails or dies gives null: the caller then takes the decisions itself, on the
 * same snapshot (the same profile, only later).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DatasetProfile } from '../../../shared/api';
import type { PassToMain, PassToWorker, PassWorkerData } from './pass-protocol';
import type { ProfileSnapshot } from './profiler';

/** Under plain Node: the job threads' tsx bootstrap, whose entry dispatches 'profile-pass'. */
export function defaultPassWorkerUrl(): URL {
  return new URL('../jobs/worker-boot.mjs', import.meta.url);
}

/**
 * Whether an import job should take its profiling decisions on a thread of their own.
 * `LEAKSCOPE_PROFILE_THREAD=1` / `0` decides; otherwise only with more than two cores: the job
 * worker's writer and its WAL checkpointer already use two, and on a quiet 2-core machine the
 * thread added +31 % to the import against +27 % on the writer's thread (medians of 5 rounds,
 * bench/RESULTS.md "Profiling"), for ~45 MB more peak RSS.
 */
export function profileThreadWanted(
  cores = availableParallelism(),
  setting = process.env.LEAKSCOPE_PROFILE_THREAD,
): boolean {
  if (setting === '1') return true;
  if (setting === '0') return false;
  return cores > 2;
}

export class ProfileThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (p: DatasetProfile | null) => void>();
  private broken_ = false;

  constructor(url: URL, test?: PassWorkerData['test']) {
    const data: PassWorkerData = { entry: 'profile-pass', ...(test ? { test } : {}) };
    this.worker = new Worker(url, {
      workerData: data,
      // The decisions allocate little at a time: a small young generation keeps RSS down.
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    // The import's job never waits for this thread to exit (close() stops it).
    this.worker.unref();
    this.worker.on('message', (m: PassToMain) => {
      if (m.id === null) return; // a failed warm-up: the decisions may still run
      this.waiting.get(m.id)?.(m.t === 'profile' ? m.profile : null);
      this.waiting.delete(m.id);
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  get broken(): boolean {
    return this.broken_;
  }

  private fail(): void {
    this.broken_ = true;
    for (const resolve of this.waiting.values()) resolve(null);
    this.waiting.clear();
  }

  private post(m: PassToWorker): void {
    if (!this.broken_) this.worker.postMessage(m);
  }

  warm(snapshot: ProfileSnapshot): void {
    this.post({ t: 'warm', snapshot });
  }

  /** The profile from this snapshot, or null when the thread failed or is gone. */
  decide(
    id: number,
    snapshot: ProfileSnapshot,
    dataset: { id: number; name: string },
    now: Date,
  ): Promise<DatasetProfile | null> {
    if (this.broken_) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.post({ t: 'decide', id, snapshot, dataset, now: now.toISOString() });
    });
  }

  close(): void {
    this.fail();
    void this.worker.terminate();
  }
}
