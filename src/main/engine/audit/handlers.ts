/** audit.* methods. */
import type { HandlerMap } from '../context';
import { listAudit, verifyAudit } from './log';

export const auditHandlers: HandlerMap = {
  'audit.verify': (_input, ctx) => verifyAudit(ctx.requireCase().db),
  'audit.list': ({ afterSeq, limit }, ctx) => ({
    entries: listAudit(ctx.requireCase().db, afterSeq, limit),
  }),
};
