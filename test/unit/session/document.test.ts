/**
 * The session document (src/shared/session.ts): restore() of the current and older versions,
 * refusal of invalid documents with readable reasons, exported files, describeSession().
 */
import { describe, expect, it } from 'vitest';
import {
  describeSession,
  parseSortText,
  restore,
  restoreFile,
  SESSION_FILE_FORMAT,
  SESSION_VERSION,
  SessionFormatError,
  type SessionDocument,
} from '../../../src/shared/session';

const SHA = 'a'.repeat(64);
const ROWS_SHA = 'b'.repeat(64);

function v2(overrides: Partial<SessionDocument> = {}): SessionDocument {
  return {
    format: 'leakscope.session',
    version: 2,
    savedAt: '2025-03-01T10:00:00.000Z',
    app: '0.1.0',
    caseId: 'case-1',
    datasets: [
      {
        key: 'd1',
        id: 3,
        name: 'clients',
        sha256: SHA,
        member: null,
        table: null,
        fileName: 'clients.csv',
        rows: 300,
      },
    ],
    views: [
      {
        dataset: 'd1',
        filter: { column: 'email', op: 'endsWith', value: '@orange.fr' },
        search: 'dupont',
        sort: [{ column: 'nom', desc: true }],
        columns: [
          { column: 'nom', width: 120, pinned: 'left' },
          { column: 'email', width: null, pinned: null },
        ],
        selected: { ordinal: 41, rowId: 42 },
        scroll: { row: 40, left: 0 },
        fingerprint: {
          algorithm: 'sha256-ordinals-v1',
          rows: 12,
          sha256: ROWS_SHA,
          datasetRows: 300,
          flags: null,
          at: '2025-03-01T10:00:00.000Z',
        },
      },
    ],
    activeView: 0,
    redactionPolicy: 'cnil',
    notes: 'Orange customers named Dupont\nsecond line',
    ...overrides,
  };
}

function refusal(input: unknown): string {
  try {
    restore(input);
  } catch (e) {
    expect(e).toBeInstanceOf(SessionFormatError);
    return (e as Error).message;
  }
  throw new Error('restore() accepted the input');
}

describe('restore()', () => {
  it('returns a current document as it is', () => {
    const doc = v2();
    const r = restore(JSON.parse(JSON.stringify(doc)));
    expect(r.fromVersion).toBe(2);
    expect(SESSION_VERSION).toBe(2);
    expect(r.document).toEqual(doc);
  });

  it('upgrades a version 1 document to version 2', () => {
    const v1 = {
      version: 1,
      savedAt: '2024-11-05T08:30:00.000Z',
      dataset: 'kairos',
      filter: { and: [{ column: 'ville', op: 'equals', value: 'Lyon' }] },
      search: '',
      sort: 'nom:desc,prenom',
      columns: ['nom', 'prenom', 'ville'],
      notes: 'first pass',
      rowCount: 57,
    };
    const r = restore(v1);
    expect(r.fromVersion).toBe(1);
    expect(r.document).toEqual({
      format: 'leakscope.session',
      version: 2,
      savedAt: '2024-11-05T08:30:00.000Z',
      app: null,
      caseId: null,
      datasets: [
        {
          key: 'd1',
          id: null,
          name: 'kairos',
          sha256: null,
          member: null,
          table: null,
          fileName: null,
          rows: null,
        },
      ],
      views: [
        {
          dataset: 'd1',
          filter: { and: [{ column: 'ville', op: 'equals', value: 'Lyon' }] },
          search: null,
          sort: [
            { column: 'nom', desc: true },
            { column: 'prenom', desc: false },
          ],
          columns: [
            { column: 'nom', width: null, pinned: null },
            { column: 'prenom', width: null, pinned: null },
            { column: 'ville', width: null, pinned: null },
          ],
          selected: null,
          scroll: { row: 0, left: 0 },
          fingerprint: {
            algorithm: 'count-only',
            rows: 57,
            sha256: null,
            datasetRows: null,
            flags: null,
            at: '2024-11-05T08:30:00.000Z',
          },
        },
      ],
      activeView: 0,
      redactionPolicy: null,
      notes: 'first pass',
    });
  });

  it('upgrades a version 1 document without a row count to no fingerprint', () => {
    const r = restore({
      version: 1,
      savedAt: '2024-11-05T08:30:00.000Z',
      dataset: 'kairos',
      filter: null,
      search: 'dupont',
      sort: null,
      columns: null,
      notes: '',
      rowCount: null,
    });
    expect(r.document.views[0]!.fingerprint).toBeNull();
    expect(r.document.views[0]!.search).toBe('dupont');
    expect(r.document.views[0]!.sort).toEqual([]);
    expect(r.document.views[0]!.columns).toBeNull();
  });

  it('refuses what is not a session, with the reason', () => {
    expect(refusal(null)).toBe('not a Leakscope session: expected a JSON object');
    expect(refusal([1, 2])).toBe('not a Leakscope session: expected a JSON object');
    expect(refusal({ name: 'x' })).toMatch(/^not a Leakscope session: it has no "version"/);
    expect(refusal({ version: '2' })).toMatch(/no "version"/);
    expect(refusal({ version: 0 })).toMatch(/no "version"/);
  });

  it('refuses a session from a newer Leakscope', () => {
    expect(refusal({ ...v2(), version: 7 })).toBe(
      'this session was written by a newer Leakscope (session version 7; this version reads up to 2): update Leakscope to open it',
    );
  });

  it('names the wrong fields with their paths', () => {
    const bad = v2();
    (bad.views[0]!.fingerprint as { sha256: string }).sha256 = 'xyz';
    expect(refusal(bad)).toBe(
      'invalid session (version 2): session.views.0.fingerprint.sha256: expected a lowercase hex SHA-256',
    );
    expect(refusal({ ...v2(), views: [{ ...v2().views[0]!, dataset: 'd9' }] })).toBe(
      'invalid session (version 2): session.views.0.dataset: no dataset with key "d9" in "datasets"',
    );
    expect(refusal({ ...v2(), activeView: 3 })).toBe(
      'invalid session (version 2): session.activeView: view 3 does not exist (views are numbered from 0; there is 1 view)',
    );
    expect(refusal({ ...v2(), extra: 1 })).toMatch(
      /^invalid session \(version 2\): session: .*extra/,
    );
  });

  it('validates the filter with the filter schema', () => {
    const doc = v2();
    doc.views[0]!.filter = { column: 'email', op: 'contains', value: '' } as never;
    expect(refusal(doc)).toBe(
      'invalid session (version 2): session.views.0.filter.value: must not be empty',
    );
    const v1 = {
      version: 1,
      savedAt: 'x',
      dataset: 'a',
      filter: { column: 'a', op: 'nope' },
      search: null,
      sort: null,
      columns: null,
      notes: '',
      rowCount: null,
    };
    expect(refusal(v1)).toMatch(/^invalid session \(version 1\): session\.filter/);
  });

  it('accepts the tag and note filter nodes', () => {
    const doc = v2();
    doc.views[0]!.filter = { and: [{ tag: 'fake' }, { not: { hasNote: true } }] };
    expect(restore(doc).document.views[0]!.filter).toEqual({
      and: [{ tag: 'fake' }, { not: { hasNote: true } }],
    });
    doc.views[0]!.filter = { tag: '   ' };
    expect(refusal(doc)).toMatch(/filter\.tag: a tag is 1 to 100 characters/);
  });
});

describe('restoreFile()', () => {
  const file = (overrides: Record<string, unknown> = {}) => ({
    format: SESSION_FILE_FORMAT,
    exportedAt: '2025-03-02T00:00:00.000Z',
    app: '0.1.0',
    name: 'orange',
    description: 'x',
    session: v2(),
    flags: [{ dataset: 'd1', records: [{ ordinal: 4, tags: ['fake'], note: null }] }],
    ...overrides,
  });

  it('reads an exported file and the session inside', () => {
    const r = restoreFile(file());
    expect(r.name).toBe('orange');
    expect(r.fromVersion).toBe(2);
    expect(r.flags).toEqual([
      { dataset: 'd1', records: [{ ordinal: 4, tags: ['fake'], note: null }] },
    ]);
  });

  it('reads a bare document (no name, no flags)', () => {
    const r = restoreFile(v2());
    expect(r.name).toBeNull();
    expect(r.flags).toEqual([]);
  });

  it('refuses flags for a dataset the session does not have, and a bad inner session', () => {
    expect(() => restoreFile(file({ flags: [{ dataset: 'd2', records: [] }] }))).toThrow(
      'invalid session file: file.flags: dataset key(s) d2 are not in the session',
    );
    expect(() => restoreFile(file({ session: { version: 99 } }))).toThrow(/newer Leakscope/);
    expect(() => restoreFile(file({ name: '' }))).toThrow(
      'invalid session file: file.name: a session name must not be empty',
    );
  });
});

describe('describeSession()', () => {
  it('says the view, the policy and the notes in plain language', () => {
    expect(describeSession(v2())).toBe(
      [
        '"clients": email ends with "@orange.fr"; searching "dupont"; sorted by nom (descending); 2 visible columns; 12 matching records when saved',
        'redaction policy "cnil"',
        'notes: Orange customers named Dupont',
      ].join('\n'),
    );
  });

  it('numbers several views and marks the active one; flags datasets without a hash', () => {
    const doc = v2({ activeView: 1, redactionPolicy: null, notes: '' });
    doc.datasets.push({
      key: 'd2',
      id: null,
      name: 'kairos',
      sha256: null,
      member: null,
      table: null,
      fileName: null,
      rows: null,
    });
    doc.views.push({
      dataset: 'd2',
      filter: { tag: 'victim contacted' },
      search: null,
      sort: [],
      columns: null,
      selected: null,
      scroll: { row: 0, left: 0 },
      fingerprint: null,
    });
    expect(describeSession(doc).split('\n')).toEqual([
      'view 1: "clients": email ends with "@orange.fr"; searching "dupont"; sorted by nom (descending); 2 visible columns; 12 matching records when saved',
      'view 2 (active): "kairos": tagged "victim contacted"',
      '1 dataset without a source hash (matched by name)',
    ]);
  });
});

describe('parseSortText()', () => {
  it('reads the CLI sort forms', () => {
    expect(parseSortText('nom')).toEqual([{ column: 'nom', desc: false }]);
    expect(parseSortText('nom:desc, prenom:ASC')).toEqual([
      { column: 'nom', desc: true },
      { column: 'prenom', desc: false },
    ]);
    expect(parseSortText('a.b:c')).toEqual([{ column: 'a.b:c', desc: false }]);
    expect(parseSortText(undefined)).toEqual([]);
  });
});
