/**
 * Redacted reading: records of a dataset read through a policy, for the policy editor's preview
 * (`redact.preview`) and for any module that shows records and must be able to show them
 * redacted (the query layer's pages, the grid): `redactedReader` returns a function that turns
 * `rows.query`-shaped records (values by column name) into their redacted form.
 *
 * Keyed rules need the case secret, created here on first use (hence a writable connection).
 */
import type { RowRecord } from '../../../shared/api';
import type { ColumnRedaction, PreviewResult } from '../../../shared/contract/redact';
import type { FilterNode } from '../../../shared/filter';
import type { RedactionPolicy } from '../../../shared/redaction';
import { openSource } from '../export/source';
import { columnRedaction } from '../export/manifest';
import { findDataset } from '../import/repo';
import type { WritableDB } from '../store/types';
import { planRedaction, rowTransformer, type RedactionPlan } from './apply';
import { ensureCaseSecret, RedactionKeys } from './keys';
import { columnKinds } from './kinds';

export interface RedactedReader {
  plan: RedactionPlan;
  columns: ColumnRedaction[];
  profiled: boolean;
  /** Redacts positional values (dataset column order) into the output columns' values. */
  values(values: readonly (string | null)[]): (string | null)[];
  /** Redacts a record keyed by column name (rows.query's shape); dropped columns disappear. */
  record<R extends Pick<RowRecord, 'values'>>(row: R): R;
}

export function redactedReader(
  db: WritableDB,
  datasetRef: string,
  policy: RedactionPolicy,
  now: Date,
): RedactedReader {
  const ds = findDataset(db, datasetRef);
  const kinds = columnKinds(db, { id: ds.id, physical: ds.physical });
  const plan = planRedaction(policy, kinds.columns);
  const keys = plan.needsKeys ? new RedactionKeys(ensureCaseSecret(db, now)) : null;
  const transform = rowTransformer(plan, keys, now);
  return {
    plan,
    columns: plan.columns.map(columnRedaction),
    profiled: kinds.profiled,
    values: transform,
    record(row) {
      const values = plan.columns.map((c) => row.values[c.name] ?? null);
      const out = transform(values);
      const byName: Record<string, string | null> = {};
      plan.outputColumns.forEach((c, i) => {
        byName[c.output!] = out[i] ?? null;
      });
      return { ...row, values: byName };
    },
  };
}

export function previewRedaction(
  db: WritableDB,
  req: {
    dataset: string;
    policy: RedactionPolicy;
    filter?: FilterNode | undefined;
    search?: string | undefined;
    limit: number;
  },
  now: Date,
): PreviewResult {
  const reader = redactedReader(db, req.dataset, req.policy, now);
  const source = openSource(db, req);
  const rows: PreviewResult['rows'] = [];
  for (const rec of source.records(req.limit)) {
    const out = reader.values(rec.values);
    const values: Record<string, string | null> = {};
    reader.plan.outputColumns.forEach((c, i) => {
      values[c.output!] = out[i] ?? null;
    });
    rows.push({ id: rec.id, ordinal: rec.ordinal, line: rec.line, values });
  }
  return {
    dataset: source.ds.name,
    policy: req.policy.name,
    output: req.policy.output,
    columns: reader.columns,
    rows,
    description: source.description,
    profiled: reader.profiled,
    warnings: [...reader.plan.warnings, ...source.notes],
  };
}
