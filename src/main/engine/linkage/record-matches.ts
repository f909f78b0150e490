/**
 * One record's matches for the UI detail pane: its identity keys, the records of other datasets
 * (and of its own) that share a strong key with a compatible date of birth, the pairs accepted by
 * fuzzy runs, and its cluster. Point lookups on the primary keys of the record tables (through
 * identity_key_record_keys) and identity_keys: fast enough for the main connection.
 */
import type { RecordMatchesResult } from '../../../shared/api';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { HUB_LIMIT } from './cluster';
import { keyHash64 } from './hash';
import { linkageOptions } from './keys';
import { KEY_KIND_CODE, kindName, type KeyKind } from './kinds';
import { datesConflict } from './normalize';
import { KEY_HOLDERS_SQL, RECORD_KEYS_SQL } from './queries';
import { recordReader, STRONG_KINDS } from './records';

interface RecordKey {
  kind: KeyKind;
  /** The key's text, recomputed from the record (the table holds its hash). */
  key: string;
  hash: bigint;
  dob: number | null;
}

/**
 * The stored keys of one record, with their text: the record is normalised again and each stored
 * hash is matched to the value that produced it (`#hash` when none does any more, e.g. after the
 * phone region setting changed: the stored key still links, its text is no longer derivable).
 */
function recordKeys(db: ReadableDB, datasetId: number, rowId: number): RecordKey[] {
  const stored = db.prepare(RECORD_KEYS_SQL).safeIntegers(true).all(datasetId, rowId) as {
    kind: bigint;
    key: bigint;
    dob: bigint | null;
  }[];
  if (stored.length === 0) return [];
  const rec = recordReader(db, datasetId, linkageOptions(db)).one(rowId);
  const out: RecordKey[] = [];
  for (const s of stored) {
    const kind = kindName(Number(s.kind));
    if (kind === null) continue;
    let key = `#${BigInt.asUintN(64, s.key).toString(16)}`;
    for (let i = 0; rec && i < rec.keyKinds.length; i++) {
      if (rec.keyKinds[i] === kind && keyHash64(rec.keyValues[i]) === s.key) {
        key = rec.keyValues[i];
        break;
      }
    }
    out.push({ kind, key, hash: s.key, dob: s.dob === null ? null : Number(s.dob) });
  }
  return out;
}

interface DatasetMeta {
  name: string;
  physical: string;
}

export function recordMatches(
  db: ReadableDB,
  dataset: { id: number; name: string; physical: string },
  rowId: number,
  limit: number,
): RecordMatchesResult {
  const metas = new Map<number, DatasetMeta>();
  for (const d of db.prepare('SELECT id, name, physical FROM datasets').all() as {
    id: number;
    name: string;
    physical: string;
  }[]) {
    metas.set(d.id, { name: d.name, physical: d.physical });
  }
  const provStmts = new Map<number, ReturnType<ReadableDB['prepare']>>();
  const locate = (datasetId: number, row: number) => {
    const meta = metas.get(datasetId)!;
    let stmt = provStmts.get(datasetId);
    if (!stmt) {
      stmt = db.prepare(`SELECT ordinal, line FROM ${sqlId(meta.physical)} WHERE id = ?`);
      provStmts.set(datasetId, stmt);
    }
    const r = stmt.get(row) as { ordinal: number; line: number | null } | undefined;
    return r ? { dataset: meta.name, ordinal: r.ordinal, line: r.line, rowId: row } : null;
  };
  const self = locate(dataset.id, rowId);
  if (!self) throw new Error(`record ${rowId} not found in ${dataset.name}`);

  const keys = recordKeys(db, dataset.id, rowId);
  const holders = db.prepare(KEY_HOLDERS_SQL);
  const found = new Map<string, { d: number; r: number; kinds: Set<string>; fuzzy: number }>();
  for (const k of keys) {
    if (!STRONG_KINDS.includes(k.kind)) continue;
    const rows = holders.all(KEY_KIND_CODE[k.kind], k.hash, HUB_LIMIT + 1) as {
      dataset_id: number;
      row_id: number;
      dob: number | null;
    }[];
    // A value held by too many records (a placeholder) says nothing about this person.
    if (rows.length > HUB_LIMIT) continue;
    for (const h of rows) {
      if (h.dataset_id === dataset.id && h.row_id === rowId) continue;
      if (datesConflict(k.dob, h.dob)) continue;
      const id = `${h.dataset_id}:${h.row_id}`;
      let e = found.get(id);
      if (!e) found.set(id, (e = { d: h.dataset_id, r: h.row_id, kinds: new Set(), fuzzy: 0 }));
      e.kinds.add(k.kind);
    }
  }
  const fuzzyRows = db
    .prepare(
      `SELECT b_dataset AS d, b_row AS r, score, keys FROM match_pairs WHERE a_dataset = @d AND a_row = @r
       UNION ALL
       SELECT a_dataset AS d, a_row AS r, score, keys FROM match_pairs WHERE b_dataset = @d AND b_row = @r`,
    )
    .all({ d: dataset.id, r: rowId }) as { d: number; r: number; score: number; keys: string }[];
  const matches: RecordMatchesResult['matches'] = [];
  for (const e of found.values()) {
    const loc = locate(e.d, e.r);
    if (loc) matches.push({ ...loc, score: 1, source: 'key', keys: [...e.kinds] });
  }
  for (const f of fuzzyRows) {
    if (found.has(`${f.d}:${f.r}`)) continue;
    const loc = locate(f.d, f.r);
    if (loc)
      matches.push({
        ...loc,
        score: f.score,
        source: 'fuzzy',
        keys: f.keys ? f.keys.split(',') : [],
      });
  }
  matches.sort(
    (x, y) => y.score - x.score || x.dataset.localeCompare(y.dataset) || x.ordinal - y.ordinal,
  );
  const cluster = db
    .prepare(
      'SELECT s.cluster_id AS clusterId, s.size, s.datasets FROM clusters c JOIN cluster_sizes s ON s.cluster_id = c.cluster_id WHERE c.dataset_id = ? AND c.row_id = ?',
    )
    .get(dataset.id, rowId) as { clusterId: number; size: number; datasets: number } | undefined;
  return {
    record: self,
    keys: keys.map((k) => ({ kind: k.kind, key: k.key })),
    matches: matches.slice(0, limit),
    cluster: cluster ?? null,
  };
}
