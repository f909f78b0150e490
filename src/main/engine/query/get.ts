/**
 * `rows.get`: one record with its provenance — the source file it was read from (name, path,
 * archive member, SHA-256, size, format, encoding, import time) and where in it (ordinal, line,
 * byte offset): what the record detail pane shows and what an investigator cites.
 * A primary-key lookup: cheap enough for the calling thread.
 */
import type { RowProvenance, RowRecord } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { loadDataset } from './dataset';
import { toRecord } from './page';

export function getRow(
  db: ReadableDB,
  input: { dataset: string; id: number },
): { row: RowRecord; provenance: RowProvenance } {
  const ds = loadDataset(db, input.dataset);
  const colsSql = ds.columns.map((c) => `${c.sql} AS ${sqlId(`c_${c.idx}`)}`);
  const selectSql = [
    't.id AS id',
    't.ordinal AS ordinal',
    't.line AS line',
    't.offset AS offset',
    ...colsSql,
  ].join(', ');
  const raw = db
    .prepare(`SELECT ${selectSql} FROM ${sqlId(ds.physical)} t WHERE t.id = ?`)
    .get(input.id) as Parameters<typeof toRecord>[1] | undefined;
  if (!raw) {
    throw new LeakscopeError(
      'E_NOT_FOUND',
      `dataset ${JSON.stringify(ds.name)} has no record ${input.id}`,
    );
  }
  const src = db
    .prepare(
      `SELECT s.file_name, s.file_path, d.source_member, s.sha256, s.bytes, s.format, s.encoding, d.created_at
       FROM datasets d JOIN sources s ON s.id = d.source_id WHERE d.id = ?`,
    )
    .get(ds.id) as {
    file_name: string;
    file_path: string;
    source_member: string | null;
    sha256: string | null;
    bytes: number;
    format: string;
    encoding: string | null;
    created_at: string;
  };
  const row = toRecord(ds, raw);
  return {
    row,
    provenance: {
      dataset: ds.name,
      datasetId: ds.id,
      file: src.file_name,
      path: src.file_path,
      member: src.source_member,
      sha256: src.sha256,
      bytes: src.bytes,
      format: src.format,
      encoding: src.encoding,
      importedAt: src.created_at,
      ordinal: row.ordinal,
      line: row.line,
      offset: row.offset,
    },
  };
}
