/**
 * The desktop half of the contract: what the Electron preload exposes as `window.leakscope`, the
 * main -> renderer events, and the file kinds main's dialogs pick. The preload, main and the
 * renderer all import it, so it lives in src/shared (the renderer may not import src/main, and
 * main's tsconfig project does not include src/renderer).
 *
 * Pure: imports only src/shared.
 */
import type { Result } from './errors';

/** Why the case was locked behind the user's back. */
export const LOCK_REASONS = ['idle', 'suspend', 'lock-screen', 'menu'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

/**
 * Native menu commands main forwards to the renderer (main already ran any dialog):
 * - `case.new`, `case.open`: `path` is the case file chosen in main's dialog;
 * - `import.file`: `path` is the file to import, chosen in main's open dialog (granted);
 * - `export.open`: open the export dialog (`path` null: the renderer asks for the output file
 *   with `pickFile('export-<format>')` once the format is chosen);
 * - `report.pdf`: make a PDF of the report of the current selection (`path` null): the renderer
 *   opens the Export view, asks `pickFile('export-pdf')`, then calls `exportReportPdf`.
 * The renderer turns the commands for an open case into navigation requests (its workspace).
 * Commands are only sent while a case is open, except `case.new` and `case.open`.
 */
export const MENU_COMMANDS = [
  'case.new',
  'case.open',
  'import.file',
  'export.open',
  'report.pdf',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface DesktopEvents {
  /** main closed the case (idle timer, suspend, screen lock, menu). */
  'case.locked': { reason: LockReason };
  /** A native menu item; `path` is the file the user picked in main's dialog, if any. */
  'menu.command': { command: MenuCommand; path: string | null };
  /** Reserved for background jobs (import, profile, export); shape set by the jobs module. */
  'job.progress': unknown;
}
export type DesktopEventName = keyof DesktopEvents;
export const DESKTOP_EVENTS: readonly DesktopEventName[] = [
  'case.locked',
  'menu.command',
  'job.progress',
];

/**
 * Files the renderer may ask main to pick through a native dialog. The renderer never sends a
 * path main did not hand out this way (main refuses it).
 * - `case-open` / `case-new`: a case file (`.lscase`) to open / to create;
 * - `import-file`: a dump to import (`import.preview` / `import.run` `path`);
 * - `export-csv` | `export-ndjson` | `export-xlsx` | `export-html`: where `export.run` writes
 *   (`out`); `export-pdf`: where `exportReportPdf` writes;
 * - `policy-open` / `policy-save`: a redaction policy JSON file (`policy.import` / `policy.export`).
 */
export const FILE_KINDS = [
  'case-open',
  'case-new',
  'import-file',
  'export-csv',
  'export-ndjson',
  'export-xlsx',
  'export-html',
  'export-pdf',
  'policy-open',
  'policy-save',
] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/**
 * `exportReportPdf` (Electron only): the HTML report of a selection, made and verified by the
 * engine exactly as `export.run` with format `html` makes it, then printed to PDF by Chromium in a
 * hidden sandboxed window with JavaScript off and every request refused, and written through the
 * same partial-file / verify / rename path. Fields are those of `export.run` (`ExportRequest` in
 * src/shared/contract/redact.ts) except `format`; `out` must come from `pickFile('export-pdf')`.
 */
export interface ReportPdfRequest {
  dataset?: string;
  session?: string;
  /** A policy name or document (default: the session's, else share-with-authority). */
  policy?: unknown;
  filter?: unknown;
  search?: string;
  sort?: { column: string; desc?: boolean }[];
  /** Redacted records shown in the report (0–1000, default 0). */
  includeSample?: number;
  /** The PDF to write; granted by `pickFile('export-pdf')`. */
  out: string;
  overwrite?: boolean;
  /** Also keep the verified HTML report beside the PDF (`<out minus .pdf>.html`). Default false. */
  keepHtml?: boolean;
}

export interface ReportPdfResult {
  out: string;
  bytes: number;
  sha256: string;
  /** Records the report describes (the selection). */
  rows: number;
  /** SHA-256 of the verified HTML report the PDF was printed from (also in the audit log). */
  htmlSha256: string;
  /** The kept HTML report, or null when it was only an intermediate. */
  html: string | null;
  policy: string;
  description: string;
  warnings: string[];
  seconds: number;
}

export interface DesktopBridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to a main -> renderer event; returns the unsubscribe function. */
  on<E extends DesktopEventName>(event: E, listener: (data: DesktopEvents[E]) => void): () => void;
  /** Opens main's native dialog; resolves to the chosen path, or null when cancelled. */
  pickFile(kind: FileKind): Promise<string | null>;
  /** A PDF of the report of a selection (see ReportPdfRequest); audited like every export. */
  exportReportPdf(request: ReportPdfRequest): Promise<Result<ReportPdfResult>>;
}

export function isDesktopEventName(name: unknown): name is DesktopEventName {
  return typeof name === 'string' && (DESKTOP_EVENTS as readonly string[]).includes(name);
}

export function isFileKind(kind: unknown): kind is FileKind {
  return typeof kind === 'string' && (FILE_KINDS as readonly string[]).includes(kind);
}
