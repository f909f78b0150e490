/** Window flags, CSP and the native menu: the Electron shell's settings, checked without Electron. */
import { describe, expect, it } from 'vitest';
import {
  buildMenuTemplate,
  CASE_MENU_ITEMS,
  hasCapability,
  setCaseMenuState,
} from '../../../src/main/electron/menu';
import { mainWindowOptions } from '../../../src/main/electron/window';
import { contentSecurityPolicy } from '../../../src/main/web/security-headers';
import type { MenuItemConstructorOptions } from 'electron';

const noop = {
  newCase: () => {},
  openCase: () => {},
  importFile: () => {},
  exportData: () => {},
  exportPdf: () => {},
  lockCase: () => {},
};

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('main window', () => {
  it('runs the renderer sandboxed, isolated, without Node, in an in-memory session', () => {
    const o = mainWindowOptions('/app/out/preload/index.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(o.webPreferences?.partition?.startsWith('persist:')).toBe(false);
    expect([o.width, o.height]).toEqual([1366, 768]);
  });

  it('has no developer tools unless asked (unpackaged builds only)', () => {
    expect(mainWindowOptions('/p').webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p', undefined, true).webPreferences?.devTools).toBe(true);
  });
});

describe('Content-Security-Policy', () => {
  it('allows only our own origin, no eval, no inline script', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(eval|inline)|https?:|\*/);
  });

  it('leaves header-only directives out of the meta tag, and the sandbox to the bridge', () => {
    expect(contentSecurityPolicy({ meta: true })).not.toContain('frame-ancestors');
    expect(contentSecurityPolicy()).not.toContain('sandbox');
    expect(contentSecurityPolicy({ browserSandbox: true })).toMatch(
      /sandbox allow-scripts allow-same-origin allow-forms$/,
    );
  });
});

describe('native menu', () => {
  const items = flatten(
    buildMenuTemplate(
      { platform: 'linux', appName: 'Leakscope', isPackaged: true, methods: ['case.open'] },
      noop,
    ),
  );
  const byId = (id: string) => items.find((i) => i.id === id);

  it('has the case commands with their accelerators', () => {
    expect(byId('case.new')?.accelerator).toBe('CmdOrCtrl+N');
    expect(byId('case.open')?.accelerator).toBe('CmdOrCtrl+O');
    expect(byId('case.lock')?.accelerator).toBe('CmdOrCtrl+L');
    expect(byId('import.file')?.accelerator).toBe('CmdOrCtrl+I');
    expect(byId('export.open')?.accelerator).toBe('CmdOrCtrl+E');
  });

  it('keeps Import and Export disabled until the contract has them', () => {
    expect(byId('import.file')?.enabled).toBe(false);
    expect(byId('export.open')?.enabled).toBe(false);
    const later = flatten(
      buildMenuTemplate(
        {
          platform: 'linux',
          appName: 'Leakscope',
          isPackaged: true,
          methods: ['import.file', 'export.run'],
          caseOpen: true,
        },
        noop,
      ),
    );
    expect(later.find((i) => i.id === 'import.file')?.enabled).toBe(true);
    expect(later.find((i) => i.id === 'export.open')?.enabled).toBe(true);
    expect(hasCapability(['importer.x'], 'import')).toBe(false);
  });

  it('offers developer tools only in unpackaged builds, and no link out of the app', () => {
    expect(items.some((i) => i.role === 'toggleDevTools')).toBe(false);
    const dev = flatten(
      buildMenuTemplate({ platform: 'linux', appName: 'L', isPackaged: false }, noop),
    );
    expect(dev.some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(items.some((i) => i.label === 'Help' || i.role === 'help')).toBe(false);
  });

  it('wires the click handlers', () => {
    const calls: string[] = [];
    const spy = {
      newCase: () => calls.push('new'),
      openCase: () => calls.push('open'),
      importFile: () => calls.push('import'),
      exportData: () => calls.push('export'),
      exportPdf: () => calls.push('pdf'),
      lockCase: () => calls.push('lock'),
    };
    const all = flatten(
      buildMenuTemplate({ platform: 'darwin', appName: 'L', isPackaged: true }, spy),
    );
    for (const id of ['case.new', 'case.open', 'import.file', 'export.open', 'report.pdf']) {
      (all.find((i) => i.id === id)?.click as () => void)();
    }
    (all.find((i) => i.id === 'case.lock')?.click as () => void)();
    expect(calls).toEqual(['new', 'open', 'import', 'export', 'pdf', 'lock']);
    expect(all[0]?.label).toBe('L');
  });

  it('has the PDF report command, and the case items disabled until a case is open', () => {
    expect(byId('report.pdf')?.accelerator).toBe('CmdOrCtrl+Shift+E');
    for (const id of CASE_MENU_ITEMS) expect(byId(id)?.enabled).toBe(false);
    const items = new Map(CASE_MENU_ITEMS.map((id) => [id, { enabled: false }]));
    const menu = { getMenuItemById: (id: string) => items.get(id as never) ?? null };
    setCaseMenuState(menu, true, ['import.run', 'export.run']);
    expect([...items.values()].every((i) => i.enabled)).toBe(true);
    setCaseMenuState(menu, true, ['case.open']);
    expect(items.get('case.lock')?.enabled).toBe(true);
    expect(items.get('import.file')?.enabled).toBe(false);
    expect(items.get('report.pdf')?.enabled).toBe(false);
    setCaseMenuState(menu, false, ['import.run', 'export.run']);
    expect([...items.values()].some((i) => i.enabled)).toBe(false);
    setCaseMenuState(null, true);
  });
});
