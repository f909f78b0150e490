/** Hash-chained audit log: public surface. */
export { appendAudit, countAudit, entryHash, GENESIS_HASH, listAudit, verifyAudit } from './log';
export { canonicalJson } from './canonical-json';
