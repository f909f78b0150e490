/**
 * Filter AST → parameterised SQL predicate over the dataset table aliased `t`.
 *
 * The one module that turns user filters into SQL. Column identifiers come only from
 * `resolveColumn` (physical `c_<n>` through sqlId); values only through `SqlParams.bind`;
 * operator SQL only from OPERATOR_SQL. Nothing from the input is ever spliced into SQL text.
 *
 * Three-valued logic: a predicate on a missing (NULL) value may be NULL, which WHERE treats as
 * false; AND and OR keep that reading, NOT would not (NOT NULL is NULL), so `not` compiles to
 * `NOT ifnull(x, 0)`: "not (email contains x)" then includes the records without an email.
 *
 * Leaves that depend on other capabilities check that their tables exist and say what to run:
 * PII kinds need `column_pii` (profile), linkage leaves need the linkage tables (overlap).
 */
import { LeakscopeError } from '../../../shared/errors';
import {
  DEFAULT_KIND_CONFIDENCE,
  normaliseTag,
  type FilterNode,
  type LinkageLeaf,
  type NoteLeaf,
  type ProvenanceLeaf,
  type TagLeaf,
} from '../../../shared/filter';
import { PII_LABELS } from '../../../shared/pii';
import { hasTable, loadDataset, resolveColumn, type QueryDataset, type SqlParams } from './dataset';
import { operatorSql } from './operators';
import { kindCode } from '../linkage/kinds';
import { recordHasKey } from '../linkage/record-keys';
import type { ReadableDB } from '../store/types';

export interface CompiledFilter {
  /** A predicate on `t`; '1' when there is no filter. */
  sql: string;
  notes: string[];
}

const LINKAGE_TABLES: Record<LinkageLeaf['linkage'], string[]> = {
  seenIn: ['identity_key_records', 'identity_key_extras', 'identity_keys'],
  duplicate: ['identity_key_records', 'identity_key_extras', 'identity_keys'],
  matched: ['match_pairs'],
  clusterSize: ['clusters', 'cluster_sizes'],
};

class Compiler {
  readonly notes: string[] = [];
  private kindColumns = new Map<string, number[]>();

  constructor(
    private readonly db: ReadableDB,
    private readonly ds: QueryDataset,
    private readonly params: SqlParams,
  ) {}

  private bind = (v: string | number | null) => this.params.bind(v);

  node(n: FilterNode): string {
    if ('and' in n) return this.group(n.and, ' AND ');
    if ('or' in n) return this.group(n.or, ' OR ');
    if ('not' in n) return `NOT ifnull(${this.node(n.not)}, 0)`;
    if ('column' in n)
      return `(${operatorSql(resolveColumn(this.ds, n.column).sql, n, this.bind)})`;
    if ('kind' in n) return this.kind(n);
    if ('linkage' in n) return this.linkage(n);
    if ('tag' in n) return this.tag(n);
    if ('hasNote' in n) return this.note(n);
    return this.provenance(n);
  }

  /**
   * Investigators' marks (issue 8, tables of migration 0080). A non-correlated IN: SQLite reads
   * the few tagged row ids once from record_tags_by_tag and probes the table by rowid.
   */
  private tag(n: TagLeaf): string {
    return `t.id IN (SELECT row_id FROM record_tags WHERE dataset_id = ${this.bind(this.ds.id)} AND tag = ${this.bind(normaliseTag(n.tag))})`;
  }

  private note(n: NoteLeaf): string {
    const ids = `SELECT row_id FROM record_notes WHERE dataset_id = ${this.bind(this.ds.id)}`;
    return n.hasNote ? `t.id IN (${ids})` : `t.id NOT IN (${ids})`;
  }

  private group(list: FilterNode[], joiner: string): string {
    if (list.length === 1) return this.node(list[0]!);
    return `(${list.map((c) => this.node(c)).join(joiner)})`;
  }

  /** "any email column ends with X": the operator on each column profiled as that kind, ORed. */
  private kind(n: Extract<FilterNode, { kind: string }>): string {
    if (!hasTable(this.db, 'column_pii')) {
      throw new LeakscopeError(
        'E_BAD_INPUT',
        `filtering by kind of personal data (${n.kind}) needs the profile of the dataset: run profile first`,
      );
    }
    const min = n.minConfidence ?? DEFAULT_KIND_CONFIDENCE;
    const key = `${n.kind}:${min}`;
    let idxs = this.kindColumns.get(key);
    if (!idxs) {
      idxs = (
        this.db
          .prepare(
            'SELECT DISTINCT column_idx AS idx FROM column_pii WHERE dataset_id = ? AND kind = ? AND confidence >= ? ORDER BY column_idx',
          )
          .all(this.ds.id, n.kind, min) as { idx: number }[]
      ).map((r) => r.idx);
      this.kindColumns.set(key, idxs);
    }
    const cols = this.ds.columns.filter((c) => idxs.includes(c.idx));
    if (cols.length === 0) {
      this.notes.push(
        `no column of ${JSON.stringify(this.ds.name)} is profiled as ${PII_LABELS[n.kind]} (confidence ≥ ${min}): that condition matches nothing`,
      );
      return '0';
    }
    return `(${cols.map((c) => operatorSql(c.sql, n, this.bind)).join(' OR ')})`;
  }

  private otherDataset(ref: string): number {
    const other = loadDataset(this.db, ref);
    if (other.id === this.ds.id) {
      throw new LeakscopeError('E_BAD_INPUT', 'a linkage filter must name another dataset');
    }
    return other.id;
  }

  /** A linkage filter's key kind: its code, and that code bound for SQL. */
  private keyKind(kind: string | undefined): { code: number; sql: string } | undefined {
    if (kind === undefined) return undefined;
    const code = kindCode(kind);
    return { code, sql: this.bind(code) };
  }

  private linkage(n: LinkageLeaf): string {
    const missing = LINKAGE_TABLES[n.linkage].filter((t) => !hasTable(this.db, t));
    if (missing.length) {
      throw new LeakscopeError(
        'E_BAD_INPUT',
        `the filter "${n.linkage}" needs linkage results: run overlap first (missing ${missing.join(', ')})`,
      );
    }
    // Keys of a dataset without a keyset row are missing or still being extracted: none count.
    if (!this.linkageNotes(n) && (n.linkage === 'seenIn' || n.linkage === 'duplicate')) return '0';
    const ds = this.bind(this.ds.id);
    switch (n.linkage) {
      case 'seenIn': {
        const other = this.bind(this.otherDataset(n.dataset));
        return recordHasKey(
          ds,
          't.id',
          (kind, key) =>
            `EXISTS (SELECT 1 FROM identity_keys k2 WHERE k2.kind = ${kind} AND k2.key = ${key} AND k2.dataset_id = ${other})`,
          this.keyKind(n.keyKind),
        );
      }
      case 'duplicate':
        return recordHasKey(
          ds,
          't.id',
          (kind, key, r) =>
            `EXISTS (SELECT 1 FROM identity_keys k2 WHERE k2.kind = ${kind} AND k2.key = ${key} AND k2.dataset_id = ${ds} AND k2.row_id <> ${r}.row_id)`,
          this.keyKind(n.keyKind),
        );
      case 'matched': {
        const score = this.bind(n.minScore);
        const other = n.dataset === undefined ? null : this.bind(this.otherDataset(n.dataset));
        const onA = other ? ` AND m.b_dataset = ${other}` : '';
        const onB = other ? ` AND m.a_dataset = ${other}` : '';
        return `(EXISTS (SELECT 1 FROM match_pairs m WHERE m.a_dataset = ${ds} AND m.a_row = t.id AND m.score >= ${score}${onA}) OR EXISTS (SELECT 1 FROM match_pairs m WHERE m.b_dataset = ${ds} AND m.b_row = t.id AND m.score >= ${score}${onB}))`;
      }
      case 'clusterSize':
        return `EXISTS (SELECT 1 FROM clusters c JOIN cluster_sizes s ON s.cluster_id = c.cluster_id WHERE c.dataset_id = ${ds} AND c.row_id = t.id AND s.size >= ${this.bind(n.min)})`;
    }
  }

  /**
   * The linkage tables come with every case (migration 0060) but stay empty for a dataset until
   * linkage runs on it: the condition then matches nothing, and the notes say why. False when a
   * dataset the condition reads has no identity keys (or not yet all of them).
   */
  private linkageNotes(n: LinkageLeaf): boolean {
    const keyed = (id: number) =>
      !hasTable(this.db, 'identity_keysets') ||
      this.db.prepare('SELECT 1 FROM identity_keysets WHERE dataset_id = ?').get(id) !== undefined;
    const names = [this.ds];
    if (n.linkage === 'seenIn') names.push(loadDataset(this.db, n.dataset));
    if (n.linkage === 'matched') {
      const ran =
        !hasTable(this.db, 'match_runs') ||
        this.db
          .prepare('SELECT 1 FROM match_runs WHERE a_dataset = ? OR b_dataset = ? LIMIT 1')
          .get(this.ds.id, this.ds.id) !== undefined;
      if (!ran) {
        this.notes.push(
          `no record matching has run on ${JSON.stringify(this.ds.name)} yet (run matches): "matched" selects nothing until then`,
        );
      }
      return true;
    }
    let all = true;
    for (const d of names) {
      if (!keyed(d.id)) {
        all = false;
        this.notes.push(
          `${JSON.stringify(d.name)} has no identity keys yet (run overlap): the linkage condition selects nothing until then`,
        );
      }
    }
    return all;
  }

  private provenance(n: ProvenanceLeaf): string {
    if (n.provenance === 'nearReject') {
      const w = this.bind(n.within ?? 1);
      return `EXISTS (SELECT 1 FROM rejects r WHERE r.dataset_id = ${this.bind(this.ds.id)} AND r.ordinal BETWEEN t.ordinal - ${w} AND t.ordinal + ${w})`;
    }
    const column = { line: 't.line', ordinal: 't.ordinal', offset: 't.offset' }[n.provenance];
    const parts: string[] = [];
    if (n.min !== undefined) parts.push(`${column} >= ${this.bind(n.min)}`);
    if (n.max !== undefined) parts.push(`${column} <= ${this.bind(n.max)}`);
    return `(${parts.join(' AND ')})`;
  }
}

/** Compiles a filter for one dataset; values land in `params`. */
export function compileFilter(
  db: ReadableDB,
  ds: QueryDataset,
  ast: FilterNode | undefined,
  params: SqlParams,
): CompiledFilter {
  if (!ast) return { sql: '1', notes: [] };
  const c = new Compiler(db, ds, params);
  return { sql: c.node(ast), notes: c.notes };
}
