/**
 * Exports: public surface of the capability (issue 7). `exportRows` is the entry point for
 * other capabilities (saved sessions); `runExport` is the job body (jobs/registry.ts 'export').
 */
export { exportAuditSummaries, exportHandlers, exportHistory, exportRows } from './handlers';
export { runExport, type ExportJobInput, type ExportJobResult } from './run';
