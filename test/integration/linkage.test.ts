/**
 * Linkage on generated leaks with known ground truth: an earlier leak, a later leak derived from
 * it (typos, swapped names, accents lost, reformatted phones, changed emails, abbreviated streets,
 * duplicates), imported through the real pipeline and post-import steps. Duplicates, overlap,
 * clusters and matches are checked against the generator's truth, computed independently of the
 * linkage's normalisers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  linkageClusters,
  linkageDuplicates,
  linkageOverlap,
} from '../../src/main/engine/linkage/jobs';
import { kindName } from '../../src/main/engine/linkage/kinds';
import { runMatches } from '../../src/main/engine/linkage/matches';
import { recordMatches } from '../../src/main/engine/linkage/record-matches';
import type { WritableCase } from '../../src/main/engine/store';
import { deriveFile, derivePlan, generateFile, type DeriveOptions } from '../fixtures/gen';
import { createTestCase } from '../helpers/case';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';
import {
  deriveTruthPairs,
  importWithSteps,
  readDeriveTruth,
  runPairs,
  score,
  type TruthRow,
} from './linkage-fixtures';

const dir = scratchDir('leakscope-linkage-');
const SEED = 2024;
const EARLIER_ROWS = 3000;
const DERIVE: DeriveOptions = {
  seed: SEED,
  fromRows: EARLIER_ROWS,
  rows: 2500,
  overlap: 0.4,
  duplicates: 0.03,
};
const plan = derivePlan(DERIVE);

let c: WritableCase;
let early: { id: number; name: string; rows: number };
let later: { id: number; name: string; rows: number };
let truth: TruthRow[];
const files = {
  early: join(dir, 'early.csv'),
  later: join(dir, 'later.csv'),
  truth: join(dir, 'truth.csv'),
  thin: join(dir, 'thin.csv'),
  thinTruth: join(dir, 'thin-truth.csv'),
};

beforeAll(async () => {
  await generateFile({ seed: SEED, rows: EARLIER_ROWS, format: 'csv', out: files.early });
  await deriveFile({ ...DERIVE, format: 'csv', out: files.later, truth: files.truth });
  // A thinner later leak: no national identifiers, only names, birth date, contact, address.
  await deriveFile({
    ...DERIVE,
    variant: 2,
    format: 'csv',
    fields: [
      'last_name',
      'first_name',
      'birth_date',
      'email',
      'phone',
      'address',
      'postal_code',
      'city',
    ],
    out: files.thin,
    truth: files.thinTruth,
  });
  c = createTestCase(dir);
  early = await importWithSteps(c.db, files.early, 'early');
  later = await importWithSteps(c.db, files.later, 'later');
  truth = readDeriveTruth(files.truth);
});

afterAll(() => c?.close());

const physical = (d: { id: number; name: string; rows: number }) => ({
  ...d,
  physical: `ds_${d.id}`,
});

function csvRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path), { columns: true }) as Record<string, string>[];
}

describe('identity keys (post-import step)', () => {
  it('are extracted for every dataset from the profiled columns', () => {
    const sets = c.db
      .prepare('SELECT dataset_id, role_source, records FROM identity_keysets ORDER BY dataset_id')
      .all();
    expect(sets).toEqual([
      { dataset_id: early.id, role_source: 'profile', records: EARLIER_ROWS },
      { dataset_id: later.id, role_source: 'profile', records: plan.rows },
    ]);
    const kinds = (
      c.db
        .prepare('SELECT DISTINCT kind FROM identity_keys WHERE dataset_id = ? ORDER BY kind')
        .all(early.id) as { kind: number }[]
    )
      .map((r) => kindName(r.kind))
      .sort();
    expect(kinds).toEqual([
      'email',
      'france_travail_id',
      'iban',
      'name_dob',
      'name_postal',
      'nir',
      'phone',
    ]);
  });
});

describe('duplicates', () => {
  it('finds every duplicate the generator planted: N records, M unique people', () => {
    const r = linkageDuplicates(c.db, { dataset: 'later', limit: 5 });
    expect(r.rows).toBe(plan.rows);
    expect(r.uniquePeople).toBe(plan.rows - plan.duplicateRows);
    expect(r.headline).toMatch(
      new RegExp(
        `^2,500 records, ${(plan.rows - plan.duplicateRows).toLocaleString('en')} unique people`,
      ),
    );
    // Exact copies, counted independently from the file: a line equal to an earlier line.
    const lines = readFileSync(files.later, 'utf8').trim().split('\n').slice(1);
    const seen = new Set<string>();
    let exact = 0;
    for (const l of lines) {
      const k = l.toLowerCase();
      if (seen.has(k)) exact++;
      seen.add(k);
    }
    expect(r.exactDuplicateRecords).toBe(exact);
    expect(r.groups).toHaveLength(5);
    for (const g of r.groups) {
      // Every listed group holds records of one person of the ground truth.
      const persons = new Set(g.ordinals.map((o) => truth[o].personKey));
      expect(persons.size, g.key).toBe(1);
    }
    // Key groups show the normalised value, recomputed from the records (the table holds hashes).
    const all = linkageDuplicates(c.db, { dataset: 'later', limit: 100_000 }).groups;
    const keyGroups = all.filter((g) => g.kind !== 'record');
    expect(keyGroups.length).toBeGreaterThan(0);
    for (const g of keyGroups) expect(g.key).toMatch(new RegExp(`^${g.kind}:[^#]`));
    for (const g of keyGroups.filter((x) => x.kind === 'email'))
      expect(g.key).toMatch(/^email:[^@\s]+@[^@\s]+$/);
  });
});

describe('overlap by strong keys', () => {
  it('equals the ground truth exactly, with no false match', () => {
    const earlyRows = csvRows(files.early);
    const laterRows = csvRows(files.later);
    const both = (a: string | undefined, b: string | undefined) => !!a && !!b;
    let expected = 0;
    const expectedByKey: Record<string, number> = {};
    for (const t of truth) {
      if (t.earlierRow === null) continue;
      const e = earlyRows[t.earlierRow];
      const l = laterRows[t.newRow];
      const shared: string[] = [];
      if (both(e.nir, l.nir)) shared.push('nir');
      if (both(e.email, l.email) && !t.variations.includes('email_changed')) shared.push('email');
      if (both(e.telephone, l.telephone)) shared.push('phone');
      if (both(e.identifiant_ft, l.identifiant_ft) && e.identifiant_ft === l.identifiant_ft)
        shared.push('france_travail_id');
      if (both(e.iban, l.iban)) shared.push('iban');
      if (!t.variations.some((v) => v.startsWith('typo_'))) shared.push('name_dob');
      if (shared.length) expected++;
      for (const k of shared) expectedByKey[k] = (expectedByKey[k] ?? 0) + 1;
    }
    const r = linkageOverlap(c.db, { dataset: 'later', upset: true });
    expect(r.against).toEqual(['early']);
    expect(r.records).toBe(expected);
    expect(r.pairs[0].byKey).toEqual(expectedByKey);
    expect(r.pairs[0].bRecords).toBe(plan.overlapRows);
    // People by combination of datasets: exactly the plan.
    expect(r.upset).toEqual(
      [
        { datasets: ['later'], people: plan.newPeople },
        { datasets: ['early'], people: EARLIER_ROWS - plan.overlapRows },
        { datasets: ['early', 'later'], people: plan.overlapRows },
      ].sort((a, b) => b.people - a.people),
    );
    const v = r.verdicts[0];
    expect(v.verdict).toBe('partial_overlap');
    expect(v.figures.claimedRecords).toBe(plan.rows);
    expect(v.figures.uniquePeople).toBe(plan.rows - plan.duplicateRows);
    expect(v.text).toMatch(
      /^\d+\.\d% overlap \(\d+\.\d% with early, on [a-z ]+\): partial overlap/,
    );
    // Different file styles: the matched values are not written identically.
    expect(v.figures.identicalShare).toBeLessThan(0.5);
  });

  it('calls a re-issue of the earlier file a repackaging', async () => {
    const path = join(dir, 'repack.csv');
    await deriveFile({
      seed: SEED,
      fromRows: EARLIER_ROWS,
      rows: EARLIER_ROWS,
      overlap: 1,
      duplicates: 0,
      sameStyle: true,
      format: 'csv',
      out: path,
      truth: join(dir, 'repack-truth.csv'),
    });
    await importWithSteps(c.db, path, 'repack');
    const r = linkageOverlap(c.db, { dataset: 'repack', against: ['early'], upset: false });
    expect(r.upset).toBeNull();
    expect(r.records).toBe(EARLIER_ROWS);
    const v = r.verdicts[0];
    expect(v.verdict).toBe('repackaged');
    expect(v.text).toMatch(
      /^100% of records match early on [a-z ]+ with .*: likely a repackaging of early$/,
    );
    // Rows without variations are byte-identical in the same style: about a third of them.
    expect(v.figures.identicalShare).toBeGreaterThan(0.2);
    expect(v.figures.identicalShare).toBeLessThan(0.5);
  });

  it('strong-key record pairs reach precision 1 against the ground truth', () => {
    const run = runMatches(c.db, physical(later), physical(early), { fuzzy: false, limit: 10 });
    const s = score(runPairs(c.db, run.result.runId, later.id, early.id), deriveTruthPairs(truth));
    expect(s.precision).toBe(1);
    expect(s.recall).toBeGreaterThan(0.99);
    expect(run.result.pairs).toHaveLength(10);
    expect(run.result.pairs[0]).toMatchObject({ score: 1, weight: null });
  });
});

describe('fuzzy matching', () => {
  it('links a thin later leak (no national identifiers) with F1 ≥ 0.97', async () => {
    const thin = await importWithSteps(c.db, files.thin, 'thin');
    const thinTruth = deriveTruthPairs(readDeriveTruth(files.thinTruth));
    const strong = runMatches(c.db, physical(thin), physical(early), { fuzzy: false, limit: 0 });
    const fuzzy = runMatches(c.db, physical(thin), physical(early), { fuzzy: true, limit: 3 });
    const s1 = score(runPairs(c.db, strong.result.runId, thin.id, early.id), thinTruth);
    const s2 = score(runPairs(c.db, fuzzy.result.runId, thin.id, early.id), thinTruth);
    expect(s1.precision).toBeGreaterThanOrEqual(0.999);
    expect(s2.f1).toBeGreaterThanOrEqual(0.97);
    expect(s2.recall).toBeGreaterThan(s1.recall);
    const r = fuzzy.result;
    expect(r.blocking!.rules.map((x) => x.name)).toEqual([
      'strong keys',
      'phonetic name + birth month',
      'birth date + initial',
      'phonetic full name',
      'postal code + phonetic name',
      'email local part',
      'birth date',
    ]);
    expect(r.model!.converged).toBe(true);
    expect(r.model!.termFrequency).toEqual(['first_name', 'last_name']);
    expect(r.tradeoff.map((t) => t.threshold)).toEqual([0.5, 0.8, 0.9, 0.95, 0.99]);
    expect(r.pairs[0].keys).toContain('date_of_birth');
    expect(r.pairs[0].a.dataset).toBe('thin');
  });
});

describe('person view', () => {
  it('clusters records across datasets and lists a record’s matches', () => {
    const r = linkageClusters(c.db, { datasets: ['early', 'later'] });
    expect(r.people).toBe(EARLIER_ROWS + plan.newPeople);
    expect(r.records).toBe(EARLIER_ROWS + plan.rows);
    const stored = c.db.prepare('SELECT count(*) AS n FROM clusters').get() as { n: number };
    expect(stored.n).toBe(r.stored);
    const re = truth.find((t) => t.earlierRow !== null && t.duplicateOf === null)!;
    const m = recordMatches(c.db, { ...physical(later) }, re.newRow + 1, 50);
    expect(m.record).toMatchObject({ dataset: 'later', ordinal: re.newRow });
    const inEarly = m.matches.filter((x) => x.dataset === 'early');
    expect(inEarly.map((x) => x.ordinal)).toContain(re.earlierRow);
    expect(m.cluster?.datasets).toBe(2);
    // The record's keys, as text recomputed from the record and checked against the stored hash.
    expect(m.keys.length).toBeGreaterThan(0);
    for (const k of m.keys) expect(k.key).not.toMatch(/^#/);
    const email = m.keys.find((k) => k.kind === 'email');
    expect(email?.key).toMatch(/^[^@\s]+@[^@\s]+$/);
  });
});

describe('through the engine and a worker', () => {
  it('answers linkage.duplicates in a job and audits a summary without values', async () => {
    const { engine } = await engineWithCase(dir, 'engine-linkage');
    await engine.call('import.run', { path: files.later, name: 'later' });
    const r = await engine.call('linkage.duplicates', { dataset: 'later', limit: 3 });
    expect(r.uniquePeople).toBe(plan.rows - plan.duplicateRows);
    const audit = await engine.call('audit.list', { limit: 100 });
    const entry = audit.entries.find((e) => e.action === 'linkage.duplicates')!;
    expect(entry.result).toEqual({
      dataset: 'later',
      rows: plan.rows,
      exactDuplicateRecords: r.exactDuplicateRecords,
      uniquePeople: r.uniquePeople,
      groupsTotal: r.groupsTotal,
      byKey: r.byKey,
    });
    expect(JSON.stringify(entry)).not.toMatch(/@/);
    engine.close();
  });
});
