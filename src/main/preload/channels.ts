/**
 * The IPC channel names between the preload and main: the allowlist both sides check. Nothing
 * else crosses the process boundary. Pure constants; no imports.
 */

/** renderer -> main, request/response: `(method: string, input: unknown) -> Result`. */
export const INVOKE_CHANNEL = 'leakscope:invoke';
/** renderer -> main, request/response: `(kind: FileKind) -> string | null`. */
export const PICK_FILE_CHANNEL = 'leakscope:pick-file';
/** renderer -> main, request/response: `(request: ReportPdfRequest) -> Result<ReportPdfResult>`. */
export const REPORT_PDF_CHANNEL = 'leakscope:report-pdf';
/** main -> renderer, one-way: `{ event: DesktopEventName, data }`. */
export const EVENT_CHANNEL = 'leakscope:event';

export interface EventMessage {
  event: string;
  data: unknown;
}
