/**
 * Runs `linkage.overlap` for every usable dataset of the case, one background job after the
 * other (each against the datasets imported before it, the last one also counting the UpSet
 * combinations across the case), with progress and cancel. The answers hold counts, dataset
 * names and verdict sentences, never record values, so the last run is kept per case for the
 * session of the page and shown again when the view reopens (with a note when the datasets have
 * changed since).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetSummary, JobStatus, OverlapResult } from '../../../../shared/api';
import type { ApiClient } from '../../../../shared/client';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';

export interface OverlapRun {
  results: OverlapResult[];
  /** The datasets the run covered, in order. */
  datasets: { name: string; rows: number }[];
  /** Dataset ids + rows at run time, to tell when a re-run is due. */
  signature: string;
  finishedAt: string;
}

export interface OverlapProgress {
  dataset: string;
  index: number;
  total: number;
  status: JobStatus | null;
}

/** Datasets linkage can read (linkage/jobs.ts `usable`), in import order. */
export function usableDatasets(datasets: readonly DatasetSummary[]): DatasetSummary[] {
  return datasets
    .filter((d) => d.status === 'ready' || d.status === 'incomplete')
    .sort((a, b) => a.id - b.id);
}

export function signatureOf(datasets: readonly DatasetSummary[]): string {
  return datasets.map((d) => `${d.id}:${d.rows}`).join(',');
}

/** Last run per case id (counts only; see the module comment). */
const lastRuns = new Map<string, OverlapRun>();

/** For tests. */
export function forgetOverlapRuns(): void {
  lastRuns.clear();
}

class Cancelled extends Error {}

const POLL_MS = 250;

/** Starts a job and polls it to its end; resolves to its result. */
async function runJob(
  client: ApiClient,
  input: { dataset: string; upset: boolean },
  onStatus: (s: JobStatus) => void,
  onJob: (id: string) => void,
  cancelled: () => boolean,
): Promise<OverlapResult> {
  const { jobId } = await client.call('jobs.start', { method: 'linkage.overlap', input });
  onJob(jobId);
  for (;;) {
    const s = await client.call('jobs.status', { jobId });
    onStatus(s);
    if (s.state === 'done') return s.result as OverlapResult;
    if (s.state === 'failed') throw new Error(s.error?.message ?? 'the overlap job failed');
    if (s.state === 'cancelled' || cancelled()) throw new Cancelled('cancelled');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export function useOverlapRun(caseId: string, datasets: readonly DatasetSummary[]) {
  const api = useApi();
  const [run, setRun] = useState<OverlapRun | null>(() => lastRuns.get(caseId) ?? null);
  const [progress, setProgress] = useState<OverlapProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef(false);
  const jobRef = useRef<string | null>(null);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
      cancelRef.current = true;
      // Leaving the view stops the work it started.
      if (jobRef.current) void api.client.call('jobs.cancel', { jobId: jobRef.current });
    };
  }, [api]);

  const start = useCallback(async () => {
    const list = usableDatasets(datasets);
    if (list.length === 0) return;
    cancelRef.current = false;
    setError(null);
    const results: OverlapResult[] = [];
    try {
      for (let i = 0; i < list.length; i++) {
        const d = list[i]!;
        setProgress({ dataset: d.name, index: i, total: list.length, status: null });
        const result = await runJob(
          api.client,
          // UpSet counts span the whole case: asked once, with the last dataset.
          { dataset: d.name, upset: i === list.length - 1 },
          (status) => {
            if (live.current)
              setProgress({ dataset: d.name, index: i, total: list.length, status });
          },
          (id) => {
            jobRef.current = id;
          },
          () => cancelRef.current,
        );
        results.push(result);
      }
      const done: OverlapRun = {
        results,
        datasets: list.map((d) => ({ name: d.name, rows: d.rows })),
        signature: signatureOf(list),
        finishedAt: new Date().toISOString(),
      };
      lastRuns.set(caseId, done);
      if (live.current) setRun(done);
    } catch (e) {
      if (live.current && !(e instanceof Cancelled)) setError(errorMessage(e));
    } finally {
      jobRef.current = null;
      if (live.current) setProgress(null);
    }
  }, [api, caseId, datasets]);

  const cancel = useCallback(async () => {
    cancelRef.current = true;
    const id = jobRef.current;
    if (id) {
      try {
        await api.client.call('jobs.cancel', { jobId: id });
      } catch (e) {
        setError(errorMessage(e));
      }
    }
  }, [api]);

  return { run, progress, error, running: progress !== null, start, cancel };
}
