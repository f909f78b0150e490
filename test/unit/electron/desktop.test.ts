/**
 * The desktop additions checked without Electron: dialog specs per file kind, the Chromium
 * network switches, where the packaged app looks for its SQLite binding, and the shared desktop
 * contract (menu commands, file kinds).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALOGS, withExtension } from '../../../src/main/electron/file-kinds';
import { bindingRoot, chromiumSwitches, PATH_INPUT_KEYS } from '../../../src/main/electron/policy';
import { FILE_KINDS, isFileKind, MENU_COMMANDS, DESKTOP_EVENTS } from '../../../src/shared/desktop';

describe('file dialogs', () => {
  it('has a dialog for every file kind the renderer may ask for', () => {
    expect(Object.keys(DIALOGS).sort()).toEqual([...FILE_KINDS].sort());
    for (const kind of FILE_KINDS) {
      const spec = DIALOGS[kind];
      expect(spec.filters.length).toBeGreaterThan(0);
      // A save dialog always says which extension the file gets.
      if (spec.mode === 'save') expect(spec.extension).toMatch(/^\.[a-z]+$/);
    }
    expect(DIALOGS['import-file'].mode).toBe('open');
    expect(DIALOGS['import-file'].filters[0]?.extensions).toEqual(
      expect.arrayContaining(['csv', 'json', 'ndjson', 'sql', 'zip', 'gz']),
    );
    expect(DIALOGS['export-pdf']).toMatchObject({ mode: 'save', extension: '.pdf' });
    expect(DIALOGS['case-new']).toMatchObject({ mode: 'save', extension: '.lscase' });
  });

  it('adds the extension a save dialog answer lacks, and only then', () => {
    expect(withExtension('/x/report', '.pdf')).toBe('/x/report.pdf');
    expect(withExtension('/x/report.PDF', '.pdf')).toBe('/x/report.PDF');
    expect(withExtension('/x/report.html', '.pdf')).toBe('/x/report.html.pdf');
    expect(withExtension('/x/data', undefined)).toBe('/x/data');
  });

  it('grants export targets under the keys the engine reads them from', () => {
    expect(PATH_INPUT_KEYS.has('out')).toBe(true);
    expect(PATH_INPUT_KEYS.has('path')).toBe(true);
    expect(isFileKind('export-pdf')).toBe(true);
    expect(isFileKind('export-exe')).toBe(false);
  });
});

describe('desktop contract', () => {
  it('lists the menu commands the renderer reacts to', () => {
    expect(MENU_COMMANDS).toEqual([
      'case.new',
      'case.open',
      'import.file',
      'export.open',
      'report.pdf',
    ]);
    expect(DESKTOP_EVENTS).toContain('menu.command');
  });
});

describe('chromiumSwitches', () => {
  it('resolves no host at all in the packaged app, and uses no proxy', () => {
    const s = new Map(chromiumSwitches(null));
    expect(s.get('host-resolver-rules')).toBe('MAP * ~NOTFOUND');
    expect(s.has('no-proxy-server')).toBe(true);
  });

  it('keeps only loopback reachable for the dev server', () => {
    const s = new Map(chromiumSwitches('http://localhost:5173'));
    expect(s.get('host-resolver-rules')).toBe(
      'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    );
  });
});

describe('bindingRoot', () => {
  it('looks beside the app archive once packaged, in the project otherwise', () => {
    const resources = join('/opt', 'Leakscope', 'resources');
    expect(bindingRoot(join(resources, 'app.asar'), true)).toBe(
      join(resources, 'app.asar.unpacked'),
    );
    expect(bindingRoot(join(resources, 'app'), true)).toBe(join(resources, 'app'));
    const project = join('projects', 'leakscope');
    expect(bindingRoot(project, false)).toBe(project);
  });
});
