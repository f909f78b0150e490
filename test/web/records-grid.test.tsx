/** The records grid over a 1,000,000-row fake dataset: virtual rows, paging, keyboard, sort. */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RowsQueryInput, RowsQueryResult } from '../../src/shared/api';
import { RowSource } from '../../src/renderer/src/features/records/row-source';
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
    // One page read from the end, not a walk of 5,000 pages.
    const q = queries(api);
    expect(q.length).toBeLessThan(10);
    expect(q.some((x) => x.from === 'end' && !x.cursor && x.at === undefined)).toBe(true);
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
    // The pane opens at once and fills its title from rows.get: wait for it (slow on a busy box).
    await waitFor(() => expect(detail.textContent).toContain('Record #2'));
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

/** A fake engine page function over `total` rows, recording its inputs. */
function engine(total: number, opts: { approximate?: boolean; estimate?: number } = {}) {
  const calls: RowsQueryInput[] = [];
  const inner = pagedRows(total);
  const fetchPage = async (input: RowsQueryInput): Promise<RowsQueryResult> => {
    calls.push(input);
    const r = inner(input).value as RowsQueryResult;
    return {
      ...r,
      ...(opts.estimate !== undefined ? { total: opts.estimate, totalExact: false } : {}),
      ...(r.position && opts.approximate ? { position: { ...r.position, exact: false } } : {}),
    };
  };
  return { calls, fetchPage };
}

const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 20))));

describe('RowSource', () => {
  it('reads the last rows of any view from the end, in one page', async () => {
    for (const query of [
      { dataset: 'people', sort: [{ column: 'nom', desc: false }] },
      { dataset: 'people', sort: [], filter: { column: 'nom', op: 'notEmpty' } as const },
    ]) {
      const e = engine(50_000);
      const src = new RowSource({ query, knownTotal: 50_000, fetchPage: e.fetchPage });
      src.ensure(49_990, 49_999);
      await settle();
      expect(e.calls[0]).toMatchObject({ from: 'end', sort: query.sort });
      expect(e.calls[0]!.cursor).toBeUndefined();
      // Then only the window before the view, from the first page's cursor (no walk).
      expect(e.calls.slice(1).map((c) => c.cursor)).toEqual(['e200']);
      // The first row read backwards is the last position.
      expect(src.get(49_999)?.ordinal).toBe(49_999);
      expect(src.get(49_990)?.ordinal).toBe(49_990);
      src.dispose();
    }
  });

  it('keeps rows read from the end at their place when the estimated total is refined', async () => {
    const e = engine(1000, { estimate: 1200 });
    let resolveCount: (n: { total: number }) => void = () => {};
    const counted: unknown[] = [];
    const src = new RowSource({
      query: { dataset: 'people', sort: [], search: 'x' },
      fetchPage: e.fetchPage,
      countDelayMs: 0,
      count: (input) => {
        counted.push(input);
        return new Promise((r) => (resolveCount = r));
      },
    });
    src.ensure(0, 20);
    await settle();
    expect(src.status).toMatchObject({ total: 1200, totalExact: false });
    // The exact count runs aside, superseded with the pages when the query changes.
    expect(counted).toEqual([{ dataset: 'people', search: 'x', supersede: e.calls[0]!.supersede }]);
    src.ensure(1180, 1199);
    await settle();
    expect(src.get(1199)?.ordinal).toBe(999);
    resolveCount({ total: 1000 });
    await settle();
    expect(src.status).toMatchObject({ total: 1000, totalExact: true });
    expect(src.get(999)?.ordinal).toBe(999);
    expect(src.get(1199)).toBeUndefined();
    src.dispose();
  });

  it('jumps into the middle with one positional request, then pages by cursor', async () => {
    const e = engine(10_000_000);
    const src = new RowSource({
      query: { dataset: 'people', sort: [] },
      knownTotal: 10_000_000,
      fetchPage: e.fetchPage,
    });
    src.ensure(5_000_000, 5_000_027);
    await settle();
    // The window on screen and the one before it: one positional request each, no walk.
    expect(e.calls.filter((c) => c.at !== undefined).map((c) => c.at)).toEqual(
      expect.arrayContaining([5_000_000, 4_999_800]),
    );
    expect(e.calls.length).toBeLessThan(8);
    expect(src.get(5_000_010)?.ordinal).toBe(5_000_010);
    // The windows after it chain from the jump's cursor.
    expect(e.calls.some((c) => c.cursor === 'p5000200')).toBe(true);
    expect(src.status.approximate).toBe(false);
    src.dispose();
  });

  it('says when the rows on screen come from an estimated position', async () => {
    const e = engine(1_000_000, { approximate: true });
    const src = new RowSource({
      query: { dataset: 'people', sort: [], filter: { column: 'nom', op: 'notEmpty' } },
      knownTotal: 1_000_000,
      fetchPage: e.fetchPage,
    });
    src.ensure(0, 20);
    await settle();
    expect(src.status.approximate).toBe(false);
    src.ensure(400_000, 400_020);
    await settle();
    expect(src.status.approximate).toBe(true);
    src.ensure(0, 20);
    expect(src.status.approximate).toBe(false);
    src.dispose();
  });

  it('tags requests so that a newer query supersedes the older ones', async () => {
    const a = engine(1000);
    const b = engine(1000);
    const first = new RowSource({ query: { dataset: 'people', sort: [] }, fetchPage: a.fetchPage });
    const second = new RowSource({
      query: { dataset: 'people', sort: [], search: 'marie' },
      fetchPage: b.fetchPage,
    });
    first.ensure(0, 10);
    second.ensure(0, 10);
    await settle();
    const ta = a.calls[0]!.supersede!;
    const tb = b.calls[0]!.supersede!;
    expect(ta.channel).toBe(tb.channel);
    expect(tb.generation).toBeGreaterThan(ta.generation);
    first.dispose();
    second.dispose();
  });
});
