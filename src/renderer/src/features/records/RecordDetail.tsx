/**
 * The record detail pane: every value of one record, its provenance (source file, line, byte
 * offset, ordinal, the file's SHA-256), its matches in other datasets (linkage.recordMatches, each
 * one a click away), and the investigator's marks: tags (flags.set / flags.remove) and a note
 * (notes.set). In the redacted view the values shown are the grid's redacted ones, never the raw
 * values rows.get returns.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type {
  DatasetColumn,
  RecordMatchesResult,
  RowProvenance,
  RowRecord,
} from '../../../../shared/api';
import { useApi } from '../../api/context';
import { errorMessage } from '../../lib/errors';
import { formatBytes, formatTimestamp } from '../../lib/format';

export interface RecordDetailProps {
  dataset: string;
  rowId: number;
  /** The record as the grid has it (redacted in the redacted view). */
  record: RowRecord | undefined;
  columns: readonly DatasetColumn[];
  redacted: boolean;
  onClose(): void;
  onOpenMatch(m: { dataset: string; rowId: number; ordinal: number }): void;
  /** Called after tags or the note changed (a tag filter may need a refresh). */
  onMarksChanged?(): void;
}

interface Marks {
  tags: string[];
  note: string | null;
  vocabulary: string[];
}

export function RecordDetail(props: RecordDetailProps) {
  const api = useApi();
  const { dataset, rowId } = props;
  const id = useId();
  const [row, setRow] = useState<{ row: RowRecord; provenance: RowProvenance } | null>(null);
  const [matches, setMatches] = useState<RecordMatchesResult | null>(null);
  const [marks, setMarks] = useState<Marks | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [tag, setTag] = useState('');
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const fail = (key: string) => (e: unknown) =>
    setErrors((cur) => ({ ...cur, [key]: errorMessage(e) }));

  const applyMarks = useCallback(
    (r: {
      records: { rowId: number; tags: string[]; note: string | null }[];
      tags: { tag: string }[];
    }) => {
      const rec = r.records.find((x) => x.rowId === rowId);
      setMarks({
        tags: rec?.tags ?? [],
        note: rec?.note ?? null,
        vocabulary: r.tags.map((t) => t.tag),
      });
      setNote(rec?.note ?? '');
    },
    [rowId],
  );
  const loadMarks = useCallback(
    async () => applyMarks(await api.client.call('flags.list', { dataset, rows: [rowId] })),
    [api, dataset, rowId, applyMarks],
  );

  useEffect(() => {
    // The pane is keyed by record (RecordsView), so its state starts empty for each one.
    let live = true;
    api.client
      .call('rows.get', { dataset, id: rowId })
      .then((r) => live && setRow(r))
      .catch((e: unknown) => live && fail('row')(e));
    api.client
      .call('linkage.recordMatches', { dataset, rowId, limit: 200 })
      .then((r) => live && setMatches(r))
      .catch((e: unknown) => live && fail('matches')(e));
    api.client
      .call('flags.list', { dataset, rows: [rowId] })
      .then((r) => live && applyMarks(r))
      .catch((e: unknown) => live && fail('marks')(e));
    return () => {
      live = false;
    };
  }, [api, dataset, rowId, applyMarks]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [rowId]);

  const values = props.redacted ? props.record?.values : (row?.row.values ?? props.record?.values);
  const p = row?.provenance;

  const addTag = async (e: FormEvent) => {
    e.preventDefault();
    const t = tag.trim();
    if (!t) return;
    try {
      await api.client.call('flags.set', { dataset, rows: [rowId], tags: [t] });
      setTag('');
      setSaved(`Tagged “${t}”.`);
      await loadMarks();
      props.onMarksChanged?.();
    } catch (err) {
      fail('marks')(err);
    }
  };

  const removeTag = async (t: string) => {
    try {
      await api.client.call('flags.remove', { dataset, rows: [rowId], tags: [t] });
      setSaved(`Removed “${t}”.`);
      await loadMarks();
      props.onMarksChanged?.();
    } catch (err) {
      fail('marks')(err);
    }
  };

  const saveNote = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const r = await api.client.call('notes.set', {
        dataset,
        row: rowId,
        note: note.trim() ? note : null,
      });
      setSaved(r.hasNote ? 'Note saved.' : 'Note removed.');
      await loadMarks();
      props.onMarksChanged?.();
    } catch (err) {
      fail('marks')(err);
    }
  };

  const others = matches?.matches ?? [];

  return (
    <aside className="rd" aria-labelledby={`${id}-title`} data-testid="record-detail">
      <div className="rd-head">
        <h2 id={`${id}-title`} tabIndex={-1} ref={headingRef}>
          Record {p ? `#${p.ordinal}` : ''}
          {props.redacted ? <span className="badge">redacted</span> : null}
        </h2>
        <button
          type="button"
          className="secondary"
          onClick={props.onClose}
          aria-keyshortcuts="Escape"
        >
          Close
        </button>
      </div>

      <section aria-label="Values">
        <h3>Values</h3>
        {values ? (
          <dl className="rd-values">
            {props.columns.map((c) => (
              <div key={c.name} className="rd-pair">
                <dt>{c.name}</dt>
                <dd className={values[c.name] === null ? 'null' : undefined}>
                  {values[c.name] ?? 'missing'}
                </dd>
              </div>
            ))}
          </dl>
        ) : errors.row ? (
          <p className="alert">{errors.row}</p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>

      <section aria-label="Provenance">
        <h3>Provenance</h3>
        {p ? (
          <dl className="rd-values" data-testid="provenance">
            <div className="rd-pair">
              <dt>Source file</dt>
              <dd data-field="file">
                {p.file}
                {p.member ? ` › ${p.member}` : ''}
              </dd>
            </div>
            <div className="rd-pair">
              <dt>Path</dt>
              <dd data-field="path" className="mono">
                {p.path}
              </dd>
            </div>
            <div className="rd-pair">
              <dt>Line</dt>
              <dd data-field="line">{p.line ?? '—'}</dd>
            </div>
            <div className="rd-pair">
              <dt>Byte offset</dt>
              <dd data-field="offset">{p.offset.toLocaleString('en-US')}</dd>
            </div>
            <div className="rd-pair">
              <dt>Record number</dt>
              <dd data-field="ordinal">{p.ordinal}</dd>
            </div>
            <div className="rd-pair">
              <dt>File SHA-256</dt>
              <dd data-field="sha256" className="mono hash">
                {p.sha256 ?? 'not recorded'}
              </dd>
            </div>
            <div className="rd-pair">
              <dt>Format</dt>
              <dd>
                {p.format}
                {p.encoding ? `, ${p.encoding}` : ''} · {formatBytes(p.bytes)} · imported{' '}
                {formatTimestamp(p.importedAt)}
              </dd>
            </div>
          </dl>
        ) : errors.row ? null : (
          <p className="muted">Loading…</p>
        )}
      </section>

      <section aria-label="Matches in other datasets">
        <h3>Matches</h3>
        {errors.matches ? <p className="alert">{errors.matches}</p> : null}
        {matches === null && !errors.matches ? <p className="muted">Looking for matches…</p> : null}
        {matches ? (
          <>
            <p className="small muted">
              {matches.keys.length
                ? `Identity keys: ${matches.keys.map((k) => k.kind).join(', ')}`
                : 'No identity key (email, phone, NIR…) in this record.'}
              {matches.cluster
                ? ` · person cluster of ${matches.cluster.size} records in ${matches.cluster.datasets} dataset(s)`
                : ''}
            </p>
            {others.length === 0 ? (
              <p className="muted" data-testid="no-matches">
                No match in the other datasets of the case.
              </p>
            ) : (
              <ul className="rd-matches" data-testid="matches">
                {others.map((m) => (
                  <li key={`${m.dataset}:${m.rowId}`}>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() =>
                        props.onOpenMatch({
                          dataset: m.dataset,
                          rowId: m.rowId,
                          ordinal: m.ordinal,
                        })
                      }
                    >
                      {m.dataset} #{m.ordinal}
                    </button>
                    <span className="small">
                      {m.line !== null ? `line ${m.line} · ` : ''}
                      {m.source === 'fuzzy' ? `fuzzy ${m.score.toFixed(2)}` : 'same'}{' '}
                      {m.keys.join(', ')}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : null}
      </section>

      <section aria-label="Tags and note">
        <h3>Tags and note</h3>
        {errors.marks ? <p className="alert">{errors.marks}</p> : null}
        {marks ? (
          <>
            {marks.tags.length ? (
              <ul className="chips" aria-label="Tags" data-testid="tags">
                {marks.tags.map((t) => (
                  <li key={t} className="chip">
                    <span className="chip-text">{t}</span>
                    <button
                      type="button"
                      className="chip-btn"
                      aria-label={`Remove tag ${t}`}
                      onClick={() => void removeTag(t)}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="small muted">No tag.</p>
            )}
            <form className="rd-form" onSubmit={(e) => void addTag(e)}>
              <label htmlFor={`${id}-tag`} className="visually-hidden">
                New tag
              </label>
              <input
                id={`${id}-tag`}
                type="text"
                list={`${id}-vocab`}
                value={tag}
                maxLength={100}
                placeholder="victim contacted, fake, sample for report…"
                onChange={(e) => setTag(e.target.value)}
              />
              <datalist id={`${id}-vocab`}>
                {marks.vocabulary.map((v) => (
                  <option key={v} value={v} />
                ))}
              </datalist>
              <button type="submit" disabled={!tag.trim()}>
                Add tag
              </button>
            </form>
            <form className="rd-note" onSubmit={(e) => void saveNote(e)}>
              <label htmlFor={`${id}-note`}>Note</label>
              <textarea
                id={`${id}-note`}
                rows={3}
                maxLength={10_000}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <button type="submit" disabled={note === (marks.note ?? '')}>
                Save note
              </button>
            </form>
            {saved ? (
              <p className="small" role="status">
                {saved}
              </p>
            ) : null}
          </>
        ) : !errors.marks ? (
          <p className="muted">Loading…</p>
        ) : null}
      </section>
    </aside>
  );
}
