/**
 * Datasets of a session, recorded and found again.
 *
 * A session names each dataset by its source identity: the source file's SHA-256, the archive
 * member it came from and the table inside the source. The same file imported into any case
 * yields the same triple, so a colleague's case holding a copy of the evidence resolves it;
 * dataset names and ids are local (a name is whatever the importer chose, an id a rowid) and
 * serve only as hints: the id to stay on the very dataset in the case that saved the session, the
 * name to choose between several imports of one file and, for v1 sessions, which recorded no
 * hash, as the match of last resort (said in a warning).
 */
import type { DatasetSummary } from '../../../shared/api';
import type { DatasetMatch } from '../../../shared/contract/session';
import type { SessionDataset, SessionDocument } from '../../../shared/session';
import { listDatasets } from '../import/repo';
import { LeakscopeError } from '../../../shared/errors';
import { getMeta } from '../store/meta';
import type { ReadableDB } from '../store/types';

/**
 * A matched dataset's table, by id. (findDataset resolves a reference by name first, so a
 * dataset named "3" would shadow the dataset with id 3: matches carry ids, looked up as ids.)
 */
export function datasetTable(
  db: ReadableDB,
  id: number,
): { id: number; name: string; physical: string; rows: number } {
  const row = db.prepare('SELECT id, name, physical, rows FROM datasets WHERE id = ?').get(id) as
    { id: number; name: string; physical: string; rows: number } | undefined;
  if (!row) throw new LeakscopeError('E_NOT_FOUND', `no dataset with id ${id} in this case`);
  return row;
}

export function snapshotDataset(d: DatasetSummary, key: string): SessionDataset {
  return {
    key,
    id: d.id,
    name: d.name,
    sha256: d.sha256,
    member: d.source.member,
    table: d.table,
    fileName: d.source.fileName,
    rows: d.rows,
  };
}

function shortHash(h: string): string {
  return `${h.slice(0, 8)}…${h.slice(-4)}`;
}

/** "clients.csv (SHA-256 3f2a91c0…9c1e, table "users", 3000 rows when saved)" */
export function describeSource(d: SessionDataset): string {
  const facts = [
    d.sha256 ? `SHA-256 ${shortHash(d.sha256)}` : 'no source hash recorded',
    ...(d.member ? [`member ${JSON.stringify(d.member)}`] : []),
    ...(d.table ? [`table ${JSON.stringify(d.table)}`] : []),
    ...(d.rows !== null ? [`${d.rows} rows when saved`] : []),
  ];
  return `${d.fileName ?? JSON.stringify(d.name)} (${facts.join(', ')})`;
}

function local(d: DatasetSummary): NonNullable<DatasetMatch['local']> {
  return { id: d.id, name: d.name, rows: d.rows, complete: d.complete };
}

/** Same source file, same archive member, same table. */
function sameSource(s: SessionDataset, d: DatasetSummary): boolean {
  return s.sha256 === d.sha256 && s.member === d.source.member && s.table === d.table;
}

function incompleteNote(d: DatasetSummary): string | null {
  return d.complete
    ? null
    : `dataset ${JSON.stringify(d.name)} is not complete (status ${d.status}): results may differ`;
}

/** Finds one session dataset among the case's datasets (see the module comment). */
export function matchDataset(
  s: SessionDataset,
  all: readonly DatasetSummary[],
  /** Whether the session was saved in this very case (its dataset ids are valid here). */
  sameCase: boolean,
): DatasetMatch {
  if (s.sha256 === null) {
    const byName = all.find((d) => d.name === s.name);
    if (!byName) {
      return {
        key: s.key,
        saved: s,
        local: null,
        by: null,
        warning: `dataset ${JSON.stringify(s.name)} is missing from this case, and the session recorded no source hash to find it by (saved by an older Leakscope)`,
      };
    }
    return {
      key: s.key,
      saved: s,
      local: local(byName),
      by: 'name',
      warning: [
        `dataset ${JSON.stringify(s.name)} matched by name only: the session predates source hashes`,
        incompleteNote(byName),
      ]
        .filter(Boolean)
        .join('; '),
    };
  }
  const candidates = all.filter((d) => sameSource(s, d));
  if (candidates.length === 0) {
    return {
      key: s.key,
      saved: s,
      local: null,
      by: null,
      warning: `dataset ${JSON.stringify(s.name)} is missing from this case: import ${describeSource(s)}`,
    };
  }
  const sameId = sameCase ? candidates.find((d) => d.id === s.id) : undefined;
  if (sameId) {
    // Stay on the very dataset (reproducibility), but point at a complete re-import if any.
    const better = sameId.complete ? undefined : candidates.find((d) => d.complete);
    const notes = [
      incompleteNote(sameId),
      better ? `a complete import of the same source exists: ${JSON.stringify(better.name)}` : null,
    ].filter((n): n is string => n !== null);
    return {
      key: s.key,
      saved: s,
      local: local(sameId),
      by: 'id',
      warning: notes.length ? notes.join('; ') : null,
    };
  }
  // Several imports of one file: the one with the saved name, else the newest complete one.
  const chosen =
    candidates.find((d) => d.name === s.name) ??
    [...candidates].sort((a, b) => Number(b.complete) - Number(a.complete) || b.id - a.id)[0]!;
  const notes = [
    candidates.length > 1
      ? `${candidates.length} datasets of this case hold the source of ${JSON.stringify(s.name)}; using ${JSON.stringify(chosen.name)}`
      : null,
    incompleteNote(chosen),
  ].filter((n): n is string => n !== null);
  return {
    key: s.key,
    saved: s,
    local: local(chosen),
    by: 'sha256',
    warning: notes.length ? notes.join('; ') : null,
  };
}

export function matchDatasets(
  db: ReadableDB,
  doc: Pick<SessionDocument, 'datasets' | 'caseId'>,
  all: readonly DatasetSummary[] = listDatasets(db),
): DatasetMatch[] {
  const sameCase = doc.caseId !== null && doc.caseId === getMeta(db, 'case_id');
  return doc.datasets.map((s) => matchDataset(s, all, sameCase));
}

/** One message listing every missing dataset, or null when all were found. */
export function missingMessage(matches: readonly DatasetMatch[]): string | null {
  const missing = matches.filter((m) => m.local === null);
  if (missing.length === 0) return null;
  const head =
    missing.length === matches.length
      ? `none of the ${matches.length} dataset${matches.length === 1 ? '' : 's'} of this session is in this case`
      : `${missing.length} of the ${matches.length} datasets of this session are missing from this case`;
  return `${head}: ${missing.map((m) => `import ${describeSource(m.saved)}`).join('; ')}`;
}
