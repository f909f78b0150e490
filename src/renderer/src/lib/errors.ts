/** Turning whatever a call threw into a message for the UI. Pure; no DOM. */
import { isLeakscopeError } from '../../../shared/errors';

export function errorMessage(e: unknown): string {
  if (isLeakscopeError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export function errorCode(e: unknown): string | null {
  return isLeakscopeError(e) ? e.code : null;
}
