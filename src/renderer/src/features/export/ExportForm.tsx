/**
 * The export dialog: format (CSV with delimiter and BOM, NDJSON, XLSX, HTML report, and in the
 * desktop app a PDF of the report, printed by main), the output file, then the export runs as
 * a background job with progress and cancel, and ends with the verification result. The desktop
 * menu's "PDF report…" mounts it with `startPdf`: main's save dialog opens at once and the PDF of
 * the selection is made as soon as a file is chosen.
 *
 * The selection (dataset, filter or saved session) and the policy come from the parent, so the
 * preview above shows exactly what is exported.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportFormat, ExportRequest } from '../../../../shared/api';
import type { ReportPdfResult } from '../../../../shared/desktop';
import { isLeakscopeError } from '../../../../shared/errors';
import type { FilterNode } from '../../../../shared/filter';
import { useApi } from '../../api/context';
import { Check } from '../../components/Check';
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
  startPdf = false,
  onExported,
}: {
  selection: ExportSelection | null;
  /** A policy name or an edited document. */
  policy: unknown;
  policyLabel: string;
  /** Why the policy cannot be used now (invalid edits), or null. */
  policyProblem: string | null;
  initialFormat?: OutFormat;
  /** Ask for the PDF's file now and make it (desktop menu); ignored where PDF is not offered. */
  startPdf?: boolean;
  onExported(): void;
}) {
  const api = useApi();
  const pdf = api.exportReportPdf;
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
  const problemFor = (target: string) =>
    !selection
      ? 'Choose a dataset.'
      : policyProblem
        ? policyProblem
        : !target.trim()
          ? 'Choose the file to write.'
          : null;
  const problem = problemFor(out);

  const changeFormat = (f: OutFormat) => {
    setFormat(f);
    // A path main granted for one kind is not valid for another: ask again in the desktop app.
    if (api.pickFile) setOut('');
    else setOut((p) => withExtension(p, f));
  };

  const run = async (target = out) => {
    if (!selection || problemFor(target)) return;
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
          out: target.trim(),
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
      out: target.trim(),
      policy,
      overwrite,
      ...(format === 'csv' ? { csv: { delimiter, bom } } : {}),
      ...(format === 'html' ? { includeSample: sample } : {}),
    };
    await job.start(input);
  };
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });

  // The menu's "PDF report…": main's save dialog, then the export, once the selection is known.
  const started = useRef(false);
  const ready = selection !== null && policyProblem === null;
  const startNow = useCallback(async () => {
    if (!api.pickFile) return;
    const chosen = await api.pickFile('export-pdf');
    if (chosen === null) return;
    setOut(chosen);
    await runRef.current(chosen);
  }, [api]);
  useEffect(() => {
    if (!startPdf || !pdf || !ready || started.current) return;
    started.current = true;
    void startNow();
  }, [startPdf, pdf, ready, startNow]);

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
            <Check checked={bom} onChange={setBom}>
              Byte-order mark (for Excel)
            </Check>
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
        <Check checked={overwrite} onChange={setOverwrite}>
          Replace the file if it exists
        </Check>
        {format === 'pdf' ? (
          <Check checked={keepHtml} onChange={setKeepHtml}>
            Also keep the HTML report beside the PDF
          </Check>
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
