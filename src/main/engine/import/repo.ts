/** Reads of datasets, their columns and rejects (DESIGN.md's dataset JSON shape). */
import type { DatasetSummary, RejectRow } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import type { ReadableDB } from '../store/types';

interface DatasetRow {
  id: number;
  name: string;
  source_table: string;
  source_member: string | null;
  physical: string;
  rows: number;
  rejected: number;
  status: DatasetSummary['status'];
  source_id: number;
  file_name: string;
  file_path: string;
  bytes: number;
  mtime: string;
  sha256: string | null;
  format: string;
  encoding: string | null;
  compression: string | null;
  details: string;
  started_at: string;
  finished_at: string | null;
  message: string | null;
  source_status: string;
}

const SELECT = `
  SELECT d.id, d.name, d.source_table, d.source_member, d.physical, d.rows, d.rejected, d.status, d.source_id,
         s.file_name, s.file_path, s.bytes, s.mtime, s.sha256, s.format, s.encoding, s.compression,
         s.details, s.started_at, s.finished_at, s.message, s.status AS source_status
  FROM datasets d JOIN sources s ON s.id = d.source_id`;

function toSummary(db: ReadableDB, r: DatasetRow): DatasetSummary {
  const columns = db
    .prepare('SELECT name, path FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
    .all(r.id) as { name: string; path: string }[];
  const details = JSON.parse(r.details) as Record<string, unknown>;
  return {
    id: r.id,
    name: r.name,
    table: r.source_table === '' ? null : r.source_table,
    format: r.format,
    encoding: r.encoding,
    sha256: r.sha256,
    bytes: r.bytes,
    rows: r.rows,
    rejected: r.rejected,
    complete: r.status === 'ready' && r.source_status === 'complete',
    status: r.status,
    source: {
      id: r.source_id,
      fileName: r.file_name,
      path: r.file_path,
      member: r.source_member,
      compression: r.compression,
      mtime: r.mtime,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      details,
      message: r.message,
    },
    columns,
  };
}

export function listDatasets(db: ReadableDB): DatasetSummary[] {
  const rows = db.prepare(`${SELECT} ORDER BY d.id`).all() as DatasetRow[];
  return rows.map((r) => toSummary(db, r));
}

/** Finds a dataset by exact name, or by numeric id. */
export function findDataset(db: ReadableDB, ref: string): DatasetSummary & { physical: string } {
  let row = db.prepare(`${SELECT} WHERE d.name = ?`).get(ref) as DatasetRow | undefined;
  if (!row && /^\d+$/.test(ref))
    row = db.prepare(`${SELECT} WHERE d.id = ?`).get(Number(ref)) as DatasetRow | undefined;
  if (!row)
    throw new LeakscopeError('E_NOT_FOUND', `no dataset named ${JSON.stringify(ref)} in this case`);
  return { ...toSummary(db, row), physical: row.physical };
}

export function listRejects(
  db: ReadableDB,
  datasetId: number,
  afterId: number,
  limit: number,
): { rejects: RejectRow[]; total: number } {
  const name = (
    db.prepare('SELECT name FROM datasets WHERE id = ?').get(datasetId) as { name: string }
  ).name;
  const rows = db
    .prepare(
      'SELECT id, ordinal, line, offset, reason, raw FROM rejects WHERE dataset_id = ? AND id > ? ORDER BY id LIMIT ?',
    )
    .all(datasetId, afterId, limit) as Omit<RejectRow, 'dataset'>[];
  const total = (
    db.prepare('SELECT count(*) AS n FROM rejects WHERE dataset_id = ?').get(datasetId) as {
      n: number;
    }
  ).n;
  return { rejects: rows.map((r) => ({ ...r, dataset: name })), total };
}
