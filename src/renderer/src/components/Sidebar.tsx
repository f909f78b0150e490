/**
 * The navigation rail: one entry per capability. Only the views that exist are enabled; the
 * others are listed so the layout is final, and switch on as their view lands.
 */
export type ViewId = 'case' | 'import' | 'profile' | 'records' | 'overlaps' | 'export' | 'sessions';

export interface ViewEntry {
  id: ViewId;
  label: string;
  available: boolean;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'case', label: 'Case', available: true },
  { id: 'import', label: 'Import', available: false },
  { id: 'profile', label: 'Profile', available: false },
  { id: 'records', label: 'Records', available: false },
  { id: 'overlaps', label: 'Overlaps', available: false },
  { id: 'export', label: 'Export', available: false },
  { id: 'sessions', label: 'Sessions', available: false },
];

export function Sidebar({ current, onSelect }: { current: ViewId; onSelect(id: ViewId): void }) {
  return (
    <nav className="sidebar" aria-label="Views">
      <ul>
        {VIEWS.map((v) => (
          <li key={v.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={v.id === current ? 'page' : undefined}
              disabled={!v.available}
              title={v.available ? undefined : `${v.label}: not available yet`}
              onClick={() => onSelect(v.id)}
            >
              <span>{v.label}</span>
              {v.available ? null : <span className="soon">soon</span>}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
