/** Records view: filter chips and the AST sent, search debounce and stale answers, detail pane. */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RowsQueryInput } from '../../src/shared/api';
import { mountRecords, pagedRows, queries, recordsApi, rowAt } from './records-fixtures';

afterEach(cleanup);

const PROVENANCE = {
  dataset: 'people',
  datasetId: 1,
  file: 'people.csv',
  path: '/evidence/people.csv',
  member: null,
  sha256: 'c0ffee'.padEnd(64, '0'),
  bytes: 100_000,
  format: 'csv',
  encoding: 'utf-8',
  importedAt: '2026-01-01T00:00:00.000Z',
  ordinal: 0,
  line: 2,
  offset: 0,
};

describe('filter builder and chips', () => {
  it('adds conditions as plain-language chips and sends the AST to rows.query', async () => {
    const api = recordsApi(1000);
    mountRecords(api);
    await screen.findByText('NOM0');
    fireEvent.click(screen.getByRole('button', { name: 'Filter…' }));
    const form = screen.getByRole('form', { name: 'Add a filter condition' });
    fireEvent.change(within(form).getByLabelText('Field'), { target: { value: 'col:email' } });
    fireEvent.change(within(form).getByLabelText('Condition'), { target: { value: 'endsWith' } });
    fireEvent.change(within(form).getByLabelText('Value'), {
      target: { value: '@francetravail.fr' },
    });
    expect(form.textContent).toContain('Will add: email ends with "@francetravail.fr"');
    fireEvent.click(within(form).getByRole('button', { name: 'Add filter' }));
    // Second condition: a tag, excluded.
    fireEvent.change(within(form).getByLabelText('Field'), { target: { value: 'tag' } });
    fireEvent.change(within(form).getByLabelText('Tag'), { target: { value: 'fake' } });
    fireEvent.click(within(form).getByLabelText('exclude these (NOT)'));
    fireEvent.click(within(form).getByRole('button', { name: 'Add filter' }));

    const chips = screen.getByRole('list', { name: 'Filters' });
    expect([...chips.querySelectorAll('.chip-text')].map((c) => c.textContent)).toEqual([
      'email ends with "@francetravail.fr"',
      'NOT (tagged "fake")',
    ]);
    const expected = {
      and: [
        { column: 'email', op: 'endsWith', value: '@francetravail.fr' },
        { not: { tag: 'fake' } },
      ],
    };
    await waitFor(() => expect(queries(api).at(-1)?.filter).toEqual(expected));
    // A filtered view asks for its count with the first page.
    const first = queries(api).find((q) => JSON.stringify(q.filter) === JSON.stringify(expected));
    expect(first).toMatchObject({ countMode: 'auto' });
    expect(first?.cursor).toBeUndefined();

    // OR with the first chip, then remove the second.
    fireEvent.click(screen.getByRole('button', { name: /Widen “email ends with/ }));
    const form2 = screen.getByRole('form', { name: 'Add a filter condition' });
    fireEvent.change(within(form2).getByLabelText('Field'), { target: { value: 'col:ville' } });
    fireEvent.change(within(form2).getByLabelText('Condition'), { target: { value: 'equals' } });
    fireEvent.change(within(form2).getByLabelText('Value'), { target: { value: 'Lyon' } });
    fireEvent.click(within(form2).getByRole('button', { name: 'Add as OR' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter: NOT (tagged "fake")' }));
    expect(screen.getByRole('list', { name: 'Filters' }).textContent).toContain(
      'email ends with "@francetravail.fr" OR ville is "Lyon"',
    );
    await waitFor(() =>
      expect(queries(api).at(-1)?.filter).toEqual({
        or: [
          { column: 'email', op: 'endsWith', value: '@francetravail.fr' },
          { column: 'ville', op: 'equals', value: 'Lyon' },
        ],
      }),
    );
  });

  it('says what is wrong instead of sending an invalid filter', async () => {
    const api = recordsApi(1000);
    mountRecords(api);
    await screen.findByText('NOM0');
    fireEvent.click(screen.getByRole('button', { name: 'Filter…' }));
    const form = screen.getByRole('form', { name: 'Add a filter condition' });
    fireEvent.click(within(form).getByRole('button', { name: 'Add filter' }));
    expect(within(form).getByRole('alert').textContent).toMatch(/must not be empty/);
    expect(screen.queryByRole('list', { name: 'Filters' })).toBeNull();
  });
});

describe('search', () => {
  it('is debounced, never blocks typing, and drops answers to an older search', async () => {
    const inner = pagedRows(1000);
    const api = recordsApi(1000, {
      'rows.query': async (raw: unknown) => {
        const input = raw as RowsQueryInput;
        const r = inner(input);
        if (input.search === 'mar') {
          // The older search answers late, after the newer one.
          await new Promise((res) => setTimeout(res, 600));
          return {
            ok: true,
            value: {
              ...r.value,
              rows: [{ ...rowAt(0), values: { ...rowAt(0).values, nom: 'STALE' } }],
              total: 1,
            },
          };
        }
        if (input.search === 'martin') {
          return {
            ok: true,
            value: {
              ...r.value,
              rows: [{ ...rowAt(7), values: { ...rowAt(7).values, nom: 'MARTIN' } }],
              total: 1,
              cursor: null,
            },
          };
        }
        return r;
      },
    });
    mountRecords(api);
    await screen.findByText('NOM0');
    const box = screen.getByRole('searchbox', { name: 'Search all columns' });
    for (const text of ['m', 'ma', 'mar']) fireEvent.change(box, { target: { value: text } });
    expect((box as HTMLInputElement).value).toBe('mar');
    await new Promise((r) => setTimeout(r, 100));
    expect(queries(api).some((q) => q.search)).toBe(false); // still waiting: debounced
    await waitFor(() => expect(queries(api).some((q) => q.search === 'mar')).toBe(true));
    // Typing on while "mar" is in flight.
    for (const text of ['mart', 'marti', 'martin'])
      fireEvent.change(box, { target: { value: text } });
    expect(await screen.findByText('MARTIN')).toBeTruthy();
    await act(() => new Promise((r) => setTimeout(r, 700)));
    expect(screen.queryByText('STALE')).toBeNull();
    expect(screen.getByText('MARTIN')).toBeTruthy();
    const searches = queries(api)
      .map((q) => q.search)
      .filter(Boolean);
    expect(searches).toEqual(['mar', 'martin']);
  });

  it('Ctrl+F focuses the search box', async () => {
    mountRecords(recordsApi(100));
    await screen.findByText('NOM0');
    fireEvent.keyDown(window, { key: 'f', ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByRole('searchbox'));
  });
});

describe('record detail', () => {
  it('shows values, provenance and matches, and sets a tag and a note', async () => {
    let tags: string[] = [];
    const api = recordsApi(1000, {
      'rows.get': { row: rowAt(0), provenance: PROVENANCE },
      'linkage.recordMatches': {
        record: { dataset: 'people', ordinal: 0, line: 2, rowId: 1 },
        keys: [{ kind: 'email', key: 'email:user0@example.fr' }],
        matches: [
          {
            dataset: 'kairos',
            ordinal: 41,
            line: 43,
            rowId: 42,
            score: 1,
            source: 'key',
            keys: ['email'],
          },
        ],
        cluster: null,
      },
      'flags.list': () => ({
        ok: true,
        value: {
          dataset: 'people',
          records: tags.length ? [{ rowId: 1, ordinal: 0, tags, note: null }] : [],
          tags: [{ tag: 'victim contacted', count: 3 }],
          notes: 0,
          cursor: null,
        },
      }),
      'flags.set': (raw: unknown) => {
        tags = [...tags, ...(raw as { tags: string[] }).tags];
        return { ok: true, value: { dataset: 'people', rows: 1, added: 1 } };
      },
      'notes.set': { dataset: 'people', rowId: 1, ordinal: 0, hasNote: true },
    });
    mountRecords(api);
    fireEvent.doubleClick(await screen.findByText('NOM0'));
    const detail = await screen.findByTestId('record-detail');
    const prov = await within(detail).findByTestId('provenance');
    expect(prov.querySelector('[data-field="file"]')!.textContent).toBe('people.csv');
    expect(prov.querySelector('[data-field="line"]')!.textContent).toBe('2');
    expect(prov.querySelector('[data-field="offset"]')!.textContent).toBe('0');
    expect(prov.querySelector('[data-field="sha256"]')!.textContent).toBe(PROVENANCE.sha256);
    expect(detail.textContent).toContain('user0@example.fr');

    const match = await within(detail).findByRole('button', { name: 'kairos #41' });

    fireEvent.change(within(detail).getByLabelText('New tag'), {
      target: { value: 'victim contacted' },
    });
    fireEvent.click(within(detail).getByRole('button', { name: 'Add tag' }));
    await within(detail).findByRole('button', { name: 'Remove tag victim contacted' });
    expect(api.calls.find((c) => c.method === 'flags.set')!.input).toEqual({
      dataset: 'people',
      rows: [1],
      tags: ['victim contacted'],
    });
    fireEvent.change(within(detail).getByLabelText('Note'), { target: { value: 'called 12/11' } });
    fireEvent.click(within(detail).getByRole('button', { name: 'Save note' }));
    await within(detail).findByText('Note saved.');
    expect(api.calls.find((c) => c.method === 'notes.set')!.input).toEqual({
      dataset: 'people',
      row: 1,
      note: 'called 12/11',
    });

    // Opening a match shows that record in its dataset, with a way back.
    fireEvent.click(match);
    await waitFor(() =>
      expect(queries(api).at(-1)).toMatchObject({
        dataset: 'kairos',
        filter: { provenance: 'ordinal', min: 41, max: 41 },
      }),
    );
    expect(screen.getByRole('button', { name: '← Back to people' })).toBeTruthy();
    await waitFor(() =>
      expect(
        api.calls.some(
          (c) => c.method === 'rows.get' && (c.input as { dataset: string }).dataset === 'kairos',
        ),
      ).toBe(true),
    );
  });

  it('reads the grid through the chosen redaction policy in the redacted view', async () => {
    const api = recordsApi(1000);
    mountRecords(api);
    await screen.findByText('NOM0');
    fireEvent.click(screen.getByLabelText('Redacted view'));
    await waitFor(() => expect(queries(api).at(-1)?.policy).toBe('share-with-authority'));
    expect(screen.getByRole('grid').className).toContain('redacted');
  });
});
