/**
 * NDJSON output: one JSON object per record and per line (`\n`), keys in column order, absent
 * values as null (unlike CSV, NDJSON keeps null and '' apart); and the reader verification uses.
 */
import { LeakscopeError } from '../../../shared/errors';
import type { FileSink } from './sink';

export class NdjsonWriter {
  constructor(
    private readonly sink: FileSink,
    private readonly keys: readonly string[],
  ) {}

  row(values: readonly (string | number | null)[]): void {
    let line = '{';
    for (let i = 0; i < this.keys.length; i++) {
      if (i) line += ',';
      line += JSON.stringify(this.keys[i]);
      line += ':';
      line += JSON.stringify(values[i] ?? null);
    }
    this.sink.write(`${line}}\n`);
  }
}

/** Streams the records of an NDJSON file: each line parsed, values in `keys` order. */
export async function* readNdjsonRecords(
  chunks: AsyncIterable<string>,
  keys: readonly string[],
): AsyncGenerator<(string | number | null)[]> {
  let rest = '';
  const parse = (line: string): (string | number | null)[] => {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new LeakscopeError('E_INTERNAL', 'the NDJSON written does not parse back');
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new LeakscopeError(
        'E_INTERNAL',
        'the NDJSON written holds a line that is not an object',
      );
    }
    const rec = obj as Record<string, unknown>;
    const extra = Object.keys(rec).filter((k) => !keys.includes(k));
    if (extra.length) {
      throw new LeakscopeError('E_INTERNAL', 'the NDJSON written holds unexpected fields');
    }
    return keys.map((k) => {
      const v = rec[k];
      return typeof v === 'string' || typeof v === 'number' ? v : null;
    });
  };
  for await (const chunk of chunks) {
    const text = rest + chunk;
    const lines = text.split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line.length) yield parse(line);
  }
  if (rest.length) yield parse(rest);
}
