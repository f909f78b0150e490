/**
 * The columns panel: show/hide, pin to the left, and move each column, with buttons (keyboard
 * users get every layout change the mouse has; resizing is also a drag on the header edge).
 */
import type { DatasetColumn } from '../../../../shared/api';
import { moveColumn, togglePin, type ColumnLayout } from './grid-features';

export interface ColumnsMenuProps {
  columns: readonly DatasetColumn[];
  layout: ColumnLayout;
  onLayout(update: (l: ColumnLayout) => ColumnLayout): void;
  onReset(): void;
}

export function ColumnsMenu({ columns, layout, onLayout, onReset }: ColumnsMenuProps) {
  const order = layout.order.length ? layout.order : columns.map((c) => c.name);
  const hidden = Object.values(layout.visibility).filter((v) => v === false).length;
  return (
    <details className="cm">
      <summary>
        Columns{hidden ? ` (${hidden} hidden)` : ''}
        {layout.pinning.start.length ? ` · ${layout.pinning.start.length} pinned` : ''}
      </summary>
      <div className="cm-panel">
        <ul aria-label="Columns">
          {order.map((name, i) => {
            const visible = layout.visibility[name] !== false;
            const pinned = layout.pinning.start.includes(name);
            return (
              <li key={name}>
                <label className="cm-check">
                  <input
                    type="checkbox"
                    checked={visible}
                    onChange={() =>
                      onLayout((l) => ({ ...l, visibility: { ...l.visibility, [name]: !visible } }))
                    }
                  />
                  {name}
                </label>
                <button
                  type="button"
                  className="secondary mini"
                  aria-pressed={pinned}
                  aria-label={`${pinned ? 'Unpin' : 'Pin'} ${name}`}
                  title={pinned ? 'Unpin' : 'Pin to the left'}
                  onClick={() => onLayout((l) => ({ ...l, pinning: togglePin(l.pinning, name) }))}
                >
                  {pinned ? 'Unpin' : 'Pin'}
                </button>
                <button
                  type="button"
                  className="secondary mini"
                  aria-label={`Move ${name} left`}
                  disabled={i === 0}
                  onClick={() => onLayout((l) => ({ ...l, order: moveColumn(order, name, -1) }))}
                >
                  ←
                </button>
                <button
                  type="button"
                  className="secondary mini"
                  aria-label={`Move ${name} right`}
                  disabled={i === order.length - 1}
                  onClick={() => onLayout((l) => ({ ...l, order: moveColumn(order, name, 1) }))}
                >
                  →
                </button>
              </li>
            );
          })}
        </ul>
        <button type="button" className="secondary" onClick={onReset}>
          Reset columns
        </button>
      </div>
    </details>
  );
}
