/**
 * Background jobs (jobs.*) and import.preview through the public contract: a job runs the same
 * method a direct call would (audited once), reports progress, queues behind another job, can be
 * cancelled, and is cancelled when the case closes. The preview detects and shows records without
 * writing anything, and honours overrides.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/main/engine';
import type { JobStatus } from '../../src/shared/api';
import { generateFile } from '../fixtures/gen';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir('leakscope-jobs-');

async function waitFor(engine: Engine, jobId: string, ms = 60_000): Promise<JobStatus> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await engine.call('jobs.status', { jobId });
    if (s.state !== 'queued' && s.state !== 'running') return s;
    if (Date.now() > end) throw new Error(`job ${jobId} still ${s.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('jobs.*', () => {
  it('runs an import in the background with progress, result and one audit entry', async () => {
    const { engine } = await engineWithCase(dir);
    const file = join(dir, 'people.csv');
    await generateFile({ format: 'csv', seed: 11, rows: 5_000, out: file });
    const { jobId } = await engine.call('jobs.start', {
      method: 'import.run',
      input: { path: file },
    });
    const first = await engine.call('jobs.status', { jobId });
    expect(['queued', 'running']).toContain(first.state);
    const done = await waitFor(engine, jobId);
    expect(done.state).toBe('done');
    expect(done.finishedAt).not.toBeNull();
    const result = done.result as { rows: number; rejected: number; recordsRead: number };
    expect(result.rows + result.rejected).toBe(result.recordsRead);
    expect(result.rows).toBe(5_000);
    expect(done.progress?.records).toBeGreaterThan(0);
    const audit = await engine.call('audit.list', {});
    expect(audit.entries.filter((e) => e.action === 'import.run')).toHaveLength(1);
    const { jobs } = await engine.call('jobs.list', {});
    expect(jobs[0]).toMatchObject({ jobId, state: 'done' });
    expect(jobs[0]).not.toHaveProperty('result');
    engine.close();
  });

  it('validates the job input like a direct call, and reports the failure', async () => {
    const { engine } = await engineWithCase(dir);
    const { jobId } = await engine.call('jobs.start', {
      method: 'import.run',
      input: { path: join(dir, 'missing.csv') },
    });
    const s = await waitFor(engine, jobId);
    expect(s.state).toBe('failed');
    expect(s.error?.code).toBe('E_IO');
    const bad = await engine.invoke('jobs.start', { method: 'case.close', input: {} });
    expect(bad.ok).toBe(false);
    engine.close();
  });

  it('queues jobs one at a time, cancels a queued one, and cancels everything on case close', async () => {
    const { engine } = await engineWithCase(dir);
    const file = join(dir, 'big.csv');
    await generateFile({ format: 'csv', seed: 12, rows: 80_000, out: file });
    const a = await engine.call('jobs.start', { method: 'import.run', input: { path: file } });
    const b = await engine.call('jobs.start', {
      method: 'import.run',
      input: { path: file, name: 'second' },
    });
    const c = await engine.call('jobs.start', {
      method: 'import.run',
      input: { path: file, name: 'third' },
    });
    expect((await engine.call('jobs.status', { jobId: c.jobId })).state).toBe('queued');
    expect(await engine.call('jobs.cancel', { jobId: c.jobId })).toEqual({ cancelled: true });
    expect((await engine.call('jobs.status', { jobId: c.jobId })).state).toBe('cancelled');
    expect((await engine.call('jobs.status', { jobId: b.jobId })).state).toBe('queued');
    await engine.call('case.close', {});
    const sa = await waitFor(engine, a.jobId);
    const sb = await waitFor(engine, b.jobId);
    expect(['cancelled', 'done']).toContain(sa.state);
    expect(sb.state).toBe('cancelled');
    expect(await engine.call('jobs.cancel', { jobId: a.jobId })).toEqual({ cancelled: false });
    const missing = await engine.invoke('jobs.status', { jobId: 'job-999' });
    expect(missing.ok).toBe(false);
    engine.close();
  });
});

describe('import.preview', () => {
  it('detects a Latin-1 semicolon CSV and shows its first records, writing nothing', async () => {
    const { engine } = await engineWithCase(dir);
    const file = join(dir, 'latin1.csv');
    writeFileSync(
      file,
      Buffer.from(
        'nom;prénom;ville\nLefèvre;Zoé;Besançon\nDupont;Jérôme;Nîmes\nMartin;Anaïs;Sète\n',
        'latin1',
      ),
    );
    const p = await engine.call('import.preview', { path: file, limit: 2 });
    expect(p.format).toBe('csv');
    expect(p.encoding).toMatch(/iso-8859-1|windows-1252/);
    expect(p.delimiter).toBe(';');
    expect(p.tables[0]!.columns).toEqual(['nom', 'prénom', 'ville']);
    expect(p.tables[0]!.rows).toEqual([
      ['Lefèvre', 'Zoé', 'Besançon'],
      ['Dupont', 'Jérôme', 'Nîmes'],
    ]);
    expect(p.tables[0]!.lines).toEqual([2, 3]);
    expect(p.more).toBe(true);
    expect(p.scores.csv).toBeGreaterThan(0);
    expect((await engine.call('datasets.list', {})).datasets).toHaveLength(0);
    engine.close();
  });

  it('honours delimiter and header overrides, in the preview and in the import', async () => {
    const { engine } = await engineWithCase(dir);
    const file = join(dir, 'pipes.txt');
    writeFileSync(file, 'a|b;c\nd|e;f\n');
    const p = await engine.call('import.preview', {
      path: file,
      format: 'csv',
      delimiter: ';',
      header: false,
    });
    expect(p.delimiter).toBe(';');
    expect(p.tables[0]!.rows).toEqual([
      ['a|b', 'c'],
      ['d|e', 'f'],
    ]);
    const r = await engine.call('import.run', {
      path: file,
      format: 'csv',
      delimiter: ';',
      header: false,
    });
    expect(r.rows).toBe(2);
    expect(r.datasets[0]!.columns).toHaveLength(2);
    engine.close();
  });

  it('previews without an open case and fails clearly on a missing file', async () => {
    const { engine } = await engineWithCase(dir);
    await engine.call('case.close', {});
    const file = join(dir, 'x.ndjson');
    writeFileSync(file, '{"email":"zoé@exemple.fr","tel":"06 12 34 56 78"}\n');
    const p = await engine.call('import.preview', { path: file });
    expect(p.format).toBe('ndjson');
    expect(p.tables[0]!.columns).toEqual(['email', 'tel']);
    expect(p.more).toBe(false);
    const r = await engine.invoke('import.preview', { path: join(dir, 'nope.csv') });
    expect(r.ok).toBe(false);
    engine.close();
  });
});
