/**
 * The filter builder: one condition at a time (a column, any column of a PII kind, a tag, a note,
 * a provenance range, a linkage property), optionally negated, added to the filter as a new AND
 * member or OR-ed with an existing chip. The AST it builds is validated with the shared schema
 * before it is sent, so a wrong value gets a message here rather than an error from the engine.
 */
import { useId, useState, type FormEvent } from 'react';
import type { DatasetColumn, DatasetSummary } from '../../../../shared/api';
import type { ColumnOpName, FilterNode } from '../../../../shared/filter';
import { CASE_SENSITIVE_DEFAULT, describeFilter } from '../../../../shared/filter';
import { PII_KINDS, PII_LABELS, type PiiKind } from '../../../../shared/pii';
import {
  buildNode,
  emptyDraft,
  hasCaseOption,
  needsValue,
  OP_ORDER,
  OPS_LABELS,
  usesBounds,
  type Draft,
  type Target,
} from './filter-edit';
import { Check } from '../../components/Check';

export interface FilterBuilderProps {
  columns: readonly DatasetColumn[];
  datasets: readonly DatasetSummary[];
  dataset: string;
  /** When set, the new condition is OR-ed with this chip's text. */
  orWith: string | null;
  onAdd(node: FilterNode): void;
  onCancel(): void;
}

/** The targets that are neither a column nor a kind, in menu order. */
const TARGET_SPECIAL: readonly { label: string; target: Target }[] = [
  { label: 'Tagged…', target: { type: 'tag' } },
  { label: 'Has a note', target: { type: 'hasNote' } },
  { label: 'Source line', target: { type: 'provenance', field: 'line' } },
  { label: 'Record number', target: { type: 'provenance', field: 'ordinal' } },
  { label: 'Near a rejected record', target: { type: 'provenance', field: 'nearReject' } },
  { label: 'Also seen in dataset…', target: { type: 'linkage', link: 'seenIn' } },
  { label: 'In a duplicate group', target: { type: 'linkage', link: 'duplicate' } },
  { label: 'Matched with score ≥', target: { type: 'linkage', link: 'matched' } },
  { label: 'In a cluster of at least', target: { type: 'linkage', link: 'clusterSize' } },
];

function targetValue(t: Target): string {
  switch (t.type) {
    case 'column':
      return `col:${t.column}`;
    case 'kind':
      return `kind:${t.kind}`;
    case 'provenance':
      return `prov:${t.field}`;
    case 'linkage':
      return `link:${t.link}`;
    default:
      return t.type;
  }
}

function parseTarget(v: string): Target {
  if (v.startsWith('col:')) return { type: 'column', column: v.slice(4) };
  if (v.startsWith('kind:')) return { type: 'kind', kind: v.slice(5) as PiiKind };
  return TARGET_SPECIAL.find((s) => targetValue(s.target) === v)!.target;
}

export function FilterBuilder(props: FilterBuilderProps) {
  const id = useId();
  const [d, setD] = useState<Draft>(() => emptyDraft(props.columns[0]?.name));
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => {
    setError(null);
    setD((cur) => ({ ...cur, ...patch }));
  };
  const t = d.target;
  const isOpTarget = t.type === 'column' || t.type === 'kind';
  const built = buildNode(d);
  const preview = 'node' in built ? describeFilter(built.node, props.columns) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = buildNode(d);
    if ('error' in r) {
      setError(r.error);
      return;
    }
    props.onAdd(r.node);
    setD((cur) => ({ ...cur, value: '', min: '', max: '', negate: false }));
  };

  const defaultIgnore = !CASE_SENSITIVE_DEFAULT[d.op];
  const ignoreCase = d.ignoreCase ?? defaultIgnore;
  const otherDatasets = props.datasets.filter((x) => x.name !== props.dataset);

  return (
    <form className="fb" onSubmit={submit} aria-label="Add a filter condition">
      {props.orWith ? (
        <p className="fb-or small">
          Either <strong>{props.orWith}</strong>, or:
        </p>
      ) : null}
      <div className="fb-row">
        <label className="fb-field">
          <span>Field</span>
          <select
            value={targetValue(t)}
            onChange={(e) => {
              const next = parseTarget(e.target.value);
              set({ target: next, value: '', min: '', max: '' });
            }}
          >
            <optgroup label="Columns">
              {props.columns.map((c) => (
                <option key={c.name} value={`col:${c.name}`}>
                  {c.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Any column of a kind">
              {PII_KINDS.filter((k) => k !== 'none').map((k) => (
                <option key={k} value={`kind:${k}`}>
                  any {PII_LABELS[k]} column
                </option>
              ))}
            </optgroup>
            <optgroup label="Marks, provenance, linkage">
              {TARGET_SPECIAL.map((s) => {
                const value = targetValue(s.target);
                return (
                  <option key={value} value={value}>
                    {s.label}
                  </option>
                );
              })}
            </optgroup>
          </select>
        </label>
        {isOpTarget ? (
          <label className="fb-field">
            <span>Condition</span>
            <select
              value={d.op}
              onChange={(e) => set({ op: e.target.value as ColumnOpName, ignoreCase: null })}
            >
              {OP_ORDER.map((op) => (
                <option key={op} value={op}>
                  {OPS_LABELS[op]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {isOpTarget && usesBounds(d.op) ? (
          <>
            {d.op === 'range' ? (
              <label className="fb-field">
                <span>As</span>
                <select
                  value={d.rangeType}
                  onChange={(e) => set({ rangeType: e.target.value as Draft['rangeType'] })}
                >
                  <option value="number">numbers</option>
                  <option value="date">dates</option>
                  <option value="text">text</option>
                </select>
              </label>
            ) : null}
            <BoundFields d={d} set={set} />
          </>
        ) : null}
        {isOpTarget && needsValue(d.op) && !usesBounds(d.op) ? (
          <TextField
            label={d.op === 'in' ? 'Values (comma-separated)' : 'Value'}
            value={d.value}
            onChange={(value) => set({ value })}
            size="grow"
            describedBy={error ? `${id}-err` : undefined}
          />
        ) : null}
        {t.type === 'provenance' && t.field !== 'nearReject' ? (
          <BoundFields d={d} set={set} inputMode="numeric" />
        ) : null}
        {t.type === 'tag' ? (
          <TextField label="Tag" value={d.value} onChange={(value) => set({ value })} size="grow" />
        ) : null}
        {t.type === 'provenance' && t.field === 'nearReject' ? (
          <TextField
            label="Within (records)"
            value={d.value}
            onChange={(value) => set({ value })}
            size="narrow"
            inputMode="numeric"
            placeholder="1"
          />
        ) : null}
        {t.type === 'linkage' && t.link === 'seenIn' ? (
          <label className="fb-field grow">
            <span>Dataset</span>
            <select value={d.value} onChange={(e) => set({ value: e.target.value })}>
              <option value="">— choose —</option>
              {otherDatasets.map((x) => (
                <option key={x.id} value={x.name}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {t.type === 'linkage' && (t.link === 'matched' || t.link === 'clusterSize') ? (
          <TextField
            label={t.link === 'matched' ? 'Score (0–1)' : 'Records'}
            value={d.value}
            onChange={(value) => set({ value })}
            size="narrow"
            inputMode="decimal"
          />
        ) : null}
      </div>
      <div className="fb-row">
        {isOpTarget && hasCaseOption(d.op) ? (
          <Check checked={ignoreCase} onChange={(v) => set({ ignoreCase: v })} className="fb-check">
            ignore case and accents
          </Check>
        ) : null}
        <Check checked={d.negate} onChange={(v) => set({ negate: v })} className="fb-check">
          exclude these (NOT)
        </Check>
        <span className="spacer" />
        <button type="submit">{props.orWith ? 'Add as OR' : 'Add filter'}</button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Close
        </button>
      </div>
      {preview ? (
        <p className="fb-preview small muted" aria-live="polite">
          Will add: {preview}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-err`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

const BOUNDS = [
  { key: 'min', label: 'From' },
  { key: 'max', label: 'To' },
] as const;

/** The From and To boxes of a range condition. */
function BoundFields({
  d,
  set,
  inputMode,
}: {
  d: Draft;
  set(patch: Partial<Draft>): void;
  inputMode?: 'numeric';
}) {
  return BOUNDS.map(({ key, label }) => (
    <TextField
      key={key}
      label={label}
      value={d[key]}
      onChange={(v) => set(key === 'min' ? { min: v } : { max: v })}
      size="narrow"
      inputMode={inputMode}
    />
  ));
}

/** One labelled text box of the builder (values are parsed when the filter is added). */
function TextField({
  label,
  value,
  onChange,
  size,
  inputMode,
  placeholder,
  describedBy,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  size: 'narrow' | 'grow';
  inputMode?: 'numeric' | 'decimal' | undefined;
  placeholder?: string;
  /** The error message's id while the value is refused. */
  describedBy?: string | undefined;
}) {
  return (
    <label className={`fb-field ${size}`}>
      <span>{label}</span>
      <input
        type="text"
        inputMode={inputMode}
        value={value}
        placeholder={placeholder}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
