/**
 * Duplicates inside one dataset: exact duplicate records (every column equal after trivial
 * normalisation: trimmed, lower-cased, inner spaces collapsed) and groups of records sharing a
 * strong identity key (with compatible dates of birth), merged by union-find into the headline
 * "N records, M unique people".
 *
 * Exact duplicates are found by a 64-bit fingerprint per record (two 32-bit hashes), grouped by
 * sorting typed arrays: flat memory per record, no map of strings. Key groups come from
 * `identity_keys` grouped in SQLite (queries.ts).
 */
import type { DuplicatesResult } from '../../../shared/api';
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { HUB_LIMIT, UnionFind, unionGroup } from './cluster';
import { hash32, hash32b, keyHash64 } from './hash';
import { linkageOptions } from './keys';
import { KEY_KIND_CODE } from './kinds';
import { choosePlan, GROUPS_SQL } from './queries';
import { recordReader, STRONG_KINDS, type KeyKind, type RecordReader } from './records';

export interface DuplicateOptions {
  /** Groups listed in the result (largest first). */
  limit?: number;
  /** Ordinals listed per group. */
  ordinalsPerGroup?: number;
  signal?: AbortSignal;
}

interface Group {
  /** Sort label; for a key group `kind:#hash` until resolved to the key's text. */
  key: string;
  kind: KeyKind | 'record';
  rows: number[];
  /** The stored 64-bit key of a key group. */
  hash?: bigint;
}

/**
 * `kind:value` of a key group: identity_keys stores a hash, so the value is recomputed from the
 * group's first record (and checked against the hash; `kind:#hash` if that record no longer
 * yields it, e.g. after the phone region setting changed).
 */
function keyLabel(reader: RecordReader, g: Group): string {
  const rec = reader.one(g.rows[0]);
  if (rec && g.hash !== undefined) {
    for (let i = 0; i < rec.keyKinds.length; i++) {
      if (rec.keyKinds[i] === g.kind && keyHash64(rec.keyValues[i]) === g.hash)
        return `${g.kind}:${rec.keyValues[i]}`;
    }
  }
  return g.key;
}

/** Trivial normalisation of one value for exact-duplicate detection. */
function trivial(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v).trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Exact duplicate groups: returns the row ids of each group of two or more records with the same
 * fingerprint, and the ordinal of every row (index = row id).
 */
export function exactDuplicateGroups(
  db: ReadableDB,
  datasetId: number,
  signal?: AbortSignal,
): { groups: Array<{ hash: string; rows: number[] }>; ordinals: Float64Array; maxId: number } {
  const ds = db.prepare('SELECT physical FROM datasets WHERE id = ?').get(datasetId) as {
    physical: string;
  };
  const tableSql = sqlId(ds.physical);
  const cols = (
    db
      .prepare('SELECT idx FROM dataset_columns WHERE dataset_id = ? ORDER BY idx')
      .all(datasetId) as {
      idx: number;
    }[]
  ).map((c) => sqlId(`c_${c.idx}`));
  const maxId =
    (db.prepare(`SELECT max(id) AS m FROM ${tableSql}`).get() as { m: number | null }).m ?? 0;
  const h1 = new Float64Array(maxId + 1);
  const h2 = new Float64Array(maxId + 1);
  const ordinals = new Float64Array(maxId + 1).fill(-1);
  const columnsSql = ['id', 'ordinal', ...cols].join(', ');
  const page = db
    .prepare(`SELECT ${columnsSql} FROM ${tableSql} WHERE id > ? ORDER BY id LIMIT 10000`)
    .raw(true);
  let after = 0;
  for (;;) {
    signal?.throwIfAborted();
    const rows = page.all(after) as unknown[][];
    if (rows.length === 0) break;
    for (const r of rows) {
      const id = r[0] as number;
      let s = '';
      for (let i = 2; i < r.length; i++) s += trivial(r[i]) + '\u0001';
      h1[id] = hash32(s);
      h2[id] = hash32b(s);
      ordinals[id] = r[1] as number;
    }
    after = rows[rows.length - 1][0] as number;
  }
  const order = new Uint32Array(maxId);
  for (let i = 0; i < maxId; i++) order[i] = i + 1;
  order.sort((a, b) => h1[a] - h1[b] || h2[a] - h2[b] || a - b);
  const groups: Array<{ hash: string; rows: number[] }> = [];
  let start = 0;
  for (let i = 1; i <= maxId; i++) {
    const prev = order[i - 1];
    const cur = i < maxId ? order[i] : -1;
    if (cur !== -1 && h1[cur] === h1[prev] && h2[cur] === h2[prev]) continue;
    if (i - start > 1 && ordinals[prev] >= 0) {
      const rows = Array.from(order.subarray(start, i));
      groups.push({
        hash: h1[prev].toString(16).padStart(8, '0') + h2[prev].toString(16).padStart(8, '0'),
        rows,
      });
    }
    start = i;
  }
  return { groups, ordinals, maxId };
}

/** The `duplicates` answer for one dataset (DESIGN.md shape plus headline and figures). */
export function findDuplicates(
  db: ReadableDB,
  dataset: { id: number; name: string; rows: number },
  options: DuplicateOptions = {},
): DuplicatesResult {
  const limit = options.limit ?? 100;
  const perGroup = options.ordinalsPerGroup ?? 50;
  const { groups: exact, ordinals, maxId } = exactDuplicateGroups(db, dataset.id, options.signal);
  const uf = new UnionFind(maxId + 1);
  let exactDuplicateRecords = 0;
  const groups: Group[] = [];
  for (const g of exact) {
    exactDuplicateRecords += g.rows.length - 1;
    for (let i = 1; i < g.rows.length; i++) uf.union(g.rows[0], g.rows[i]);
    groups.push({ key: `record:${g.hash}`, kind: 'record', rows: g.rows });
  }
  const afterExact = uf.merges;

  const plan = choosePlan(db, dataset.id);
  // The key is a 64-bit integer: read it exactly (BigInt), not as a rounded double.
  const stmt = db.prepare(GROUPS_SQL[plan]).raw(true).safeIntegers(true);
  const byKey: Partial<Record<KeyKind, number>> = {};
  const sharedValues: Partial<Record<KeyKind, number>> = {};
  for (const kind of STRONG_KINDS) {
    options.signal?.throwIfAborted();
    let inGroups = 0;
    for (const [key, m] of stmt.iterate({ kind: KEY_KIND_CODE[kind], a: dataset.id }) as Iterable<
      [bigint, string]
    >) {
      const parts = m.split(',');
      if (parts.length > HUB_LIMIT) {
        sharedValues[kind] = (sharedValues[kind] ?? 0) + 1;
        continue;
      }
      const rows: number[] = [];
      const dobs: number[] = [];
      for (const p of parts) {
        const c = p.indexOf(':');
        rows.push(Number(p.slice(0, c)));
        dobs.push(Number(p.slice(c + 1)));
      }
      // A group only counts for the records whose birth dates are compatible.
      unionGroup(uf, rows, dobs);
      const linked = rows.filter((r, i) => i === 0 || uf.find(r) === uf.find(rows[0]));
      if (linked.length > 1) {
        inGroups += linked.length;
        groups.push({
          key: `${kind}:#${BigInt.asUintN(64, key).toString(16)}`,
          kind,
          rows: linked,
          hash: key,
        });
      }
    }
    if (inGroups > 0) byKey[kind] = inGroups;
  }
  let reader: RecordReader | undefined;
  const label = (g: Group) =>
    g.kind === 'record'
      ? g.key
      : keyLabel((reader ??= recordReader(db, dataset.id, linkageOptions(db))), g);
  const uniquePeople = dataset.rows - uf.merges;
  const keyMerged = uf.merges - afterExact;
  groups.sort((a, b) => b.rows.length - a.rows.length || (a.key < b.key ? -1 : 1));
  return {
    dataset: dataset.name,
    rows: dataset.rows,
    exactDuplicateRecords,
    uniquePeople,
    recordsSharingKeys: keyMerged,
    headline: `${dataset.rows.toLocaleString('en')} records, ${uniquePeople.toLocaleString('en')} unique people (${exactDuplicateRecords.toLocaleString('en')} exact duplicate records, ${keyMerged.toLocaleString('en')} more sharing a strong key)`,
    byKey,
    sharedValues,
    groupsTotal: groups.length,
    groups: groups.slice(0, limit).map((g) => ({
      key: label(g),
      kind: g.kind,
      count: g.rows.length,
      ordinals: g.rows
        .map((r) => ordinals[r])
        .sort((a, b) => a - b)
        .slice(0, perGroup),
    })),
  };
}
