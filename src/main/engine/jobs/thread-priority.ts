/**
 * A helper thread's own scheduling priority. On Linux a thread has its own nice value, set with
 * setpriority() on its thread id (/proc/thread-self names it): a thread doing background work
 * (the WAL checkpointer) can then give way to the threads an import waits on when both cores
 * are busy, without touching the rest of the process. Elsewhere nothing changes.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The calling thread's id, or null where /proc/thread-self does not exist. */
export function currentThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/**
 * Raises the calling thread's nice value by `by` (a lower priority; never refused, unlike the
 * other way). Returns the new value, or null where a thread's priority is not its own.
 */
export function lowerThreadPriority(by: number): number | null {
  const tid = currentThreadId();
  if (tid === null) return null;
  try {
    setPriority(tid, Math.min(19, getPriority(tid) + by));
    return getPriority(tid);
  } catch {
    return null;
  }
}
