/**
 * Same seed and options ⇒ byte-identical files, in every format and encoding; person i is
 * reproducible on its own (a window of the population equals the same slice of the whole).
 */

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateFile,
  generateRows,
  makePerson,
  OUTPUT_FORMATS,
  type GenerateFileOptions,
} from '../../fixtures/gen';
import { Collector } from './util';

async function digest(options: Omit<GenerateFileOptions, 'out'>): Promise<string> {
  const c = new Collector();
  await generateFile({ ...options, out: c });
  return createHash('sha256').update(c.bytes()).digest('hex');
}

describe('determinism', () => {
  it.each(OUTPUT_FORMATS)(
    '%s: same seed ⇒ same bytes, other seed ⇒ other bytes',
    async (format) => {
      const base = { format, rows: 1500, seed: 42, nested: true } as const;
      const a = await digest(base);
      expect(await digest(base)).toBe(a);
      expect(await digest({ ...base, seed: 43 })).not.toBe(a);
    },
  );

  it('CSV in UTF-16BE with BOM, CRLF and ";" is reproducible too', async () => {
    const opts = {
      format: 'csv',
      rows: 1500,
      seed: 7,
      delimiter: ';',
      encoding: 'utf-16be',
      bom: true,
      crlf: true,
    } as const;
    expect(await digest(opts)).toBe(await digest(opts));
  });

  it('person i does not depend on what was generated before it', () => {
    const whole = [...generateRows({ seed: 99, rows: 520 })];
    const window = [...generateRows({ seed: 99, rows: 20, start: 500 })];
    expect(window).toEqual(whole.slice(500));
    expect(makePerson(99, 123_456_789)).toEqual(makePerson(99, 123_456_789));
    expect(makePerson(99, 5).nir).not.toBe(makePerson(100, 5).nir);
  });

  it('the per-file style is stable for a seed and varies across seeds', async () => {
    const c1 = new Collector();
    const r1 = await generateFile({ format: 'csv', rows: 1, seed: 5, out: c1 });
    const c2 = new Collector();
    const r2 = await generateFile({ format: 'csv', rows: 1, seed: 5, out: c2 });
    expect(r1.style).toEqual(r2.style);
    const formats = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const r = await generateFile({ format: 'csv', rows: 1, seed: s, out: new Collector() });
      formats.add(r.style.dateFormat);
    }
    expect(formats.size).toBeGreaterThanOrEqual(4);
  });
});
