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
  lockCase(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools and reload only in unpackaged builds. */
  isPackaged: boolean;
  /** Contract method names; Import/Export are enabled once their capability exists. */
  methods?: readonly string[];
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
        enabled: hasCapability(methods, 'import'),
        click: actions.importFile,
      },
      {
        id: 'export.open',
        label: 'Export…',
        accelerator: 'CmdOrCtrl+E',
        enabled: hasCapability(methods, 'export'),
        click: actions.exportData,
      },
      { type: 'separator' },
      { id: 'case.lock', label: 'Lock case', accelerator: 'CmdOrCtrl+L', click: actions.lockCase },
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
