/**
 * The export's packed read (export/source.ts): every record reads back exactly as stored, NULL,
 * empty, a value that is exactly the NULL marker (U+001E) and a value holding the separator
 * (U+001F) included, in both the shared-record and the fresh-record passes, with a limit, and
 * under a filter.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource, type SourceRecord } from '../../src/main/engine/export/source';
import { openCase, type WritableDB } from '../../src/main/engine/store';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-export-source-');
let db: WritableDB;
let close: () => void;

const copy = (r: SourceRecord) => ({ ...r, values: [...r.values] });

beforeAll(async () => {
  const csv = join(dir, 'small.csv');
  writeFileSync(csv, 'a,b,c\n1,x,y\n2,x,y\n3,x,y\n4,x,y\n5,x,y\n');
  const { engine, path } = await engineWithCase(dir, 'source');
  await engine.call('import.run', { path: csv, name: 'small' });
  engine.close();
  const c = openCase(
    path,
    TEST_PASSPHRASE,
    NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {},
  );
  db = c.db;
  close = () => c.close();
  const set = db.prepare('UPDATE ds_1 SET c_2 = ?, c_3 = ? WHERE ordinal = ?');
  set.run(null, '', 1);
  set.run('\x1e', 'z', 2);
  set.run('a\x1fb', '\x1f', 3);
  set.run('é ✓ \x1e\x1e', null, 4);
  db.prepare('UPDATE ds_1 SET line = NULL WHERE ordinal = 4').run();
}, 60_000);

afterAll(() => close?.());

describe('packed read of the selection', () => {
  it('gives every record as stored, whatever its values hold', () => {
    const src = openSource(db, { dataset: 'small' });
    const fresh = Array.from(src.records(), copy);
    // The shared record is overwritten by the next one: copied as it comes.
    const shared = Array.from(src.records(undefined, true), copy);
    const byId = fresh.map((r) => src.get(r.id));
    expect(fresh).toEqual(byId);
    expect(shared).toEqual(fresh);
    expect(fresh.map((r) => r.values.slice(1))).toEqual([
      ['x', 'y'],
      [null, ''],
      ['\x1e', 'z'],
      ['a\x1fb', '\x1f'],
      ['é ✓ \x1e\x1e', null],
    ]);
    expect(fresh[4]!.line).toBeNull();
    expect(fresh.map((r) => r.ordinal)).toEqual([0, 1, 2, 3, 4]);
    expect([...src.records(2)].map((r) => r.ordinal)).toEqual([0, 1]);
  });

  it('reads the same way under a filter and a sort', () => {
    const src = openSource(db, {
      dataset: 'small',
      filter: { column: 'b', op: 'notEmpty' },
      sort: [{ column: 'b', desc: true }],
    });
    const got = Array.from(src.records(), copy);
    expect(got.length).toBe(src.count());
    expect(got.map((r) => r.values[1])).toEqual(['é ✓ \x1e\x1e', 'x', 'a\x1fb', '\x1e']);
    expect(got).toEqual(got.map((r) => src.get(r.id)));
  });
});
