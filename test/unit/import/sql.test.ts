/**
 * Golden tests of the SQL dump reader, one small dump per dialect built here (made-up people),
 * asserting exact values, columns, provenance, rejects and meta; plus encodings, truncation,
 * recovery after malformed tuples, sniffing, and identical output under any chunking.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  createSqlReader,
  readSqlSchema,
  sqlReader,
} from '../../../src/main/engine/import/readers/sql';
import {
  Tokenizer,
  byteDecoder,
  type TokenHandler,
} from '../../../src/main/engine/import/readers/sql/tokenizer';
import { lexRulesFor } from '../../../src/main/engine/import/readers/sql/dialects';
import {
  collect,
  fixedChunks,
  randomChunks,
  rowValues,
  toSource,
  type Collected,
} from './helpers/collect-sink';

const BS = '\\';

/** Rows of a table as [values...] (throws when missing). */
function rows(c: Collected, table: string): (string | null)[][] {
  return rowValues(c, table);
}

function columns(c: Collected, table: string): string[] {
  const t = c.tables.get(table);
  if (!t) throw new Error(`no table ${table}`);
  return t.columns.map((x) => x.name);
}

/** Every INSERT row's offset points at its "(" and its line is the line of that byte. */
function expectInsertProvenance(input: Buffer, c: Collected): void {
  for (const t of c.tables.values()) {
    for (const r of t.rows) {
      expect(String.fromCharCode(input[r.offset]!)).toBe('(');
      expect(r.line).toBe(lineAt(input, r.offset));
    }
  }
}

function lineAt(input: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (input[i] === 0x0a) line++;
  return line;
}

/** A stable, comparable image of everything a read produced. */
function snapshot(c: Collected): unknown {
  return {
    tables: [...c.tables].map(([name, t]) => ({
      name,
      columns: t.columns.map((x) => x.name),
      rows: t.rows.map((r) => [r.ordinal, r.line, r.offset, ...r.values]),
    })),
    rejects: c.rejects,
    meta: c.meta,
    result: c.result,
  };
}

// -------------------------------------------------------------------------------------------------
// Dumps

const MYSQL = [
  '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)',
  '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
  '/*!40101 SET NAMES utf8mb4 */;',
  '/*M!999999\\- enable the sandbox mode */',
  "# hash comment with a quote ' in it",
  'DROP TABLE IF EXISTS `client`;',
  'CREATE TABLE `client` (',
  '  `id` int NOT NULL AUTO_INCREMENT,',
  "  `nom` varchar(50) NOT NULL DEFAULT '',",
  "  `email` varchar(80) DEFAULT NULL COMMENT 'adresse, principale',",
  '  `photo` blob,',
  '  /*!50705 `geo` point NOT NULL,*/',
  '  `hash` varbinary(16) DEFAULT NULL,',
  '  PRIMARY KEY (`id`),',
  '  UNIQUE KEY `uk_email` (`email`),',
  '  KEY `idx_nom` (`nom`(10)),',
  '  /*!50705 SPATIAL KEY `idx_geo` (`geo`),*/',
  '  CONSTRAINT `fk_x` FOREIGN KEY (`id`) REFERENCES `other` (`id`)',
  ') ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4;',
  'LOCK TABLES `client` WRITE;',
  '/*!40000 ALTER TABLE `client` DISABLE KEYS */;',
  `INSERT INTO \`client\` VALUES (1,'O${BS}'Brien','a@example.org',0x89504E47,/*!50705 0x0101,*/_binary 'ab${BS}0${BS}Z'),(2,'L1${BS}nL2${BS}tT${BS}${BS}B ${BS}"dq${BS}" ''sq'' ${BS}r ${BS}% ${BS}x',NULL,X'CAFE',/*!50705 0x0202,*/NULL),`,
  "(3,_utf8mb4'Zoé -- not a comment # nor this',-12.5e3,NULL,/*!50705 0x03,*/_binary 0x00FF);",
  '/*!40000 ALTER TABLE `client` ENABLE KEYS */;',
  'UNLOCK TABLES;',
  "INSERT IGNORE INTO `client` (`email`, `id`, `nom`) VALUES ('c@example.org', 4, 'Dupont'),('d@example.org',5,'Durand') ON DUPLICATE KEY UPDATE `nom`=VALUES(`nom`);",
  "REPLACE INTO `client` (`id`,`nom`,`email`,`photo`,`geo`,`hash`) VALUES (6,'Martin',DEFAULT,NULL,ST_GeomFromText('POINT(1 2)'),NULL);",
  'DELIMITER ;;',
  '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg` AFTER INSERT ON `client` FOR EACH ROW BEGIN',
  "  INSERT INTO `client` VALUES (new.id, 'x;y', NULL, NULL, NULL, NULL);",
  '  IF new.id > 0 THEN SET @a = 1; END IF;',
  'END */;;',
  'DELIMITER ;',
  'DELIMITER //',
  'CREATE PROCEDURE p() BEGIN',
  '  CREATE TEMPORARY TABLE tmp_ids (id INT NOT NULL PRIMARY KEY);',
  '  INSERT INTO tmp_ids VALUES (1),(2);',
  'END //',
  'DELIMITER ;',
  "INSERT INTO `client` VALUES (7,'Tail',NULL,NULL,NULL,NULL);",
  '/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;',
  '-- Dump completed',
  '',
].join('\r\n');

const POSTGRES = [
  '--',
  '-- PostgreSQL database dump',
  '--',
  '',
  '\\restrict Zx81abc',
  'SET statement_timeout = 0;',
  "SET client_encoding = 'UTF8';",
  'SET standard_conforming_strings = on;',
  "SELECT pg_catalog.set_config('search_path', '', false);",
  '',
  'CREATE FUNCTION public.touch() RETURNS trigger',
  '    LANGUAGE plpgsql',
  '    AS $_$',
  'BEGIN',
  "  INSERT INTO public.person VALUES (99, 'x; y', $1, 'it''s', NULL);",
  "  NEW.note := 'a $$ b';",
  '  RETURN NEW;',
  'END $_$;',
  '',
  'CREATE TABLE public.person (',
  '    id integer NOT NULL,',
  '    "Full Name" text,',
  "    note text DEFAULT 'n/a'::text,",
  '    key text,',
  '    born date,',
  '    CONSTRAINT person_pk PRIMARY KEY (id)',
  ');',
  '',
  'ALTER TABLE public.person OWNER TO postgres;',
  '',
  'COPY public.person (id, "Full Name", note, key, born) FROM stdin;',
  ['1', 'Jean Dupont', `line1${BS}nline2`, 'k1', '1980-01-02'].join('\t'),
  [
    '2',
    `${BS}N-ish`,
    `${BS}N`,
    `${BS}t tab ${BS}${BS} back ${BS}101${BS}x42${BS}r${BS}b${BS}f${BS}v`,
    `${BS}N`,
  ].join('\t'),
  ['3', 'Zoé', '', 'k3', '2001-02-03'].join('\t'),
  `${BS}.`,
  '',
  `INSERT INTO public.person (id, "Full Name", note, key, born) VALUES (4, 'O''Hara', E'it${BS}'s${BS}n${BS}x41${BS}101${BS}u00e9', 'C:${BS}temp', '2001-02-03'::date);`,
  "INSERT INTO public.person VALUES (5, $$dollar 'quoted'$$, NULL, 'multi",
  "line', NULL);",
  '\\connect other',
  'COPY public.empty (a) FROM stdin;',
  `${BS}.`,
  '',
  '\\unrestrict Zx81abc',
  '',
].join('\n');

const SQLITE = [
  'PRAGMA foreign_keys=OFF;',
  'BEGIN TRANSACTION;',
  'CREATE TABLE contacts(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, "e-mail" TEXT, key TEXT);',
  "INSERT INTO contacts VALUES(1,'Ann','ann@example.org','k');",
  `INSERT INTO "contacts" VALUES(2,'Bob '' Jr',NULL,'C:${BS}dir');`,
  "CREATE TRIGGER trg AFTER INSERT ON contacts BEGIN INSERT INTO log VALUES(new.id, 'added; ok'); UPDATE contacts SET name = CASE WHEN 1 THEN 'x' END WHERE id = 0; END;",
  "INSERT INTO contacts VALUES(3,'Cé',X'00ff','');",
  'DELETE FROM sqlite_sequence;',
  "INSERT INTO sqlite_sequence VALUES('contacts',3);",
  'COMMIT;',
  '',
].join('\n');

const MSSQL = [
  'SET ANSI_NULLS ON',
  'GO',
  'CREATE TABLE [dbo].[Person](',
  '\t[Id] [int] IDENTITY(1,1) NOT NULL,',
  '\t[Name] [nvarchar](50) NULL,',
  '\t[Born] [datetime] NULL,',
  '\t[Balance] [money] NULL,',
  ' CONSTRAINT [PK_Person] PRIMARY KEY CLUSTERED ([Id] ASC)',
  ') ON [PRIMARY]',
  'GO',
  'SET IDENTITY_INSERT [dbo].[Person] ON ',
  "INSERT [dbo].[Person] ([Id], [Name], [Born], [Balance]) VALUES (1, N'Zoë O''Neil', CAST(N'1980-05-06T00:00:00.000' AS DateTime), CAST(12.50 AS Decimal(10, 2)))",
  "INSERT [dbo].[Person] ([Id], [Name], [Born], [Balance]) VALUES (2, N'Bob', CONVERT(datetime, '2001-02-03', 120), NULL)",
  `INSERT [dbo].[Person] ([Id], [Name], [Born], [Balance]) VALUES (3, N'C:${BS}x', GETDATE(), -1)`,
  'SET IDENTITY_INSERT [dbo].[Person] OFF',
  'GO',
  'CREATE PROCEDURE [dbo].[AddPerson] @n nvarchar(50) AS',
  'BEGIN',
  '  INSERT INTO [dbo].[Person] ([Name]) VALUES (@n);',
  '  INSERT INTO [dbo].[Person] ([Name]) VALUES (@n);',
  'END',
  'go',
  'INSERT INTO #tmp VALUES (1)',
  '',
].join('\r\n');

// -------------------------------------------------------------------------------------------------

describe('sqlReader: MySQL / MariaDB mysqldump', () => {
  it('reads columns (versioned comments included, keys ignored) and exact values', async () => {
    const c = await collect(sqlReader, MYSQL);
    expect([...c.tables.keys()]).toEqual(['client', 'tmp_ids']);
    expect(columns(c, 'client')).toEqual(['id', 'nom', 'email', 'photo', 'geo', 'hash']);
    expect(rows(c, 'client')).toEqual([
      ['1', "O'Brien", 'a@example.org', '0x89504E47', '0x0101', 'ab\u0000\u001a'],
      ['2', 'L1\nL2\tT\\B "dq" \'sq\' \r \\% \\x', null, "X'CAFE'", '0x0202', null],
      ['3', 'Zoé -- not a comment # nor this', '-12.5e3', null, '0x03', '0x00FF'],
      ['4', 'Dupont', 'c@example.org', null, null, null],
      ['5', 'Durand', 'd@example.org', null, null, null],
      ['6', 'Martin', null, null, "ST_GeomFromText('POINT(1 2)')", null],
      ['7', 'Tail', null, null, null, null],
    ]);
    // The trigger's INSERT refers to NEW.*: never data. The procedure's temp table is declared.
    expect(columns(c, 'tmp_ids')).toEqual(['id']);
    expect(rows(c, 'tmp_ids')).toEqual([]);
    expect(c.rejects).toEqual([]);
    expect(c.result).toEqual({ truncated: false });
    expect(c.meta).toMatchObject({
      dialect: 'mysql',
      statements: 15,
      statementsSkipped: 10,
      insertStatements: 4,
      createTables: 2,
      routinesSkipped: 2,
      declaredCharset: 'utf8mb4',
    });
  });

  it('keeps provenance: line and byte offset of each tuple "(" (CRLF file)', async () => {
    const input = Buffer.from(MYSQL, 'utf8');
    const c = await collect(sqlReader, input);
    expectInsertProvenance(input, c);
    const t = c.tables.get('client')!;
    expect(t.rows.map((r) => r.line)).toEqual([22, 22, 23, 26, 26, 27, 40]);
    expect(t.rows.map((r) => r.ordinal)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('keeps _binary bytes that are not UTF-8 as a 0x hex literal', async () => {
    const input = Buffer.concat([
      Buffer.from("INSERT INTO h VALUES (1,_binary '"),
      Buffer.from([0xde, 0xad, 0x5c, 0x27, 0xef]), // DE AD \' EF
      Buffer.from("'),(2,_binary 'ok');"),
    ]);
    const c = await collect(sqlReader, input, { dialect: 'mysql' });
    expect(rows(c, 'h')).toEqual([
      ['1', '0xDEAD27EF'],
      ['2', 'ok'],
    ]);
  });

  it('honours NO_BACKSLASH_ESCAPES in sql_mode', async () => {
    const sql = `SET sql_mode='NO_BACKSLASH_ESCAPES';\nINSERT INTO t VALUES ('C:${BS}new');\nSET SQL_MODE=@OLD_SQL_MODE;\nINSERT INTO t VALUES ('a${BS}nb');\n`;
    const c = await collect(sqlReader, sql, { dialect: 'mysql' });
    expect(rows(c, 't')).toEqual([['C:\\new'], ['a\nb']]);
  });

  it('names columns col_1..col_n when neither CREATE TABLE nor a column list names them', async () => {
    const c = await collect(sqlReader, "INSERT INTO people VALUES (1,'a',NULL),(2,'b','x');\n");
    expect(columns(c, 'people')).toEqual(['col_1', 'col_2', 'col_3']);
    expect(rows(c, 'people')).toEqual([
      ['1', 'a', null],
      ['2', 'b', 'x'],
    ]);
  });
});

describe('sqlReader: PostgreSQL pg_dump', () => {
  it('reads COPY blocks (\\N, escapes) and INSERTs, skipping function bodies', async () => {
    const c = await collect(sqlReader, POSTGRES);
    expect(columns(c, 'person')).toEqual(['id', 'Full Name', 'note', 'key', 'born']);
    expect(rows(c, 'person')).toEqual([
      ['1', 'Jean Dupont', 'line1\nline2', 'k1', '1980-01-02'],
      ['2', 'N-ish', null, '\t tab \\ back AB\r\b\f\v', null],
      ['3', 'Zoé', '', 'k3', '2001-02-03'],
      ['4', "O'Hara", "it's\nAAé", 'C:\\temp', '2001-02-03'],
      ['5', "dollar 'quoted'", null, 'multi\nline', null],
    ]);
    expect(columns(c, 'empty')).toEqual(['a']);
    expect(rows(c, 'empty')).toEqual([]);
    expect(c.rejects).toEqual([]);
    expect(c.result).toEqual({ truncated: false });
    expect(c.meta).toMatchObject({
      dialect: 'postgres',
      copyBlocks: 2,
      insertStatements: 2,
      createTables: 1,
      routinesSkipped: 1,
      declaredCharset: 'UTF8',
    });
  });

  it('gives COPY rows the offset and line of their line start', async () => {
    const input = Buffer.from(POSTGRES, 'utf8');
    const c = await collect(sqlReader, input);
    const t = c.tables.get('person')!;
    for (const r of t.rows.slice(0, 3)) {
      expect(input[r.offset - 1]).toBe(0x0a);
      expect(input.subarray(r.offset, r.offset + 2).toString()).toBe(`${r.values[0]}\t`);
      expect(r.line).toBe(lineAt(input, r.offset));
    }
    expect(t.rows[3]!.line).toBe(lineAt(input, input.indexOf("(4, 'O''Hara'")));
  });

  it('rejects a COPY row with the wrong number of fields and continues', async () => {
    const sql = 'COPY t (a, b) FROM stdin;\n1\tx\n2\n3\ty\n\\.\n';
    const c = await collect(sqlReader, sql);
    expect(rows(c, 't')).toEqual([
      ['1', 'x'],
      ['3', 'y'],
    ]);
    expect(c.rejects).toEqual([
      {
        table: 't',
        line: 3,
        offset: 30,
        reason: 'expected 2 values, found 1',
        raw: '2',
        ordinal: 1,
      },
    ]);
  });

  it('treats backslashes literally when standard_conforming_strings is on, as escapes when off', async () => {
    const on = await collect(sqlReader, `INSERT INTO t VALUES ('a${BS}nb');`, {
      dialect: 'postgres',
    });
    expect(rows(on, 't')).toEqual([['a\\nb']]);
    const off = await collect(
      sqlReader,
      `SET standard_conforming_strings = off;\nINSERT INTO t VALUES ('a${BS}nb');`,
      { dialect: 'postgres' },
    );
    expect(rows(off, 't')).toEqual([['a\nb']]);
  });

  it('supports COPY DELIMITER and NULL options', async () => {
    const sql = "COPY t (a, b) FROM stdin WITH DELIMITER ',' NULL 'nil';\n1,nil\n2,x\n\\.\n";
    const c = await collect(sqlReader, sql);
    expect(rows(c, 't')).toEqual([
      ['1', null],
      ['2', 'x'],
    ]);
  });

  it('rejects the lines of a COPY in csv format (not supported) without losing the rest', async () => {
    const sql =
      "COPY t (a) FROM stdin WITH (FORMAT csv);\n1\n2\n\\.\nINSERT INTO t VALUES ('3');\n";
    const c = await collect(sqlReader, sql);
    expect(rows(c, 't')).toEqual([['3']]);
    expect(c.rejects.map((r) => [r.reason, r.raw])).toEqual([
      ['COPY csv format is not supported', '1'],
      ['COPY csv format is not supported', '2'],
    ]);
  });
});

describe('sqlReader: SQLite .dump', () => {
  it('reads CREATE TABLE and INSERT INTO "t" VALUES(...), skipping trigger bodies', async () => {
    const c = await collect(sqlReader, SQLITE);
    expect(columns(c, 'contacts')).toEqual(['id', 'name', 'e-mail', 'key']);
    expect(rows(c, 'contacts')).toEqual([
      ['1', 'Ann', 'ann@example.org', 'k'],
      ['2', "Bob ' Jr", null, 'C:\\dir'],
      ['3', 'Cé', "X'00ff'", ''],
    ]);
    expect(c.tables.has('log')).toBe(false);
    expect(columns(c, 'sqlite_sequence')).toEqual(['col_1', 'col_2']);
    expect(rows(c, 'sqlite_sequence')).toEqual([['contacts', '3']]);
    expect(c.meta).toMatchObject({ dialect: 'sqlite', routinesSkipped: 1, insertStatements: 4 });
    expect(c.rejects).toEqual([]);
  });
});

describe('sqlReader: SQL Server scripts', () => {
  it('reads [bracket] names, N strings, CAST/CONVERT literals, GO batches and INSERTs without ;', async () => {
    const c = await collect(sqlReader, MSSQL);
    expect(columns(c, 'Person')).toEqual(['Id', 'Name', 'Born', 'Balance']);
    expect(rows(c, 'Person')).toEqual([
      ['1', "Zoë O'Neil", '1980-05-06T00:00:00.000', '12.50'],
      ['2', 'Bob', '2001-02-03', null],
      ['3', 'C:\\x', 'GETDATE()', '-1'],
    ]);
    // The procedure body (up to GO) is not data; #tmp is a T-SQL temp table name, not a comment.
    expect(rows(c, '#tmp')).toEqual([['1']]);
    expect(c.meta).toMatchObject({ dialect: 'mssql', routinesSkipped: 1, insertStatements: 4 });
    expect(c.rejects).toEqual([]);
    expectInsertProvenance(Buffer.from(MSSQL), c);
  });
});

describe('sqlReader: tables, columns and schemas', () => {
  it('maps INSERT column lists onto CREATE TABLE columns, adding unknown ones', async () => {
    const sql = [
      'CREATE TABLE t (a int, b text, c text);',
      "INSERT INTO t (c, a) VALUES ('z', 1);",
      "INSERT INTO t (A, B, C) VALUES (2, 'y', 'x');",
      "INSERT INTO t (a, extra) VALUES (3, 'e');",
      "INSERT INTO t VALUES (4, 'w', 'v', 'u');",
    ].join('\n');
    const c = await collect(sqlReader, sql);
    expect(columns(c, 't')).toEqual(['a', 'b', 'c', 'extra']);
    expect(rows(c, 't')).toEqual([
      ['1', null, 'z'],
      ['2', 'y', 'x'],
      ['3', null, null, 'e'],
      ['4', 'w', 'v', 'u'],
    ]);
  });

  it('drops the schema from table names unless two schemas collide', async () => {
    const sql = [
      'CREATE TABLE public.customer (id int, name text);',
      'CREATE TABLE archive.customer (id int, name text, deleted date);',
      "INSERT INTO public.customer VALUES (1, 'a');",
      "INSERT INTO archive.customer VALUES (2, 'b', '2020-01-01');",
      "INSERT INTO customer VALUES (3, 'c');",
      "INSERT INTO `shop`.`Customer` VALUES (4, 'd');",
    ].join('\n');
    const c = await collect(sqlReader, sql, { dialect: 'generic' });
    // Unqualified names go to the first table of that name; a third schema is kept apart too.
    expect([...c.tables.keys()]).toEqual(['customer', 'archive.customer', 'shop.Customer']);
    expect(rows(c, 'customer')).toEqual([
      ['1', 'a'],
      ['3', 'c'],
    ]);
    expect(rows(c, 'archive.customer')).toEqual([['2', 'b', '2020-01-01']]);
    expect(columns(c, 'shop.Customer')).toEqual(['col_1', 'col_2']);
    expect(rows(c, 'shop.Customer')).toEqual([['4', 'd']]);
  });

  it("recognises KEY/INDEX as an index only when shaped like one (PostgreSQL's key column)", async () => {
    const sql = [
      'CREATE TABLE kv (key varchar(20), value text, index int, KEY k_idx (key), INDEX (value(10)));',
      "INSERT INTO kv VALUES ('a', 'b', 1);",
    ].join('\n');
    const c = await collect(sqlReader, sql);
    expect(columns(c, 'kv')).toEqual(['key', 'value', 'index']);
    expect(rows(c, 'kv')).toEqual([['a', 'b', '1']]);
  });

  it('takes columns from a schema read separately (data file without CREATE TABLE)', async () => {
    const schemaSql = 'CREATE TABLE a (x int, y int);\nCREATE TABLE unused (z int);\n';
    const schema = await readSqlSchema(toSource(schemaSql));
    expect(schema).toEqual(
      new Map([
        ['a', ['x', 'y']],
        ['unused', ['z']],
      ]),
    );
    const c = await collect(createSqlReader({ schema }), 'INSERT INTO a VALUES (1,2),(3,4);');
    expect([...c.tables.keys()]).toEqual(['a']);
    expect(columns(c, 'a')).toEqual(['x', 'y']);
    expect(rows(c, 'a')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});

describe('sqlReader: rejects, recovery and truncation', () => {
  it('rejects a tuple whose value count differs, keeping its place and raw text', async () => {
    const sql = "INSERT INTO t (a,b) VALUES (1,'x'),\n(2),(3,'z');";
    const c = await collect(sqlReader, sql);
    expect(rows(c, 't')).toEqual([
      ['1', 'x'],
      ['3', 'z'],
    ]);
    expect(c.rejects).toEqual([
      {
        table: 't',
        line: 2,
        offset: sql.indexOf('(2)'),
        reason: 'expected 2 values, found 1',
        raw: '(2)',
        ordinal: 1,
      },
    ]);
    expect(c.tables.get('t')!.rows.map((r) => r.ordinal)).toEqual([0, 2]);
  });

  it('rejects malformed tuples and resyncs at the next "),(" or statement end', async () => {
    const sql =
      "INSERT INTO t (a,b) VALUES (1,'a'),(2,,'b'),(3,*),(4,'c'))garbage,(5,'e'),(6,'f');\n" +
      "INSERT INTO t (a,b) VALUES (7,'g'),(8,'h';\nINSERT INTO t (a,b) VALUES (9,'i');\n";
    const c = await collect(sqlReader, sql);
    expect(rows(c, 't')).toEqual([
      ['1', 'a'],
      ['4', 'c'],
      ['5', 'e'],
      ['6', 'f'],
      ['7', 'g'],
      ['9', 'i'],
    ]);
    expect(c.rejects.map((r) => [r.reason, r.raw])).toEqual([
      ['empty value', "(2,,'b')"],
      ["unexpected '*'", '(3,*)'],
      ['unexpected text between tuples', ')garbage,'],
      ['statement ends inside a tuple', "(8,'h'"],
    ]);
    expect(c.result.truncated).toBe(false);
  });

  it('keeps every complete row of a file cut inside a string and rejects the partial one', async () => {
    const sql = "INSERT INTO t VALUES (1,'a'),(2,'b'),\n(3,'unterminated, value";
    const c = await collect(sqlReader, sql);
    expect(rows(c, 't')).toEqual([
      ['1', 'a'],
      ['2', 'b'],
    ]);
    expect(c.result).toEqual({
      truncated: true,
      truncatedReason: 'file ends inside a string literal started at line 2',
    });
    expect(c.rejects).toEqual([
      {
        table: 't',
        line: 2,
        offset: sql.indexOf('(3'),
        reason: 'file ends inside a string literal started at line 2',
        raw: "(3,'unterminated, value",
        ordinal: 2,
      },
    ]);
  });

  it('reports truncation inside a tuple, after a comma, and inside COPY data', async () => {
    const a = await collect(sqlReader, "INSERT INTO t VALUES (1,'a'),(2,");
    expect(a.result).toEqual({ truncated: true, truncatedReason: 'file ends inside a tuple' });
    expect(a.rejects.map((r) => r.raw)).toEqual(['(2,']);
    const b = await collect(sqlReader, "INSERT INTO t VALUES (1,'a'),");
    expect(b.result.truncated).toBe(true);
    expect(b.rejects).toEqual([]);
    const d = await collect(sqlReader, 'COPY t (a, b) FROM stdin;\n1\tx\n2\ty');
    expect(rows(d, 't')).toEqual([['1', 'x']]);
    expect(d.rejects.map((r) => [r.reason, r.raw])).toEqual([
      ['file ends inside a COPY row', '2\ty'],
    ]);
    expect(d.result.truncated).toBe(true);
    const e = await collect(sqlReader, "INSERT INTO t VALUES (1,'a')");
    expect(e.result.truncated).toBe(false);
    expect(rows(e, 't')).toEqual([['1', 'a']]);
  });

  it('rejects a value longer than maxValueBytes without keeping it, and continues', async () => {
    const big = 'x'.repeat(5000);
    const sql = `INSERT INTO t VALUES (1,'${big}'),(2,'small');`;
    const reader = createSqlReader({ maxValueBytes: 1000 });
    const c = await collect(reader, fixedChunks(Buffer.from(sql), 100));
    expect(rows(c, 't')).toEqual([['2', 'small']]);
    expect(c.rejects).toHaveLength(1);
    expect(c.rejects[0]!.reason).toBe('value longer than 1000 bytes');
    expect(c.rejects[0]!.raw.startsWith("(1,'xxx")).toBe(true);
  });
});

describe('sqlReader: encodings', () => {
  const latin = Buffer.concat([
    Buffer.from("INSERT INTO t VALUES (1,'Zo"),
    Buffer.from([0xe9]),
    Buffer.from("'),(2,'"),
    Buffer.from([0x80, 0x9c]),
    Buffer.from("uvre');"),
  ]);

  it('decodes ISO-8859-1 and Windows-1252 string bytes', async () => {
    const iso = await collect(sqlReader, latin, { encoding: 'iso-8859-1' });
    expect(rows(iso, 't')).toEqual([
      ['1', 'Zoé'],
      ['2', '\u0080\u009cuvre'],
    ]);
    const cp = await collect(sqlReader, latin, { encoding: 'windows-1252' });
    expect(rows(cp, 't')).toEqual([
      ['1', 'Zoé'],
      ['2', '€œuvre'],
    ]);
  });

  it('transcodes UTF-16 (BOM) and says offsets are in the UTF-8 transcoding', async () => {
    const sql = "INSERT INTO t VALUES (1,'Zoë 😀'),\r\n(2,'ü');";
    const c = await collect(sqlReader, Buffer.from(`\ufeff${sql}`, 'utf16le'), {
      encoding: 'utf-16le',
    });
    expect(rows(c, 't')).toEqual([
      ['1', 'Zoë 😀'],
      ['2', 'ü'],
    ]);
    expect(c.tables.get('t')!.rows.map((r) => r.line)).toEqual([1, 2]);
    expect(c.meta.offsetBasis).toBe('utf-8-transcoded');
    // A UTF-16 BOM wins over a wrong option.
    const be = Buffer.from(`\ufeff${sql}`, 'utf16le').swap16();
    expect(rows(await collect(sqlReader, be), 't')).toEqual([
      ['1', 'Zoë 😀'],
      ['2', 'ü'],
    ]);
  });

  it('skips a UTF-8 BOM but counts it in offsets', async () => {
    const input = Buffer.from("\ufeffINSERT INTO t VALUES (1,'a');", 'utf8');
    const c = await collect(sqlReader, input);
    expect(c.tables.get('t')!.rows[0]!.offset).toBe(input.indexOf('('));
    expect(rows(c, 't')).toEqual([['1', 'a']]);
  });
});

describe('sqlReader: streaming', () => {
  const dumps: [string, string][] = [
    ['mysql', MYSQL],
    ['postgres', POSTGRES],
    ['sqlite', SQLITE],
    ['mssql', MSSQL],
  ];
  for (const [name, sql] of dumps) {
    it(`gives identical output for any chunking (${name})`, async () => {
      const bytes = Buffer.from(sql, 'utf8');
      const whole = snapshot(await collect(sqlReader, bytes));
      for (let seed = 1; seed <= 25; seed++) {
        expect(snapshot(await collect(sqlReader, randomChunks(bytes, seed, 64)))).toEqual(whole);
      }
      for (const size of [1, 2, 3, 7]) {
        expect(snapshot(await collect(sqlReader, fixedChunks(bytes, size)))).toEqual(whole);
      }
    });
  }

  it('streams a one-line INSERT of many tuples in flat memory', async () => {
    const n = 120_000;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`(${i},'name ${i}','x${BS}'y',NULL)`);
    const bytes = Buffer.from(`INSERT INTO big VALUES ${parts.join(',')};`);
    expect(bytes.length).toBeGreaterThan(3_000_000);

    let count = 0;
    let last: readonly (string | null)[] = [];
    let maxCapacity = 0;
    const handler: TokenHandler = {
      stmtEmpty: true,
      token() {
        count++;
      },
      copyRow() {},
      copyEnd() {},
    };
    const lex = new Tokenizer(handler, {
      rules: lexRulesFor('mysql'),
      decode: byteDecoder('utf-8'),
      utf8: true,
      baseOffset: 0,
    });
    for (const chunk of fixedChunks(bytes, 64 * 1024)) {
      lex.feed(chunk);
      maxCapacity = Math.max(maxCapacity, lex.bufferCapacity);
    }
    lex.finish();
    expect(count).toBeGreaterThan(n * 8);
    // The buffer holds about one chunk, never the statement.
    expect(maxCapacity).toBeLessThanOrEqual(256 * 1024);

    const c = await collect(sqlReader, fixedChunks(bytes, 64 * 1024));
    const t = c.tables.get('big')!;
    expect(t.rows).toHaveLength(n);
    last = t.rows[n - 1]!.values;
    expect(last).toEqual([String(n - 1), `name ${n - 1}`, "x'y", null]);
  });

  it('stops when the signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(collect(sqlReader, MYSQL, {}, { signal: ac.signal })).rejects.toThrow();
  });
});

describe('sqlReader.sniff', () => {
  const b = (s: string): Buffer => Buffer.from(s, 'utf8');
  it('recognises dumps and their dialect', () => {
    expect(sqlReader.sniff(b(MYSQL), 'x.sql')).toMatchObject({
      likelihood: expect.closeTo(0.99, 2),
      options: { dialect: 'mysql', encoding: 'utf-8' },
    });
    expect(sqlReader.sniff(b(POSTGRES), 'x')!.options.dialect).toBe('postgres');
    expect(sqlReader.sniff(b(POSTGRES), 'x')!.likelihood).toBeGreaterThanOrEqual(0.95);
    expect(sqlReader.sniff(b(SQLITE), 'x')).toMatchObject({ options: { dialect: 'sqlite' } });
    expect(sqlReader.sniff(b(SQLITE), 'x')!.likelihood).toBeGreaterThanOrEqual(0.9);
    expect(sqlReader.sniff(b(MSSQL), 'x')).toMatchObject({ options: { dialect: 'mssql' } });
    expect(sqlReader.sniff(b(MSSQL), 'x')!.likelihood).toBeGreaterThanOrEqual(0.9);
    const plain = sqlReader.sniff(b("insert into users values (1,'a');\n"), 'dump.txt');
    expect(plain).toMatchObject({ likelihood: 0.9, options: { dialect: 'generic' } });
    const utf16 = sqlReader.sniff(Buffer.from('\ufeffCREATE TABLE t (a int);\n', 'utf16le'), 'x');
    expect(utf16).toMatchObject({ likelihood: 0.9, options: { encoding: 'utf-16le' } });
  });

  it('stays linear on pathological heads (no regex backtracking blow-up)', () => {
    const heads = [
      '\n'.repeat(65536),
      ' \n\t'.repeat(21845),
      'COPY a b c\n'.repeat(6000),
      'INSERT INTO t (a\n'.repeat(4000),
      `CREATE TABLE x${'\n'.repeat(65000)}`,
    ];
    for (const h of heads) {
      const t = performance.now();
      sqlReader.sniff(b(h), 'x.sql');
      expect(performance.now() - t).toBeLessThan(250);
    }
  });

  it('does not claim CSV, JSON or prose', () => {
    expect(sqlReader.sniff(b('id,name,email\n1,Ann,ann@example.org\n'), 'a.csv')).toBeNull();
    expect(sqlReader.sniff(b('[{"sql": "INSERT INTO t VALUES (1)"}]'), 'a.json')).toBeNull();
    expect(sqlReader.sniff(b('Dear team, please insert into the report.'), 'a.txt')).toBeNull();
    expect(sqlReader.sniff(new Uint8Array(0), 'a.sql')).toBeNull();
  });
});
