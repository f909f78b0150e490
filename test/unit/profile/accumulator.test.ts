/**
 * ProfileAccumulator.addColumns: columns that arrive after some rows (an import whose later JSON
 * records bring new keys) leave the accumulator exactly as if the columns had been there from
 * the start with NULL in the earlier rows — what a read of the stored table gives. Covers the
 * sample target shrinking as the table widens and presence masks gaining words.
 */
import { describe, expect, it } from 'vitest';
import { PendingRows } from '../../../src/main/engine/import/row-batch';
import { ProfileAccumulator, type ProfileColumn } from '../../../src/main/engine/profile/profiler';
import { detach } from '../../../src/main/engine/profile/stats/distinct';

const NOW = new Date('2026-01-01T00:00:00Z');
const cols = (from: number, n: number): ProfileColumn[] =>
  Array.from({ length: n }, (_, i) => ({
    idx: from + i,
    name: `k${from + i}`,
    path: `k${from + i}`,
  }));

/**
 * Row r of a table whose width grows from 5 to `width` at row `at`: NULLs, blanks and values in
 * the first columns, the added ones sparse (most cells NULL keeps the detectors' work small).
 */
function rowAt(r: number, width: number, at: number): (string | null)[] {
  const n = r < at ? 5 : width;
  const out: (string | null)[] = [];
  for (let j = 0; j < n; j++) {
    const x = (r * 31 + j * 17) % 97;
    if (j >= 5 && (r + j) % 40 !== 0) out.push(null);
    else out.push(x % 11 === 0 ? null : x % 13 === 0 ? ' ' : `v${(r % (j + 3)) * (j + 1)}@x.fr`);
  }
  return out;
}

function compare(width: number, rows: number, at: number, sampleRecords?: number) {
  const grown = new ProfileAccumulator(cols(1, 5), sampleRecords);
  const whole = new ProfileAccumulator(cols(1, width), sampleRecords);
  for (let r = 0; r < rows; r++) {
    if (r === at) grown.addColumns(cols(6, width - 5));
    const values = rowAt(r, width, at);
    grown.row(values);
    whole.row(values);
  }
  const ds = { id: 1, name: 't' };
  const a = grown.finish(ds, { now: NOW, started: 0 });
  const b = whole.finish(ds, { now: NOW, started: 0 });
  expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
  return a;
}

describe('ProfileAccumulator.addColumns', () => {
  it('equals an accumulator that had every column from the start', () => {
    const p = compare(40, 3000, 1000, 300);
    expect(p.columns[20]!.nulls).toBeGreaterThanOrEqual(1000);
  });

  it('thins the sample when the wider table lowers its target', () => {
    // 1e6 sampled cells over 700 columns: a target of 1,428 records, below the 2,500 default;
    // at row 4,000 the sample (4,000 records, stride 1) is thinned to stride 2.
    const p = compare(700, 6000, 4000);
    expect(p.sampledRecords).toBeLessThan(2 * 1428);
    expect(p.columns.length).toBe(700);
  });
});

/** rowAt's values, plus '' and values that outgrow the exact distinct table (HyperLogLog). */
function oddRow(r: number, width: number, at: number): (string | null)[] {
  const values = rowAt(r, width, at);
  if (r % 7 === 0) values[1] = '';
  values[2] = `Élodie-${r}\u00a0😀 ${r * 7919}`;
  if (r % 500 === 3) values[3] = 'a\0b'; // a NUL: the batch comes as arrays
  return values;
}

describe('ProfileAccumulator.batch', () => {
  it('counts a bulk-insert batch as row() counts each of its records', () => {
    const width = 40;
    const at = 1000;
    const rows = 30_000;
    const one = new ProfileAccumulator(cols(1, 5), 300);
    const batched = new ProfileAccumulator(cols(1, 5), 300);
    const pending = new PendingRows(true);
    const flush = () => {
      if (pending.count > 0) batched.batch(pending.take());
    };
    for (let r = 0; r < rows; r++) {
      if (r === at) {
        flush();
        one.addColumns(cols(6, width - 5));
        batched.addColumns(cols(6, width - 5));
      }
      const values = oddRow(r, width, at);
      one.row(values);
      if (pending.push(r, { line: r + 1, offset: r * 10 }, values)) flush();
    }
    flush();
    expect(batched.rows).toBe(rows);
    const ds = { id: 1, name: 't' };
    const a = batched.finish(ds, { now: NOW, started: 0 });
    const b = one.finish(ds, { now: NOW, started: 0 });
    expect({ ...a, seconds: 0 }).toEqual({ ...b, seconds: 0 });
    // The distinct counts took both ways: exact for the small columns, estimated for column 3.
    expect(a.columns[2]!.distinct).toBeGreaterThan(20_000);
    expect(a.columns[1]!.empty).toBeGreaterThan(rows / 8);
  });
});

describe('detach', () => {
  it('returns an equal string', () => {
    const parent = 'abcdefghijklmnopqrstuvwxyz'.repeat(10);
    for (const s of [parent.slice(3, 9), parent.slice(5, 60), '']) expect(detach(s)).toBe(s);
  });
});
