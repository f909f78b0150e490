/**
 * Native open/save dialogs for case files. Main opens them; the chosen path is granted
 * (PathGrants) so the renderer may then name it in a call. The renderer can ask for a dialog,
 * never supply a path of its own.
 */
import {
  dialog,
  type BrowserWindow,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import type { FileKind } from '../../shared/desktop';
import { type PathGrants, withCaseExtension } from './policy';

const CASE_FILTERS = [
  { name: 'Leakscope case', extensions: ['lscase'] },
  { name: 'All files', extensions: ['*'] },
];

/** Shows the dialog for `kind`; returns the granted path, or null when cancelled. */
export async function pickFile(
  win: BrowserWindow | null,
  kind: FileKind,
  grants: PathGrants,
): Promise<string | null> {
  let path: string | null = null;
  if (kind === 'case-open') {
    const options: OpenDialogOptions = {
      title: 'Open case',
      properties: ['openFile'],
      filters: CASE_FILTERS,
    };
    const r = win
      ? await dialog.showOpenDialog(win, options)
      : await dialog.showOpenDialog(options);
    path = r.canceled ? null : (r.filePaths[0] ?? null);
  } else {
    const options: SaveDialogOptions = {
      title: 'New case',
      buttonLabel: 'Create',
      defaultPath: 'case.lscase',
      filters: CASE_FILTERS,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const r = win
      ? await dialog.showSaveDialog(win, options)
      : await dialog.showSaveDialog(options);
    path = r.canceled || !r.filePath ? null : withCaseExtension(r.filePath);
  }
  if (path !== null) grants.grant(path);
  return path;
}
