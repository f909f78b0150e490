/**
 * Filter chips: one removable chip per top-level member of a filter, in plain language (the
 * descriptions of src/shared/filter.ts, the same text the audit log and export manifests show).
 * Generic: the records grid uses it, and any view that shows or edits a FilterNode can.
 */
import { filterChips, type FilterNode } from '../../../shared/filter';

export interface FilterChipsProps {
  filter: FilterNode | undefined;
  columns?: readonly { name: string; path: string }[];
  /** Removes top-level member `i`; omit for read-only chips. */
  onRemove?(i: number): void;
  /** Optional second action per chip (e.g. "or…" to widen it). */
  action?: { label: string; title: (text: string) => string; run(i: number): void };
  /** Shown when there is no filter. */
  emptyText?: string;
  label?: string;
}

export function FilterChips({
  filter,
  columns,
  onRemove,
  action,
  emptyText = 'All records',
  label = 'Filters',
}: FilterChipsProps) {
  const chips = filterChips(filter, columns);
  if (chips.length === 0) {
    return (
      <p className="chips-empty muted" data-testid="filter-chips">
        {emptyText}
      </p>
    );
  }
  return (
    <ul className="chips" aria-label={label} data-testid="filter-chips">
      {chips.map((text, i) => (
        <li key={`${i}:${text}`} className="chip">
          {i > 0 ? (
            <span className="chip-join" aria-hidden="true">
              and
            </span>
          ) : null}
          <span className="chip-text">{text}</span>
          {action ? (
            <button
              type="button"
              className="chip-btn"
              title={action.title(text)}
              aria-label={action.title(text)}
              onClick={() => action.run(i)}
            >
              {action.label}
            </button>
          ) : null}
          {onRemove ? (
            <button
              type="button"
              className="chip-btn"
              aria-label={`Remove filter: ${text}`}
              title="Remove this filter"
              onClick={() => onRemove(i)}
            >
              ×
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
