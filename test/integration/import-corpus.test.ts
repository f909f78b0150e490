/**
 * Every real dump of ../shared/corpus imports with exactly the manifest's tables and row counts,
 * through the public contract (engine → job worker → readers → encrypted case).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineWithCase } from '../helpers/engine';
import { hasCorpus, manifest, REAL } from '../helpers/corpus';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();

describe.skipIf(!hasCorpus)('import of the real corpus', async () => {
  const files = hasCorpus ? manifest() : [];
  const { engine } = hasCorpus ? await engineWithCase(dir) : { engine: null };

  it.each(files.map((f) => [f.file, f] as const))('%s', async (_name, f) => {
    const name = f.file.replace(/\W+/g, '_');
    const schema = f.columns_from ? { schema: join(REAL, f.columns_from) } : {};
    const r = await engine!.call('import.run', { path: join(REAL, f.file), name, ...schema });
    expect(r.rejected, JSON.stringify(r.datasets.map((d) => [d.name, d.rejected]))).toBe(0);
    expect(r.truncated).toBe(false);
    expect(r.recordsRead).toBe(r.rows + r.rejected);
    const got = Object.fromEntries(r.datasets.map((d) => [d.table ?? '', d.rows]));
    const expected = Object.fromEntries(f.tables.map((t) => [t.name, t.rows]));
    // The manifest lists data tables; a table that is only declared (CREATE TABLE, no rows) may
    // appear as an empty dataset beyond it.
    for (const [t, n] of Object.entries(got)) if (!(t in expected)) expect(n, t).toBe(0);
    expect(Object.fromEntries(Object.entries(got).filter(([t]) => t in expected))).toEqual(
      expected,
    );
    for (const d of r.datasets) {
      expect(d.complete).toBe(true);
      expect(d.name).toBe(`${name}.${d.table}`);
      expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
      if (!f.gzip && f.sha256_raw) expect(d.sha256).toBe(f.sha256_raw);
      const t = f.tables.find((x) => x.name === d.table);
      if (t?.columns && t.columns.length > 0)
        expect(d.columns.map((c) => c.name)).toEqual(t.columns.map((c) => c.name));
    }
  });
});
