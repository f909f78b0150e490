/**
 * Pages and facets read through a redaction policy (issue 7, "redacted reading": the grid shows
 * what an export under that policy would hold). The redaction itself is the redact capability's
 * `redactedReader` (the code `redact.preview` and exports use): nothing is re-implemented here.
 *
 * Applied on the case connection after the query ran (in a worker or not): the keyed rules need
 * the case secret, and a page is at most 1000 records. What leaves with a policy:
 * - row values: redacted, keyed by output column name; dropped columns absent;
 * - facets: the top values redacted, counts of values that redact alike merged (a pseudonym or a
 *   mask makes several originals one output); a facet of a dropped column is refused;
 * - the cursor is unchanged: it is encrypted with the case key (keyset.ts), never readable.
 * The description and notes hold no record values (they restate the filter as typed).
 */
import type { FacetsResult, RowsQueryResult } from '../../../shared/api';
import { LeakscopeError } from '../../../shared/errors';
import type { RedactionPolicy } from '../../../shared/redaction';
import { redactedReader, resolvePolicy, type RedactedReader } from '../redact';
import type { WritableDB } from '../store/types';

function readerFor(
  db: WritableDB,
  dataset: string,
  policyRef: unknown,
  now: Date,
): { policy: RedactionPolicy; reader: RedactedReader } {
  const policy = resolvePolicy(db, policyRef);
  if (policy.output === 'aggregates') {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `the policy "${policy.name}" allows aggregates only: records cannot be read through it`,
    );
  }
  return { policy, reader: redactedReader(db, dataset, policy, now) };
}

/** A rows.query page with its values read through `policyRef`. */
export function redactPage(
  db: WritableDB,
  page: RowsQueryResult,
  policyRef: unknown,
  now: Date,
): RowsQueryResult {
  const { policy, reader } = readerFor(db, page.dataset, policyRef, now);
  return {
    ...page,
    rows: page.rows.map((r) => reader.record(r)),
    notes: [...page.notes, ...reader.plan.warnings],
    redaction: { policy: policy.name, columns: reader.columns },
  };
}

/** Facet values read through `policyRef` (see the module comment). */
export function redactFacets(
  db: WritableDB,
  facets: FacetsResult,
  policyRef: unknown,
  now: Date,
): FacetsResult {
  const { policy, reader } = readerFor(db, facets.dataset, policyRef, now);
  const col = reader.plan.columns.find((c) => c.name === facets.column);
  if (!col || col.output === null) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `the policy "${policy.name}" drops the column ${JSON.stringify(facets.column)}: it has no values to show`,
    );
  }
  const output = col.output;
  const merged = new Map<string | null, number>();
  for (const { value, count } of facets.values) {
    const out =
      value === null
        ? null
        : (reader.record({ values: { [col.name]: value } }).values[output] ?? null);
    merged.set(out, (merged.get(out) ?? 0) + count);
  }
  return {
    ...facets,
    values: [...merged]
      .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
      .map(([value, count]) => ({ value, count })),
  };
}
