/** jobs.start, jobs.status, jobs.cancel, jobs.list: background runs of long methods. */
import { LeakscopeError } from '../../../shared/errors';
import type { HandlerMap } from '../context';

export const jobsHandlers: HandlerMap = {
  'jobs.start': ({ method, input }, ctx) => ({ jobId: ctx.jobs().start(method, input) }),
  'jobs.status': ({ jobId }, ctx) => {
    const status = ctx.jobs().status(jobId);
    if (!status)
      throw new LeakscopeError(
        'E_NOT_FOUND',
        `no job ${jobId} (finished jobs are kept for a while only)`,
      );
    return status;
  },
  'jobs.cancel': ({ jobId }, ctx) => ({ cancelled: ctx.jobs().cancel(jobId) }),
  'jobs.list': (_input, ctx) => ({ jobs: ctx.jobs().list() }),
};
