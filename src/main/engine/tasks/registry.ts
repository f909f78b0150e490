/**
 * Background jobs of one engine: a FIFO queue (one job at a time: imports and index builds take
 * the case's write lock, so running two would only make them wait on each other), the latest
 * progress of each, cancellation through AbortController, and a bounded history of finished jobs.
 *
 * The job calls back into the engine's own `invoke`, so it is validated and audited exactly like
 * a direct call. Pure Node.
 */
import type { JobMethod, JobProgress, JobStatus } from '../../../shared/api';
import type { ErrorInfo, Result } from '../../../shared/errors';
import type { CallOptions } from '../context';

export type Invoke = (
  method: string,
  input: unknown,
  call: CallOptions,
) => Promise<Result<unknown>>;

interface Job {
  id: string;
  method: JobMethod;
  input: unknown;
  state: JobStatus['state'];
  progress: JobProgress | null;
  startedAt: Date;
  finishedAt: Date | null;
  result?: unknown;
  error?: ErrorInfo;
  controller: AbortController;
}

/** Finished jobs kept for status queries; older ones are forgotten. */
const HISTORY = 50;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private seq = 0;

  constructor(
    private readonly invoke: Invoke,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(method: JobMethod, input: unknown): string {
    const job: Job = {
      id: `job-${++this.seq}`,
      method,
      input,
      state: 'queued',
      progress: null,
      startedAt: this.now(),
      finishedAt: null,
      controller: new AbortController(),
    };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.forgetOld();
    void this.pump();
    return job.id;
  }

  status(id: string): JobStatus | null {
    const job = this.jobs.get(id);
    return job ? this.view(job, true) : null;
  }

  list(): Omit<JobStatus, 'result'>[] {
    return [...this.jobs.values()].reverse().map((j) => this.view(j, false));
  }

  /** True when the job was queued or running and is now cancelled or stopping. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) return false;
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finish(job, 'cancelled', undefined, { code: 'E_CANCELLED', message: 'cancelled' });
      return true;
    }
    if (job.state === 'running') {
      job.controller.abort();
      return true;
    }
    return false;
  }

  /** Cancels everything (the case is closing, locking or switching). Resolves once idle. */
  async cancelAll(): Promise<void> {
    for (const job of [...this.queue]) this.cancel(job.id);
    const running = this.running;
    if (!running) return;
    running.controller.abort();
    while (this.running === running) await new Promise((r) => setTimeout(r, 20));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    job.state = 'running';
    try {
      const result = await this.invoke(job.method, job.input, {
        signal: job.controller.signal,
        onProgress: (p) => {
          job.progress = p;
        },
      });
      if (result.ok) this.finish(job, 'done', result.value);
      else {
        const cancelled = job.controller.signal.aborted || result.error.code === 'E_CANCELLED';
        this.finish(job, cancelled ? 'cancelled' : 'failed', undefined, result.error);
      }
    } catch (e) {
      // invoke never throws by contract; guard anyway so the queue cannot stall.
      this.finish(job, 'failed', undefined, { code: 'E_INTERNAL', message: String(e) });
    } finally {
      this.running = null;
      void this.pump();
    }
  }

  private finish(job: Job, state: JobStatus['state'], result?: unknown, error?: ErrorInfo): void {
    job.state = state;
    job.finishedAt = this.now();
    if (result !== undefined) job.result = result;
    if (error) job.error = error;
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - HISTORY))) {
      this.jobs.delete(j.id);
    }
  }

  private view(job: Job, withResult: boolean): JobStatus {
    return {
      jobId: job.id,
      method: job.method,
      state: job.state,
      progress: job.progress,
      startedAt: job.startedAt.toISOString(),
      finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
      ...(withResult && job.result !== undefined ? { result: job.result } : {}),
      ...(job.error ? { error: job.error } : {}),
    };
  }
}
