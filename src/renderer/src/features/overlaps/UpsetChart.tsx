/**
 * UpSet-style chart of people by combination of datasets (linkage clusters across the case):
 * one column per combination, bars sorted by size, a dot matrix of membership below, and each
 * set's size on the left. Plain SVG styled by the theme's CSS variables. Each column is a
 * keyboard-reachable button opening the matching records of the combination's first dataset; a
 * table view below offers every member dataset.
 */
import type { KeyboardEvent } from 'react';
import { count } from './model';

export interface UpsetEntry {
  datasets: string[];
  people: number;
}

const COL = 38;
const ROW = 26;
const BAR_H = 150;
const LABEL_W = 170;
const SET_W = 90;
/** Most combinations drawn (the table lists all). */
export const UPSET_MAX_COLUMNS = 24;

export function UpsetChart({
  entries,
  sets,
  onOpen,
}: {
  entries: readonly UpsetEntry[];
  /** Dataset names in display order. */
  sets: readonly string[];
  onOpen(entry: UpsetEntry, from: string): void;
}) {
  const cols = [...entries]
    .sort((a, b) => b.people - a.people || a.datasets.length - b.datasets.length)
    .slice(0, UPSET_MAX_COLUMNS);
  const max = Math.max(1, ...cols.map((c) => c.people));
  const setSize = new Map(
    sets.map((s) => [
      s,
      entries.filter((e) => e.datasets.includes(s)).reduce((n, e) => n + e.people, 0),
    ]),
  );
  const maxSet = Math.max(1, ...setSize.values());
  const width = SET_W + LABEL_W + cols.length * COL + 10;
  const matrixTop = BAR_H + 24;
  const height = matrixTop + sets.length * ROW + 8;
  const left = SET_W + LABEL_W;

  const label = (e: UpsetEntry) =>
    `${count(e.people)} ${e.people === 1 ? 'person' : 'people'} only in ${e.datasets.join(' and ')}`;
  const onKey = (ev: KeyboardEvent, e: UpsetEntry) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      onOpen(e, e.datasets[0]!);
    }
  };

  return (
    <svg
      className="upset"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="group"
      aria-label="People by combination of datasets"
    >
      {/* Set sizes (people in each dataset). */}
      {sets.map((s, i) => {
        const w = ((setSize.get(s) ?? 0) / maxSet) * (SET_W - 14);
        const y = matrixTop + i * ROW;
        return (
          <g key={`set-${s}`}>
            <rect
              className="upset-set-bar"
              x={SET_W - 6 - w}
              y={y + 6}
              width={w}
              height={ROW - 12}
            />
            <text className="upset-label" x={SET_W + 4} y={y + ROW / 2 + 4}>
              {s.length > 22 ? `${s.slice(0, 21)}…` : s}
            </text>
          </g>
        );
      })}
      <text className="upset-axis" x={SET_W - 6} y={matrixTop - 8} textAnchor="end">
        people
      </text>
      {/* Zebra rows of the matrix. */}
      {sets.map((s, i) =>
        i % 2 === 0 ? (
          <rect
            key={`zebra-${s}`}
            className="upset-zebra"
            x={left}
            y={matrixTop + i * ROW}
            width={cols.length * COL}
            height={ROW}
          />
        ) : null,
      )}
      {cols.map((e, j) => {
        const x = left + j * COL;
        const h = (e.people / max) * (BAR_H - 20);
        const rows = sets.map((s, i) => ({ s, i, on: e.datasets.includes(s) }));
        const on = rows.filter((r) => r.on);
        const first = on[0];
        const last = on[on.length - 1];
        return (
          <g
            key={e.datasets.join('\u0000')}
            className="upset-col"
            role="button"
            tabIndex={0}
            aria-label={`${label(e)}. Open these records`}
            data-testid={`upset-${e.datasets.join('+')}`}
            onClick={() => onOpen(e, e.datasets[0]!)}
            onKeyDown={(ev) => onKey(ev, e)}
          >
            <title>{label(e)}</title>
            <rect className="upset-hit" x={x} y={0} width={COL} height={height} />
            <rect
              className="upset-bar"
              x={x + 7}
              y={BAR_H - h}
              width={COL - 14}
              height={Math.max(h, 1)}
            />
            <text className="upset-count" x={x + COL / 2} y={BAR_H - h - 4} textAnchor="middle">
              {e.people >= 10_000 ? `${Math.round(e.people / 1000)}k` : e.people}
            </text>
            {first && last && first !== last ? (
              <line
                className="upset-link"
                x1={x + COL / 2}
                x2={x + COL / 2}
                y1={matrixTop + first.i * ROW + ROW / 2}
                y2={matrixTop + last.i * ROW + ROW / 2}
              />
            ) : null}
            {rows.map((r) => (
              <circle
                key={r.s}
                className={r.on ? 'upset-dot on' : 'upset-dot'}
                cx={x + COL / 2}
                cy={matrixTop + r.i * ROW + ROW / 2}
                r={6}
              />
            ))}
          </g>
        );
      })}
    </svg>
  );
}
