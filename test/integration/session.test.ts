/**
 * Saved sessions, tags and notes through the public contract (issue 8): save → reopen gives the
 * same rows; export → import into a second case holding the same file (under another name) gives
 * the same fingerprint; a missing dataset is named; invalid and older files; change detection;
 * tags filterable; every change audited, without record values.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowsQueryInput } from '../../src/shared/api';
import type { FilterNode } from '../../src/shared/filter';
import { createEngine, type Engine } from '../../src/main/engine';
import { resolveSessionQuery } from '../../src/main/engine/session';
import { openCase } from '../../src/main/engine/store';
import { generateFile } from '../fixtures/gen';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();
const ROWS = 300;
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const sha256File = () => sha(readFileSync(file));

let A: Engine;
let pathA: string;
let c1: string;
let c2: string;
let file: string;
const engines: Engine[] = [];

function newEngine(): Engine {
  const e = createEngine({
    appVersion: 'test',
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  engines.push(e);
  return e;
}

async function caseWith(name: string): Promise<{ engine: Engine; path: string }> {
  const c = await engineWithCase(dir, name);
  engines.push(c.engine);
  return c;
}

/** Every matching record, page by page, as the grid would read them. */
async function allRows(e: Engine, q: RowsQueryInput) {
  const rows: { id: number; ordinal: number; values: Record<string, string | null> }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await e.call('rows.query', {
      ...q,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    rows.push(...page.rows);
    if (!page.cursor) return rows;
    cursor = page.cursor;
  }
}

const ordinalsHash = (ordinals: number[]) =>
  sha(
    [...ordinals]
      .sort((a, b) => a - b)
      .map((o) => `${o}\n`)
      .join(''),
  );

beforeAll(async () => {
  file = join(dir, 'clients.csv');
  await generateFile({ format: 'csv', seed: 7, rows: ROWS, out: file });
  const a = await caseWith('case-a');
  A = a.engine;
  pathA = a.path;
  const r = await A.call('import.run', { path: file });
  expect(r.datasets[0]!.name).toBe('clients');
  [c1, c2] = r.datasets[0]!.columns.map((c) => c.name) as [string, string];
});

afterAll(() => {
  for (const e of engines) e.close();
});

describe('save and reopen', () => {
  it('gives the same rows, selection and fingerprint after the case is closed and reopened', async () => {
    const filter: FilterNode = { column: c1, op: 'contains', value: 'a' };
    const sort = [{ column: c2, desc: true }];
    const before = await allRows(A, { dataset: 'clients', filter, sort });
    expect(before.length).toBeGreaterThan(20);
    expect(before.length).toBeLessThan(ROWS);

    const saved = await A.call('session.save', {
      name: 'triage',
      session: {
        views: [
          {
            dataset: 'clients',
            filter,
            sort,
            columns: [
              { column: c2, width: 140, pinned: 'left' },
              { column: c1, width: null, pinned: null },
            ],
            selected: { rowId: before[3]!.id },
            scroll: { row: 3, left: 12 },
          },
        ],
        redactionPolicy: 'cnil',
        notes: 'first pass over the A names',
      },
    });
    expect(saved.created).toBe(true);
    const fp = saved.document.views[0]!.fingerprint!;
    expect(fp.rows).toBe(before.length);
    expect(fp.sha256).toBe(ordinalsHash(before.map((r) => r.ordinal)));
    expect(fp.datasetRows).toBe(ROWS);
    expect(saved.document.datasets[0]).toMatchObject({
      key: 'd1',
      name: 'clients',
      fileName: 'clients.csv',
      sha256: sha256File(),
      table: null,
      rows: ROWS,
    });

    A.close();
    A = newEngine();
    await A.call('case.open', { path: pathA, passphrase: TEST_PASSPHRASE });
    const opened = await A.call('session.get', { name: 'triage' });
    expect(opened.upgradedFrom).toBeNull();
    expect(opened.matches[0]).toMatchObject({ by: 'id', local: { name: 'clients', rows: ROWS } });
    expect(opened.warnings).toEqual([]);
    const v = opened.document.views[0]!;
    expect(v.selected).toEqual({ ordinal: before[3]!.ordinal, rowId: before[3]!.id });
    expect(v.scroll).toEqual({ row: 3, left: 12 });
    expect(v.columns).toEqual([
      { column: c2, width: 140, pinned: 'left' },
      { column: c1, width: null, pinned: null },
    ]);
    expect(opened.document.redactionPolicy).toBe('cnil');
    expect(opened.document.notes).toBe('first pass over the A names');

    const after = await allRows(A, {
      dataset: opened.matches[0]!.local!.name,
      ...(v.filter ? { filter: v.filter } : {}),
      sort: v.sort,
    });
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));

    const check = await A.call('session.check', { name: 'triage' });
    expect(check.status).toBe('identical');
    expect(check.views[0]).toMatchObject({
      status: 'identical',
      saved: { rows: before.length, sha256: fp.sha256 },
      now: { rows: before.length, sha256: fp.sha256 },
      delta: 0,
    });
  });

  it('gives the export capability the resolved query of a session', () => {
    const c = openCase(pathA, TEST_PASSPHRASE, {
      readOnly: true,
      ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    });
    try {
      expect(resolveSessionQuery(c.db, 'triage')).toEqual({
        dataset: 'clients',
        datasetId: 1,
        filter: { column: c1, op: 'contains', value: 'a' },
        sort: [{ column: c2, desc: true }],
        columns: [
          { column: c2, width: 140, pinned: 'left' },
          { column: c1, width: null, pinned: null },
        ],
        redactionPolicy: 'cnil',
        description: expect.stringMatching(/^"clients": /) as string,
      });
      expect(() => resolveSessionQuery(c.db, 'nope')).toThrow(
        'no session named "nope" in this case; the sessions are "triage"',
      );
    } finally {
      c.close();
    }
  });
});

describe('tags and notes', () => {
  it('round-trip, and the filter AST selects records by them', async () => {
    const first = (await A.call('rows.query', { dataset: 'clients', limit: 5 })).rows;
    const [r0, r1, r2] = first.map((r) => r.id) as [number, number, number];
    expect(
      await A.call('flags.set', {
        dataset: 'clients',
        rows: [r0, r1, r2, r2],
        tags: ['fake', ' victim   contacted '],
        author: 'inv-1',
      }),
    ).toEqual({ dataset: 'clients', rows: 3, added: 6 });
    // Idempotent: the same marks again add nothing.
    expect(
      (await A.call('flags.set', { dataset: 'clients', rows: [r0], tags: ['fake'] })).added,
    ).toBe(0);
    expect(
      await A.call('notes.set', { dataset: 'clients', row: r1, note: 'called on 3 March' }),
    ).toEqual({ dataset: 'clients', rowId: r1, ordinal: first[1]!.ordinal, hasNote: true });

    const listed = await A.call('flags.list', { dataset: 'clients' });
    expect(listed).toEqual({
      dataset: 'clients',
      records: [
        { rowId: r0, ordinal: first[0]!.ordinal, tags: ['fake', 'victim contacted'], note: null },
        {
          rowId: r1,
          ordinal: first[1]!.ordinal,
          tags: ['fake', 'victim contacted'],
          note: 'called on 3 March',
        },
        { rowId: r2, ordinal: first[2]!.ordinal, tags: ['fake', 'victim contacted'], note: null },
      ],
      tags: [
        { tag: 'fake', count: 3 },
        { tag: 'victim contacted', count: 3 },
      ],
      notes: 1,
      cursor: null,
    });
    const onlyR1 = await A.call('flags.list', { dataset: 'clients', rows: [r1], limit: 1 });
    expect(onlyR1.records.map((r) => r.rowId)).toEqual([r1]);
    expect(onlyR1.cursor).toBe(r1);

    const ids = async (filter: FilterNode) =>
      (await allRows(A, { dataset: 'clients', filter })).map((r) => r.id);
    expect(await ids({ tag: 'victim contacted' })).toEqual([r0, r1, r2]);
    expect(await ids({ tag: '  victim contacted' })).toEqual([r0, r1, r2]);
    expect(await ids({ hasNote: true })).toEqual([r1]);
    expect(await ids({ and: [{ tag: 'fake' }, { not: { hasNote: true } }] })).toEqual([r0, r2]);
    expect((await ids({ hasNote: false })).length).toBe(ROWS - 1);
    const notFake = await A.call('rows.query', {
      dataset: 'clients',
      filter: { not: { tag: 'fake' } },
      countMode: 'exact',
      limit: 1,
    });
    expect(notFake.total).toBe(ROWS - 3);
    expect(notFake.description).toBe('NOT (tagged "fake")');

    expect(
      await A.call('flags.remove', { dataset: 'clients', rows: [r2], tags: ['fake'] }),
    ).toEqual({ dataset: 'clients', rows: 1, removed: 1 });
    expect(await ids({ tag: 'fake' })).toEqual([r0, r1]);
    expect((await A.call('notes.set', { dataset: 'clients', row: r1, note: '  ' })).hasNote).toBe(
      false,
    );
    expect(await ids({ hasNote: true })).toEqual([]);
    // Restore the state the later tests build on.
    await A.call('notes.set', { dataset: 'clients', row: r1, note: 'called on 3 March' });
  });

  it('refuses marks on records that do not exist', async () => {
    const r = await A.invoke('flags.set', { dataset: 'clients', rows: [1, 99_999], tags: ['x'] });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'E_NOT_FOUND',
        message: 'dataset "clients" has no row with id 99999',
        details: { missing: [99_999] },
      },
    });
    const t = await A.invoke('flags.set', { dataset: 'clients', rows: [1], tags: ['  '] });
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.error.message).toMatch(/tags\.0: a tag must not be empty/);
    const n = await A.invoke('notes.set', { dataset: 'nope', row: 1, note: 'x' });
    expect(n).toMatchObject({ ok: false, error: { code: 'E_NOT_FOUND' } });
  });
});

describe('a second case holding the same evidence', () => {
  it('imports the exported session and finds the same records, tags included', async () => {
    const filter: FilterNode = {
      or: [{ tag: 'fake' }, { column: c1, op: 'startsWith', value: 'b' }],
    };
    const search = (await A.call('rows.query', { dataset: 'clients', limit: 1 })).rows[0]!.values[
      c2
    ]!.slice(0, 4);
    const saved = await A.call('session.save', {
      name: 'handover',
      session: {
        views: [
          { dataset: 'clients', filter },
          { dataset: 'clients', search },
        ],
      },
    });
    const [fp0, fp1] = saved.document.views.map((v) => v.fingerprint!);
    expect(fp0!.rows).toBeGreaterThan(2);
    expect(fp0!.flags).toMatch(/^[0-9a-f]{64}$/);
    expect(fp1!.rows).toBeGreaterThan(0);
    expect(saved.document.datasets).toHaveLength(1);
    const exported = await A.call('session.export', { name: 'handover' });
    expect(exported.flags).toEqual([
      {
        dataset: 'd1',
        records: expect.arrayContaining([
          expect.objectContaining({ tags: ['fake', 'victim contacted'] }),
        ]) as unknown,
      },
    ]);
    // Through JSON text, as a file would travel.
    const text = JSON.stringify(exported);

    // The colleague imported the same bytes under another file name and dataset name.
    const copyDir = join(dir, 'colleague');
    mkdirSync(copyDir);
    const copy = join(copyDir, 'fichier-1.csv');
    copyFileSync(file, copy);
    const { engine: B } = await caseWith('case-b');
    await B.call('import.run', { path: copy, name: 'fichier-1' });

    const imported = await B.call('session.import', { file: JSON.parse(text) as unknown });
    expect(imported).toMatchObject({
      name: 'handover',
      saved: true,
      upgradedFrom: null,
      flags: { tagsAdded: 5, notesAdded: 1, unmatched: 0, skipped: 0 },
      warnings: [],
    });
    expect(imported.matches[0]).toMatchObject({
      by: 'sha256',
      local: { name: 'fichier-1', rows: ROWS, complete: true },
    });
    expect(imported.message).toBe(
      'session "handover" imported: 1 of 1 datasets found in this case; 5 tags and 1 notes applied to records',
    );

    const check = await B.call('session.check', { name: 'handover' });
    expect(check.status).toBe('identical');
    expect(check.views.map((v) => v.now)).toEqual([
      { rows: fp0!.rows, sha256: fp0!.sha256 },
      { rows: fp1!.rows, sha256: fp1!.sha256 },
    ]);
    const inB = await allRows(B, { dataset: 'fichier-1', filter });
    const inA = await allRows(A, { dataset: 'clients', filter });
    expect(inB.map((r) => r.ordinal)).toEqual(inA.map((r) => r.ordinal));
    // The stored copy points at this case's dataset now.
    const opened = await B.call('session.get', { name: 'handover' });
    expect(opened.document.datasets[0]!.id).toBe(imported.matches[0]!.local!.id);
    expect(opened.matches[0]!.by).toBe('id');

    // Importing again under the same name needs overwrite; the marks are not doubled.
    const again = await B.invoke('session.import', { file: JSON.parse(text) as unknown });
    expect(again).toMatchObject({
      ok: false,
      error: {
        code: 'E_BAD_INPUT',
        message: 'a session named "handover" already exists: choose another name or overwrite it',
      },
    });
    const over = await B.call('session.import', {
      file: JSON.parse(text) as unknown,
      overwrite: true,
    });
    expect(over.flags).toEqual({ tagsAdded: 0, notesAdded: 0, unmatched: 0, skipped: 0 });
  });

  it('names what is missing in a case without the evidence', async () => {
    const exported = await A.call('session.export', { name: 'triage' });
    const { engine: C } = await caseWith('case-c');
    const dry = await C.call('session.import', { file: exported, dryRun: true });
    expect(dry.saved).toBe(false);
    expect((await C.call('session.list', {})).sessions).toEqual([]);
    const h = sha256File();
    const missing = `none of the 1 dataset of this session is in this case: import clients.csv (SHA-256 ${h.slice(0, 8)}…${h.slice(-4)}, ${ROWS} rows when saved)`;
    expect(dry.message).toBe(
      `dry run: session "triage" would find 0 of 1 datasets in this case\n${missing}`,
    );
    const r = await C.call('session.import', { file: exported, name: 'triage-copy' });
    expect(r.saved).toBe(true);
    expect(r.matches[0]!.local).toBeNull();
    expect(r.warnings).toEqual([missing]);
    expect(r.flags.skipped).toBe(3);
    const check = await C.call('session.check', { name: 'triage-copy' });
    expect(check.status).toBe('missing');
    expect(check.views[0]!.reasons[0]).toMatch(
      /^dataset "clients" is missing from this case: import clients\.csv \(SHA-256 /,
    );
  });

  it('rejects invalid session files with a clear error', async () => {
    const cases: [unknown, string][] = [
      ['hello', 'not a Leakscope session: expected a JSON object'],
      [{ version: 9 }, 'this session was written by a newer Leakscope (session version 9'],
      [{ format: 'leakscope.session-file', name: 'x' }, 'invalid session file: file.exportedAt:'],
      [
        {
          format: 'leakscope.session',
          version: 2,
          savedAt: 'x',
          app: null,
          caseId: null,
          datasets: [],
          views: [],
          activeView: 0,
          redactionPolicy: null,
          notes: 42,
        },
        'invalid session (version 2): session.notes: ',
      ],
    ];
    for (const [file, message] of cases) {
      const r = await A.invoke('session.import', { file, name: 'bad' });
      expect(r.ok, message).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('E_BAD_INPUT');
        expect(r.error.message.startsWith(message), r.error.message).toBe(true);
      }
    }
    const noName = await A.invoke('session.import', {
      file: (await A.call('session.get', { name: 'triage' })).document,
    });
    expect(noName).toMatchObject({
      ok: false,
      error: { message: 'this session document carries no name: give the name to save it under' },
    });
  });
});

describe('older sessions and changes', () => {
  it('opens a version 1 session, matched by name, and checks its row count', async () => {
    const filter: FilterNode = { column: c1, op: 'contains', value: 'e' };
    const n = (await allRows(A, { dataset: 'clients', filter })).length;
    const v1 = {
      version: 1,
      savedAt: '2024-11-05T08:30:00.000Z',
      dataset: 'clients',
      filter,
      search: '',
      sort: `${c2}:desc`,
      columns: [c1, c2],
      notes: 'from the first release',
      rowCount: n,
    };
    const r = await A.call('session.import', { file: v1, name: 'legacy' });
    expect(r.upgradedFrom).toBe(1);
    expect(r.matches[0]).toMatchObject({ by: 'name', local: { name: 'clients' } });
    expect(r.warnings).toEqual([
      'dataset "clients" matched by name only: the session predates source hashes',
    ]);
    const opened = await A.call('session.get', { name: 'legacy' });
    expect(opened.storedVersion).toBe(2);
    expect(opened.document.views[0]!.sort).toEqual([{ column: c2, desc: true }]);
    const check = await A.call('session.check', { name: 'legacy' });
    expect(check.status).toBe('unverified');
    expect(check.views[0]!.reasons[0]).toBe(
      `same number of records (${n}), but the session (saved by an older Leakscope) holds no hash to tell whether they are the same records`,
    );
  });

  it('says how the result changed when tags change', async () => {
    await A.call('session.save', {
      name: 'fakes',
      session: { views: [{ dataset: 'clients', filter: { tag: 'fake' } }] },
    });
    const extra = (await A.call('rows.query', { dataset: 'clients', limit: 10 })).rows[9]!.id;
    await A.call('flags.set', { dataset: 'clients', rows: [extra], tags: ['fake'] });
    const check = await A.call('session.check', { name: 'fakes' });
    expect(check.status).toBe('changed');
    expect(check.views[0]).toMatchObject({ delta: 1, saved: { rows: 2 }, now: { rows: 3 } });
    expect(check.views[0]!.reasons).toEqual([
      '1 more record than when saved (2 → 3)',
      'the record tags or notes this filter reads have changed since',
    ]);
    expect(check.message.split('\n')[0]).toBe(
      'the session no longer gives the same records as when it was saved',
    );
  });
});

describe('named sessions and the autosave slot', () => {
  it('renames, duplicates, deletes, lists newest first and refuses clashes', async () => {
    const { engine: D } = await caseWith('case-d');
    await D.call('import.run', { path: file });
    const draft = { views: [{ dataset: 'clients' }] };
    await D.call('session.save', { name: 'one', session: draft });
    const clash = await D.invoke('session.save', { name: 'one', session: draft });
    expect(clash).toMatchObject({ ok: false, error: { code: 'E_BAD_INPUT' } });
    const replaced = await D.call('session.save', {
      name: 'one',
      session: { ...draft, notes: 'v2' },
      overwrite: true,
    });
    expect(replaced.created).toBe(false);
    expect(replaced.document.notes).toBe('v2');
    expect((await D.call('session.rename', { name: 'one', to: 'first' })).name).toBe('first');
    const dup = await D.call('session.duplicate', { name: 'first', to: 'second' });
    expect(dup).toMatchObject({ name: 'second', views: 1, rows: ROWS, datasets: ['clients'] });
    expect(await D.invoke('session.rename', { name: 'first', to: 'second' })).toMatchObject({
      ok: false,
      error: {
        message: 'a session named "second" already exists: choose another name or overwrite it',
      },
    });
    const list = await D.call('session.list', {});
    expect(list.sessions.map((s) => s.name)).toEqual(['second', 'first']);
    expect(list.sessions[0]!.description).toBe(
      '"clients": all records; 300 matching records when saved\nnotes: v2',
    );
    expect(await D.call('session.delete', { name: 'first' })).toEqual({
      name: 'first',
      deleted: true,
    });
    expect(await D.invoke('session.get', { name: 'first' })).toMatchObject({
      ok: false,
      error: {
        code: 'E_NOT_FOUND',
        message: 'no session named "first" in this case; the sessions are "second"',
      },
    });
  });

  it('autosaves the current state as the last session, restored on open', async () => {
    const { engine: E, path } = await caseWith('case-e');
    expect(await E.call('session.last', {})).toEqual({ session: null });
    await E.call('session.autosave', { session: { views: [] } });
    await E.call('import.run', { path: file });
    const { savedAt } = await E.call('session.autosave', {
      session: {
        views: [{ dataset: 'clients', search: 'dup', scroll: { row: 120, left: 0 } }],
        notes: 'work in progress',
      },
    });
    E.close();
    const E2 = newEngine();
    await E2.call('case.open', { path, passphrase: TEST_PASSPHRASE });
    const last = (await E2.call('session.last', {})).session!;
    expect(last.name).toBe('');
    expect(last.updatedAt).toBe(savedAt);
    expect(last.document.views[0]).toMatchObject({
      search: 'dup',
      scroll: { row: 120, left: 0 },
      fingerprint: null,
    });
    expect(last.document.notes).toBe('work in progress');
    expect(last.matches[0]!.by).toBe('id');
    // The slot is not a named session.
    expect((await E2.call('session.list', {})).sessions).toEqual([]);
  });
});

describe('audit', () => {
  it('writes an entry for every session and flag change, without record values', async () => {
    const { entries } = await A.call('audit.list', { limit: 1000 });
    const actions = new Set(entries.map((e) => e.action));
    for (const m of [
      'session.save',
      'session.export',
      'session.import',
      'session.check',
      'flags.set',
      'flags.remove',
      'notes.set',
    ]) {
      expect(actions.has(m), m).toBe(true);
    }
    for (const m of ['session.list', 'session.get', 'flags.list', 'session.last']) {
      expect(actions.has(m), m).toBe(false);
    }
    const save = entries.find(
      (e) => e.action === 'session.save' && (e.params as { name: string }).name === 'triage',
    )!;
    expect(save.result).toMatchObject({
      name: 'triage',
      created: true,
      datasets: [{ name: 'clients', sha256: sha256File() }],
    });
    const flagSet = entries.find((e) => e.action === 'flags.set')!;
    expect(flagSet.result).toEqual({ dataset: 'clients', rows: 3, added: 6 });
    // No record value of the tagged records reaches the log.
    const tagged = await allRows(A, { dataset: 'clients', filter: { tag: 'fake' } });
    const text = JSON.stringify(entries.filter((e) => /^(session|flags|notes)\./.test(e.action)));
    const values = tagged
      .flatMap((r) => Object.values(r.values))
      .filter((v): v is string => !!v && v.length >= 6);
    expect(values.length).toBeGreaterThan(5);
    for (const v of values) expect(text.includes(JSON.stringify(v).slice(1, -1)), v).toBe(false);
    expect((await A.call('audit.verify', {})).ok).toBe(true);
  });

  it('audits rename, duplicate, delete and autosave too', async () => {
    const { engine: F } = await caseWith('case-f');
    await F.call('import.run', { path: file });
    await F.call('session.save', { name: 'x', session: { views: [{ dataset: 'clients' }] } });
    await F.call('session.rename', { name: 'x', to: 'y' });
    await F.call('session.duplicate', { name: 'y', to: 'z' });
    await F.call('session.delete', { name: 'z' });
    await F.call('session.autosave', { session: { views: [{ dataset: 'clients' }] } });
    const { entries } = await F.call('audit.list', { limit: 100 });
    expect(entries.map((e) => e.action).filter((a) => a.startsWith('session.'))).toEqual([
      'session.save',
      'session.rename',
      'session.duplicate',
      'session.delete',
      'session.autosave',
    ]);
    expect(entries.find((e) => e.action === 'session.rename')!.result).toEqual({ name: 'y' });
  });
});
