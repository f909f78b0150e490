/**
 * A helper thread lowers its own priority (jobs/thread-priority.ts, used by the WAL checkpointer):
 * on Linux the calling thread's nice value goes up, and no other thread's changes.
 */
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  currentThreadId,
  lowerThreadPriority,
} from '../../../src/main/engine/jobs/thread-priority';

const linux = process.platform === 'linux';

/** A thread that reports its id and waits to be terminated. */
async function siblingThread(): Promise<{ tid: number; stop: () => Promise<number> }> {
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const { readlinkSync } = require('node:fs');
     parentPort.postMessage(Number(readlinkSync('/proc/thread-self').split('/').pop()));
     setInterval(() => {}, 1000);`,
    { eval: true },
  );
  const tid = await new Promise<number>((resolve) => w.once('message', resolve));
  return { tid, stop: () => w.terminate() };
}

describe('thread priority', () => {
  it.runIf(linux)('raises the nice value of the calling thread only', async () => {
    const tid = currentThreadId();
    expect(tid).not.toBeNull();
    const sibling = await siblingThread();
    try {
      const before = getPriority(tid!);
      const siblingBefore = getPriority(sibling.tid);
      const after = lowerThreadPriority(3);
      expect(after).toBe(Math.min(19, before + 3));
      expect(getPriority(tid!)).toBe(after);
      expect(getPriority(sibling.tid)).toBe(siblingBefore);
      // Never past the lowest priority.
      expect(lowerThreadPriority(40)).toBe(19);
    } finally {
      await sibling.stop();
    }
  });

  it.runIf(!linux)('changes nothing where a thread has no priority of its own', () => {
    expect(currentThreadId()).toBeNull();
    expect(lowerThreadPriority(3)).toBeNull();
  });
});
