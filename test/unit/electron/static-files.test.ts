/** The traversal-guarded resolver shared by the app:// protocol and the bridge. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStaticFile, resolveStaticPath } from '../../../src/main/web/static-files';
import { scratchDir } from '../../helpers/tmp';

const dir = scratchDir('leakscope-static-');
const root = join(dir, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'outside the root');
symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.js'));

describe('resolveStaticPath', () => {
  it('maps / and paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '')).toBe(join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveStaticPath(root, '/assets//app.js')).toBe(join(root, 'assets', 'app.js'));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/.env',
    '/C:/Windows/win.ini',
  ])('refuses %s', (path) => {
    expect(resolveStaticPath(root, path)).toBeNull();
  });
});

describe('readStaticFile', () => {
  it('reads files with their content type', async () => {
    const f = await readStaticFile(root, '/assets/app.js');
    expect(f?.contentType).toBe('text/javascript; charset=utf-8');
    expect(f?.body.toString()).toBe('console.log(1)');
    expect((await readStaticFile(root, '/'))?.contentType).toBe('text/html; charset=utf-8');
  });

  it('refuses directories, missing files and symlinks leading out of the root', async () => {
    expect(await readStaticFile(root, '/assets')).toBeNull();
    expect(await readStaticFile(root, '/missing.js')).toBeNull();
    expect(await readStaticFile(root, '/assets/link.js')).toBeNull();
  });
});
