/**
 * The dataset overlap matrix: row A, column B = records of A found in B by a strong key, with
 * the share of A. Every non-empty cell is a button opening those records.
 */
import type { FilterNode } from '../../../../shared/filter';
import { seenInFilter } from './drill';
import { cellKey, count, keyLabel, percent, type OverlapModel } from './model';

export function OverlapMatrix({
  model,
  onDrill,
}: {
  model: OverlapModel;
  onDrill(dataset: string, filter: FilterNode, label: string): void;
}) {
  const names = model.datasets.map((d) => d.name);
  return (
    <div className="table-wrap overlap-matrix-wrap">
      <table className="overlap-matrix" aria-describedby="overlap-matrix-help">
        <caption className="visually-hidden">
          Records of each dataset (rows) found in each other dataset (columns)
        </caption>
        <thead>
          <tr>
            <th scope="col">Records of ↓ found in →</th>
            {names.map((n) => (
              <th key={n} scope="col" title={n}>
                {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {model.datasets.map((row) => (
            <tr key={row.name}>
              <th scope="row" title={row.name}>
                {row.name}
                <span className="muted small"> · {count(row.rows)} records</span>
              </th>
              {names.map((col) => {
                if (col === row.name) {
                  return (
                    <td key={col} className="diag" aria-label="same dataset">
                      —
                    </td>
                  );
                }
                const cell = model.cells.get(cellKey(row.name, col));
                if (!cell) {
                  return (
                    <td key={col} className="muted">
                      not compared
                    </td>
                  );
                }
                const keys = cell.byKey
                  ? Object.entries(cell.byKey)
                      .filter(([, n]) => n > 0)
                      .map(([k, n]) => `${keyLabel(k)} ${count(n)}`)
                      .join(', ')
                  : cell.keys.map(keyLabel).join(', ');
                const label = `${count(cell.records)} records of ${row.name} found in ${col}`;
                const heat = Math.min(1, cell.share);
                return (
                  <td
                    key={col}
                    data-testid={`cell-${row.name}-${col}`}
                    style={{ ['--heat' as string]: heat.toFixed(3) }}
                    className="heat"
                  >
                    {cell.records > 0 ? (
                      <button
                        type="button"
                        className="cell-button"
                        title={keys ? `${label} (by ${keys}). Open these records.` : label}
                        aria-label={`${label} (${percent(cell.share)}). Open these records`}
                        onClick={() =>
                          onDrill(
                            row.name,
                            seenInFilter(col, cell.keys.length ? cell.keys : model.keysUsed),
                            label,
                          )
                        }
                      >
                        <span className="cell-count">{count(cell.records)}</span>
                        <span className="cell-share">{percent(cell.share)}</span>
                      </button>
                    ) : (
                      <span className="cell-zero" aria-label={label}>
                        0
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p id="overlap-matrix-help" className="help">
        Strong keys: NIR, email, phone, France Travail id, IBAN, national id, name + date of birth.
        Choose a count to open those records.
      </p>
    </div>
  );
}
