/**
 * The export dialog: format (CSV with delimiter and BOM, NDJSON, XLSX, HTML report, and in the
 * desktop app a PDF of the report when main offers it), the output file, then the export runs as
 * a background job with progress and cancel, and ends with the verification result.
 *
 * The selection (dataset, filter or saved session) and the policy come from the parent, so the
 * preview above shows exactly what is exported.
 */
import { useEffect, useState } from 'react';
import type { ExportFormat, ExportRequest } from '../../../../shared/api';
import type { ReportPdfResult } from '../../../../shared/desktop';
import { isLeakscopeError } from '../../../../shared/errors';
import type { FilterNode } from '../../../../shared/filter';
import { useApi } from '../../api/context';
import { JobProgressLine } from '../../components/JobProgressLine';
import { errorMessage } from '../../lib/errors';
import { useJob } from '../../lib/useJob';
import { PathField } from '../case/PathField';
import { ExportResultPanel, PdfResultPanel } from './ExportResultPanel';

export type OutFormat = ExportFormat | 'pdf';

export interface ExportSelection {
  dataset: string;
  filter: FilterNode | null;
  search: string | null;
  /** A saved session: the engine takes its dataset, filter and search. */
  session: string | null;
}

const FORMATS: { id: OutFormat; label: string; help: string }[] = [
  { id: 'csv', label: 'CSV', help: 'a table, with a manifest beside it (.manifest.json)' },
  { id: 'ndjson', label: 'NDJSON', help: 'one JSON record per line, with a manifest beside it' },
  { id: 'xlsx', label: 'Excel (XLSX)', help: 'a workbook; the manifest is a sheet inside' },
  {
    id: 'html',
    label: 'HTML report',
    help: 'one self-contained file: provenance, profile, overlaps, policy, optional sample',
  },
  { id: 'pdf', label: 'PDF report', help: 'the HTML report printed to PDF by the desktop app' },
];

/** The desktop bridge's PDF export, when this build of main offers it (src/shared/desktop.ts). */
export function pdfExporter() {
  const bridge = typeof window !== 'undefined' ? window.leakscope : undefined;
  return bridge && typeof bridge.exportReportPdf === 'function'
    ? bridge.exportReportPdf.bind(bridge)
    : null;
}

function withExtension(path: string, format: OutFormat): string {
  const m = /\.(csv|ndjson|jsonl|xlsx|html|pdf)$/i.exec(path);
  return m ? `${path.slice(0, m.index)}.${format}` : path;
}

export function ExportForm({
  selection,
  policy,
  policyLabel,
  policyProblem,
  initialFormat,
  onExported,
}: {
  selection: ExportSelection | null;
  /** A policy name or an edited document. */
  policy: unknown;
  policyLabel: string;
  /** Why the policy cannot be used now (invalid edits), or null. */
  policyProblem: string | null;
  initialFormat?: OutFormat;
  onExported(): void;
}) {
  const api = useApi();
  const pdf = api.kind === 'desktop' ? pdfExporter() : null;
  // The menu's "PDF report" presets the format (the parent remounts the form for it).
  const [format, setFormat] = useState<OutFormat>(
    initialFormat === 'pdf' && !pdf ? 'html' : (initialFormat ?? 'csv'),
  );
  const [out, setOut] = useState('');
  const [delimiter, setDelimiter] = useState<',' | ';' | '\t' | '|'>(',');
  const [bom, setBom] = useState(false);
  const [sample, setSample] = useState(0);
  const [overwrite, setOverwrite] = useState(false);
  const [keepHtml, setKeepHtml] = useState(false);
  const job = useJob('export.run');
  const [pdfState, setPdfState] = useState<{
    running: boolean;
    result: ReportPdfResult | null;
    error: string | null;
  }>({ running: false, result: null, error: null });
  const { result, reset } = job;

  useEffect(() => {
    if (result) onExported();
  }, [result, onExported]);

  const formats = FORMATS.filter((f) => f.id !== 'pdf' || pdf !== null);
  const running = job.running || pdfState.running;
  const problem = !selection
    ? 'Choose a dataset.'
    : policyProblem
      ? policyProblem
      : !out.trim()
        ? 'Choose the file to write.'
        : null;

  const changeFormat = (f: OutFormat) => {
    setFormat(f);
    // A path main granted for one kind is not valid for another: ask again in the desktop app.
    if (api.pickFile) setOut('');
    else setOut((p) => withExtension(p, f));
  };

  const run = async () => {
    if (!selection || problem) return;
    reset();
    setPdfState({ running: false, result: null, error: null });
    const subset = selection.session
      ? { session: selection.session }
      : {
          dataset: selection.dataset,
          ...(selection.filter ? { filter: selection.filter } : {}),
          ...(selection.search ? { search: selection.search } : {}),
        };
    if (format === 'pdf') {
      if (!pdf) return;
      setPdfState({ running: true, result: null, error: null });
      try {
        const r = await pdf({
          ...subset,
          policy,
          includeSample: sample,
          out: out.trim(),
          overwrite,
          keepHtml,
        });
        if (r.ok) {
          setPdfState({ running: false, result: r.value, error: null });
          onExported();
        } else setPdfState({ running: false, result: null, error: r.error.message });
      } catch (e) {
        setPdfState({
          running: false,
          result: null,
          error: isLeakscopeError(e) ? e.message : errorMessage(e),
        });
      }
      return;
    }
    const input: ExportRequest = {
      ...subset,
      format,
      out: out.trim(),
      policy,
      overwrite,
      ...(format === 'csv' ? { csv: { delimiter, bom } } : {}),
      ...(format === 'html' ? { includeSample: sample } : {}),
    };
    await job.start(input);
  };

  return (
    <section className="card" aria-labelledby="export-form-title">
      <div className="card-head">
        <h2 id="export-form-title">Export</h2>
      </div>
      <form
        aria-label="Export"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <fieldset className="field formats">
          <legend>Format</legend>
          {formats.map((f) => (
            <label key={f.id} className="check">
              <input
                type="radio"
                name="export-format"
                value={f.id}
                checked={format === f.id}
                onChange={() => changeFormat(f.id)}
              />
              <span>
                <strong>{f.label}</strong> <span className="muted small">— {f.help}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {format === 'csv' ? (
          <div className="inline-form">
            <div className="field">
              <label htmlFor="export-delimiter">Delimiter</label>
              <select
                id="export-delimiter"
                value={delimiter}
                onChange={(e) => setDelimiter(e.target.value as typeof delimiter)}
              >
                <option value=",">comma (,)</option>
                <option value=";">semicolon (;)</option>
                <option value={'\t'}>tab</option>
                <option value="|">pipe (|)</option>
              </select>
            </div>
            <label className="check">
              <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} />
              Byte-order mark (for Excel)
            </label>
          </div>
        ) : null}
        {format === 'html' || format === 'pdf' ? (
          <div className="field narrow">
            <label htmlFor="export-sample">Redacted sample records in the report</label>
            <input
              id="export-sample"
              type="number"
              min={0}
              max={1000}
              value={sample}
              onChange={(e) =>
                setSample(Math.max(0, Math.min(1000, Math.round(e.target.valueAsNumber || 0))))
              }
            />
          </div>
        ) : null}
        <PathField
          id="export-out"
          label="Output file"
          kind={`export-${format}`}
          value={out}
          onChange={setOut}
          placeholder={`/home/analyst/exports/report.${format}`}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={overwrite}
            onChange={(e) => setOverwrite(e.target.checked)}
          />
          Replace the file if it exists
        </label>
        {format === 'pdf' ? (
          <label className="check">
            <input
              type="checkbox"
              checked={keepHtml}
              onChange={(e) => setKeepHtml(e.target.checked)}
            />
            Also keep the HTML report beside the PDF
          </label>
        ) : null}
        <p className="help">
          Policy: {policyLabel}. The file is re-read before it is kept and refused if any original
          value of a redacted column appears in it.
        </p>
        <div className="actions">
          <button type="submit" disabled={running || problem !== null}>
            Export
          </button>
          {problem && !running ? <span className="muted small">{problem}</span> : null}
        </div>
      </form>
      {job.running ? (
        <JobProgressLine
          label={`Exporting ${selection?.session ? `session ${selection.session}` : (selection?.dataset ?? '')}`}
          status={job.status}
          onCancel={() => void job.cancel()}
        />
      ) : null}
      {pdfState.running ? (
        <p role="status" className="muted">
          Writing, verifying and printing the report…
        </p>
      ) : null}
      {job.error || pdfState.error ? (
        <div role="alert" className="alert" data-testid="export-error">
          <strong>Export refused or failed.</strong> {job.error ?? pdfState.error}
          <br />
          <span className="small">Nothing was kept on disk.</span>
        </div>
      ) : null}
      {job.status?.state === 'cancelled' ? (
        <p className="notice" role="status">
          Export cancelled: nothing was kept on disk.
        </p>
      ) : null}
      {result ? <ExportResultPanel result={result} /> : null}
      {pdfState.result ? <PdfResultPanel result={pdfState.result} /> : null}
    </section>
  );
}
