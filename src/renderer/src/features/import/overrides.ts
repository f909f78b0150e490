/**
 * What the investigator overrides in the import preview (format, encoding, delimiter, header),
 * and how that becomes the `import.preview` / `import.run` request: "auto" fields are left out so
 * the engine detects them. Pure; no DOM.
 */
import type { EncodingName, FormatId, MethodInput } from '../../../../shared/api';

export type PreviewInput = MethodInput<'import.preview'>;
export type RunInput = MethodInput<'import.run'>;

export const FORMAT_OPTIONS: ReadonlyArray<{ value: FormatId; label: string }> = [
  { value: 'csv', label: 'CSV / TSV (delimited text)' },
  { value: 'ndjson', label: 'NDJSON (one JSON object a line)' },
  { value: 'json', label: 'JSON (array or object of arrays)' },
  { value: 'sql', label: 'SQL dump (MySQL, PostgreSQL, SQLite…)' },
  { value: 'combo', label: 'Combolist (login:password)' },
  { value: 'xlsx', label: 'Excel workbook (.xlsx)' },
];

export const ENCODING_OPTIONS: ReadonlyArray<{ value: EncodingName; label: string }> = [
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Windows-1252 (Western European)' },
  { value: 'iso-8859-1', label: 'ISO-8859-1 (Latin-1)' },
  { value: 'utf-16le', label: 'UTF-16 LE' },
  { value: 'utf-16be', label: 'UTF-16 BE' },
];

/** Common delimiters by the name people use for them. */
export const DELIMITER_OPTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: ',', label: 'Comma ( , )' },
  { value: ';', label: 'Semicolon ( ; )' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe ( | )' },
  { value: ':', label: 'Colon ( : )' },
];

export function delimiterName(d: string | null): string {
  if (d === null) return 'none';
  return DELIMITER_OPTIONS.find((o) => o.value === d)?.label ?? JSON.stringify(d);
}

export interface Overrides {
  format: 'auto' | FormatId;
  encoding: 'auto' | EncodingName;
  /** 'auto', one of DELIMITER_OPTIONS, or 'other' with `otherDelimiter`. */
  delimiter: string;
  otherDelimiter: string;
  header: 'auto' | 'yes' | 'no';
}

export const AUTO: Overrides = {
  format: 'auto',
  encoding: 'auto',
  delimiter: 'auto',
  otherDelimiter: '',
  header: 'auto',
};

/** The delimiter to send, or undefined (auto, or an incomplete "other"). */
export function chosenDelimiter(o: Overrides): string | undefined {
  if (o.delimiter === 'auto') return undefined;
  if (o.delimiter === 'other') return o.otherDelimiter.length === 1 ? o.otherDelimiter : undefined;
  return o.delimiter;
}

/** "Other" delimiter typed but not exactly one character. */
export function delimiterInvalid(o: Overrides): boolean {
  return o.delimiter === 'other' && o.otherDelimiter.length !== 1;
}

/** Delimiter and header only mean something for delimited text. */
export function delimitedFormat(format: FormatId | 'auto', detected: FormatId | null): boolean {
  const f = format === 'auto' ? detected : format;
  return f === null || f === 'csv';
}

function overrideFields(o: Overrides) {
  const delimiter = chosenDelimiter(o);
  return {
    ...(o.format !== 'auto' ? { format: o.format } : {}),
    ...(o.encoding !== 'auto' ? { encoding: o.encoding } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(o.header !== 'auto' ? { header: o.header === 'yes' } : {}),
  };
}

export function previewRequest(path: string, o: Overrides, limit = 20): PreviewInput {
  return { path, limit, ...overrideFields(o) };
}

export function runRequest(
  path: string,
  o: Overrides,
  extra: { name?: string; schema?: string } = {},
): RunInput {
  const name = extra.name?.trim();
  const schema = extra.schema?.trim();
  return {
    path,
    ...overrideFields(o),
    ...(name ? { name } : {}),
    ...(schema ? { schema } : {}),
  };
}
