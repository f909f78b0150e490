/** The grid's column layout to and from a session's column list (records/view-columns.ts). */
import { describe, expect, it } from 'vitest';
import { defaultLayout } from '../../src/renderer/src/features/records/grid-features';
import {
  fromViewColumns,
  toViewColumns,
} from '../../src/renderer/src/features/records/view-columns';

const COLUMNS = ['nom', 'prenom', 'email', 'ville'].map((name) => ({ name, path: name }));

describe('session column lists', () => {
  it('says null for the default layout (all columns, own order, default widths)', () => {
    expect(toViewColumns(defaultLayout(COLUMNS), COLUMNS)).toBeNull();
    expect(fromViewColumns(null, COLUMNS)).toEqual(defaultLayout(COLUMNS));
  });

  it('lists the visible columns in display order, pinned first, with widths', () => {
    const layout = {
      visibility: { ville: false },
      order: ['prenom', 'nom', 'email', 'ville'],
      pinning: { start: ['email'], end: [] },
      sizing: { nom: 231.6, email: 9000 },
    };
    const list = toViewColumns(layout, COLUMNS);
    expect(list).toEqual([
      { column: 'email', width: 4000, pinned: 'left' },
      { column: 'prenom', width: null, pinned: null },
      { column: 'nom', width: 232, pinned: null },
    ]);
    // Back to a layout that shows the same: unlisted columns hidden, at the end of the order.
    const back = fromViewColumns(list, COLUMNS);
    expect(back.visibility).toEqual({ ville: false });
    expect(back.pinning).toEqual({ start: ['email'], end: [] });
    expect(back.sizing).toEqual({ email: 4000, nom: 232 });
    expect(toViewColumns(back, COLUMNS)).toEqual(list);
  });

  it('notices a reorder alone, drops columns the dataset no longer has', () => {
    const moved = { ...defaultLayout(COLUMNS), order: ['prenom', 'nom', 'email', 'ville', 'old'] };
    expect(toViewColumns(moved, COLUMNS)?.map((c) => c.column)).toEqual([
      'prenom',
      'nom',
      'email',
      'ville',
    ]);
  });

  it('pins on the left a column a session pinned on the right (the grid pins left only)', () => {
    const layout = fromViewColumns([{ column: 'ville', width: null, pinned: 'right' }], COLUMNS);
    expect(layout.pinning.start).toEqual(['ville']);
    expect(layout.order[0]).toBe('ville');
  });
});
