/**
 * XLSX output, written by hand (no spreadsheet library: the format needed is small and a
 * streaming writer keeps memory flat): a workbook of data sheets and a "Manifest" sheet, inline
 * strings (no shared-string table to hold in memory), a bold frozen header row, every cell with
 * its reference so that absent values stay absent. The parts go through zip.ts.
 *
 * Text is escaped for XML and for OOXML's ST_Xstring: control characters (and CR, which XML
 * would turn into LF) as `_xHHHH_`, a literal `_xHHHH_` lookalike as `_x005F_xHHHH_`. A cell
 * holds at most 32,767 characters (Excel's limit); longer values are cut with a warning.
 *
 * A sheet holds at most 1,048,576 rows: larger exports continue on "Data 2", "Data 3"...
 */
import { columnLetters } from '../import/readers/xlsx/values';
import type { FileSink } from './sink';
import { ZipWriter } from './zip';

export const XLSX_MAX_ROWS = 1_048_576;
export const XLSX_MAX_CELL = 32_767;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

// Characters XML 1.0 cannot carry (or would normalise: CR), lone surrogates, U+FFFE / U+FFFF.
const NEEDS_X_ESCAPE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlEscape(s: string): string {
  let t = s;
  if (t.includes('_x')) t = t.replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_');
  t = t.replace(
    NEEDS_X_ESCAPE,
    (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  );
  return t.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

/** Plain XML escaping for attribute values we write (sheet names). */
function attr(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

export type XlsxCell = string | number | null;

interface SheetRef {
  name: string;
  file: string;
}

export class XlsxWriter {
  private readonly zip: ZipWriter;
  private readonly sheets: SheetRef[] = [];
  private letters: string[] = [];
  private rowNumber = 0;
  private open = false;
  private truncatedCells = 0;

  constructor(sink: FileSink, now: Date) {
    this.zip = new ZipWriter(sink, now);
  }

  /** Cells cut to Excel's 32,767-character limit so far. */
  get truncated(): number {
    return this.truncatedCells;
  }

  /** Starts a sheet with a bold, frozen header row. */
  beginSheet(name: string, header: readonly string[], widths?: readonly number[]): void {
    if (this.open) this.endSheet();
    const file = `sheet${this.sheets.length + 1}.xml`;
    this.sheets.push({ name: name.slice(0, 31), file });
    this.letters = header.map((_, i) => columnLetters(i));
    this.rowNumber = 0;
    this.zip.begin(`xl/worksheets/${file}`);
    const cols = widths?.length
      ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`
      : '';
    this.zip.write(
      `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>${cols}<sheetData>`,
    );
    this.open = true;
    this.row(header, 1);
  }

  /** Rows written to the current sheet, header included. */
  get rowsInSheet(): number {
    return this.rowNumber;
  }

  row(cells: readonly XlsxCell[], style = 0): void {
    const r = ++this.rowNumber;
    let xml = `<row r="${r}">`;
    const s = style ? ` s="${style}"` : '';
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (v === null || v === undefined) continue;
      let letters = this.letters[i];
      if (letters === undefined) letters = this.letters[i] = columnLetters(i);
      if (typeof v === 'number') {
        xml += `<c r="${letters}${r}"${s}><v>${v}</v></c>`;
        continue;
      }
      let text = v;
      if (text.length > XLSX_MAX_CELL) {
        text = `${text.slice(0, XLSX_MAX_CELL - 1)}…`;
        this.truncatedCells++;
      }
      const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
      xml += `<c r="${letters}${r}"${s} t="inlineStr"><is><t${space}>${xmlEscape(text)}</t></is></c>`;
    }
    this.zip.write(`${xml}</row>`);
  }

  endSheet(): void {
    if (!this.open) return;
    this.zip.write('</sheetData></worksheet>');
    this.zip.end();
    this.open = false;
  }

  /** Writes the workbook parts and the zip directory. */
  finish(): void {
    this.endSheet();
    const sheets = this.sheets;
    this.zip.entry(
      '[Content_Types].xml',
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sheets
        .map(
          (s) =>
            `<Override PartName="/xl/worksheets/${s.file}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
        )
        .join('')}</Types>`,
    );
    this.zip.entry(
      '_rels/.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    );
    this.zip.entry(
      'xl/workbook.xml',
      `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><bookViews><workbookView/></bookViews><sheets>${sheets
        .map((s, i) => `<sheet name="${attr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets></workbook>`,
    );
    this.zip.entry(
      'xl/_rels/workbook.xml.rels',
      `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">${sheets
        .map(
          (s, i) =>
            `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/${s.file}"/>`,
        )
        .join(
          '',
        )}<Relationship Id="rId${sheets.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    );
    // Style 0: default; style 1: bold (header rows).
    this.zip.entry(
      'xl/styles.xml',
      `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
    );
    this.zip.finish();
  }
}
