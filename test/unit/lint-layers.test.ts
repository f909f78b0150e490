import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/case';

// The lint config is what keeps `electron` out of the engine (so it runs under plain Node).
// This test fails if the config stops covering a folder.
const eslint = new ESLint({ cwd: ROOT });

async function importErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  const electronImport = "import { app } from 'electron';\nexport const x = app;\n";
  it.each([
    'src/main/engine/store/x.ts',
    'src/main/engine/import/readers/x.ts',
    'src/shared/x.ts',
    'src/renderer/src/x.ts',
    'src/main/cli/x.ts',
    'src/main/web/x.ts',
  ])('forbids electron in %s', async (file) => {
    expect((await importErrors(file, electronImport)).length).toBe(1);
  });

  it('allows electron in the Electron adapter', async () => {
    expect(await importErrors('src/main/electron/x.ts', electronImport)).toEqual([]);
  });

  it('keeps node:* out of src/shared and the renderer', async () => {
    const src = "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n";
    expect((await importErrors('src/shared/x.ts', src)).length).toBe(1);
    expect((await importErrors('src/renderer/src/x.ts', src)).length).toBe(1);
  });

  it('keeps adapters out of the engine', async () => {
    const src =
      "import { buildProgram } from '../../cli/program';\nexport const x = buildProgram;\n";
    expect((await importErrors('src/main/engine/store/x.ts', src)).length).toBe(1);
  });
});
