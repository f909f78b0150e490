/**
 * Keyset pagination: opaque cursors and the "rows after this one" predicates. Never OFFSET: a
 * page at row 9,000,000 costs what the first page costs (one index seek).
 *
 * Cursor = base64url( iv(12) | tag(16) | AES-256-GCM( JSON {v, q, k, id} ) ) with the case's
 * `cursor_key` (migration 0050):
 * - `k` holds the page's last sort-key values and `id` its row id (the tie-breaker, unique);
 * - `q` is a fingerprint of the dataset, filter, search and sort, so a cursor is refused for a
 *   different query rather than silently giving a wrong page;
 * - the encryption keeps record values (sort keys) out of the audit log, which records each
 *   call's input, and makes any edit fail authentication (tampering → E_BAD_INPUT);
 * - the decrypted payload is validated with zod before use.
 *
 * Order: ORDER BY k1 [DESC], k2 [DESC], ..., t.id (in the direction of the last key). SQLite sorts
 * NULL first ascending and last descending; the predicates below follow that.
 *
 * "After the cursor" is split into segments run one after another, each a plain conjunction an
 * index can seek (`c = k AND t.id > i`, then `c > k`, then the NULL group...), because SQLite
 * does not seek on an OR of ranges nor on a row value's trailing rowid: on a low-cardinality
 * column (`sexe`), `(c, id) > (k, i)` would walk millions of equal keys before the first row.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LeakscopeError } from '../../../shared/errors';
import { canonicalJson } from '../audit/canonical-json';
import { getMeta } from '../store/meta';
import type { ReadableDB } from '../store/types';
import type { SqlParams } from './dataset';

const CursorPayload = z
  .object({
    v: z.literal(1),
    q: z.string().length(24),
    k: z.array(z.string().nullable()).max(3),
    id: z.number().int().min(0),
  })
  .strict();
export type CursorPayload = z.infer<typeof CursorPayload>;

const keys = new WeakMap<object, Buffer>();

function cursorKey(db: ReadableDB): Buffer {
  let key = keys.get(db);
  if (!key) {
    const hex = getMeta(db, 'cursor_key');
    if (!hex)
      throw new LeakscopeError('E_INTERNAL', 'this case has no cursor key (migration 0050)');
    key = Buffer.from(hex, 'hex');
    keys.set(db, key);
  }
  return key;
}

/** Fingerprint of what a cursor is valid for. */
export function queryFingerprint(parts: {
  datasetId: number;
  filter: unknown;
  search: string | undefined;
  sort: readonly { column: string; desc: boolean }[];
  /** Read from the end (a backwards chain): its cursors are refused forwards and vice versa. */
  reverse?: boolean;
}): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        d: parts.datasetId,
        f: parts.filter ?? null,
        s: parts.search ?? '',
        o: parts.sort,
        ...(parts.reverse ? { r: 1 } : {}),
      }),
    )
    .digest('hex')
    .slice(0, 24);
}

export function encodeCursor(db: ReadableDB, payload: Omit<CursorPayload, 'v'>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', cursorKey(db), iv);
  const body = Buffer.concat([
    cipher.update(JSON.stringify({ v: 1, ...payload }), 'utf8'),
    cipher.final(),
  ]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

const BAD_CURSOR = 'invalid cursor: it was altered, or comes from another case';

export function decodeCursor(
  db: ReadableDB,
  cursor: string,
  fingerprint: string,
  sortKeys: number,
): CursorPayload {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new LeakscopeError('E_BAD_INPUT', BAD_CURSOR);
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length < 12 + 16 + 2) throw new LeakscopeError('E_BAD_INPUT', BAD_CURSOR);
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', cursorKey(db), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new LeakscopeError('E_BAD_INPUT', BAD_CURSOR);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LeakscopeError('E_BAD_INPUT', BAD_CURSOR);
  }
  const parsed = CursorPayload.safeParse(json);
  if (!parsed.success || parsed.data.k.length !== sortKeys) {
    throw new LeakscopeError('E_BAD_INPUT', BAD_CURSOR);
  }
  if (parsed.data.q !== fingerprint) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      'this cursor belongs to another query (dataset, filter, search or sort changed): start from the first page',
    );
  }
  return parsed.data;
}

export interface SortColumn {
  /** SQL expression on `t` (`t."c_3"`). */
  sql: string;
  desc: boolean;
}

/**
 * The id tie-breaker follows the last key's direction, so a one-column sort is one index walk.
 * Without a sort the order is the id's: descending when reading from the end.
 */
export function idDescending(sort: readonly SortColumn[], reverse = false): boolean {
  return sort.length ? sort[sort.length - 1]!.desc : reverse;
}

/**
 * The sort as run: reading from the end flips every key (and so the id tie-breaker), which is the
 * exact reverse of the forward order, NULL groups included.
 */
export function runSort(sort: readonly SortColumn[], reverse: boolean): SortColumn[] {
  return reverse ? sort.map((s) => ({ sql: s.sql, desc: !s.desc })) : [...sort];
}

/** ORDER BY for a sort; `idSql` is the row id expression (t.id, or the FTS rowid). */
export function orderSql(sort: readonly SortColumn[], idSql: string, idDesc?: boolean): string {
  const dir = (d: boolean) => (d ? ' DESC' : '');
  return [
    ...sort.map((s) => `${s.sql}${dir(s.desc)}`),
    `${idSql}${dir(idDesc ?? idDescending(sort))}`,
  ].join(', ');
}

/**
 * The segments (conjunctions, in order) that together select exactly the rows after the cursor
 * position, each seekable by an index on the first sort column or by the rowid.
 */
export function afterSegments(
  sort: readonly SortColumn[],
  after: Pick<CursorPayload, 'k' | 'id'>,
  idSql: string,
  params: SqlParams,
  idDesc: boolean = idDescending(sort),
): string[] {
  const eq = sort.map((s, i) => {
    const k = after.k[i];
    return k === null || k === undefined ? `${s.sql} IS NULL` : `${s.sql} = ${params.bind(k)}`;
  });
  const segments: string[] = [
    [...eq, `${idSql} ${idDesc ? '<' : '>'} ${params.bind(after.id)}`].join(' AND '),
  ];
  for (let i = sort.length - 1; i >= 0; i--) {
    const s = sort[i]!;
    const k = after.k[i] ?? null;
    const prefix = eq.slice(0, i);
    const next: string[] = [];
    if (!s.desc) {
      // Ascending: NULLs came first; after a NULL key come all non-NULL values.
      next.push(k === null ? `${s.sql} IS NOT NULL` : `${s.sql} > ${params.bind(k)}`);
    } else if (k !== null) {
      // Descending: smaller values, then the NULL group last. After a NULL key: nothing more.
      next.push(`${s.sql} < ${params.bind(k)}`, `${s.sql} IS NULL`);
    }
    for (const n of next) segments.push([...prefix, n].join(' AND '));
  }
  return segments;
}
