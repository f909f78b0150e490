/**
 * Format detection (VisiData's model): every reader scores the head bytes, the highest likelihood
 * wins; the file extension is only a tie-breaker (applied inside each sniffer); `--format`
 * overrides it all.
 */
import type { FormatId } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import { comboReader } from './readers/combo';
import { csvReader } from './readers/csv';
import { jsonReader } from './readers/json';
import { ndjsonReader } from './readers/ndjson';
import { sqlReader } from './readers/sql';
import { xlsxReader } from './readers/xlsx';
import type { FormatReader, ReaderOptions, SniffResult } from './types';

export const READERS: readonly FormatReader[] = [
  sqlReader,
  jsonReader,
  ndjsonReader,
  comboReader,
  csvReader,
  xlsxReader,
];

export function readerFor(id: FormatId): FormatReader {
  const r = READERS.find((x) => x.id === id);
  if (!r) throw new LeakscopeError('E_IMPORT_FORMAT', `no reader for format ${id}`);
  return r;
}

export interface Detection {
  reader: FormatReader;
  options: ReaderOptions;
  likelihood: number;
  /** Every reader's score, for the import preview and provenance. */
  scores: Record<string, number>;
}

export function detectFormat(head: Uint8Array, name: string, forced?: FormatId): Detection {
  const scores: Record<string, number> = {};
  let best: { reader: FormatReader; sniff: SniffResult } | null = null;
  for (const reader of READERS) {
    let sniff: SniffResult | null = null;
    try {
      sniff = reader.sniff(head, name);
    } catch {
      sniff = null;
    }
    scores[reader.id] = sniff ? Number(sniff.likelihood.toFixed(3)) : 0;
    if (forced) {
      if (reader.id === forced) best = { reader, sniff: sniff ?? { likelihood: 0, options: {} } };
    } else if (
      sniff &&
      sniff.likelihood > 0 &&
      (!best || sniff.likelihood > best.sniff.likelihood)
    ) {
      best = { reader, sniff };
    }
  }
  if (!best) {
    if (head.length === 0) {
      // An empty file is an empty delimited file: zero records, said plainly.
      return { reader: csvReader, options: {}, likelihood: 0, scores };
    }
    throw new LeakscopeError(
      'E_IMPORT_FORMAT',
      `cannot recognise the format of ${name}; pass --format csv|ndjson|json|sql|combo|xlsx`,
    );
  }
  return {
    reader: best.reader,
    options: best.sniff.options,
    likelihood: best.sniff.likelihood,
    scores,
  };
}
