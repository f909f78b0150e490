/**
 * An advisory lock file beside the case (`<case>.lock`), held by the process that opened the case
 * read-write, so that a second process (the CLI while the app is open, a second app window) gets
 * a clear "locked by another process" error instead of contending for SQLite's write lock.
 *
 * The lock file holds only the owner's pid, host and start time: no case data. A lock whose
 * owner process is gone (same host, pid not running) is stale and taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { LeakscopeError } from '../../../shared/errors';

interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

export interface CaseLock {
  path: string;
  release(): void;
}

const held = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of held) {
      try {
        unlinkSync(p);
      } catch {
        // Already gone: nothing to release.
      }
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') {
      return { pid: owner.pid, host: owner.host, at: String(owner.at ?? '') };
    }
  } catch {
    // Unreadable or half-written lock: treat as stale below.
  }
  return null;
}

export function acquireLock(casePath: string): CaseLock {
  const path = `${casePath}.lock`;
  if (held.has(path)) {
    throw new LeakscopeError('E_CASE_LOCKED', 'this case is already open in this process');
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const owner: LockOwner = { pid: process.pid, host: hostname(), at: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      held.add(path);
      installExitHook();
      return {
        path,
        release() {
          if (!held.delete(path)) return;
          try {
            unlinkSync(path);
          } catch {
            // Removed by hand: nothing to do.
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(path);
      const stale = owner === null || (owner.host === hostname() && !isAlive(owner.pid));
      if (!stale) {
        throw new LeakscopeError(
          'E_CASE_LOCKED',
          `the case is open in another process (pid ${owner.pid} on ${owner.host} since ${owner.at}); close it there first`,
          { pid: owner.pid, host: owner.host },
        );
      }
      unlinkSync(path);
    }
  }
  throw new LeakscopeError('E_CASE_LOCKED', 'could not take the case lock');
}
