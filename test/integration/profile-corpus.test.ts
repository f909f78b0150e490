/**
 * Every real dump of ../shared/corpus profiled at import, compared column by column with the
 * kinds the manifest's authors labelled independently (mapping of their vocabulary to ours in
 * bench/profile-lib.ts). The figure is also printed by `npm run bench -- profile-quality`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judge, type ColumnVerdict } from '../../bench/profile-lib';
import { hasCorpus, manifest, REAL } from '../helpers/corpus';
import { engineWithCase } from '../helpers/engine';
import { scratchDir } from '../helpers/tmp';

const dir = scratchDir();

describe.skipIf(!hasCorpus)('profiles of the real corpus against the manifest', () => {
  it('≥ 95 % of labelled columns get the manifest kind, identifying kinds are never missed', async () => {
    const { engine } = await engineWithCase(dir);
    const verdicts: ColumnVerdict[] = [];
    for (const f of manifest()) {
      if (f.tables.every((t) => t.rows === 0)) continue;
      const name = f.file.replace(/\W+/g, '_');
      const schema = f.columns_from ? { schema: join(REAL, f.columns_from) } : {};
      const r = await engine.call('import.run', { path: join(REAL, f.file), name, ...schema });
      for (const d of r.datasets) {
        const t = f.tables.find((x) => x.name === d.table);
        if (!t?.columns || d.rows === 0) continue;
        const p = await engine.call('profile.get', { dataset: d.name });
        expect(p, d.name).not.toBeNull();
        verdicts.push(...judge(p!, t.columns));
      }
    }
    engine.close();
    const misses = verdicts.filter((v) => !v.ok);
    const accuracy = (verdicts.length - misses.length) / verdicts.length;
    const detail = misses
      .map((m) => `${m.dataset}.${m.column}: ${m.expected} → ${m.got}`)
      .join('\n');
    expect(verdicts.length).toBeGreaterThan(600);
    expect(accuracy, detail).toBeGreaterThanOrEqual(0.95);
    for (const kind of [
      'email',
      'first_name',
      'last_name',
      'password_hash',
      'date_of_birth',
      'national_id',
    ]) {
      const missed = misses.filter((m) => m.expected === kind);
      expect(missed, `${kind}: ${JSON.stringify(missed)}`).toEqual([]);
    }
  });
});
