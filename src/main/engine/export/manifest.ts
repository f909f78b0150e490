/**
 * The export manifest (issue 7, point 4): provenance of the data, the selection and the policy in
 * plain language and as documents, what each column became, row count, the SHA-256 of the rows
 * and, where the manifest sits beside the file (CSV / NDJSON sidecar `<out>.manifest.json`), the
 * SHA-256 of the file. Inside HTML and XLSX the file hash cannot be given (a file cannot contain
 * its own hash); it is in the audit log and the export history.
 *
 * The manifest holds no record value: column names, kinds, counts, hashes, the policy and the
 * filter the user wrote (which verification also searches for original values).
 */
import { basename } from 'node:path';
import type { DatasetSummary } from '../../../shared/api';
import type {
  ColumnRedaction,
  ExportFormat,
  ExportManifest,
} from '../../../shared/contract/redact';
import type { FilterNode } from '../../../shared/filter';
import { describePolicy, isBuiltinPolicy } from '../../../shared/redaction';
import type { ColumnPlan, RedactionPlan } from '../redact/apply';

export function columnRedaction(c: ColumnPlan): ColumnRedaction {
  return {
    name: c.name,
    path: c.path,
    output: c.output,
    kind: c.kind,
    kindSource: c.kindFromPolicy ? 'policy' : c.source,
    confidence: c.confidence,
    rule: c.rule,
    ruleSource: c.ruleSource,
    description: c.description,
    mustRedact: c.mustRedact,
  };
}

export interface ManifestInput {
  createdAt: string;
  appVersion: string;
  caseId: string | null;
  dataset: DatasetSummary;
  selection: {
    filter: FilterNode | undefined;
    search: string | undefined;
    sort: readonly { column: string; desc: boolean }[];
    session: string | null;
    description: string;
  };
  plan: RedactionPlan;
  format: ExportFormat;
  out: string;
  rows: number;
  rowsSha256: string;
  file: { sha256: string; bytes: number } | null;
  sampleRows: number | null;
  csv: { delimiter: string; bom: boolean } | null;
  warnings: string[];
}

export function buildManifest(m: ManifestInput): ExportManifest {
  const s = m.dataset.source;
  return {
    format: 'leakscope.export-manifest',
    version: 1,
    generator: { app: 'Leakscope', version: m.appVersion },
    createdAt: m.createdAt,
    case: { id: m.caseId },
    dataset: {
      id: m.dataset.id,
      name: m.dataset.name,
      table: m.dataset.table,
      format: m.dataset.format,
      encoding: m.dataset.encoding,
      rows: m.dataset.rows,
      rejected: m.dataset.rejected,
      complete: m.dataset.complete,
      source: {
        fileName: s.fileName,
        member: s.member,
        sha256: m.dataset.sha256,
        bytes: m.dataset.bytes,
        mtime: s.mtime,
        importedAt: s.startedAt,
        importFinishedAt: s.finishedAt,
      },
    },
    selection: {
      filter: m.selection.filter ?? null,
      search: m.selection.search ?? null,
      sort: m.selection.sort.map((k) => ({ column: k.column, desc: k.desc })),
      session: m.selection.session,
      description: m.selection.description,
    },
    policy: {
      name: m.plan.policy.name,
      builtIn: isBuiltinPolicy(m.plan.policy.name),
      description: describePolicy(m.plan.policy),
      document: m.plan.policy,
    },
    columns: m.plan.columns.map(columnRedaction),
    output: {
      format: m.format,
      file: basename(m.out),
      content: m.plan.policy.output,
      rows: m.rows,
      rowsSha256: m.rowsSha256,
      sha256: m.file?.sha256 ?? null,
      bytes: m.file?.bytes ?? null,
      sampleRows: m.sampleRows,
      csv: m.csv,
    },
    verification: {
      method:
        'the file was read back before it was kept: no original value of a redacted or must-redact column, and no value validating as a forbidden kind outside format-preserving columns, was found',
      redactedColumns: m.plan.columns.filter((c) => c.scanRaw).map((c) => c.name),
      tokenKinds: [...m.plan.tokenKinds],
    },
    warnings: m.warnings,
  };
}

/** The manifest as the text lines of the XLSX "Manifest" sheet: [field, value]. */
export function manifestLines(m: ExportManifest): [string, string][] {
  const lines: [string, string][] = [
    [
      'Leakscope export manifest',
      `version ${m.version}, ${m.generator.app} ${m.generator.version}`,
    ],
    ['created', m.createdAt],
    ['case', m.case.id ?? ''],
    ['dataset', m.dataset.name],
    [
      'source file',
      m.dataset.source.fileName + (m.dataset.source.member ? ` / ${m.dataset.source.member}` : ''),
    ],
    ['source SHA-256', m.dataset.source.sha256 ?? 'not recorded'],
    ['source bytes', String(m.dataset.source.bytes)],
    ['imported', m.dataset.source.importedAt],
    ['selection', m.selection.description],
    ['rows', String(m.output.rows)],
    ['rows SHA-256', m.output.rowsSha256],
    ['policy', m.policy.name],
  ];
  for (const line of m.policy.description.split('\n')) lines.push(['', line]);
  for (const c of m.columns) lines.push([`column ${c.name}`, `${c.kind}: ${c.description}`]);
  for (const w of m.warnings) lines.push(['warning', w]);
  lines.push(['verification', m.verification.method]);
  // The whole manifest as JSON, cut into cells under Excel's 32,767-character limit.
  const json = JSON.stringify(m);
  for (let i = 0, part = 1; i < json.length; i += 30_000, part++) {
    lines.push([`json (${part})`, json.slice(i, i + 30_000)]);
  }
  return lines;
}
