/**
 * jobs.* methods: long work (import, profiling, linkage, export, index builds) started in the
 * background and followed by polling. Both transports carry plain request/response calls only
 * (the loopback bridge has no push channel), so the renderer starts a job, polls its status a few
 * times a second for progress, and may cancel it. The job runs the named contract method exactly
 * as a direct call would (same validation, same audit entry).
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import type { MethodSpec } from './method-spec';
import { JobProgress } from './import';

/** Methods that may run as background jobs: the long ones that report progress. */
export const JOB_METHODS = [
  'import.run',
  'profile.run',
  'export.run',
  'linkage.overlap',
  'linkage.duplicates',
  'rows.index',
  'search.rebuild',
] as const;
export const JobMethod = z.enum(JOB_METHODS);
export type JobMethod = z.infer<typeof JobMethod>;

export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobId = z.string().regex(/^job-[0-9]+$/);

export const JobStatus = z.object({
  jobId: z.string(),
  method: JobMethod,
  state: JobState,
  /** Latest progress event, null until the first one. */
  progress: JobProgress.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The method's output once done (validated by that method's own schema). */
  result: z.unknown().optional(),
  /** Why it failed or was cancelled. */
  error: z
    .object({ code: z.string(), message: z.string(), details: z.unknown().optional() })
    .optional(),
});
export type JobStatus = z.infer<typeof JobStatus>;

export const jobsContract = {
  'jobs.start': {
    input: z.object({ method: JobMethod, input: z.unknown() }).strict(),
    output: z.object({ jobId: z.string() }),
    description:
      'Start a long method in the background (one job runs at a time, others queue); poll jobs.status',
    // The job's own method writes the audit entry when it completes.
    audit: false,
    needsCase: true,
  },
  'jobs.status': {
    input: z.object({ jobId: JobId }).strict(),
    output: JobStatus,
    description: 'State, latest progress and, once finished, the result or error of a job',
    audit: false,
    needsCase: false,
  },
  'jobs.cancel': {
    input: z.object({ jobId: JobId }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    description: 'Cancel a queued or running job (the method stops at its next check)',
    audit: false,
    needsCase: false,
  },
  'jobs.list': {
    input: z.object({}).strict(),
    output: z.object({ jobs: z.array(JobStatus.omit({ result: true })) }),
    description: 'Jobs of this engine session, newest first (results omitted)',
    audit: false,
    needsCase: false,
  },
} as const satisfies Record<string, MethodSpec>;
