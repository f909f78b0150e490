/**
 * Runs a long contract method as a background job (jobs.start) and polls its status, so the view
 * shows progress (bytes, records, rate, ETA) and can cancel. Works the same over IPC and over the
 * loopback bridge, which has no push channel.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobMethod, JobStatus, MethodInput, MethodOutput } from '../../../shared/api';
import { useApi } from '../api/context';
import { errorMessage } from './errors';

export interface JobView<M extends JobMethod> {
  status: JobStatus | null;
  /** The method's output once the job is done. */
  result: MethodOutput<M> | null;
  /** Error message when starting, polling or the job itself failed. */
  error: string | null;
  running: boolean;
  start(input: MethodInput<M>): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
}

/** Poll interval: a few updates a second, like the engine's progress throttle. */
const POLL_MS = 250;

export function useJob<M extends JobMethod>(method: M, pollMs = POLL_MS): JobView<M> {
  const api = useApi();
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const jobId = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  // Through a ref: the poll re-schedules itself.
  const pollRef = useRef<() => Promise<void>>(async () => {});
  const poll = useCallback(async () => {
    const id = jobId.current;
    if (!id) return;
    try {
      const s = await api.client.call('jobs.status', { jobId: id });
      if (jobId.current !== id) return;
      setStatus(s);
      if (s.state === 'failed') setError(s.error?.message ?? 'the job failed');
      if (s.state === 'queued' || s.state === 'running') {
        timer.current = setTimeout(() => void pollRef.current(), pollMs);
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api, pollMs]);
  useEffect(() => {
    pollRef.current = poll;
  }, [poll]);

  const start = useCallback(
    async (input: MethodInput<M>) => {
      stop();
      setError(null);
      setStatus(null);
      try {
        const { jobId: id } = await api.client.call('jobs.start', { method, input });
        jobId.current = id;
        await poll();
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [api, method, poll, stop],
  );

  const cancel = useCallback(async () => {
    const id = jobId.current;
    if (!id) return;
    try {
      await api.client.call('jobs.cancel', { jobId: id });
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [api]);

  const reset = useCallback(() => {
    stop();
    jobId.current = null;
    setStatus(null);
    setError(null);
  }, [stop]);

  const running = status !== null && (status.state === 'queued' || status.state === 'running');
  const result =
    status?.state === 'done' && status.result !== undefined
      ? (status.result as MethodOutput<M>)
      : null;
  return { status, result, error, running, start, cancel, reset };
}
