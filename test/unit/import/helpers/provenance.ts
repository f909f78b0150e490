/**
 * Independent provenance checks for line-oriented readers: where physical lines start in a byte
 * stream (LF, CRLF or bare CR, for 1- or 2-byte code units), so tests can assert that every
 * emitted record starts on a line start and carries that line's number, and that the records
 * are in stream order.
 */
import type { Collected } from './collect-sink';

export interface PhysicalLine {
  /** Byte offset of the line's first byte. */
  offset: number;
  /** 1-based line number. */
  line: number;
  /** Content length in bytes, terminator excluded. */
  length: number;
}

/**
 * Physical lines of `bytes` (after `bomLength` bytes); `unitBytes` 2 with `bigEndian` for UTF-16.
 * A trailing empty "line" after a final terminator is not listed.
 */
export function physicalLines(
  bytes: Uint8Array,
  bomLength = 0,
  unitBytes: 1 | 2 = 1,
  bigEndian = false,
): PhysicalLine[] {
  const unitAt = (i: number): number =>
    unitBytes === 1
      ? bytes[i]!
      : bigEndian
        ? (bytes[i]! << 8) | bytes[i + 1]!
        : bytes[i]! | (bytes[i + 1]! << 8);
  const out: PhysicalLine[] = [];
  const end = unitBytes === 1 ? bytes.length : bytes.length - ((bytes.length - bomLength) % 2);
  let start = bomLength;
  let line = 1;
  let i = bomLength;
  while (i < end) {
    const u = unitAt(i);
    if (u === 0x0a || u === 0x0d) {
      out.push({ offset: start, line, length: i - start });
      let next = i + unitBytes;
      if (u === 0x0d && next < end && unitAt(next) === 0x0a) next += unitBytes;
      start = next;
      i = next;
      line++;
    } else i += unitBytes;
  }
  if (start < end) out.push({ offset: start, line, length: end - start });
  return out;
}

export interface LocatedRecord {
  kind: 'row' | 'reject';
  line: number | null;
  offset: number;
  ordinal: number | null;
}

/** Rows and rejects of one table, in the order the sink received them (by ordinal). */
export function recordsInOrder(c: Collected, table = ''): LocatedRecord[] {
  const t = c.tables.get(table);
  const rows: LocatedRecord[] = (t?.rows ?? []).map((r) => ({
    kind: 'row',
    line: r.line,
    offset: r.offset,
    ordinal: r.ordinal,
  }));
  const rejects: LocatedRecord[] = c.rejects
    .filter((r) => r.table === table)
    .map((r) => ({ kind: 'reject', line: r.line, offset: r.offset, ordinal: r.ordinal }));
  return [...rows, ...rejects].sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0));
}

/**
 * Problems with the provenance of a table's records: each must start on a physical line start
 * with that line's number, offsets strictly increasing in ordinal order. Returns messages
 * (empty when all is well) so a failing test shows them all.
 */
export function provenanceProblems(
  c: Collected,
  lines: readonly PhysicalLine[],
  table = '',
): string[] {
  const byOffset = new Map(lines.map((l) => [l.offset, l.line]));
  const problems: string[] = [];
  let last = -1;
  for (const r of recordsInOrder(c, table)) {
    const expectedLine = byOffset.get(r.offset);
    if (expectedLine === undefined)
      problems.push(`${r.kind} #${r.ordinal} offset ${r.offset} is not a line start`);
    else if (expectedLine !== r.line) {
      problems.push(
        `${r.kind} #${r.ordinal} at offset ${r.offset}: line ${r.line}, expected ${expectedLine}`,
      );
    }
    if (r.offset <= last)
      problems.push(`${r.kind} #${r.ordinal} offset ${r.offset} not after ${last}`);
    last = r.offset;
  }
  return problems;
}
