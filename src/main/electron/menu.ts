/**
 * The native application menu as a template built from plain inputs (what the contract can do,
 * the platform, callbacks), so it is unit-tested without Electron. index.ts turns it into a Menu.
 *
 * Only a type import from 'electron' (erased at build); no Help links: the app opens nothing
 * outside itself.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { METHOD_NAMES } from '../../shared/api';

export interface MenuActions {
  newCase(): void;
  openCase(): void;
  importFile(): void;
  exportData(): void;
  exportPdf(): void;
  lockCase(): void;
}

/**
 * Items that act on an open case (disabled while none is open: setCaseMenuState), with the
 * contract capability each needs (null: none).
 */
const CASE_ITEM_CAPABILITY = {
  'import.file': 'import',
  'export.open': 'export',
  'report.pdf': 'export',
  'case.lock': null,
} as const;
export const CASE_MENU_ITEMS = Object.keys(
  CASE_ITEM_CAPABILITY,
) as (keyof typeof CASE_ITEM_CAPABILITY)[];

/** The part of Electron's Menu that setCaseMenuState needs. */
export interface MenuLike {
  getMenuItemById(id: string): { enabled: boolean } | null;
}

/**
 * Enables the case items when a case is open (and, for Import / Export, when the contract has
 * the capability); disables them otherwise.
 */
export function setCaseMenuState(
  menu: MenuLike | null,
  caseOpen: boolean,
  methods: readonly string[] = METHOD_NAMES,
): void {
  if (!menu) return;
  for (const id of CASE_MENU_ITEMS) {
    const item = menu.getMenuItemById(id);
    if (!item) continue;
    const capability = CASE_ITEM_CAPABILITY[id];
    item.enabled = caseOpen && (capability === null || hasCapability(methods, capability));
  }
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools and reload only in unpackaged builds. */
  isPackaged: boolean;
  /** Contract method names; Import/Export are enabled once their capability exists. */
  methods?: readonly string[];
  /** Whether a case is open when the menu is built (default false: case items disabled). */
  caseOpen?: boolean;
}

/** True when the contract has at least one method of this capability (`import.*`). */
export function hasCapability(methods: readonly string[], capability: string): boolean {
  return methods.some((m) => m.startsWith(`${capability}.`));
}

export function buildMenuTemplate(
  opts: MenuOptions,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const methods = opts.methods ?? METHOD_NAMES;
  const mac = opts.platform === 'darwin';
  const open = opts.caseOpen ?? false;
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'case.new', label: 'New case…', accelerator: 'CmdOrCtrl+N', click: actions.newCase },
      { id: 'case.open', label: 'Open case…', accelerator: 'CmdOrCtrl+O', click: actions.openCase },
      { type: 'separator' },
      {
        id: 'import.file',
        label: 'Import file…',
        accelerator: 'CmdOrCtrl+I',
        enabled: open && hasCapability(methods, 'import'),
        click: actions.importFile,
      },
      {
        id: 'export.open',
        label: 'Export…',
        accelerator: 'CmdOrCtrl+E',
        enabled: open && hasCapability(methods, 'export'),
        click: actions.exportData,
      },
      {
        id: 'report.pdf',
        label: 'Export report as PDF…',
        accelerator: 'CmdOrCtrl+Shift+E',
        enabled: open && hasCapability(methods, 'export'),
        click: actions.exportPdf,
      },
      { type: 'separator' },
      {
        id: 'case.lock',
        label: 'Lock case',
        accelerator: 'CmdOrCtrl+L',
        enabled: open,
        click: actions.lockCase,
      },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(opts.isPackaged
        ? []
        : [
            { role: 'reload' } as const,
            { role: 'toggleDevTools' } as const,
            { type: 'separator' } as const,
          ]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac
      ? [
          {
            label: opts.appName,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    file,
    { label: '&Edit', role: 'editMenu' },
    view,
    { label: '&Window', role: 'windowMenu' },
  ];
}
