/**
 * The navigation rail: one entry per capability. Views other than Case need an open case and are
 * disabled until one is open.
 */
export type ViewId = 'case' | 'import' | 'profile' | 'records' | 'overlaps' | 'export' | 'sessions';

export interface ViewEntry {
  id: ViewId;
  label: string;
  /** Needs an open case. */
  needsCase: boolean;
  /** Keyboard shortcut shown in the rail (Alt+digit). */
  key: string;
}

export const VIEWS: readonly ViewEntry[] = [
  { id: 'case', label: 'Case', needsCase: false, key: '1' },
  { id: 'import', label: 'Import', needsCase: true, key: '2' },
  { id: 'profile', label: 'Profile', needsCase: true, key: '3' },
  { id: 'records', label: 'Records', needsCase: true, key: '4' },
  { id: 'overlaps', label: 'Overlaps', needsCase: true, key: '5' },
  { id: 'export', label: 'Export', needsCase: true, key: '6' },
  { id: 'sessions', label: 'Sessions', needsCase: true, key: '7' },
];

export function Sidebar({
  current,
  onSelect,
  caseOpen,
}: {
  current: ViewId;
  onSelect(id: ViewId): void;
  caseOpen: boolean;
}) {
  return (
    <nav className="sidebar" aria-label="Views">
      <ul>
        {VIEWS.map((v) => {
          const available = caseOpen || !v.needsCase;
          return (
            <li key={v.id}>
              <button
                type="button"
                className="nav-item"
                aria-current={v.id === current ? 'page' : undefined}
                aria-keyshortcuts={`Alt+${v.key}`}
                disabled={!available}
                title={available ? `${v.label} (Alt+${v.key})` : `${v.label}: open a case first`}
                onClick={() => onSelect(v.id)}
              >
                <span>{v.label}</span>
                <kbd className="nav-key" aria-hidden="true">
                  {v.key}
                </kbd>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
