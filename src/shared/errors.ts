/**
 * Error codes and the error envelope: the only error shape that crosses a process boundary
 * (IPC forwards only `message`, so we send `{ code, message }` explicitly; see STYLE.md rule 4).
 *
 * Pure: imports only zod.
 */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'E_BAD_INPUT',
  'E_BAD_PASSPHRASE',
  'E_CASE_NEWER',
  'E_CASE_LOCKED',
  'E_CASE_EXISTS',
  'E_CASE_NOT_FOUND',
  'E_CASE_INSECURE',
  'E_NO_CASE',
  'E_NOT_FOUND',
  'E_UNKNOWN_METHOD',
  'E_FORBIDDEN',
  'E_IO',
  'E_IMPORT_FORMAT',
  'E_LIMIT',
  'E_CANCELLED',
  'E_INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** What `--json` prints on failure and what the bridge answers: `{"error": {code, message}}`. */
export const ErrorEnvelope = z.object({ error: ErrorInfo });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The one error type the engine throws on purpose; anything else becomes E_INTERNAL. */
export class LeakscopeError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'LeakscopeError';
    this.code = code;
    if (details) this.details = details;
  }
}

export function isLeakscopeError(e: unknown): e is LeakscopeError {
  return e instanceof LeakscopeError;
}

/** Converts anything thrown into the envelope's shape without leaking stack traces. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (isLeakscopeError(e)) {
    return e.details
      ? { code: e.code, message: e.message, details: e.details }
      : { code: e.code, message: e.message };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'E_INTERNAL', message };
}
