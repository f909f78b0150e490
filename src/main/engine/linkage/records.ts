/**
 * A dataset's records as the linkage sees them: the identity fields of each row, normalised once
 * (normalize.ts), plus its provenance (row id, ordinal, line). Key extraction, fuzzy matching,
 * verdict figures and the record detail pane all read records through here.
 *
 * Rows are read in keyset pages (`id > ?`), never with an open iterator, so the caller can write
 * between pages on the same connection (better-sqlite3 forbids writes while a statement iterates).
 */
import { sqlId } from '../store/sql';
import type { ReadableDB } from '../store/types';
import { datasetRoles, roleColumns, ROLES, type DatasetRoles, type Role } from './columns';
import type { KeyKind } from './kinds';
import {
  addressTokens,
  emailKey,
  franceTravailKey,
  ibanKey,
  nameTokens,
  nationalIdKey,
  nirKey,
  normalizeCity,
  normalizeDate,
  normalizePhone,
  normalizePostalCode,
  personNameKey,
  type PhoneOptions,
} from './normalize';

export { KEY_KINDS, type KeyKind } from './kinds';

/**
 * Kinds that identify a person on their own (with a compatible date of birth): overlap counts,
 * duplicate groups and clusters use these. `name_postal` is weaker (two Marie Martin in one
 * postal code are common) and only serves as evidence and for blocking.
 */
export const STRONG_KINDS: readonly KeyKind[] = [
  'nir',
  'email',
  'phone',
  'france_travail_id',
  'iban',
  'national_id',
  'name_dob',
];

export interface LinkRecord {
  rowId: number;
  ordinal: number;
  line: number | null;
  first: string | null;
  last: string | null;
  /** Every name token (first, last or full name), folded, particles dropped. */
  tokens: readonly string[];
  dob: number | null;
  postal: string | null;
  city: string | null;
  address: string[];
  email: string | null;
  phone: string | null;
  nir: string | null;
  ft: string | null;
  iban: string | null;
  nationalId: string | null;
  /** Identity keys of the record (several per kind when several columns hold one): kinds… */
  keyKinds: KeyKind[];
  /** …and their values, index for index. */
  keyValues: string[];
}

export type RecordOptions = PhoneOptions & {
  /** Only what identity keys need (skips city and address tokens): the import step. */
  keysOnly?: boolean;
  /** Only the compared fields (keyKinds/keyValues left empty): the fuzzy matcher. */
  fieldsOnly?: boolean;
  /**
   * readAllRecords: one shared string per distinct name, city, postal code and address token
   * (a few thousand values across millions of records: most of the memory of 1M records).
   */
  pool?: Map<string, string>;
};

function intern(pool: Map<string, string>, v: string): string {
  const hit = pool.get(v);
  if (hit !== undefined) return hit;
  pool.set(v, v);
  return v;
}

function internRecord(r: LinkRecord, pool: Map<string, string>): void {
  if (r.first !== null) r.first = intern(pool, r.first);
  if (r.last !== null) r.last = intern(pool, r.last);
  if (r.postal !== null) r.postal = intern(pool, r.postal);
  if (r.city !== null) r.city = intern(pool, r.city);
  if (r.tokens.length > 0) r.tokens = r.tokens.map((t) => intern(pool, t));
  for (let i = 0; i < r.address.length; i++) r.address[i] = intern(pool, r.address[i]);
}

/** Positions of each role's columns in a selected row (empty array: no such column). */
export type RolePositions = Readonly<Record<Role, readonly number[]>>;

const EMPTY_TOKENS: readonly string[] = [];

function firstValue(row: readonly unknown[], pos: readonly number[]): string | null {
  for (let i = 0; i < pos.length; i++) {
    const v = row[pos[i]];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return null;
}

/** Adds the keys of one kind from the role's columns; returns the first key (or null). */
function addKeys(
  rec: LinkRecord,
  kind: KeyKind,
  row: readonly unknown[],
  pos: readonly number[],
  fn: (v: string, o: RecordOptions) => string | null,
  options: RecordOptions,
): string | null {
  let firstKey: string | null = null;
  for (let i = 0; i < pos.length; i++) {
    const raw = row[pos[i]];
    if (typeof raw !== 'string' || raw.length === 0) continue;
    const k = fn(raw, options);
    if (k === null) continue;
    if (firstKey === null) firstKey = k;
    if (options.fieldsOnly) break;
    rec.keyKinds.push(kind);
    rec.keyValues.push(k);
  }
  return firstKey;
}

const phoneKey = (v: string, o: RecordOptions) => normalizePhone(v, o);

/** A record with no field read yet (the matcher's and the tests' starting point). */
export function emptyLinkRecord(base: {
  rowId: number;
  ordinal: number;
  line: number | null;
}): LinkRecord {
  return {
    rowId: base.rowId,
    ordinal: base.ordinal,
    line: base.line,
    first: null,
    last: null,
    tokens: EMPTY_TOKENS,
    dob: null,
    postal: null,
    city: null,
    address: [],
    email: null,
    phone: null,
    nir: null,
    ft: null,
    iban: null,
    nationalId: null,
    keyKinds: [],
    keyValues: [],
  };
}

/**
 * Normalises one selected row (`row[pos]` are the raw values of each role).
 * NOTE: runs on every record of every import: no closures or spreads per row.
 */
export function normalizeRecord(
  row: readonly unknown[],
  pos: RolePositions,
  base: { rowId: number; ordinal: number; line: number | null },
  options: RecordOptions = {},
): LinkRecord {
  const rec = emptyLinkRecord(base);
  rec.email = addKeys(rec, 'email', row, pos.email, emailKey, options);
  rec.phone = addKeys(rec, 'phone', row, pos.phone, phoneKey, options);
  rec.nir = addKeys(rec, 'nir', row, pos.nir, nirKey, options);
  rec.ft = addKeys(rec, 'france_travail_id', row, pos.france_travail_id, franceTravailKey, options);
  rec.iban = addKeys(rec, 'iban', row, pos.iban, ibanKey, options);
  // A column named like a national id may hold French NIRs ("ssn" in English exports).
  for (let i = 0; i < pos.national_id.length; i++) {
    const raw = row[pos.national_id[i]];
    if (typeof raw !== 'string' || raw.length === 0) continue;
    const asNir = nirKey(raw);
    if (asNir) {
      if (!options.fieldsOnly) {
        rec.keyKinds.push('nir');
        rec.keyValues.push(asNir);
      }
      if (rec.nir === null) rec.nir = asNir;
      continue;
    }
    const k = nationalIdKey(raw);
    if (k) {
      if (!options.fieldsOnly) {
        rec.keyKinds.push('national_id');
        rec.keyValues.push(k);
      }
      if (rec.nationalId === null) rec.nationalId = k;
    }
  }

  const firstRaw = firstValue(row, pos.first_name);
  const lastRaw = firstValue(row, pos.last_name);
  if (firstRaw === null && lastRaw === null) {
    const tokens = nameTokens(firstValue(row, pos.full_name));
    if (tokens.length > 0) {
      // Without separate fields, the first token stands for the first name; swaps are handled
      // by the comparisons and keys, which do not trust the order.
      rec.tokens = tokens;
      rec.first = tokens[0];
      rec.last = tokens.length > 1 ? tokens.slice(1).join('') : null;
    }
  } else {
    const ft = nameTokens(firstRaw);
    const lt = nameTokens(lastRaw);
    rec.tokens = ft.length === 0 ? lt : lt.length === 0 ? ft : ft.concat(lt);
    rec.first = ft.length ? ft.join('') : null;
    rec.last = lt.length ? lt.join('') : null;
  }
  for (let i = 0; i < pos.date_of_birth.length && rec.dob === null; i++) {
    const raw = row[pos.date_of_birth[i]];
    if (typeof raw === 'string') rec.dob = normalizeDate(raw);
  }
  rec.postal = normalizePostalCode(firstValue(row, pos.postal_code));
  if (!options.keysOnly) {
    rec.city = normalizeCity(firstValue(row, pos.city));
    for (let i = 0; i < pos.street_address.length; i++) {
      const raw = row[pos.street_address[i]];
      if (typeof raw === 'string' && raw.length > 0) {
        for (const t of addressTokens(raw)) rec.address.push(t);
      }
    }
  }
  if (!options.fieldsOnly && rec.tokens.length > 0 && (rec.dob !== null || rec.postal !== null)) {
    const nameKey = personNameKey(rec.tokens);
    if (nameKey !== null) {
      if (rec.dob !== null) {
        rec.keyKinds.push('name_dob');
        rec.keyValues.push(`${nameKey}|${rec.dob}`);
      }
      if (rec.postal !== null) {
        rec.keyKinds.push('name_postal');
        rec.keyValues.push(`${nameKey}|${rec.postal}`);
      }
    }
  }
  return rec;
}

export interface RecordReader {
  roles: DatasetRoles;
  /** Next page of records after `afterId` (empty at the end). */
  page(afterId: number, limit: number): LinkRecord[];
  /**
   * The same records as `page`, handed to `fn` one at a time as they are read: none is kept, so
   * a page of them never has to survive a garbage collection (key extraction, key-pages.ts).
   * `fn` must not write to the connection.
   */
  each(afterId: number, limit: number, fn: (r: LinkRecord) => void): void;
  /** One record by row id, or null. */
  one(rowId: number): LinkRecord | null;
  /** Raw identity values of a record as written, in `roleColumns(roles)` order. */
  raw(rowId: number): (string | null)[] | null;
}

/** Reads normalised records of a dataset (only the columns that have a role are read). */
export function recordReader(
  db: ReadableDB,
  datasetId: number,
  options: RecordOptions = {},
  roles: DatasetRoles = datasetRoles(db, datasetId),
): RecordReader {
  const cols = roleColumns(roles);
  const columnsSql = ['id', 'ordinal', 'line', ...cols.map((c) => `c_${c}`)].map(sqlId).join(', ');
  const tableSql = sqlId(roles.physical);
  const pageStmt = db
    .prepare(`SELECT ${columnsSql} FROM ${tableSql} WHERE id > ? ORDER BY id LIMIT ?`)
    .raw(true);
  const oneStmt = db.prepare(`SELECT ${columnsSql} FROM ${tableSql} WHERE id = ?`).raw(true);
  const positions = {} as Record<Role, number[]>;
  for (const role of ROLES)
    positions[role] = (roles.columns[role] ?? []).map((i) => 3 + cols.indexOf(i));
  const toRecord = (row: unknown[]): LinkRecord =>
    normalizeRecord(
      row,
      positions,
      { rowId: row[0] as number, ordinal: row[1] as number, line: row[2] as number | null },
      options,
    );
  return {
    roles,
    page(afterId, limit) {
      const rows = pageStmt.all(afterId, limit) as unknown[][];
      const out = new Array<LinkRecord>(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = toRecord(rows[i]);
      return out;
    },
    each(afterId, limit, fn) {
      for (const row of pageStmt.iterate(afterId, limit) as IterableIterator<unknown[]>)
        fn(toRecord(row));
    },
    one(rowId) {
      const row = oneStmt.get(rowId) as unknown[] | undefined;
      return row ? toRecord(row) : null;
    },
    raw(rowId) {
      const row = oneStmt.get(rowId) as unknown[] | undefined;
      return row ? (row.slice(3) as (string | null)[]) : null;
    },
  };
}

/** Every record of a dataset, in row order (for the fuzzy matcher, which holds them in memory). */
export function readAllRecords(
  db: ReadableDB,
  datasetId: number,
  options: RecordOptions = {},
  onPage?: (done: number) => void,
): { roles: DatasetRoles; records: LinkRecord[] } {
  const reader = recordReader(db, datasetId, options);
  const records: LinkRecord[] = [];
  let after = 0;
  for (;;) {
    const page = reader.page(after, 20_000);
    if (page.length === 0) break;
    for (const r of page) {
      if (options.pool) internRecord(r, options.pool);
      records.push(r);
    }
    after = page[page.length - 1].rowId;
    onPage?.(records.length);
  }
  return { roles: reader.roles, records };
}
