/**
 * The person view: union-find over every record of the case (or of chosen datasets), joining
 * records that share a strong identity key with compatible dates of birth (identity_keys) and the
 * pairs accepted by fuzzy `matches` runs (match_pairs). Each resulting set is one person; the
 * UpSet counts say how many people appear in each combination of datasets.
 *
 * Shared keys are read grouped by the (kind, key) primary key, so SQLite hands over only keys
 * that occur twice or more: the scan is in C, JavaScript sees the links. A value carried by more
 * than HUB_LIMIT records (a switchboard number, a placeholder address that slipped through) links
 * nobody: it is reported, not followed.
 */
import type { ReadableDB, WritableDB } from '../store/types';
import { datesConflict } from './normalize';
import { KEY_KIND_CODE } from './kinds';
import { KEYED_SQL } from './queries';
import { STRONG_KINDS, type KeyKind } from './records';

/** Records sharing one key value beyond this many are a shared value, not one person. */
export const HUB_LIMIT = 50;

/** Disjoint sets with union by size and path halving; element 0 unused when ids are 1-based. */
export class UnionFind {
  readonly parent: Int32Array;
  private readonly size: Int32Array;
  /** Successful unions (elements − sets). */
  merges = 0;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    this.merges++;
    return true;
  }

  setSize(x: number): number {
    return this.size[this.find(x)];
  }
}

/**
 * Unions the members of one group of records sharing a key: each member joins the first earlier
 * member whose date of birth does not conflict with its own (0 or null = unknown).
 */
export function unionGroup(
  uf: UnionFind,
  members: ArrayLike<number>,
  dobs: ArrayLike<number | null>,
): number {
  let links = 0;
  for (let i = 1; i < members.length; i++) {
    const di = dobs[i] || null;
    for (let j = 0; j < i; j++) {
      if (!datesConflict(di, dobs[j] || null)) {
        if (uf.union(members[i], members[j])) links++;
        break;
      }
    }
  }
  return links;
}

export interface CaseIndex {
  /** Dataset ids in order. */
  ids: number[];
  names: Map<number, string>;
  /** Global index of row r of dataset d = offset(d) + r. */
  offset: Map<number, number>;
  rows: Map<number, number>;
  total: number;
}

/** Lays the records of the chosen datasets out on one index line for the union-find. */
export function caseIndex(db: ReadableDB, datasetIds?: readonly number[]): CaseIndex {
  const all = db.prepare('SELECT id, name, rows FROM datasets ORDER BY id').all() as {
    id: number;
    name: string;
    rows: number;
  }[];
  const chosen = datasetIds ? all.filter((d) => datasetIds.includes(d.id)) : all;
  const offset = new Map<number, number>();
  const names = new Map<number, string>();
  const rows = new Map<number, number>();
  let total = 1;
  for (const d of chosen) {
    offset.set(d.id, total);
    names.set(d.id, d.name);
    rows.set(d.id, d.rows);
    // Row ids of an imported table are 1..rows (assigned in insert order); slot 0 is unused.
    total += d.rows + 1;
  }
  return { ids: chosen.map((d) => d.id), names, offset, rows, total };
}

export interface ClusterBuild {
  index: CaseIndex;
  uf: UnionFind;
  /** Key values skipped as shared by more than HUB_LIMIT records, per kind. */
  hubs: Partial<Record<KeyKind, number>>;
  links: number;
  fuzzyLinks: number;
}

/** Builds the union-find of people over the chosen datasets (all by default). */
export function buildPeople(
  db: ReadableDB,
  datasetIds?: readonly number[],
  signal?: AbortSignal,
): ClusterBuild {
  const index = caseIndex(db, datasetIds);
  const uf = new UnionFind(index.total);
  const hubs: Partial<Record<KeyKind, number>> = {};
  let links = 0;
  const stmt = db
    .prepare(
      `SELECT group_concat(dataset_id || ':' || row_id || ':' || coalesce(dob, 0), ',') AS m
       FROM identity_keys WHERE kind = ? AND +dataset_id IN ${KEYED_SQL}
       GROUP BY key HAVING count(*) > 1`,
    )
    .pluck();
  const members: number[] = [];
  const dobs: number[] = [];
  for (const kind of STRONG_KINDS) {
    signal?.throwIfAborted();
    for (const m of stmt.iterate(KEY_KIND_CODE[kind]) as Iterable<string>) {
      members.length = 0;
      dobs.length = 0;
      for (const part of m.split(',')) {
        const [ds, row, dob] = part.split(':');
        const off = index.offset.get(Number(ds));
        if (off === undefined) continue;
        members.push(off + Number(row));
        dobs.push(Number(dob));
      }
      if (members.length < 2) continue;
      if (members.length > HUB_LIMIT) {
        hubs[kind] = (hubs[kind] ?? 0) + 1;
        continue;
      }
      links += unionGroup(uf, members, dobs);
    }
  }
  let fuzzyLinks = 0;
  const pairs = db
    .prepare('SELECT a_dataset, a_row, b_dataset, b_row FROM match_pairs')
    .raw(true)
    .iterate() as Iterable<[number, number, number, number]>;
  for (const [ad, ar, bd, br] of pairs) {
    const oa = index.offset.get(ad);
    const ob = index.offset.get(bd);
    if (oa === undefined || ob === undefined) continue;
    if (uf.union(oa + ar, ob + br)) fuzzyLinks++;
  }
  return { index, uf, hubs, links, fuzzyLinks };
}

export interface UpsetEntry {
  datasets: string[];
  people: number;
}

export interface PeopleSummary {
  records: number;
  people: number;
  /** People by the combination of datasets they appear in, largest first. */
  upset: UpsetEntry[];
  /** Clusters by size (size 1 = a person seen once). */
  sizes: { size: number; clusters: number }[];
  largest: { clusterId: number; size: number; datasets: string[] }[];
  hubs: Partial<Record<KeyKind, number>>;
}

/** Counts people, cluster sizes and UpSet combinations from a build. */
export function summarizePeople(build: ClusterBuild): PeopleSummary {
  const { index, uf } = build;
  const present = new Uint8Array(index.total);
  const datasetOf = new Int32Array(index.total);
  for (const id of index.ids) {
    const off = index.offset.get(id)!;
    const n = index.rows.get(id)!;
    present.fill(1, off + 1, off + n + 1);
    datasetOf.fill(id, off + 1, off + n + 1);
  }
  const rootMask = new Map<number, Set<number>>();
  let records = 0;
  for (let i = 1; i < index.total; i++) {
    if (!present[i]) continue;
    records++;
    const r = uf.find(i);
    let s = rootMask.get(r);
    if (!s) rootMask.set(r, (s = new Set()));
    s.add(datasetOf[i]);
  }
  const combos = new Map<string, number>();
  const sizes = new Map<number, number>();
  const largest: { clusterId: number; size: number; datasets: string[] }[] = [];
  for (const [root, set] of rootMask) {
    const ids = [...set].sort((a, b) => a - b);
    const key = ids.join(',');
    combos.set(key, (combos.get(key) ?? 0) + 1);
    const size = uf.setSize(root);
    sizes.set(size, (sizes.get(size) ?? 0) + 1);
    if (size > 1)
      largest.push({ clusterId: root, size, datasets: ids.map((d) => index.names.get(d)!) });
  }
  largest.sort((a, b) => b.size - a.size || a.clusterId - b.clusterId);
  return {
    records,
    people: rootMask.size,
    upset: [...combos.entries()]
      .map(([k, people]) => ({
        datasets: k.split(',').map((d) => index.names.get(Number(d))!),
        people,
      }))
      .sort((a, b) => b.people - a.people || a.datasets.join().localeCompare(b.datasets.join())),
    sizes: [...sizes.entries()]
      .map(([size, clusters]) => ({ size, clusters }))
      .sort((a, b) => a.size - b.size),
    largest: largest.slice(0, 20),
    hubs: build.hubs,
  };
}

/**
 * Rewrites `clusters` and `cluster_sizes` from a build: records of clusters of two or more,
 * cluster id = the global index of the cluster's root (stable for one build).
 */
export function storeClusters(db: WritableDB, build: ClusterBuild): number {
  const { index, uf } = build;
  const insert = db.prepare(
    'INSERT INTO clusters (dataset_id, row_id, cluster_id) VALUES (?, ?, ?)',
  );
  const insertSize = db.prepare(
    'INSERT INTO cluster_sizes (cluster_id, size, datasets) VALUES (?, ?, ?)',
  );
  const datasetsOf = new Map<number, Set<number>>();
  let stored = 0;
  db.transaction(() => {
    db.prepare('DELETE FROM clusters').run();
    db.prepare('DELETE FROM cluster_sizes').run();
    const ids = index.ids;
    for (let k = 0; k < ids.length; k++) {
      const off = index.offset.get(ids[k])!;
      const end = k + 1 < ids.length ? index.offset.get(ids[k + 1])! : index.total;
      const n = index.rows.get(ids[k])!;
      for (let i = off + 1; i <= off + n && i < end; i++) {
        const root = uf.find(i);
        if (uf.setSize(root) < 2) continue;
        insert.run(ids[k], i - off, root);
        let s = datasetsOf.get(root);
        if (!s) datasetsOf.set(root, (s = new Set()));
        s.add(ids[k]);
        stored++;
      }
    }
    for (const [root, set] of datasetsOf) insertSize.run(root, uf.setSize(root), set.size);
  })();
  return stored;
}
