/**
 * The profiling thread (pass-thread.ts starts it; jobs/entry.ts with workerData.entry ===
 * 'profile-pass'): reads every member of the import again, from the bytes the writer's thread
 * forwards, with the same reader and options, and feeds each table's records to a
 * ProfileAccumulator; in parse mode it also sends the reader's calls back to the writer, which
 * then parses nothing (and, for the formats whose parse is heavy, profiles them itself: then
 * this thread only parses). Asked for a table's profile after the import, it checks that it
 * counted the rows and columns the writer stored and takes the decisions. Readers are
 * deterministic, so the records are the stored ones in the same order: the profile is the one a
 * read of the stored table gives (test/integration/profile-pass-thread.test.ts).
 *
 * The decisions are not warmed up during the import (as the earlier decisions-only thread did):
 * their reference Sets and compiled code held ~40 MB more through the import, for ~0.3 s saved
 * at its end (bench/RESULTS.md "Profiling"); the import's peak RSS bound matters more.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../../shared/errors';
import { readerFor } from '../import/registry';
import { createSqlReader } from '../import/readers/sql';
import { SinkCallBatcher } from '../import/sink-calls';
import type { ColumnSpec, RecordSink } from '../import/types';
import { MAX_PASS_COLUMNS } from './pass-limits';
import type { PassToMain, PassToWorker, PassWorkerData } from './pass-protocol';
import { decide, ProfileAccumulator } from './profiler';

if (!parentPort) throw new Error('profile/pass-worker.ts must run in a worker thread');
const port = parentPort;
const data = workerData as PassWorkerData;
let columnBudget = data.maxColumns ?? MAX_PASS_COLUMNS;

function send(m: PassToMain): void {
  port.postMessage(m);
}

class CutShort extends Error {}

/** The chunks of one member, handed to its reader as they arrive; acknowledged once read. */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  private readonly items: Uint8Array[] = [];
  private ended = false;
  private cutShort = false;
  private wake: (() => void) | null = null;

  /** `beforeAck`: runs when the reader has read a chunk, before its ack is sent. */
  constructor(private readonly beforeAck?: () => void) {}

  push(c: Uint8Array): void {
    this.items.push(c);
    this.wake?.();
  }

  end(cutShort: boolean): void {
    this.ended = true;
    this.cutShort = cutShort;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const c = this.items.shift();
      if (c !== undefined) {
        yield c;
        this.beforeAck?.();
        send({ t: 'ack', bytes: c.length });
        continue;
      }
      if (this.ended) {
        // As the writer's reader saw it: the stream failed, the last partial record is not read.
        if (this.cutShort) throw new CutShort();
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}

interface MemberRead {
  /** The chunks its reader reads. */
  queue: ChunkQueue;
  /** Per table: its accumulator, or null once dropped (over the column budget). */
  tables: Map<string, ProfileAccumulator | null>;
  /** Settles when the reader is done; false when it failed. */
  done: Promise<boolean>;
}

const members = new Map<number, MemberRead>();

function sinkFor(tables: MemberRead['tables']): RecordSink {
  return {
    columns(table: string, columns: readonly ColumnSpec[]): void {
      let acc = tables.get(table);
      if (acc === null) return;
      if (columnBudget < columns.length) {
        if (acc) columnBudget += acc.columns.length;
        tables.set(table, null);
        return;
      }
      columnBudget -= columns.length;
      if (!acc) {
        acc = new ProfileAccumulator([], data.sampleRecords);
        tables.set(table, acc);
      }
      // Numbered as DatasetWriter numbers the stored columns: 1, 2, ... in declaration order.
      const first = acc.columns.length + 1;
      acc.addColumns(columns.map((c, i) => ({ idx: first + i, name: c.name, path: c.path })));
    },
    row(table: string, values: readonly (string | null)[]): void {
      tables.get(table)?.row(values);
    },
    reject(): void {},
    meta(): void {},
  };
}

const NO_PROFILE: RecordSink = { columns() {}, row() {}, reject() {}, meta() {} };

/** Parse mode: the reader's calls are sent once they make this many characters of values. */
const CALLS_CHARS = 512 * 1024;

/**
 * Bytes mode: reads the member for the profile. Parse mode: for the writer too, whose thread
 * then parses nothing (pass-thread.ts read()): the reader's calls go back in order, each chunk's
 * before its ack, so the writer has applied them when it counts the chunk as read.
 */
function startMember(
  member: number,
  m: Extract<PassToWorker, { t: 'member' }>['m'],
  parse: boolean,
  profiled: boolean,
): void {
  const batcher = parse ? new SinkCallBatcher() : null;
  const sendCalls = () => {
    const { calls, transfer } = batcher!.take();
    if (calls.length > 0)
      port.postMessage({ t: 'calls', member, calls } satisfies PassToMain, transfer);
  };
  const queue = new ChunkQueue(batcher ? sendCalls : undefined);
  const tables: MemberRead['tables'] = new Map();
  const reader =
    m.format === 'sql' && m.schema
      ? createSqlReader({ schema: new Map(m.schema) })
      : readerFor(m.format);
  const profile: RecordSink = profiled ? sinkFor(tables) : NO_PROFILE;
  const sink: RecordSink = batcher
    ? {
        columns: (table, columns) => {
          profile.columns(table, columns);
          batcher.columns(table, columns);
        },
        row(table, values, loc) {
          profile.row(table, values, loc);
          batcher.row(table, values, loc);
          if (batcher.chars >= CALLS_CHARS) sendCalls();
        },
        reject: (table, info) => batcher.reject(table, info),
        meta: (key, value) => batcher.meta(key, value),
      }
    : profile;
  const done = reader.read(queue, m.options, sink).then(
    (result) => {
      if (batcher) {
        sendCalls();
        send({ t: 'read', member, result });
      }
      return true;
    },
    // A source cut short: the records read before still count, as they do for the writer.
    (e: unknown) => {
      const cutShort = e instanceof CutShort;
      if (batcher) {
        sendCalls();
        send(cutShort ? { t: 'read', member } : { t: 'read', member, error: toErrorInfo(e) });
      }
      return cutShort;
    },
  );
  members.set(member, { queue, tables, done });
}

async function answer(m: Extract<PassToWorker, { t: 'profile' }>): Promise<void> {
  if (data.test?.exitOnProfile) process.exit(1);
  try {
    const read = members.get(m.member);
    const ok = read ? await read.done : false;
    const acc = read?.tables.get(m.table) ?? null;
    read?.tables.delete(m.table);
    // The table is let go either way: its columns go back to the budget.
    if (acc) columnBudget += acc.columns.length;
    if (!ok || !acc || acc.rows !== m.rows || acc.columns.length !== m.width) {
      send({ t: 'profile', id: m.id, profile: null });
      return;
    }
    const opts = { now: new Date(m.now), started: performance.now() };
    send({ t: 'profile', id: m.id, profile: decide(acc.snapshot(), m.dataset, opts) });
  } catch (e) {
    send({ t: 'error', id: m.id, error: toErrorInfo(e) });
  }
}

port.on('message', (m: PassToWorker) => {
  switch (m.t) {
    case 'member':
      startMember(m.member, m.m, m.mode === 'parse', m.profile);
      break;
    case 'chunk':
      if (data.test?.exitOnChunk) process.exit(1);
      members.get(m.member)?.queue.push(m.bytes);
      break;
    case 'end':
      members.get(m.member)?.queue.end(m.cutShort);
      break;
    case 'profile':
      void answer(m);
      break;
  }
});
