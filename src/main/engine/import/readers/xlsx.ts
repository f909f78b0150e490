/**
 * The XLSX reader: an Excel workbook becomes one table per sheet, streamed row by row.
 *
 * What it owns:
 *  - sniff: an .xlsx is a zip whose first local file headers name `xl/…`, `[Content_Types].xml`
 *    or `docProps/…` (0.95); a zip named .xlsx without such names in the head (0.5); an OLE
 *    compound file named .xlsx or holding an `EncryptedPackage` stream is a password-protected
 *    workbook (0.9, so that the pipeline routes it here and the user gets a clear message);
 *  - readFile (random access; `read()` on a byte stream refuses): the package parts in order —
 *    `_rels/.rels` → workbook (sheet names in tab order, visibility, date system) → its rels →
 *    styles (date formats) → shared strings (held in memory, see parts.ts) → each worksheet
 *    streamed through sheet.ts. Table name = the sheet's name as shown in Excel's tab.
 *    Hidden and very hidden sheets are imported too; their state is in meta
 *    (`sheet.<n>.state`, n = 1-based tab position). Chart sheets and dialog/macro sheets hold no
 *    cells: they are listed in meta (`sheet.<n>.skipped`) and produce no table.
 *
 * Damage: a truncated or corrupt archive is read as far as it goes (see zip.ts: members are
 * recovered from the local headers when the directory is gone); a sheet whose data breaks off
 * keeps every row read before and the result is `truncated` with the reason; the other sheets
 * are still read. Limits (zip bomb, row size, part sizes, 16 384 columns) raise E_LIMIT or
 * reject the row, as documented where they are enforced.
 *
 * Progress: ctx.onBytes receives compressed bytes as members are consumed; the total reported
 * equals the file size at the end.
 *
 * Must not import: electron, the store, anything outside node:* and the import folder.
 */
import { Buffer } from 'node:buffer';
import { open } from 'node:fs/promises';
import { LeakscopeError } from '../../../../shared/errors';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../source';
import type {
  FormatReader,
  ReadContext,
  ReaderOptions,
  ReadResult,
  RecordSink,
  SniffResult,
} from '../types';
import {
  parseRels,
  parseRootRels,
  parseStyles,
  parseWorkbook,
  readSharedStrings,
  type Relationship,
  type SharedStrings,
} from './xlsx/parts';
import { SheetParser } from './xlsx/sheet';
import type { DateKind } from './xlsx/values';
import { XmlError } from './xlsx/xml';
import { MemberDataError, XlsxPackage, type PackageEntry } from './xlsx/zip';

export interface XlsxLimits {
  zip: ZipLimits;
  /** A single `<row>` element larger than this is rejected (first 64 KiB kept). */
  maxRowBytes: number;
  /** Workbook, relationships and styles parts are read whole: at most this many bytes each. */
  maxPartBytes: number;
  /** The shared strings part (held in memory): at most this many decompressed bytes. */
  maxSharedStringsBytes: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  zip: DEFAULT_ZIP_LIMITS,
  maxRowBytes: 64 * 1024 * 1024,
  maxPartBytes: 64 * 1024 * 1024,
  maxSharedStringsBytes: 2 * 1024 ** 3,
};

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const XLSX_NAME = /\.xls[xm]$/i;
const OTHER_OOXML_NAME = /\.(docx|docm|dotx|pptx|pptm|potx|ppsx)$/i;

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

function utf16(s: string): Buffer {
  return Buffer.from(s, 'utf16le');
}

/** Names in the local file headers found in the head bytes. */
export function localHeaderNames(head: Uint8Array): string[] {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const names: string[] = [];
  let i = 0;
  for (;;) {
    i = buf.indexOf('PK\x03\x04', i, 'latin1');
    if (i < 0 || i + 30 > buf.length) break;
    const nameLen = buf.readUInt16LE(i + 26);
    if (nameLen > 0 && nameLen <= 1024 && i + 30 + nameLen <= buf.length) {
      names.push(buf.toString('utf8', i + 30, i + 30 + nameLen));
    }
    i += 4;
  }
  return names;
}

function sniffXlsx(head: Uint8Array, name: string): SniffResult | null {
  if (startsWith(head, OLE_MAGIC)) {
    const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    if (XLSX_NAME.test(name) || buf.includes(utf16('EncryptedPackage'))) {
      return { likelihood: 0.9, options: {} };
    }
    return null;
  }
  if (!startsWith(head, ZIP_MAGIC)) return null;
  if (OTHER_OOXML_NAME.test(name)) return null;
  const names = localHeaderNames(head);
  if (names.some((n) => n.startsWith('word/') || n.startsWith('ppt/'))) return null;
  if (
    names.some(
      (n) => n.startsWith('xl/') || n === '[Content_Types].xml' || n.startsWith('docProps/'),
    )
  ) {
    return { likelihood: 0.95, options: {} };
  }
  return XLSX_NAME.test(name) ? { likelihood: 0.5, options: {} } : null;
}

/**
 * An OLE compound file where an .xlsx was expected: Excel stores a password-protected workbook
 * this way (EncryptionInfo + EncryptedPackage streams); a legacy .xls is also OLE. The directory
 * sector named in the header is enough to tell them apart.
 */
async function oleError(path: string): Promise<LeakscopeError> {
  const fh = await open(path, 'r');
  let names = Buffer.alloc(0);
  try {
    const header = Buffer.alloc(512);
    await fh.read(header, 0, 512, 0);
    const shift = header.readUInt16LE(0x1e);
    const dirStart = header.readUInt32LE(0x30);
    const sector = shift >= 9 && shift <= 16 ? 1 << shift : 512;
    const dir = Buffer.alloc(sector * 4);
    const { bytesRead } = await fh.read(dir, 0, dir.length, (dirStart + 1) * sector);
    names = dir.subarray(0, bytesRead);
  } catch {
    // An unreadable directory: fall through to the most likely explanation.
  } finally {
    await fh.close();
  }
  if (!names.includes(utf16('EncryptedPackage')) && names.includes(utf16('Workbook'))) {
    return new LeakscopeError(
      'E_IMPORT_FORMAT',
      'this is a legacy Excel 97-2003 (.xls) workbook, not .xlsx; save it as .xlsx in Excel first',
    );
  }
  return new LeakscopeError(
    'E_IMPORT_FORMAT',
    'the workbook is password-protected; remove the password in Excel first',
  );
}

async function readMagic(path: string): Promise<{ head: Buffer; size: number }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    throw new LeakscopeError('E_IO', `cannot read ${path}`);
  }
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    const { size } = await fh.stat();
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await fh.close();
  }
}

function dirOf(part: string): string {
  const i = part.lastIndexOf('/');
  return i < 0 ? '' : part.slice(0, i + 1);
}

function relsPathOf(part: string): string {
  const i = part.lastIndexOf('/');
  return `${part.slice(0, i + 1)}_rels/${part.slice(i + 1)}.rels`;
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LeakscopeError('E_CANCELLED', 'import cancelled');
}

function asFormatError(what: string, e: unknown): never {
  if (e instanceof XmlError) {
    throw new LeakscopeError('E_IMPORT_FORMAT', `${what} is malformed: ${e.message}`);
  }
  if (e instanceof MemberDataError) {
    throw new LeakscopeError('E_IMPORT_FORMAT', `${what} cannot be read: ${e.message}`);
  }
  throw e;
}

/** Builds an XLSX reader; `limits` exist so tests can exercise the bounds cheaply. */
export function createXlsxReader(limits: Partial<XlsxLimits> = {}): FormatReader {
  const lim: XlsxLimits = { ...DEFAULT_XLSX_LIMITS, ...limits };

  async function readFile(
    path: string,
    _options: ReaderOptions,
    sink: RecordSink,
    ctx?: ReadContext & { onBytes?: (n: number) => void },
  ): Promise<ReadResult> {
    const signal = ctx?.signal;
    cancelled(signal);
    const { head, size } = await readMagic(path);
    if (startsWith(head, OLE_MAGIC)) throw await oleError(path);
    if (!startsWith(head, ZIP_MAGIC)) {
      throw new LeakscopeError(
        'E_IMPORT_FORMAT',
        'not an .xlsx workbook: the file is not a zip archive',
      );
    }

    let reported = 0;
    const onCompressed = (n: number): void => {
      // Never report past the file size (salvaged members may overlap descriptors).
      const m = Math.min(n, size - reported);
      if (m <= 0) return;
      reported += m;
      ctx?.onBytes?.(m);
    };

    const pkg = await XlsxPackage.open(path, lim.zip);
    let truncatedReason: string | undefined;
    const markTruncated = (reason: string): void => {
      truncatedReason ??= reason;
    };
    let peak = 0;
    try {
      if (pkg.salvaged !== null) {
        sink.meta('salvaged', pkg.salvaged);
        markTruncated(
          `the zip directory is missing or damaged (${pkg.salvaged}); members were recovered from their local headers`,
        );
      }

      // 1. Where the workbook part is.
      let workbookPart = 'xl/workbook.xml';
      const rootRels = pkg.find('_rels/.rels');
      if (rootRels) {
        try {
          workbookPart =
            parseRootRels(await pkg.readAll(rootRels, lim.maxPartBytes, onCompressed)) ??
            workbookPart;
        } catch (e) {
          if (!(e instanceof XmlError || e instanceof MemberDataError)) throw e;
          // The default location is the norm; a damaged root rels part is not fatal.
        }
      }
      const workbookEntry = pkg.find(workbookPart) ?? pkg.find('xl/workbook.xml');
      if (!workbookEntry) {
        const what = pkg.find('word/document.xml')
          ? 'a Word document'
          : pkg.find('ppt/presentation.xml')
            ? 'a PowerPoint presentation'
            : 'an archive without a workbook part';
        throw new LeakscopeError('E_IMPORT_FORMAT', `not an Excel workbook: this is ${what}`);
      }

      // 2. Sheets, date system, relationships.
      let workbook;
      try {
        workbook = parseWorkbook(await pkg.readAll(workbookEntry, lim.maxPartBytes, onCompressed));
      } catch (e) {
        asFormatError(`the workbook part ${workbookEntry.name}`, e);
      }
      let rels = new Map<string, Relationship>();
      const relsEntry = pkg.find(relsPathOf(workbookEntry.name));
      if (relsEntry) {
        try {
          rels = parseRels(
            await pkg.readAll(relsEntry, lim.maxPartBytes, onCompressed),
            dirOf(workbookEntry.name),
          );
        } catch (e) {
          asFormatError(`the workbook relationships ${relsEntry.name}`, e);
        }
      }
      const byType = (type: string): PackageEntry | undefined => {
        for (const r of rels.values())
          if (r.type === type && !r.external) return pkg.find(r.target);
        return pkg.find(`${dirOf(workbookEntry.name)}${type}.xml`);
      };
      sink.meta('dateSystem', workbook.date1904 ? '1904' : '1900');
      sink.meta('sheets', workbook.sheets.length);

      // 3. Styles: which cell formats are dates. Damage here only costs the date conversion.
      let dateKinds: DateKind[] = [];
      const stylesEntry = byType('styles');
      if (stylesEntry) {
        try {
          dateKinds = parseStyles(await pkg.readAll(stylesEntry, lim.maxPartBytes, onCompressed));
        } catch (e) {
          if (!(e instanceof XmlError || e instanceof MemberDataError)) throw e;
          sink.meta('stylesError', `${e.message}; dates are kept as serial numbers`);
        }
      }

      // 4. Shared strings, in memory.
      let sst: SharedStrings = {
        strings: [],
        errors: new Map(),
        truncated: false,
        peakBufferedBytes: 0,
      };
      const sstEntry = byType('sharedStrings');
      if (sstEntry) {
        try {
          sst = await readSharedStrings(
            pkg.stream(sstEntry, onCompressed),
            lim.maxSharedStringsBytes,
            () => cancelled(signal),
          );
        } catch (e) {
          // UTF-16 or otherwise unreadable: the cells using it cannot be read either.
          if (e instanceof XmlError) asFormatError(`the shared strings part ${sstEntry.name}`, e);
          throw e;
        }
        if (sst.truncated) {
          // What was read is kept; cells pointing past it are rejected with this note.
          const reason = sst.truncatedReason ?? 'the shared strings part is cut';
          sst.note = reason;
          markTruncated(reason);
        }
        peak = Math.max(peak, sst.peakBufferedBytes);
      } else {
        sst.note = 'the workbook has no shared strings part';
        if (pkg.salvaged !== null) {
          // Excel writes the shared strings after the sheets: a cut file often loses them.
          sst.note = 'the shared strings part is missing from the damaged archive';
          sink.meta('sharedStringsMissing', true);
        }
      }
      sink.meta('sharedStrings', sst.strings.length);

      // 5. Each sheet, in tab order.
      const tableNames = new Set<string>();
      for (let i = 0; i < workbook.sheets.length; i++) {
        cancelled(signal);
        const sheet = workbook.sheets[i]!;
        const key = `sheet.${i + 1}`;
        sink.meta(`${key}.name`, sheet.name);
        sink.meta(`${key}.state`, sheet.state);
        // Excel keeps sheet names unique (case-insensitively) and non-empty; a crafted or
        // damaged workbook may not, and two sheets must never pour into one table.
        const base = sheet.name === '' ? `Sheet${i + 1}` : sheet.name;
        let table = base;
        for (let k = 2; tableNames.has(table.toLowerCase()); k++) table = `${base} (${k})`;
        tableNames.add(table.toLowerCase());
        if (table !== sheet.name) sink.meta(`${key}.table`, table);
        const rel = rels.get(sheet.rid);
        const type = rel?.type ?? 'worksheet';
        if (type !== 'worksheet') {
          sink.meta(`${key}.skipped`, `a ${type} holds no cells`);
          continue;
        }
        const entry = rel ? pkg.find(rel.target) : undefined;
        if (!entry) {
          // The table still exists, empty, so the sheet is not silently lost.
          sink.columns(table, []);
          const reason = `sheet "${sheet.name}": its part ${rel?.target ?? '(no relationship)'} is missing from the archive`;
          sink.meta(`${key}.error`, reason);
          markTruncated(reason);
          continue;
        }
        sink.meta(`${key}.part`, entry.name);
        const parser = new SheetParser(sink, {
          table,
          sst,
          dateKinds,
          date1904: workbook.date1904,
          maxRowBytes: lim.maxRowBytes,
        });
        let damage: MemberDataError | null = null;
        try {
          for await (const chunk of pkg.stream(entry, onCompressed)) {
            cancelled(signal);
            parser.push(chunk);
          }
        } catch (e) {
          if (e instanceof MemberDataError) damage = e;
          else if (e instanceof XmlError) throw new LeakscopeError('E_IMPORT_FORMAT', e.message);
          else throw e;
        }
        const end = parser.end();
        const st = parser.stats;
        if (damage !== null || end.truncated) {
          const reason = damage?.atEnd
            ? `sheet "${sheet.name}": ${damage.message}; every row was read, but some may be altered`
            : `sheet "${sheet.name}": ${damage?.message ?? end.reason}; the rows before were kept`;
          sink.meta(`${key}.truncated`, reason);
          markTruncated(reason);
        }
        sink.meta(`${key}.rows`, st.rows);
        sink.meta(`${key}.rejects`, st.rejects);
        sink.meta(`${key}.emptyRows`, st.emptyRows);
        sink.meta(`${key}.headerRow`, st.headerRow);
        sink.meta(`${key}.columns`, st.columns);
        sink.meta(`${key}.dateCells`, st.dateCells);
        if (st.dimension) sink.meta(`${key}.dimension`, st.dimension);
        peak = Math.max(peak, st.peakBufferedBytes);
      }
      sink.meta('peakBufferBytes', peak);
    } finally {
      pkg.close();
    }
    // The rest of the file (directory, unread members such as the theme) counts as read.
    onCompressed(size - reported);
    return truncatedReason === undefined
      ? { truncated: false }
      : { truncated: true, truncatedReason };
  }

  return {
    id: 'xlsx',
    sniff: sniffXlsx,
    read(): Promise<ReadResult> {
      return Promise.reject(
        new LeakscopeError(
          'E_IMPORT_FORMAT',
          'an .xlsx workbook is a zip read by random access: xlsx needs readFile(path), not a byte stream',
        ),
      );
    },
    readFile,
  };
}

export const xlsxReader: FormatReader = createXlsxReader();
