/**
 * The HTML report: ONE self-contained file an investigator can hand over or print (issue 7,
 * point 3). No script, no external resource of any kind (no font, image, stylesheet or link to
 * fetch): styles are one inline <style> allowed by its hash in a strict Content-Security-Policy
 * meta tag, charts are inline SVG with presentation attributes only. Opened anywhere, it makes no
 * request.
 *
 * Contents: case and dataset provenance (file name, SHA-256, size, import times), the selection
 * and the policy in plain language with the rule of every column, the profile summary and the
 * inventory of personal data with sensitivity flags, duplicate and overlap figures (and their
 * verdicts) when linkage results exist, the aggregates (publish-statistics), an optional
 * redacted sample of records, and the export manifest as JSON.
 *
 * Nothing in the report is a record value except the redacted sample and aggregate categories;
 * profile top values and samples (raw) are never shown. Verification re-reads the file with
 * `readReportBack`: sample cells are tagged with their column (`data-c`), everything else is
 * narrative and searched like free text.
 */
import { createHash } from 'node:crypto';
import type { DatasetProfile, DatasetSummary } from '../../../shared/api';
import type { ExportManifest } from '../../../shared/contract/redact';
import { HIGH_RISK_KINDS, PII_LABELS, type PiiKind } from '../../../shared/pii';
import type { AggregateResult } from './aggregates';
import type { ColumnPlan, RedactionPlan } from '../redact/apply';
import type { LinkageFigures } from './linkage';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const STYLE = `
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1c1f24;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px 32px 64px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 8px;border-bottom:2px solid #e3e6ea;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}
.sub{color:#5b6470;margin:0 0 16px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #d9dde2;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f7;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.flag{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;font-weight:600}
.high{background:#fde2e1;color:#9b1c1c}.pii{background:#fff1d6;color:#8a5300}.none{background:#eef0f3;color:#4b5563}
.note{background:#f6f8fa;border-left:4px solid #9aa4b2;padding:8px 12px;margin:8px 0}
.warn{border-left-color:#d97706}
pre{white-space:pre-wrap;background:#f6f8fa;padding:12px;border:1px solid #e3e6ea;font-size:11px}
.policy{white-space:pre-line}
.sample td{font-size:12px}
.wide{overflow-x:auto}
figure{margin:8px 0 16px}
figcaption{color:#5b6470;font-size:12px}
@media print{main{padding:0}h2{break-after:avoid}table,figure{break-inside:avoid}}
`;

export const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;
export const REPORT_CSP = `default-src 'none'; style-src '${STYLE_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

export interface ReportData {
  createdAt: string;
  appVersion: string;
  caseId: string | null;
  dataset: DatasetSummary;
  profile: DatasetProfile | null;
  plan: RedactionPlan;
  policyText: string;
  selection: { description: string; notes: string[]; rows: number; session: string | null };
  linkage: LinkageFigures | null;
  aggregates: AggregateResult | null;
  manifest: ExportManifest;
  warnings: string[];
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
}

function kindFlag(kind: PiiKind): string {
  if (kind === 'none') return '<span class="flag none">no personal data</span>';
  const cls = HIGH_RISK_KINDS.has(kind) ? 'high' : 'pii';
  const extra = HIGH_RISK_KINDS.has(kind) ? ' · high risk' : '';
  return `<span class="flag ${cls}">${esc(PII_LABELS[kind])}${extra}</span>`;
}

/** Horizontal bar chart as inline SVG (labels and values as text nodes, colours as attributes). */
export function barChart(
  title: string,
  items: readonly { label: string; value: number; tone?: 'high' | 'pii' | 'none' }[],
  format: (v: number) => string = fmt,
): string {
  if (items.length === 0) return '';
  const rowH = 22;
  const labelW = 260;
  const barW = 520;
  const width = labelW + barW + 90;
  const height = items.length * rowH + 8;
  const max = Math.max(1, ...items.map((i) => i.value));
  const colour = { high: '#c2410c', pii: '#d97706', none: '#64748b' };
  const bars = items
    .map((it, i) => {
      const y = 4 + i * rowH;
      const w = Math.max(1, Math.round((it.value / max) * barW));
      const label = it.label.length > 40 ? `${it.label.slice(0, 39)}…` : it.label;
      return `<g><title>${esc(it.label)}: ${esc(format(it.value))}</title><text x="${labelW - 8}" y="${y + 15}" text-anchor="end" font-size="12" fill="#1c1f24">${esc(label)}</text><rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" fill="${colour[it.tone ?? 'none']}"/><text x="${labelW + w + 6}" y="${y + 15}" font-size="12" fill="#1c1f24">${esc(format(it.value))}</text></g>`;
    })
    .join('');
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">${bars}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

function tone(kind: PiiKind): 'high' | 'pii' | 'none' {
  return kind === 'none' ? 'none' : HIGH_RISK_KINDS.has(kind) ? 'high' : 'pii';
}

function provenance(d: ReportData): string {
  const s = d.dataset.source;
  const rows: [string, string][] = [
    ['Dataset', d.dataset.name],
    ['Source file', s.fileName + (s.member ? ` (member ${s.member})` : '')],
    ['SHA-256 of the source', d.dataset.sha256 ?? 'not recorded'],
    ['Size', `${fmt(d.dataset.bytes)} bytes`],
    ['Format', `${d.dataset.format}${d.dataset.encoding ? ` / ${d.dataset.encoding}` : ''}`],
    ['File modified', s.mtime],
    ['Import started', s.startedAt],
    ['Import finished', s.finishedAt ?? 'not finished'],
    [
      'Records',
      `${fmt(d.dataset.rows)} imported, ${fmt(d.dataset.rejected)} rejected${d.dataset.complete ? ' (complete)' : ` (${d.dataset.status}: not every record of the source was read)`}`,
    ],
  ];
  if (d.dataset.table) rows.splice(1, 0, ['Table in the source', d.dataset.table]);
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td class="mono">${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

function columnsTable(plan: RedactionPlan, profile: DatasetProfile | null): string {
  const prof = new Map(profile?.columns.map((c) => [c.index, c]) ?? []);
  const head =
    '<tr><th>Column</th><th>Kind of data</th><th>Filled</th><th>Distinct</th><th>In this export</th></tr>';
  const body = plan.columns
    .map((c) => {
      const p = prof.get(c.idx);
      const filled = p ? `${fmt(p.nonEmpty)}` : '–';
      const distinct = p ? `${p.distinctExact ? '' : '≈'}${fmt(p.distinct)}` : '–';
      const conf = c.confidence !== null ? ` <span class="sub">(${pct(c.confidence)})</span>` : '';
      const src = c.kindFromPolicy ? ' <span class="sub">(set by the policy)</span>' : '';
      return `<tr><td>${esc(c.name)}</td><td>${kindFlag(c.kind)}${conf}${src}</td><td class="num">${filled}</td><td class="num">${distinct}</td><td>${esc(c.description)}</td></tr>`;
    })
    .join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function profileSection(d: ReportData): string {
  const p = d.profile;
  if (!p) {
    return `<div class="note warn">This dataset has not been profiled: kinds of data were read from column names and a sample of values (NIR, e-mail, phone checks). Run the profile for confidence figures and the sensitivity summary.</div>${columnsTable(d.plan, null)}`;
  }
  const sens = p.summary.sensitivity;
  const parts: string[] = [];
  parts.push(
    `<p>Profiled ${esc(p.profiledAt)}: ${fmt(p.rows)} records, ${fmt(p.columns.length)} columns. Sensitivity: <span class="flag ${sens.level === 'low' ? 'none' : sens.level === 'moderate' ? 'pii' : 'high'}">${esc(sens.level)}</span></p>`,
  );
  if (sens.reasons.length)
    parts.push(`<ul>${sens.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`);
  if (sens.specialCategories.length) {
    parts.push(
      `<h3>Special categories</h3><table><thead><tr><th>Category</th><th>Columns</th><th>Evidence</th></tr></thead><tbody>${sens.specialCategories
        .map(
          (s) =>
            `<tr><td><span class="flag high">${esc(s.category.replace(/_/g, ' '))}</span></td><td>${esc(s.columns.join(', '))}</td><td>${esc(s.evidence)}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  const inv = p.summary.inventory.filter((i) => i.kind !== 'none');
  if (inv.length) {
    parts.push('<h3>Inventory of personal data</h3>');
    parts.push(
      barChart(
        'Records holding each kind of personal data',
        inv.map((i) => ({ label: PII_LABELS[i.kind], value: i.records, tone: tone(i.kind) })),
      ),
    );
    parts.push(
      `<table><thead><tr><th>Kind</th><th>Columns</th><th>Records</th><th>Share</th></tr></thead><tbody>${inv
        .map(
          (i) =>
            `<tr><td>${kindFlag(i.kind)}</td><td>${esc(i.columns.join(', '))}</td><td class="num">${fmt(i.records)}</td><td class="num">${pct(i.share)}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  const prof = new Map(p.columns.map((c) => [c.index, c]));
  parts.push(
    barChart(
      'Share of records with a value, per column',
      d.plan.columns.map((c) => {
        const pc = prof.get(c.idx);
        return {
          label: c.name,
          value: pc && p.rows ? pc.nonEmpty / p.rows : 0,
          tone: tone(c.kind),
        };
      }),
      pct,
    ),
  );
  parts.push('<h3>Columns</h3>', columnsTable(d.plan, p));
  return parts.join('');
}

const VERDICT_LABELS: Record<string, string> = {
  new: 'new',
  repackaged: 'repackaged',
  partial_overlap: 'partial overlap',
  likely_fabricated: 'likely fabricated',
};

function kindCounts(byKey: Record<string, number>): string {
  const parts = Object.entries(byKey).map(([k, n]) => `${k.replace(/_/g, ' ')} ${fmt(n)}`);
  return parts.length ? parts.join(', ') : '–';
}

function linkageSection(l: LinkageFigures | null): string {
  if (!l) {
    return '<p class="sub">This dataset has no identity keys: duplicates and overlaps with other datasets have not been computed.</p>';
  }
  const parts: string[] = [];
  if (l.duplicates) {
    const d = l.duplicates;
    parts.push(`<p>${esc(d.headline)}</p>`);
    parts.push(
      `<table><tbody><tr><th>Exact duplicate records</th><td class="num">${fmt(d.exactDuplicateRecords)}</td></tr><tr><th>Records sharing a strong identity key with another</th><td class="num">${fmt(d.recordsSharingKeys)}</td></tr><tr><th>Unique people (estimate)</th><td class="num">${fmt(d.uniquePeople)}</td></tr><tr><th>Duplicate groups</th><td class="num">${fmt(d.groupsTotal)}</td></tr><tr><th>By key</th><td>${esc(kindCounts(d.byKey))}</td></tr></tbody></table>`,
    );
  }
  for (const v of l.verdicts) {
    const cls = v.verdict === 'new' ? 'none' : v.verdict === 'likely_fabricated' ? 'high' : 'pii';
    parts.push(
      `<div class="note"><span class="flag ${cls}">${esc(VERDICT_LABELS[v.verdict] ?? v.verdict)}</span> ${esc(v.text)}<br><span class="sub">${esc(v.rule)}</span></div>`,
    );
  }
  if (l.overlaps.length) {
    parts.push(
      barChart(
        'Records also found in another dataset of the case (strong identity keys)',
        l.overlaps.map((o) => ({ label: o.dataset, value: o.records, tone: 'pii' as const })),
      ),
    );
    parts.push(
      `<table><thead><tr><th>Other dataset</th><th>Records in common</th><th>Share of this dataset</th><th>By key</th></tr></thead><tbody>${l.overlaps
        .map(
          (o) =>
            `<tr><td>${esc(o.dataset)}</td><td class="num">${fmt(o.records)}</td><td class="num">${pct(o.share)}</td><td>${esc(kindCounts(o.byKey))}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  for (const n of l.notes) parts.push(`<p class="sub">${esc(n)}</p>`);
  return parts.join('') || '<p class="sub">No duplicate or overlap found.</p>';
}

function aggregatesSection(a: AggregateResult, plan: RedactionPlan): string {
  const parts: string[] = [
    `<p>${fmt(a.records)} records counted. Categories with fewer than ${plan.policy.aggregates.minCount} records are merged.</p>`,
  ];
  const byColumn = new Map<string, typeof a.rows>();
  for (const r of a.rows) {
    if (r.measure !== 'distribution') continue;
    const list = byColumn.get(r.column) ?? [];
    list.push(r);
    byColumn.set(r.column, list);
  }
  for (const [column, rows] of byColumn) {
    parts.push(`<h3>${esc(column)}</h3>`);
    parts.push(
      barChart(
        `Records by ${column}`,
        rows.map((r) => ({ label: r.category, value: r.count, tone: 'none' as const })),
      ),
    );
  }
  const filled = a.rows.filter((r) => r.measure === 'filled');
  parts.push(
    `<h3>Records with a value, per column</h3><table><thead><tr><th>Column</th><th>Kind</th><th>Records</th></tr></thead><tbody>${filled
      .map(
        (r) =>
          `<tr><td>${esc(r.column)}</td><td>${kindFlag(r.kind as PiiKind)}</td><td class="num">${fmt(r.count)}</td></tr>`,
      )
      .join('')}</tbody></table>`,
  );
  for (const n of a.notes) parts.push(`<p class="sub">${esc(n)}</p>`);
  return parts.join('');
}

/**
 * Streams the report: `head` (everything before the sample), then `sampleRow` per redacted record,
 * then `tail`. The caller writes the pieces to the export file in that order.
 */
export class ReportWriter {
  constructor(
    private readonly d: ReportData,
    private readonly out: (s: string) => void,
  ) {}

  head(sampleColumns: readonly ColumnPlan[] | null): void {
    const d = this.d;
    const title = `Leakscope report: ${d.dataset.name}`;
    this.out(
      `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}"><meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>`,
    );
    this.out(
      `<h1>${esc(title)}</h1><p class="sub">Generated ${esc(d.createdAt)} by Leakscope ${esc(d.appVersion)} from case ${esc(d.caseId ?? 'unknown')}. Verified before it was written: no original value of a redacted column appears in this file.</p>`,
    );
    this.out(`<h2>Provenance</h2>${provenance(d)}`);
    this.out(
      `<h2>Selection</h2><p>${esc(d.selection.description)}${d.selection.session ? ` (saved session "${esc(d.selection.session)}")` : ''}: <b>${fmt(d.selection.rows)}</b> records.</p>${d.selection.notes.map((n) => `<p class="sub">${esc(n)}</p>`).join('')}`,
    );
    this.out(`<h2>Redaction policy</h2><div class="note policy">${esc(d.policyText)}</div>`);
    for (const w of d.warnings) this.out(`<div class="note warn">${esc(w)}</div>`);
    this.out(`<h2>Profile and personal data</h2>${profileSection(d)}`);
    this.out(`<h2>Duplicates and overlaps</h2>${linkageSection(d.linkage)}`);
    if (d.aggregates) this.out(`<h2>Aggregates</h2>${aggregatesSection(d.aggregates, d.plan)}`);
    if (sampleColumns) {
      this.out(
        `<h2>Sample of records (redacted)</h2><div class="wide"><table class="sample"><thead><tr><th>ordinal</th>${sampleColumns.map((c) => `<th>${esc(c.output ?? c.name)}</th>`).join('')}</tr></thead><tbody>`,
      );
    }
  }

  sampleRow(ordinal: number, cells: readonly (string | null)[]): void {
    this.out(
      `<tr><td class="num" data-p="1">${ordinal}</td>${cells.map((v, i) => `<td data-c="${i}">${v === null ? '' : esc(v)}</td>`).join('')}</tr>`,
    );
  }

  tail(sampleColumns: readonly ColumnPlan[] | null, sampleShown: number): void {
    if (sampleColumns) {
      this.out(
        `</tbody></table></div><p class="sub">${fmt(sampleShown)} of ${fmt(this.d.selection.rows)} records shown, redacted by the policy above.</p>`,
      );
    }
    this.out(
      `<h2>Manifest</h2><p class="sub">The SHA-256 of this file is recorded in the case's audit log and export history (a file cannot carry its own hash).</p><pre id="manifest">${esc(JSON.stringify(this.d.manifest, null, 2))}</pre></main></body></html>\n`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a report back (verification).

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'",
  );
}

export interface ReportContent {
  /** Sample rows: cell text by output column position. */
  sample: (string | null)[][];
  /** Every other text node (narrative, tables, chart labels, manifest). */
  texts: string[];
  /** Attribute values other than our own numeric markers (should be none beyond the CSP). */
  attributes: string[];
}

/** Splits a report written by ReportWriter into sample cells and narrative text. */
export function readReportBack(html: string, columns: number): ReportContent {
  const sample: (string | null)[][] = [];
  const texts: string[] = [];
  const attributes: string[] = [];
  let row: (string | null)[] | null = null;
  let cell: number | null = null;
  let inStyle = false;
  // The record number cell (data-p) is ours, not a record value.
  let inProvenance = false;
  const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|<!DOCTYPE[^>]*>/g;
  let last = 0;
  for (const m of html.matchAll(TAG)) {
    const text = html.slice(last, m.index);
    last = m.index + m[0].length;
    if (text.length && !inStyle && !inProvenance) {
      const t = decodeEntities(text);
      if (cell !== null && row) row[cell] = (row[cell] ?? '') + t;
      else if (t.trim()) texts.push(t);
    }
    if (!m[2]) continue;
    const closing = m[1] === '/';
    const name = m[2].toLowerCase();
    const attrs = m[3] ?? '';
    if (name === 'style') inStyle = !closing;
    for (const a of attrs.matchAll(/\s([a-zA-Z:-]+)="([^"]*)"/g)) {
      if (
        !/^(?:data-c|data-p|x|y|width|height|viewBox|fill|font-size|text-anchor|class|id|lang|charset|role|xmlns)$/.test(
          a[1]!,
        )
      ) {
        attributes.push(decodeEntities(a[2]!));
      }
    }
    if (name === 'tr' && !closing) {
      row = null;
    } else if (name === 'td' && !closing) {
      inProvenance = /\sdata-p="/.test(attrs);
      const c = /\sdata-c="(\d+)"/.exec(attrs);
      if (c) {
        if (!row) {
          row = new Array<string | null>(columns).fill(null);
          sample.push(row);
        }
        cell = Number(c[1]);
        row[cell] = '';
      }
    } else if (name === 'td' && closing) {
      cell = null;
      inProvenance = false;
    }
  }
  const rest = html.slice(last);
  if (rest.trim()) texts.push(decodeEntities(rest));
  return { sample, texts, attributes };
}
