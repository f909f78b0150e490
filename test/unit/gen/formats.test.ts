/**
 * Writers: CSV parses back (csv-parse as the oracle) with the right rows and values for every
 * delimiter and quoting mode; encodings are really what they claim (Latin-1 é = 0xE9, UTF-16
 * byte order and BOM); NDJSON / JSON (flat and nested), mysqldump, pg_dump and combolists have
 * the expected shape.
 */

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { identifyPasswordHash } from '../../../src/main/engine/profile/validators';
import {
  DEFAULT_FIELDS,
  FIELDS,
  generateRows,
  makeStyle,
  toLatin1Safe,
  writeCombolist,
  writeCsv,
  writeJsonArray,
  writeMysqlDump,
  writeNdjson,
  writePgDump,
  type LeakRow,
} from '../../fixtures/gen';
import { Collector } from './util';

const SEED = 1234;
const ROWS = 3000;
// Natural case so that accented names survive into the files.
const style = makeStyle(SEED, { nameCase: 'natural', addressStyle: 'comma', dateFormat: 'fr' });
const rows: LeakRow[] = [...generateRows({ seed: SEED, rows: ROWS }, style)];

async function collect(write: (c: Collector) => Promise<unknown>): Promise<Collector> {
  const c = new Collector();
  await write(c);
  return c;
}

describe('CSV', () => {
  it.each([',', ';', '\t', '|'])('parses back with delimiter %j', async (delimiter) => {
    const out = await collect((c) => writeCsv(c, rows, { delimiter }));
    const records = parse(out.text(), { delimiter, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(ROWS);
    expect(Object.keys(records[0])).toEqual(DEFAULT_FIELDS.map((f) => FIELDS[f].fr));
    records.forEach((rec, i) => {
      for (const f of DEFAULT_FIELDS) expect(rec[FIELDS[f].fr]).toBe(rows[i][f] ?? '');
    });
  });

  it('quotes fields that need it, and everything with quote=all; CRLF; English headers', async () => {
    const out = (await collect((c) => writeCsv(c, rows, { crlf: true, headers: 'en' }))).text();
    expect(out.split('\r\n')[0]).toBe(DEFAULT_FIELDS.map((f) => FIELDS[f].en).join(','));
    expect(out).toMatch(/,"\d+(?: bis| ter)?, [^"]+",/); // "12, rue …" contains the delimiter
    expect(out.replace(/\r\n/g, '').includes('\n')).toBe(false);
    const all = (await collect((c) => writeCsv(c, rows.slice(0, 5), { quote: 'all' }))).text();
    expect(all.split('\n')[1].startsWith(`"${rows[0].last_name}","${rows[0].first_name}"`)).toBe(
      true,
    );
    const parsed = parse(all, { columns: true }) as unknown[];
    expect(parsed).toHaveLength(5);
  });

  it('escapes embedded quotes and line breaks (RFC 4180)', async () => {
    const tricky: LeakRow = {
      ...rows[0],
      last_name: 'Dupont "dit" Martin',
      address: 'ligne 1\nligne 2',
    };
    const out = (await collect((c) => writeCsv(c, [tricky], {}))).text();
    expect(out).toContain('"Dupont ""dit"" Martin"');
    const [rec] = parse(out, { columns: true }) as Record<string, string>[];
    expect(rec.nom).toBe('Dupont "dit" Martin');
    expect(rec.adresse).toBe('ligne 1\nligne 2');
  });
});

describe('encodings', () => {
  it('Latin-1 writes é as the single byte 0xE9 and decodes to the same text', async () => {
    const utf8 = (await collect((c) => writeCsv(c, rows, { delimiter: ';' }))).text();
    const latin = (
      await collect((c) => writeCsv(c, rows, { delimiter: ';', encoding: 'latin1', bom: true }))
    ).bytes();
    expect(latin.includes(0xe9)).toBe(true);
    expect(latin.includes(Buffer.from('é', 'utf8'))).toBe(false);
    expect(latin.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false); // no BOM in Latin-1
    expect(latin.toString('latin1')).toBe(toLatin1Safe(utf8));
    expect(latin.length).toBeLessThan(Buffer.byteLength(utf8));
  });

  it('UTF-8 with BOM', async () => {
    const b = (await collect((c) => writeCsv(c, rows.slice(0, 10), { bom: true }))).bytes();
    expect([...b.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(b.subarray(3).toString('utf8').startsWith('nom,prenom')).toBe(true);
  });

  it.each([
    ['utf-16le', [0xff, 0xfe]],
    ['utf-16be', [0xfe, 0xff]],
  ] as const)('%s has its byte order and BOM', async (encoding, bom) => {
    const utf8 = (await collect((c) => writeCsv(c, rows, {}))).text();
    const b = (await collect((c) => writeCsv(c, rows, { encoding, bom: true }))).bytes();
    expect([...b.subarray(0, 2)]).toEqual(bom);
    // 'n' of "nom": 6E 00 in LE, 00 6E in BE.
    expect([...b.subarray(2, 4)]).toEqual(encoding === 'utf-16le' ? [0x6e, 0x00] : [0x00, 0x6e]);
    expect(new TextDecoder(encoding).decode(b)).toBe(utf8); // the decoder strips the BOM
    const noBom = (await collect((c) => writeCsv(c, rows.slice(0, 3), { encoding }))).bytes();
    expect(noBom[0] === 0xff || noBom[0] === 0xfe).toBe(false);
  });
});

describe('JSON', () => {
  it('NDJSON flat: one object per line keyed by headers, nulls kept', async () => {
    const lines = (await collect((c) => writeNdjson(c, rows, { missing: 'null' })))
      .text()
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(ROWS);
    const objs = lines.map((l) => JSON.parse(l) as Record<string, string | null>);
    expect(objs[7].nom).toBe(rows[7].last_name);
    expect(objs.some((o) => o.rpps === null)).toBe(true);
  });

  it('NDJSON nested like the Kairos leak, with omitted keys', async () => {
    const text = (
      await collect((c) => writeNdjson(c, rows, { nested: true, missing: 'omit' }))
    ).text();
    const objs = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objs[0].stagiaire.nom).toBe(rows[0].last_name);
    const withMail = objs.findIndex((_o, i) => rows[i].email !== null);
    expect(objs[withMail].stagiaire.contact.email).toBe(rows[withMail].email);
    const noPhone = rows.findIndex((r) => r.phone === null);
    expect('tel' in objs[noPhone].stagiaire.contact).toBe(false);
  });

  it('JSON array, compact and pretty, nested in English', async () => {
    for (const pretty of [false, true]) {
      const text = (
        await collect((c) => writeJsonArray(c, rows, { nested: true, headers: 'en', pretty }))
      ).text();
      const arr = JSON.parse(text) as Array<{
        trainee: { last_name: string; contact: { address: { city: string | null } } };
      }>;
      expect(arr).toHaveLength(ROWS);
      expect(arr[5].trainee.last_name).toBe(rows[5].last_name);
      expect(arr[5].trainee.contact.address.city).toBe(rows[5].city);
    }
    expect((await collect((c) => writeJsonArray(c, [], {}))).text()).toBe('[\n]\n');
  });
});

/** Splits the tuples of mysqldump extended INSERTs, honouring quotes and backslash escapes. */
function mysqlTuples(sql: string): string[][] {
  const tuples: string[][] = [];
  const re = /^INSERT INTO `[^`]+` VALUES (.*);$/gm;
  for (const m of sql.matchAll(re)) {
    const s = m[1];
    let i = 0;
    while (i < s.length) {
      expect(s[i]).toBe('(');
      i++;
      const values: string[] = [];
      for (;;) {
        if (s[i] === "'") {
          let v = '';
          i++;
          while (s[i] !== "'") {
            if (s[i] === '\\') {
              const n = s[i + 1];
              v += n === 'n' ? '\n' : n === 'r' ? '\r' : n === '0' ? '\0' : n === 'Z' ? '\x1a' : n;
              i += 2;
            } else v += s[i++];
          }
          i++;
          values.push(v);
        } else {
          const end = s.slice(i).search(/[,)]/);
          values.push(s.slice(i, i + end));
          i += end;
        }
        if (s[i] === ')') break;
        i++; // comma
      }
      i++; // ')'
      tuples.push(values);
      if (s[i] === ',') i++;
    }
  }
  return tuples;
}

describe('SQL dumps', () => {
  it("mysqldump: header, CREATE TABLE, LOCK TABLES, extended INSERTs with \\' escapes", async () => {
    const sql = (
      await collect((c) => writeMysqlDump(c, rows, { maxStatementChars: 20_000, isoDates: false }))
    ).text();
    expect(sql.startsWith('-- MySQL dump 10.13')).toBe(true);
    expect(sql).toContain('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;');
    expect(sql).toContain('DROP TABLE IF EXISTS `stagiaires`;');
    expect(sql).toContain(
      'CREATE TABLE `stagiaires` (\n  `id` int unsigned NOT NULL AUTO_INCREMENT,\n  `nom` varchar(100)',
    );
    expect(sql).toContain('LOCK TABLES `stagiaires` WRITE;');
    expect(sql).toContain('UNLOCK TABLES;');
    expect(sql.trimEnd().split('\n').pop()).toMatch(/^-- Dump completed on \d{4}-\d{2}-\d{2} /);
    expect(sql).toMatch(/\\'/); // apostrophes (d'Hères, de l'Église, N'Diaye…) escaped
    expect((sql.match(/^INSERT INTO/gm) ?? []).length).toBeGreaterThan(10);
    const tuples = mysqlTuples(sql);
    expect(tuples).toHaveLength(ROWS);
    tuples.forEach((t, i) => {
      expect(t[0]).toBe(String(i + 1));
      DEFAULT_FIELDS.forEach((f, k) => expect(t[k + 1]).toBe(rows[i][f] ?? 'NULL'));
    });
  });

  it('pg_dump: CREATE TABLE, COPY … FROM stdin, tab rows with \\N, terminated by \\.', async () => {
    const sql = (await collect((c) => writePgDump(c, rows, { headers: 'en' }))).text();
    expect(sql).toContain('-- PostgreSQL database dump\n');
    expect(sql).toContain('CREATE TABLE public.trainees (\n    id integer NOT NULL,');
    const copyStart = sql.indexOf('COPY public.trainees (id, last_name, first_name');
    expect(copyStart).toBeGreaterThan(0);
    const body = sql.slice(sql.indexOf('\n', copyStart) + 1, sql.indexOf('\n\\.\n'));
    const lines = body.split('\n');
    expect(lines).toHaveLength(ROWS);
    lines.forEach((line, i) => {
      const cols = line.split('\t');
      expect(cols).toHaveLength(DEFAULT_FIELDS.length + 1);
      expect(cols[0]).toBe(String(i + 1));
      DEFAULT_FIELDS.forEach((f, k) => expect(cols[k + 1]).toBe(rows[i][f] ?? '\\N'));
    });
    expect(body).toContain('\\N');
    expect(sql.trimEnd().endsWith('-- PostgreSQL database dump complete\n--')).toBe(true);
  });
});

describe('combolist', () => {
  it('writes email:password lines and some username:hash lines', async () => {
    const lines = (await collect((c) => writeCombolist(c, rows, { hashShare: 0.2 })))
      .text()
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(ROWS);
    let hashed = 0;
    lines.forEach((line, k) => {
      const i = line.indexOf(':');
      const [login, secret] = [line.slice(0, i), line.slice(i + 1)];
      expect(secret.length).toBeGreaterThan(0);
      if (login.includes('@')) {
        expect(line).toBe(`${rows[k].email}:${rows[k].password}`);
      } else if (secret === rows[k].password_hash) {
        expect(login).toBe(rows[k].username);
        expect(identifyPasswordHash(secret), line).not.toBeNull();
        hashed++;
      } else {
        expect(rows[k].email).toBeNull(); // no e-mail: the username stands in
        expect(line).toBe(`${rows[k].username}:${rows[k].password}`);
      }
    });
    expect(hashed / ROWS).toBeGreaterThan(0.1);
    expect(hashed / ROWS).toBeLessThan(0.3);
  });
});
