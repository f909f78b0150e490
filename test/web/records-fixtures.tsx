/**
 * A fake query engine for the records view's component tests: a dataset of any size whose rows
 * are computed from their position (no million-row arrays), keyset-like cursors ("p<position>"),
 * the ordinal filter the grid uses to jump, and the other methods the view calls.
 */
import { render } from '@testing-library/react';
import { ApiProvider } from '../../src/renderer/src/api/context';
import { RecordsView } from '../../src/renderer/src/features/records/RecordsView';
import { clearCurrentView } from '../../src/renderer/src/features/sessions/current-view';
import { WorkspaceProvider } from '../../src/renderer/src/workspace/context';
import type { DatasetSummary, RowRecord, RowsQueryInput } from '../../src/shared/api';
import type { FilterNode } from '../../src/shared/filter';
import { fakeApi, SAMPLE_INFO, sampleDataset, type FakeApi } from './fake-api';

export const COLUMNS = ['nom', 'prenom', 'email', 'ville'];

export function dataset(name: string, rows: number): DatasetSummary {
  return sampleDataset(
    {
      id: name === 'people' ? 1 : 2,
      name,
      sha256: 'ab'.repeat(32),
      bytes: rows * 100,
      rows,
      columns: COLUMNS.map((c) => ({ name: c, path: c })),
    },
    {
      id: 1,
      mtime: '2026-01-01T00:00:00.000Z',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
    },
  );
}

export function rowAt(p: number): RowRecord {
  return {
    id: p + 1,
    ordinal: p,
    line: p + 2,
    offset: p * 100,
    values: {
      nom: `NOM${p}`,
      prenom: `Prenom${p}`,
      email: `user${p}@example.fr`,
      ville: p % 2 ? 'Paris' : null,
    },
  };
}

function ordinalMin(f: FilterNode | undefined): number {
  if (!f) return 0;
  if ('provenance' in f && f.provenance === 'ordinal') return f.min ?? 0;
  if ('and' in f) return Math.max(0, ...f.and.map(ordinalMin));
  return 0;
}

/**
 * rows.query over `total` computed rows (filters other than ordinal bounds are recorded only).
 * `from: 'end'` reads backwards (cursor "e<distance from the end>"); `at` is an exact position.
 */
export function pagedRows(total: number) {
  return (raw: unknown) => {
    const input = raw as RowsQueryInput;
    const limit = input.limit ?? 100;
    const back = input.from === 'end';
    const skip = input.cursor ? Number(input.cursor.slice(1)) : (input.at ?? 0);
    const start = back ? skip : skip + ordinalMin(input.filter);
    const end = Math.min(total, start + limit);
    const rows: RowRecord[] = [];
    for (let p = start; p < end; p++) rows.push(rowAt(back ? total - 1 - p : p));
    return {
      ok: true as const,
      value: {
        dataset: input.dataset,
        rows,
        total,
        totalExact: true,
        cursor: end < total ? `${back ? 'e' : 'p'}${end}` : null,
        ...(input.at !== undefined ? { position: { at: input.at, exact: true } } : {}),
        description: 'all records',
        searchMode: 'none',
        notes: [],
      },
    };
  };
}

export function recordsApi(rows: number, extra: Record<string, unknown> = {}): FakeApi {
  return fakeApi({
    answers: {
      'case.info': SAMPLE_INFO,
      'datasets.list': { datasets: [dataset('people', rows), dataset('kairos', 50)] },
      'policy.list': {
        policies: [
          {
            name: 'share-with-authority',
            builtIn: true,
            description: 'masks direct identifiers',
            output: 'records',
            updatedAt: null,
          },
        ],
      },
      'rows.query': pagedRows(rows),
      ...extra,
    },
  });
}

/** Mounts the Records view afresh (the current view another test published is forgotten). */
export function mountRecords(api: FakeApi) {
  clearCurrentView();
  return render(
    <ApiProvider api={api}>
      <WorkspaceProvider caseInfo={SAMPLE_INFO} view="records" onView={() => {}}>
        <RecordsView />
      </WorkspaceProvider>
    </ApiProvider>,
  );
}

export const queries = (api: FakeApi) =>
  api.calls.filter((c) => c.method === 'rows.query').map((c) => c.input as RowsQueryInput);
