/**
 * What main's native dialog shows for each FileKind the renderer may ask for (src/shared/desktop):
 * open or save, title, filters, default name, and the extension a save dialog's answer must end
 * in. Plain data and pure functions, so they are unit-tested without Electron (dialogs.ts turns
 * a spec into Electron's dialog options).
 *
 * Must not import 'electron'.
 */
import { extname } from 'node:path';
import type { FileKind } from '../../shared/desktop';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface DialogSpec {
  mode: 'open' | 'save';
  title: string;
  buttonLabel?: string;
  /** Save dialogs: the file name proposed. */
  defaultName?: string;
  filters: FileFilter[];
  /** Save dialogs: added when the user typed a name without it (lower case, with the dot). */
  extension?: string;
}

const ALL: FileFilter = { name: 'All files', extensions: ['*'] };
const CASE: FileFilter = { name: 'Leakscope case', extensions: ['lscase'] };
const JSON_FILE: FileFilter = { name: 'JSON', extensions: ['json'] };

/** What the importer reads (import/sniff): tables, JSON, SQL dumps, combolists, archives. */
const DUMPS: FileFilter = {
  name: 'Data files',
  extensions: ['csv', 'tsv', 'txt', 'json', 'ndjson', 'jsonl', 'sql', 'xlsx', 'gz', 'zip'],
};

function saveExport(name: string, ext: string, label: string): DialogSpec {
  return {
    mode: 'save',
    title: `Export as ${label}`,
    buttonLabel: 'Export',
    defaultName: `${name}.${ext}`,
    filters: [{ name: label, extensions: [ext] }],
    extension: `.${ext}`,
  };
}

export const DIALOGS: Readonly<Record<FileKind, DialogSpec>> = {
  'case-open': { mode: 'open', title: 'Open case', filters: [CASE, ALL] },
  'case-new': {
    mode: 'save',
    title: 'New case',
    buttonLabel: 'Create',
    defaultName: 'case.lscase',
    filters: [CASE, ALL],
    extension: '.lscase',
  },
  'import-file': {
    mode: 'open',
    title: 'Import file',
    buttonLabel: 'Import',
    filters: [DUMPS, ALL],
  },
  'export-csv': saveExport('export', 'csv', 'CSV'),
  'export-ndjson': saveExport('export', 'ndjson', 'NDJSON'),
  'export-xlsx': saveExport('export', 'xlsx', 'Excel workbook'),
  'export-html': saveExport('report', 'html', 'HTML report'),
  'export-pdf': saveExport('report', 'pdf', 'PDF report'),
  'policy-open': {
    mode: 'open',
    title: 'Import redaction policy',
    buttonLabel: 'Import',
    filters: [JSON_FILE, ALL],
  },
  'policy-save': {
    mode: 'save',
    title: 'Export redaction policy',
    buttonLabel: 'Export',
    defaultName: 'policy.json',
    filters: [JSON_FILE],
    extension: '.json',
  },
};

/** A save-dialog answer with `extension` added when the user typed another or none. */
export function withExtension(path: string, extension: string | undefined): string {
  if (!extension) return path;
  return extname(path).toLowerCase() === extension ? path : `${path}${extension}`;
}
