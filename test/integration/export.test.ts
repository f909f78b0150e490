/**
 * Redacted exports through the engine's contract (issue 7), on generated French leak files:
 * every format scanned for every original value of the redacted columns; pseudonyms stable across
 * datasets and exports of one case and different in another case; leaky policies refused with
 * nothing left on disk; aggregates only for publish-statistics; filter, manifest, audit entry and
 * history; policies saved, exported and imported; redacted preview.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../src/shared/api';
import { BUILTIN_POLICIES, restorePolicy } from '../../src/shared/redaction';
import { readCsvRecords } from '../../src/main/engine/export/csv';
import { readNdjsonRecords } from '../../src/main/engine/export/ndjson';
import { runExport } from '../../src/main/engine/export/run';
import type { Engine } from '../../src/main/engine';
import { xlsxReader } from '../../src/main/engine/import/readers/xlsx';
import { planRedaction } from '../../src/main/engine/redact/apply';
import { columnKinds } from '../../src/main/engine/redact/kinds';
import { openCase } from '../../src/main/engine/store';
import { buildNir } from '../../src/main/engine/profile/validators';
import { generateFile } from '../fixtures/gen';
import { NATIVE_BINDING, TEST_PASSPHRASE } from '../helpers/case';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';
import { createCollectSink } from '../unit/import/helpers/collect-sink';

const dir = scratchDir('leakscope-export-');
const outDir = join(dir, 'out');
let a: { engine: Engine; path: string };
let b: { engine: Engine; path: string };
const results = new Map<string, ExportResult>();

async function* text(path: string): AsyncGenerator<string> {
  yield readFileSync(path, 'utf8');
}

/** Output records as value arrays (header / provenance included) for any record format. */
async function records(r: ExportResult): Promise<(string | null)[][]> {
  const out: (string | null)[][] = [];
  if (r.format === 'csv') {
    for await (const rec of readCsvRecords(text(r.out), ',')) out.push(rec);
  } else if (r.format === 'ndjson') {
    const keys = Object.keys(JSON.parse(readFileSync(r.out, 'utf8').split('\n')[0]!) as object);
    out.push(keys);
    for await (const rec of readNdjsonRecords(text(r.out), keys)) {
      out.push(rec.map((v) => (v === null ? null : String(v))));
    }
  } else {
    const { sink, tables } = createCollectSink();
    await xlsxReader.readFile!(r.out, {}, sink);
    const t = tables.get('Data')!;
    out.push(t.columns.map((c) => c.name));
    for (const row of t.rows) out.push(row.values);
  }
  return out;
}

/** The original values of the columns share-with-authority redacts, read from the case. */
function redactedOriginals(casePath: string, dataset: string) {
  const c = openCase(casePath, TEST_PASSPHRASE, {
    readOnly: true,
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  try {
    const ds = c.db.prepare('SELECT id, physical FROM datasets WHERE name = ?').get(dataset) as {
      id: number;
      physical: string;
    };
    const plan = planRedaction(
      BUILTIN_POLICIES['share-with-authority']!,
      columnKinds(c.db, ds).columns,
    );
    const rows = c.db.prepare(`SELECT * FROM ${ds.physical} ORDER BY id`).all() as Record<
      string,
      string | null
    >[];
    return plan.columns
      .filter((p) => p.rule.op !== 'keep')
      .map((p) => ({
        name: p.name,
        output: p.output,
        values: rows.map((r) => r[`c_${p.idx}`]).filter((v): v is string => !!v && v.trim() !== ''),
      }));
  } finally {
    c.close();
  }
}

/**
 * The export job body run in this process on a second connection to case A (what the worker
 * runs): the refusals and aggregates below need no worker thread, which keeps the file fast.
 */
async function exportInProcess(
  dataset: string,
  format: 'csv' | 'ndjson' | 'xlsx' | 'html',
  out: string,
  policy: unknown,
  sample = 0,
): Promise<ExportResult> {
  const c = openCase(a.path, TEST_PASSPHRASE, {
    lock: false,
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
  });
  try {
    const r = await runExport(c.db, {
      dataset,
      sort: [],
      session: null,
      visible: null,
      format,
      out,
      policy: typeof policy === 'string' ? BUILTIN_POLICIES[policy]! : restorePolicy(policy),
      csv: { delimiter: ',', bom: false },
      sample,
      appVersion: 'test',
      now: new Date().toISOString(),
    });
    return r;
  } finally {
    c.close();
  }
}

const norm = (s: string) => s.normalize('NFC').trim().toLowerCase();

/**
 * For every original value of a redacted column: when it holds a digit or an @ (identifiers,
 * dates, contact data), no output cell equals it and the output does not contain it, even
 * without separators; when it is name-like, no cell of its own column contains it (a last name
 * PARIS and the city PARIS are different facts: the city is kept).
 */
function assertNoOriginal(
  cells: (string | null)[][],
  header: (string | null)[],
  whole: string,
  originals: ReturnType<typeof redactedOriginals>,
): number {
  const all = new Set(
    cells
      .flat()
      .filter((v): v is string => !!v)
      .map(norm),
  );
  const wordsOf = new Map<number, Set<string>>();
  const columnWords = (at: number) => {
    let w = wordsOf.get(at);
    if (!w) {
      w = new Set<string>();
      for (const row of cells) {
        const cell = norm(row[at] ?? '');
        w.add(cell);
        for (const word of cell.split(/[^\p{L}\p{N}'-]+/u)) w.add(word);
      }
      wordsOf.set(at, w);
    }
    return w;
  };
  const lower = whole.toLowerCase();
  const compact = lower.replace(/[\s.\-/]/g, '');
  let checked = 0;
  for (const col of originals) {
    const at = col.output === null ? -1 : header.indexOf(col.output);
    for (const v of col.values) {
      // As verification does: under 4 characters, or a number under 6 digits (record ids,
      // years, postal codes), a value identifies no one and matches counts everywhere.
      if (v.length < 4 || /^\d{1,5}$/.test(v.trim())) continue;
      checked++;
      if (/[\d@]/.test(v)) {
        expect(all.has(norm(v)), `${col.name}: a cell equals an original value`).toBe(false);
        expect(lower.includes(norm(v)), `${col.name}: original value in the output`).toBe(false);
        const c = norm(v).replace(/[\s.\-/]/g, '');
        if (c.length >= 6)
          expect(compact.includes(c), `${col.name}: original digits in the output`).toBe(false);
      } else if (at >= 0) {
        expect(columnWords(at).has(norm(v)), `${col.name}: own column`).toBe(false);
      }
    }
  }
  return checked;
}

/** A third table for the dump: free-text notes, one of which holds a NIR. */
function notesTable(): string {
  const nir = buildNir({ sexDigit: '2', year: 71, month: 3, place: '33063', order: 42 });
  const values: string[] = [];
  for (let i = 0; i < 40; i++) {
    const note = i === 17 ? `rappel: NIR ${nir} a verifier` : `appel numero ${i}, rien a signaler`;
    values.push(`('NOM${i}','user${i}@example.fr','${note}')`);
  }
  return `\nCREATE TABLE \`notes\` (\n  \`nom\` varchar(50),\n  \`email\` varchar(100),\n  \`notes\` text\n);\nINSERT INTO \`notes\` VALUES ${values.join(',')};\n`;
}

beforeAll(async () => {
  mkdirSync(outDir);
  // One MySQL dump, three tables (one import gives three datasets): people 0–249, people
  // 150–399 of the same seed (100 people in common), and notes.
  const a1 = join(dir, 'a.sql');
  const b1 = join(dir, 'b.sql');
  await generateFile({ seed: 11, rows: 250, format: 'mysql', table: 'people', out: a1 });
  await generateFile({
    seed: 11,
    rows: 250,
    start: 150,
    format: 'mysql',
    table: 'people_b',
    out: b1,
  });
  const dump = join(dir, 'leak.sql');
  writeFileSync(dump, readFileSync(a1, 'utf8') + readFileSync(b1, 'utf8') + notesTable());
  a = await engineWithCase(dir, 'case-a');
  b = await engineWithCase(dir, 'case-b');
  const imported = await a.engine.call('import.run', { path: dump });
  expect(imported.datasets.map((d) => d.name)).toEqual([
    'leak.people',
    'leak.people_b',
    'leak.notes',
  ]);
  await b.engine.call('import.run', { path: dump });
  // CSV through the engine (worker, history, audit); the other formats through the same job
  // body in this process (no worker to start: the file stays fast).
  results.set(
    'csv',
    await a.engine.call('export.run', {
      dataset: 'leak.people',
      format: 'csv',
      out: join(outDir, 'people.csv'),
    }),
  );
  for (const format of ['ndjson', 'xlsx', 'html'] as const) {
    results.set(
      format,
      await exportInProcess(
        'leak.people',
        format,
        join(outDir, `people.${format}`),
        'share-with-authority',
        20,
      ),
    );
  }
}, 120_000);

afterAll(() => {
  a?.engine.close();
  b?.engine.close();
});

describe('share-with-authority exports', () => {
  it('write every record, report the hash of the file, and carry a manifest', () => {
    for (const r of results.values()) {
      expect(r.rows).toBe(250);
      expect(r.verified).toBe(true);
      const bytes = readFileSync(r.out);
      expect(r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(r.bytes).toBe(bytes.length);
      expect(r.manifest.policy.name).toBe('share-with-authority');
      expect(r.manifest.dataset.source.fileName).toBe('leak.sql');
      expect(r.manifest.selection.description).toBe('all records');
      expect(existsSync(`${r.out}.partial`)).toBe(false);
    }
    const csv = results.get('csv')!;
    expect(csv.manifestPath).toBe(`${csv.out}.manifest.json`);
    const side = JSON.parse(readFileSync(csv.manifestPath!, 'utf8')) as ExportResult['manifest'];
    expect(side.output).toMatchObject({
      format: 'csv',
      rows: 250,
      sha256: csv.sha256,
      bytes: csv.bytes,
    });
    expect(side.columns.find((c) => c.name === 'nir')).toMatchObject({
      kind: 'nir',
      rule: { op: 'pseudonym' },
    });
    expect(results.get('xlsx')!.manifestPath).toBeNull();
    expect(readFileSync(results.get('html')!.out, 'utf8')).toContain('<pre id="manifest">');
  });

  it('hold no original value of any redacted column, in any format', async () => {
    const originals = redactedOriginals(a.path, 'leak.people');
    expect(originals.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'adresse',
        'date_naissance',
        'email',
        'identifiant_ft',
        'iban',
        'mdp_hash',
        'nir',
        'nom',
        'prenom',
        'rpps',
        'telephone',
      ]),
    );
    let checked = 0;
    for (const format of ['csv', 'ndjson', 'xlsx'] as const) {
      const r = results.get(format)!;
      const recs = await records(r);
      const whole = format === 'xlsx' ? recs.flat().join('\u0001') : readFileSync(r.out, 'utf8');
      expect(recs.length).toBe(251);
      checked += assertNoOriginal(recs.slice(1), recs[0]!, whole, originals);
    }
    const html = readFileSync(results.get('html')!.out, 'utf8');
    checked += assertNoOriginal(
      [],
      [],
      html.replace(/&amp;/g, '&').replace(/&#39;/g, "'"),
      originals,
    );
    expect(checked).toBeGreaterThan(4 * 2000);
  });

  it('keep what the policy keeps and show the redacted forms', async () => {
    const recs = await records(results.get('csv')!);
    const h = recs[0]!;
    const row = (name: string) => recs.slice(1).map((r) => r[h.indexOf(name)]!);
    expect(h.slice(0, 2)).toEqual(['_ordinal', '_line']);
    expect(h).not.toContain('mdp_hash');
    expect(row('nir').every((v) => v === '' || /^NIR-[0-9a-f]{12}$/.test(v))).toBe(true);
    expect(
      row('email')
        .filter(Boolean)
        .every((v) => /^.•••@[a-z0-9.-]+$/.test(v)),
    ).toBe(true);
    expect(
      row('telephone')
        .filter(Boolean)
        .every((v) => /^•• •• •• •• \d\d$/.test(v)),
    ).toBe(true);
    expect(
      row('date_naissance')
        .filter(Boolean)
        .every((v) => /^(19|20)\d\d$/.test(v)),
    ).toBe(true);
    expect(
      row('code_postal')
        .filter(Boolean)
        .every((v) => /^\d{5}$/.test(v)),
    ).toBe(true);
  });
});

describe('pseudonyms', () => {
  const byOrdinal = async (r: ExportResult, column: string) => {
    const recs = await records(r);
    const i = recs[0]!.indexOf(column);
    return new Map(recs.slice(1).map((x) => [Number(x[0]), x[i] ?? '']));
  };

  it('are stable across datasets and exports of one case', async () => {
    const other = await a.engine.call('export.run', {
      dataset: 'leak.people_b',
      format: 'csv',
      out: join(outDir, 'people_b.csv'),
    });
    for (const column of ['nir', 'nom', 'iban']) {
      const first = await byOrdinal(results.get('csv')!, column);
      const again = await byOrdinal(results.get('ndjson')!, column);
      expect([...again.entries()]).toEqual([...first.entries()]);
      const second = await byOrdinal(other, column);
      let same = 0;
      // Person k is ordinal k in people and ordinal k - 150 in people_b.
      for (let k = 150; k < 250; k++) {
        if (!first.get(k)) continue;
        expect(second.get(k - 150)).toBe(first.get(k));
        same++;
      }
      expect(same).toBeGreaterThan(50);
    }
  });

  it('differ in another case', async () => {
    const r = await b.engine.call('export.run', {
      dataset: 'leak.people',
      format: 'csv',
      out: join(outDir, 'people-case-b.csv'),
    });
    const mine = await byOrdinal(results.get('csv')!, 'nir');
    const theirs = await byOrdinal(r, 'nir');
    let compared = 0;
    for (const [k, v] of mine) {
      if (!v) continue;
      expect(theirs.get(k)).toMatch(/^NIR-[0-9a-f]{12}$/);
      expect(theirs.get(k)).not.toBe(v);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('verification', () => {
  const before = () => readdirSync(outDir).sort();

  it('refuses a policy that keeps a must-redact column, leaving nothing on disk', async () => {
    const files = before();
    const leaky = {
      ...BUILTIN_POLICIES['share-with-authority']!,
      name: 'leaky',
      columns: [{ column: 'email', rule: { op: 'keep' } }],
    };
    for (const format of ['csv', 'xlsx'] as const) {
      const err = await exportInProcess(
        'leak.people',
        format,
        join(outDir, `leaky.${format}`),
        leaky,
      ).then(
        () => null,
        (e: Error & { code: string }) => e,
      );
      expect(err?.code).toBe('E_FORBIDDEN');
      expect(err?.message).toMatch(
        /^export refused, nothing was written: column "email" \(email address\) is kept although the policy says/,
      );
      expect(err?.message).not.toMatch(/@/);
    }
    expect(before()).toEqual(files);
  });

  it('refuses a NIR in a kept free-text column, and passes once the column is masked', async () => {
    const files = before();
    const keepAll = {
      version: 1,
      name: 'keep-all',
      defaultRule: { op: 'keep' },
      mustRedact: ['nir'],
    };
    const err = await exportInProcess(
      'leak.notes',
      'ndjson',
      join(outDir, 'notes.ndjson'),
      keepAll,
    ).then(
      () => null,
      (e: Error & { code: string }) => e,
    );
    expect(err?.code).toBe('E_FORBIDDEN');
    expect(err?.message).toMatch(
      /a value that validates as French social security number \(NIR\) appears in column "notes" \(record 17, line 18\)/,
    );
    expect(before()).toEqual(files);
    const ok = await exportInProcess('leak.notes', 'ndjson', join(outDir, 'notes.ndjson'), {
      ...keepAll,
      columns: [{ column: 'notes', rule: { op: 'mask' } }],
    });
    expect(ok.rows).toBe(40);
  });
});

describe('publish-statistics', () => {
  it('exports counts only, with small categories merged', async () => {
    const r = await exportInProcess(
      'leak.people',
      'csv',
      join(outDir, 'stats.csv'),
      'publish-statistics',
    );
    expect(r.rows).toBe(250);
    const recs: string[][] = [];
    for await (const rec of readCsvRecords(text(r.out), ',')) recs.push(rec);
    expect(recs[0]).toEqual(['measure', 'column', 'kind', 'category', 'count']);
    expect(recs[1]).toEqual(['records', '', '', '', '250']);
    const filled = recs.filter((x) => x[0] === 'filled');
    expect(filled.map((x) => x[1])).toContain('nir');
    const sexes = recs.filter((x) => x[0] === 'distribution' && x[1] === 'sexe');
    expect(sexes.reduce((n, x) => n + Number(x[4]), 0)).toBe(250);
    const dist = recs.filter((x) => x[0] === 'distribution');
    for (const x of dist)
      if (!x[3]!.startsWith('(')) expect(Number(x[4])).toBeGreaterThanOrEqual(10);
    const decades = dist.filter((x) => x[1] === 'date_naissance' && !x[3]!.startsWith('('));
    expect(decades.length).toBeGreaterThan(0);
    expect(decades.every((x) => /^\d{4}s$/.test(x[3]!))).toBe(true);
    expect(
      dist
        .filter((x) => x[1] === 'code_postal' && !x[3]!.startsWith('('))
        .every((x) => /^\d{2,3}$/.test(x[3]!)),
    ).toBe(true);
    expect(dist.some((x) => x[1] === 'nir' || x[1] === 'email')).toBe(false);
    const originals = redactedOriginals(a.path, 'leak.people');
    assertNoOriginal(recs.slice(1), recs[0]!, readFileSync(r.out, 'utf8'), originals);
  });
});

describe('selection, audit, history', () => {
  it('exports a filtered subset and audits it with policy, filter, rows and hash', async () => {
    const filter = { column: 'sexe', op: 'equals', value: '2' } as const;
    const preview = await a.engine.call('redact.preview', {
      dataset: 'leak.people',
      filter,
      limit: 200,
    });
    const steps = new Set<string>();
    const r = await a.engine.call(
      'export.run',
      {
        dataset: 'leak.people',
        format: 'csv',
        out: join(outDir, 'women.csv'),
        filter,
        csv: { delimiter: ';', bom: true },
      },
      { onProgress: (p) => steps.add(p.step) },
    );
    expect([...steps]).toEqual(expect.arrayContaining(['export', 'done']));
    const recs: string[][] = [];
    for await (const rec of readCsvRecords(text(r.out), ';')) recs.push(rec);
    expect(readFileSync(r.out).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(r.rows).toBe(recs.length - 1);
    expect(r.rows).toBe(preview.rows.length);
    expect(recs.slice(1).every((x) => x[recs[0]!.indexOf('sexe')] === '2')).toBe(true);
    expect(r.description).toBe(preview.description);
    expect(r.manifest.selection.filter).toEqual(filter);
    const audit = await a.engine.call('audit.list', { limit: 1000 });
    const entry = audit.entries.filter((e) => e.action === 'export.run').pop()!;
    expect(entry.result).toMatchObject({
      out: r.out,
      rows: r.rows,
      sha256: r.sha256,
      policy: 'share-with-authority',
      filter: r.description,
      verified: true,
    });
    const history = await a.engine.call('export.history', {});
    expect(history.exports[0]).toMatchObject({
      out: r.out,
      rows: r.rows,
      sha256: r.sha256,
      dataset: 'leak.people',
    });
  });

  it('stops on cancel with nothing left on disk', async () => {
    const files = readdirSync(outDir).sort();
    const controller = new AbortController();
    controller.abort();
    await expect(
      a.engine.call(
        'export.run',
        { dataset: 'leak.people', format: 'ndjson', out: join(outDir, 'cancelled.ndjson') },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(readdirSync(outDir).sort()).toEqual(files);
  });

  it('refuses to overwrite unless asked', async () => {
    const out = results.get('csv')!.out;
    await expect(
      a.engine.call('export.run', { dataset: 'leak.people', format: 'csv', out }),
    ).rejects.toThrow(/already exists/);
  });
});

describe('policies and preview', () => {
  it('saves, lists, exports, imports and deletes policies; built-ins stay', async () => {
    const mine = { version: 1, name: 'mine', kinds: { email: { op: 'pseudonym', hex: 8 } } };
    expect(await a.engine.call('policy.save', { policy: mine })).toEqual({
      name: 'mine',
      created: true,
    });
    const list = await a.engine.call('policy.list', {});
    expect(list.policies.map((p) => p.name)).toEqual([
      'share-with-authority',
      'publish-statistics',
      'internal',
      'mine',
    ]);
    const file = join(dir, 'mine.json');
    await a.engine.call('policy.export', { name: 'mine', path: file });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      format: 'leakscope.redaction-policy',
      version: 1,
      name: 'mine',
    });
    expect(await a.engine.call('policy.delete', { name: 'mine' })).toEqual({ deleted: true });
    expect(await a.engine.call('policy.import', { path: file })).toEqual({
      name: 'mine',
      created: true,
    });
    const got = await a.engine.call('policy.get', { name: 'mine' });
    expect(got.text).toContain(
      '- email address: replaced by a keyed pseudonym (EMAIL-…, 8 hex characters',
    );
    await expect(
      a.engine.call('policy.save', { policy: { ...mine, name: 'internal' } }),
    ).rejects.toThrow(/built-in/);
    await expect(a.engine.call('policy.delete', { name: 'internal' })).rejects.toThrow(/built-in/);
    await expect(
      a.engine.call('policy.save', {
        policy: { version: 1, name: 'bad', kinds: { city: { op: 'generalise' } } },
      }),
    ).rejects.toThrow(/no generalised form/);
  });

  it('previews records through a policy, with the same pseudonyms as the exports', async () => {
    const p = await a.engine.call('redact.preview', {
      dataset: 'leak.people',
      policy: 'mine',
      limit: 3,
    });
    expect(p.rows).toHaveLength(3);
    expect(p.profiled).toBe(true);
    expect(p.rows[0]!.values['email']).toMatch(/^EMAIL-[0-9a-f]{8}$/);
    const share = await a.engine.call('redact.preview', { dataset: 'leak.people', limit: 3 });
    const exported = await records(results.get('csv')!);
    const nirAt = exported[0]!.indexOf('nir');
    expect(share.rows.map((r) => r.values['nir'])).toEqual(
      exported.slice(1, 4).map((r) => r[nirAt]),
    );
    expect(share.columns.find((c) => c.name === 'mdp_hash')).toMatchObject({
      output: null,
      rule: { op: 'drop' },
    });
  });
});
