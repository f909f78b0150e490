/**
 * Native open/save dialogs (cases, files to import, export targets, policy files). Main opens
 * them; the chosen path is granted (PathGrants) so the renderer may then name it in a call. The
 * renderer can ask for a dialog, never supply a path of its own.
 *
 * What each kind shows is plain data in file-kinds.ts (unit-tested); this file only calls
 * Electron's dialog with it.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import {
  dialog,
  type BrowserWindow,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import type { FileKind } from '../../shared/desktop';
import { DIALOGS, withExtension } from './file-kinds';
import type { PathGrants } from './policy';

/** Shows the dialog for `kind`; returns the granted path, or null when cancelled. */
export async function pickFile(
  win: BrowserWindow | null,
  kind: FileKind,
  grants: PathGrants,
): Promise<string | null> {
  const spec = DIALOGS[kind];
  let path: string | null = null;
  if (spec.mode === 'open') {
    const options: OpenDialogOptions = {
      title: spec.title,
      ...(spec.buttonLabel ? { buttonLabel: spec.buttonLabel } : {}),
      properties: ['openFile'],
      filters: spec.filters,
    };
    const r = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options);
    path = r.canceled ? null : (r.filePaths[0] ?? null);
  } else {
    const options: SaveDialogOptions = {
      title: spec.title,
      ...(spec.buttonLabel ? { buttonLabel: spec.buttonLabel } : {}),
      ...(spec.defaultName ? { defaultPath: spec.defaultName } : {}),
      filters: spec.filters,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const r = win
      ? await dialog.showSaveDialog(win, options)
      : await dialog.showSaveDialog(options);
    if (!r.canceled && r.filePath) {
      path = withExtension(r.filePath, spec.extension);
      // The dialog confirmed replacing the name typed, not the one with the extension added.
      if (path !== r.filePath && existsSync(path) && !(await confirmReplace(win, path))) {
        path = null;
      }
    }
  }
  if (path !== null) grants.grant(path);
  return path;
}

async function confirmReplace(win: BrowserWindow | null, path: string): Promise<boolean> {
  const options = {
    type: 'warning' as const,
    buttons: ['Replace', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `${basename(path)} already exists. Replace it?`,
  };
  const r = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return r.response === 0;
}
