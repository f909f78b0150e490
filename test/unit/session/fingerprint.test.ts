/**
 * Result fingerprints: the hash over ordinals (checked against an independent computation), and
 * the plain-language explanation of a change.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../src/shared/api';
import type { DatasetMatch } from '../../../src/shared/contract/session';
import type { Fingerprint, SessionDocument, SessionView } from '../../../src/shared/session';
import {
  checkView,
  flagDependencies,
  hashOrdinals,
  summarizeChecks,
  usesLinkage,
} from '../../../src/main/engine/session/fingerprint';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('hashOrdinals', () => {
  it('is SHA-256 over the ascending ordinals, one per line', () => {
    expect(hashOrdinals(() => [0, 1, 5, 1000])).toEqual({
      rows: 4,
      sha256: sha('0\n1\n5\n1000\n'),
    });
    expect(hashOrdinals(() => [])).toEqual({ rows: 0, sha256: sha('') });
  });

  it('gives the same hash whatever order the ordinals come in', () => {
    let calls = 0;
    const r = hashOrdinals(() => {
      calls++;
      return [9, 2, 40, 3];
    });
    expect(r).toEqual({ rows: 4, sha256: sha('2\n3\n9\n40\n') });
    // First pass streams and notices the disorder; the second collects and sorts.
    expect(calls).toBe(2);
  });

  it('streams a large ascending run in one pass', () => {
    let calls = 0;
    const r = hashOrdinals(function () {
      calls++;
      return (function* () {
        for (let i = 0; i < 200_000; i += 2) yield i;
      })();
    });
    expect(calls).toBe(1);
    expect(r.rows).toBe(100_000);
    let text = '';
    for (let i = 0; i < 200_000; i += 2) text += `${i}\n`;
    expect(r.sha256).toBe(sha(text));
  });
});

describe('filter dependencies', () => {
  it('finds the tags and notes a filter reads, and linkage conditions', () => {
    expect(
      flagDependencies({
        and: [
          { tag: 'fake' },
          { or: [{ tag: 'sample' }, { not: { hasNote: true } }] },
          { tag: 'fake' },
        ],
      }),
    ).toEqual({ tags: ['fake', 'sample'], notes: true });
    expect(flagDependencies({ column: 'tag', op: 'equals', value: 'x' })).toEqual({
      tags: [],
      notes: false,
    });
    expect(flagDependencies(null)).toEqual({ tags: [], notes: false });
    expect(usesLinkage({ not: { linkage: 'seenIn', dataset: 'kairos' } })).toBe(true);
    expect(usesLinkage({ column: 'a', op: 'empty' })).toBe(false);
  });
});

const SAVED_AT = '2025-03-01T10:00:00.000Z';
const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

function fp(rows: number, sha256: string | null, over: Partial<Fingerprint> = {}): Fingerprint {
  return {
    algorithm: sha256 ? 'sha256-ordinals-v1' : 'count-only',
    rows,
    sha256,
    datasetRows: 300,
    flags: null,
    at: SAVED_AT,
    ...over,
  } as Fingerprint;
}

function view(fingerprint: Fingerprint | null, filter: SessionView['filter'] = null): SessionView {
  return {
    dataset: 'd1',
    filter,
    search: null,
    sort: [],
    columns: null,
    selected: null,
    scroll: { row: 0, left: 0 },
    fingerprint,
  };
}

const saved = {
  key: 'd1',
  id: 3,
  name: 'clients',
  sha256: H1,
  member: null,
  table: null,
  fileName: 'clients.csv',
  rows: 300,
};

function match(localId: number | null, complete = true): DatasetMatch {
  return {
    key: 'd1',
    saved,
    local:
      localId === null ? null : { id: localId, name: `clients-${localId}`, rows: 300, complete },
    by: localId === null ? null : localId === 3 ? 'id' : 'sha256',
    warning:
      localId === null ? 'dataset "clients" is missing from this case: import clients.csv' : null,
  };
}

function ctx(caseId = 'case-1', all: Partial<DatasetSummary>[] = []) {
  const doc = { caseId: 'case-1', app: '0.1.0' } as SessionDocument;
  return { doc, caseId, appVersion: '0.1.0', all: all as DatasetSummary[] };
}

describe('checkView', () => {
  it('says identical when count and hash agree', () => {
    const c = checkView(0, view(fp(12, H2)), match(3), fp(12, H2), ctx());
    expect(c).toEqual({
      view: 0,
      dataset: 'clients',
      local: 'clients-3',
      status: 'identical',
      saved: { rows: 12, sha256: H2 },
      now: { rows: 12, sha256: H2 },
      delta: 0,
      reasons: [],
    });
  });

  it('attributes more rows to a re-import in the same case', () => {
    const c = checkView(0, view(fp(12, H2)), match(7), fp(24, H1, { datasetRows: 600 }), ctx());
    expect(c.status).toBe('changed');
    expect(c.delta).toBe(12);
    expect(c.reasons).toEqual([
      '12 more records than when saved (12 → 24)',
      'dataset "clients" was re-imported since (now dataset "clients-7", id 7)',
      'dataset "clients-7" holds 600 rows, against 300 when saved',
    ]);
  });

  it('does not call a different id in another case a re-import', () => {
    const c = checkView(0, view(fp(12, H2)), match(7), fp(10, H1), ctx('case-2'));
    expect(c.reasons).toEqual([
      '2 fewer records than when saved (12 → 10)',
      'dataset "clients-7" and its source are unchanged, so the difference comes from how the filter or search is evaluated',
    ]);
  });

  it('attributes a change to tags when the filter reads them', () => {
    const c = checkView(
      0,
      view(fp(2, H2, { flags: H1 }), { tag: 'fake' }),
      match(3),
      fp(3, H1, { flags: H2 }),
      ctx(),
    );
    expect(c.reasons).toEqual([
      '1 more record than when saved (2 → 3)',
      'the record tags or notes this filter reads have changed since',
    ]);
  });

  it('names the imports made since when the filter uses linkage', () => {
    const c = checkView(
      0,
      view(fp(5, H2), { linkage: 'seenIn', dataset: 'kairos' }),
      match(3),
      fp(5, H1),
      ctx('case-1', [
        { id: 3, name: 'clients', source: { startedAt: '2025-02-01T00:00:00.000Z' } as never },
        { id: 8, name: 'kairos', source: { startedAt: '2025-04-01T00:00:00.000Z' } as never },
      ]),
    );
    expect(c.reasons).toEqual([
      'the same number of records (5), but not the same records',
      '1 dataset imported since ("kairos") can change what the linkage conditions of this filter match',
    ]);
  });

  it('cannot verify a count-only fingerprint with the same count, or a view without one', () => {
    const same = checkView(0, view(fp(5, null)), match(3), fp(5, H1), ctx());
    expect(same.status).toBe('unverified');
    expect(same.reasons[0]).toMatch(/^same number of records \(5\), but the session .* no hash/);
    const differs = checkView(0, view(fp(5, null)), match(3), fp(6, H1), ctx());
    expect(differs.status).toBe('changed');
    expect(checkView(0, view(null), match(3), fp(6, H1), ctx()).status).toBe('unverified');
  });

  it('reports a missing dataset with the import it needs', () => {
    const c = checkView(0, view(fp(5, H2)), match(null), null, ctx());
    expect(c).toMatchObject({
      status: 'missing',
      local: null,
      now: null,
      delta: null,
      reasons: ['dataset "clients" is missing from this case: import clients.csv'],
    });
  });

  it('summarises views, worst first', () => {
    const ok = checkView(0, view(fp(12, H2)), match(3), fp(12, H2), ctx());
    const changed = checkView(1, view(fp(12, H2)), match(3), fp(13, H1), ctx());
    expect(summarizeChecks([ok])).toEqual({
      status: 'identical',
      message:
        'the session gives the same records as when it was saved\nclients: identical (12 records)',
    });
    const both = summarizeChecks([ok, changed]);
    expect(both.status).toBe('changed');
    expect(both.message.split('\n')).toEqual([
      'the session no longer gives the same records as when it was saved',
      'view 1 (clients): identical (12 records)',
      'view 2 (clients): changed: 1 more record than when saved (12 → 13); dataset "clients-3" and its source are unchanged, so the difference comes from how the filter or search is evaluated',
    ]);
  });
});
