/**
 * The SQL reader against real dumps written by other people (../shared/corpus/real, fictional
 * people): every table's row count and column names must equal manifest.json exactly, with no
 * rejects. Files are streamed from where they are (gzip through node:zlib), never copied into the
 * repository; the suite is skipped when the corpus is absent.
 */
import type { Buffer } from 'node:buffer';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  createSqlReader,
  readSqlSchema,
  sqlReader,
} from '../../../src/main/engine/import/readers/sql';
import { collect, randomChunks, type Collected } from './helpers/collect-sink';

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = resolve(here, '../../../../shared/corpus/real');
const present = existsSync(join(CORPUS, 'manifest.json'));

interface ManifestTable {
  name: string;
  rows: number;
  columns: { name: string }[];
}
interface ManifestFile {
  file: string;
  format: string;
  dialect: string;
  gzip: boolean;
  columns_from?: string;
  tables: ManifestTable[];
}

const manifest: { files: ManifestFile[] } = present
  ? (JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { files: ManifestFile[] })
  : { files: [] };
const sqlFiles = manifest.files.filter((f) => f.format === 'sql');

const DIALECTS: Record<string, string> = {
  mysql: 'mysql',
  postgresql: 'postgres',
  sqlite: 'sqlite',
  tsql: 'mssql',
};

function stream(file: string): AsyncIterable<Uint8Array> {
  const s = createReadStream(join(CORPUS, file), { highWaterMark: 64 * 1024 });
  return (file.endsWith('.gz') ? s.pipe(createGunzip()) : s) as AsyncIterable<Uint8Array>;
}

async function* concat(...files: string[]): AsyncIterable<Uint8Array> {
  for (const f of files) for await (const chunk of stream(f)) yield chunk;
}

function bytesOf(file: string): Buffer {
  const raw = readFileSync(join(CORPUS, file));
  return file.endsWith('.gz') ? gunzipSync(raw) : raw;
}

/** Every manifest table is there with its exact row count and columns; others are empty. */
function expectManifestTables(c: Collected, f: ManifestFile, allowedExtra: Set<string>): void {
  const got = new Map(
    [...c.tables].map(([name, t]) => [
      name,
      { rows: t.rows.length, cols: t.columns.map((x) => x.name) },
    ]),
  );
  const want = new Map(
    f.tables.map((t) => [t.name, { rows: t.rows, cols: t.columns.map((x) => x.name) }]),
  );
  for (const [name, w] of want) expect({ name, ...got.get(name) }).toEqual({ name, ...w });
  for (const [name, g] of got) {
    if (want.has(name)) continue;
    // A table the manifest leaves out must be an empty schema table (declared, never filled).
    expect({ name, rows: g.rows, allowed: allowedExtra.has(name) || g.rows === 0 }).toEqual({
      name,
      rows: 0,
      allowed: true,
    });
  }
  expect(c.rejects).toEqual([]);
  expect(c.result).toEqual({ truncated: false });
}

describe.skipIf(!present)('sqlReader on the real corpus', () => {
  it('covers every SQL dump of the manifest', () => {
    expect(sqlFiles.map((f) => f.file).sort()).toEqual([
      'chinook/Chinook_MySql.sql',
      'chinook/Chinook_PostgreSql.sql',
      'chinook/Chinook_SqlServer.sql',
      'chinook/Chinook_Sqlite.sql',
      'northwind_mywind/northwind-data.sql',
      'northwind_mywind/northwind.sql',
      'northwind_psql/northwind.sql',
      'sakila/sakila-mv-data.sql.gz',
      'sakila/sakila-mv-schema.sql',
    ]);
  });

  for (const f of sqlFiles) {
    it(`${f.file}: exact tables, columns and row counts`, async () => {
      let c: Collected;
      if (f.columns_from) {
        // Data without CREATE TABLE: its columns come from the companion schema file.
        const schema = await readSqlSchema(stream(f.columns_from));
        c = await collect(createSqlReader({ schema }), stream(f.file));
        // Only the tables the data uses are declared.
        expect([...c.tables.keys()].sort()).toEqual(f.tables.map((t) => t.name).sort());
      } else {
        c = await collect(sqlReader, stream(f.file));
      }
      expectManifestTables(c, f, new Set());
      expect(c.meta.dialect).toBe(DIALECTS[f.dialect]);
    });
  }

  for (const f of sqlFiles.filter((x) => x.columns_from)) {
    it(`${f.file}: the same when its schema file is streamed first`, async () => {
      const schemaFile = sqlFiles.find((x) => x.file === f.columns_from)!;
      const c = await collect(sqlReader, concat(f.columns_from!, f.file));
      const schemaOnly = new Set(schemaFile.tables.map((t) => t.name));
      expectManifestTables(c, f, schemaOnly);
      // The extra tables are exactly the schema's tables the data never fills.
      const extra = [...c.tables.keys()].filter((k) => !f.tables.some((t) => t.name === k));
      expect(extra.sort()).toEqual(['film_text', 'tmpCustomer']);
    });
  }

  it('Sakila: hex literals (versioned-comment geometry, PNG), emails, provenance on CRLF lines', async () => {
    const schema = await readSqlSchema(stream('sakila/sakila-mv-schema.sql'));
    const c = await collect(createSqlReader({ schema }), stream('sakila/sakila-mv-data.sql.gz'));
    const address = c.tables.get('address')!;
    expect(address.rows[0]!.values).toEqual([
      '1',
      '47 MySakila Drive',
      null,
      'Alberta',
      '300',
      '',
      '',
      '0x0000000001010000003E0A325D63345CC0761FDB8D99D94840',
      '2014-09-25 22:30:27',
    ]);
    const staff = c.tables.get('staff')!.rows;
    expect(staff[0]!.values[4]!.startsWith('0x89504E470D0A1A0A')).toBe(true);
    expect(staff[0]!.values[9]).toBe('8cb2237d0679ca88db6464eac60da96345513964');
    expect(staff[1]!.values[4]).toBeNull();
    const customers = c.tables.get('customer')!.rows;
    expect(customers[0]!.values.slice(2, 5)).toEqual([
      'MARY',
      'SMITH',
      'MARY.SMITH@sakilacustomer.org',
    ]);
    for (const r of customers) expect(r.values[4]).toMatch(/^[A-Z]+\.[A-Z-]+@sakilacustomer\.org$/);

    const bytes = bytesOf('sakila/sakila-mv-data.sql.gz');
    const misplaced: string[] = [];
    let nl = 0;
    let scanned = 0;
    for (const t of c.tables.values()) {
      for (const r of t.rows) {
        // Rows come in file order: count newlines incrementally up to each offset.
        for (; scanned < r.offset; scanned++) if (bytes[scanned] === 0x0a) nl++;
        if (bytes[r.offset] !== 0x28 || r.line !== nl + 1) misplaced.push(`${r.line}@${r.offset}`);
      }
    }
    expect(misplaced).toEqual([]);
    // Line numbers count CRLF lines: the first actor tuple is on line 29.
    expect(c.tables.get('actor')!.rows[0]).toMatchObject({ line: 29, ordinal: 0 });
    expect(c.tables.get('actor')!.rows[1]).toMatchObject({ line: 30, ordinal: 1 });
  });

  it('Chinook: the four dialects yield the same values (modulo naming and source differences)', async () => {
    const read = (d: string): Promise<Collected> =>
      collect(sqlReader, stream(`chinook/Chinook_${d}.sql`));
    const [my, pg, lite, ms] = await Promise.all([
      read('MySql'),
      read('PostgreSql'),
      read('Sqlite'),
      read('SqlServer'),
    ]);
    const values = (c: Collected, t: string): unknown => c.tables.get(t)!.rows.map((r) => r.values);
    for (const t of ['Artist', 'Album', 'Track', 'Customer', 'InvoiceLine', 'PlaylistTrack']) {
      expect(values(lite, t)).toEqual(values(my, t));
      expect(values(ms, t)).toEqual(values(my, t));
    }
    expect(values(pg, 'track')).toEqual(values(my, 'Track'));
    expect(values(pg, 'customer')).toEqual(values(my, 'Customer'));
    const track = my.tables.get('Track')!.rows[3434]!.values;
    // A backslash MySQL would treat as an unknown escape is kept, as the other dialects keep it.
    expect(track[1]).toBe('Cavalleria Rusticana \\ Act \\ Intermezzo Sinfonico');
    const customer = my.tables.get('Customer')!.rows[0]!.values;
    expect(customer.slice(0, 4)).toEqual([
      '1',
      'Luís',
      'Gonçalves',
      'Embraer - Empresa Brasileira de Aeronáutica S.A.',
    ]);
    expect(values(my, 'Artist')).toContainEqual(['88', "Guns N' Roses"]);
  });

  it("northwind_psql: '\\n' in standard strings stays a backslash and an n; bytea '\\x' as written", async () => {
    const c = await collect(sqlReader, stream('northwind_psql/northwind.sql'));
    const employee = c.tables.get('employees')!.rows[0]!.values;
    expect(employee[7]).toBe('507 - 20th Ave. E.\\nApt. 2A');
    expect(employee[14]).toBe('\\x');
    expect(c.tables.get('categories')!.rows[0]!.values).toEqual([
      '1',
      'Beverages',
      'Soft drinks, coffees, teas, beers, and ales',
      '\\x',
    ]);
  });

  it('gives identical output for random 1..64-byte chunks of real files', async () => {
    for (const file of [
      'chinook/Chinook_SqlServer.sql',
      'sakila/sakila-mv-schema.sql',
      'northwind_psql/northwind.sql',
    ]) {
      const bytes = bytesOf(file);
      const whole = await collect(sqlReader, bytes);
      const chunked = await collect(sqlReader, randomChunks(bytes, 7, 64));
      expect(chunked.rejects).toEqual(whole.rejects);
      expect(chunked.meta).toEqual(whole.meta);
      expect([...chunked.tables.keys()]).toEqual([...whole.tables.keys()]);
      for (const [name, t] of whole.tables) expect(chunked.tables.get(name)).toEqual(t);
    }
  });
});
