/** The records grid over a 1,000,000-row fake dataset: virtual rows, paging, keyboard, sort. */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RowSource, ordinalAt } from '../../src/renderer/src/features/records/row-source';
import { mountRecords, pagedRows, queries, recordsApi } from './records-fixtures';

afterEach(cleanup);

const bodyRows = () =>
  [...screen.getByTestId('records-rows').querySelectorAll('[role="row"]')] as HTMLElement[];

describe('records grid', () => {
  it('renders only the visible rows of a 1,000,000-row dataset, paged by cursor', async () => {
    const api = recordsApi(1_000_000);
    mountRecords(api);
    await screen.findByText('NOM0');
    const grid = screen.getByRole('grid', { name: 'Records of people' });
    expect(grid.getAttribute('aria-rowcount')).toBe('1000001');
    const rows = bodyRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.textContent).toContain('user0@example.fr');
    // Unfiltered view: the total is the dataset's, the first page needs no count.
    const q = queries(api);
    expect(q[0]).toMatchObject({ dataset: 'people', limit: 200, countMode: 'none', sort: [] });
    expect(q[0]!.cursor).toBeUndefined();
    // Fetch-ahead continues from the previous page's cursor (keyset, never an offset).
    await waitFor(() => expect(queries(api).some((x) => x.cursor === 'p200')).toBe(true));
    expect(screen.getByTestId('records-status').textContent).toContain('1,000,000 records');
  });

  it('jumps to the last records (Ctrl+End) and shows them', async () => {
    const api = recordsApi(1_000_000);
    mountRecords(api);
    await screen.findByText('NOM0');
    const grid = screen.getByRole('grid');
    grid.focus();
    fireEvent.keyDown(grid, { key: 'End', ctrlKey: true });
    expect(await screen.findByText('NOM999999')).toBeTruthy();
    // Reached through the ordinal position, not by walking 5,000 pages.
    expect(queries(api).length).toBeLessThan(10);
    expect(bodyRows().length).toBeLessThan(40);
    const activeId = grid.getAttribute('aria-activedescendant')!;
    expect(document.getElementById(activeId)!.textContent).toBe('NOM999999');
  });

  it('moves the active cell with the keyboard and opens the record with Enter', async () => {
    const api = recordsApi(1000, {
      'rows.get': {
        row: {
          id: 3,
          ordinal: 2,
          line: 4,
          offset: 200,
          values: { nom: 'NOM2', prenom: 'P', email: 'e', ville: null },
        },
        provenance: {
          dataset: 'people',
          datasetId: 1,
          file: 'people.csv',
          path: '/evidence/people.csv',
          member: null,
          sha256: 'ab'.repeat(32),
          bytes: 1000,
          format: 'csv',
          encoding: 'utf-8',
          importedAt: '2026-01-01T00:00:00.000Z',
          ordinal: 2,
          line: 4,
          offset: 200,
        },
      },
      'linkage.recordMatches': {
        record: { dataset: 'people', ordinal: 2, line: 4, rowId: 3 },
        keys: [],
        matches: [],
        cluster: null,
      },
      'flags.list': { dataset: 'people', records: [], tags: [], notes: 0, cursor: null },
    });
    mountRecords(api);
    await screen.findByText('NOM0');
    const grid = screen.getByRole('grid');
    grid.focus();
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    const cell = document.getElementById(grid.getAttribute('aria-activedescendant')!)!;
    expect(cell.textContent).toBe('Prenom2');
    expect(cell.className).toContain('active-cell');
    fireEvent.keyDown(grid, { key: 'Enter' });
    const detail = await screen.findByTestId('record-detail');
    expect(detail.textContent).toContain('Record #2');
    fireEvent.keyDown(detail, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('record-detail')).toBeNull());
  });

  it('offers to index a column before sorting a big dataset, then sorts', async () => {
    const api = recordsApi(1_000_000, {
      'jobs.start': { jobId: 'j1' },
      'jobs.status': {
        jobId: 'j1',
        method: 'rows.index',
        state: 'done',
        progress: null,
        result: { dataset: 'people', column: 'email', index: 'ix', created: true, seconds: 1 },
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:01.000Z',
      },
    });
    mountRecords(api);
    await screen.findByText('NOM0');
    fireEvent.click(screen.getByTitle(/^Sort by email/));
    expect(await screen.findByText(/needs an index of that column/)).toBeTruthy();
    expect(queries(api).every((q) => (q.sort ?? []).length === 0)).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Index this column and sort' }));
    await waitFor(() =>
      expect(queries(api).some((q) => q.sort?.[0]?.column === 'email')).toBe(true),
    );
    const start = api.calls.find((c) => c.method === 'jobs.start')!.input;
    expect(start).toEqual({ method: 'rows.index', input: { dataset: 'people', column: 'email' } });
    expect(screen.getByRole('columnheader', { name: /email/ }).getAttribute('aria-sort')).toBe(
      'ascending',
    );
  });

  it('hides, pins and moves columns from the columns panel', async () => {
    mountRecords(recordsApi(1000));
    await screen.findByText('NOM0');
    const names = () => screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(names()).toEqual(['nom', 'prenom', 'email', 'ville']);
    fireEvent.click(screen.getByLabelText('ville', { selector: 'input' }));
    expect(names()).toEqual(['nom', 'prenom', 'email']);
    fireEvent.click(screen.getByRole('button', { name: 'Pin email' }));
    expect(names()).toEqual(['email', 'nom', 'prenom']);
    fireEvent.click(screen.getByRole('button', { name: 'Move prenom left' }));
    expect(names()).toEqual(['email', 'prenom', 'nom']);
    expect(screen.getAllByRole('columnheader')[0]!.className).toContain('pinned');
  });
});

describe('RowSource', () => {
  it('maps positions to ordinals past rejected records', () => {
    expect(ordinalAt(0, [])).toBe(0);
    expect(ordinalAt(5, [2, 3, 10])).toBe(7);
    expect(ordinalAt(1, [2])).toBe(1);
    expect(ordinalAt(2, [2])).toBe(3);
  });

  it('reads the last rows of a sorted view through the reversed sort', async () => {
    const calls: { cursor?: string; sort: unknown }[] = [];
    const inner = pagedRows(50_000);
    const src = new RowSource({
      query: { dataset: 'people', sort: [{ column: 'nom', desc: false }] },
      knownTotal: 50_000,
      fetchPage: async (input) => {
        calls.push({ ...(input.cursor ? { cursor: input.cursor } : {}), sort: input.sort });
        return inner(input).value as never;
      },
    });
    await act(async () => {
      src.ensure(49_990, 49_999);
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(calls[0]).toEqual({ sort: [{ column: 'nom', desc: true }] });
    // The reversed page's first row is the last position.
    expect(src.get(49_999)?.ordinal).toBe(0);
    src.dispose();
  });
});
