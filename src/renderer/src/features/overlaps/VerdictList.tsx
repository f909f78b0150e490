/**
 * The rehash verdicts: for each dataset, compared with those imported before it, is it new data,
 * a repackaging, a partial overlap, or likely fabricated — the engine's sentence, the rule that
 * decided, and the figures behind it.
 */
import type { RehashVerdict } from '../../../../shared/api';
import type { FilterNode } from '../../../../shared/filter';
import { seenInFilter } from './drill';
import { count, keyLabel, percent, VERDICT_LABELS } from './model';

export function VerdictList({
  verdicts,
  onDrill,
}: {
  verdicts: readonly RehashVerdict[];
  onDrill(dataset: string, filter: FilterNode, label: string): void;
}) {
  if (verdicts.length === 0) return <p className="muted">No verdict yet.</p>;
  return (
    <ul className="verdict-list">
      {verdicts.map((v) => {
        const f = v.figures;
        const best = f.bestMatch;
        const facts: Array<[string, string]> = [
          ['Claimed records', count(f.claimedRecords)],
          [
            'Unique people',
            `${count(f.uniquePeople)}${f.claimedRecords > 0 ? ` (${percent(f.uniquePeople / f.claimedRecords)})` : ''}`,
          ],
          ['Already known', percent(f.matchShare)],
        ];
        if (best) {
          facts.push([
            'Closest earlier dataset',
            `${best.dataset}: ${percent(best.share)} by ${Object.keys(best.byKey).map(keyLabel).join(', ') || 'strong keys'}`,
          ]);
        }
        if (f.identicalShare !== null) {
          facts.push([
            'Written identically',
            `${percent(f.identicalShare)} of ${count(f.identicalSample)} sampled matches`,
          ]);
        }
        if (f.consistencyShare !== null) {
          facts.push(['NIR consistent with sex and birth', percent(f.consistencyShare)]);
        }
        return (
          <li
            key={v.dataset}
            className="card verdict-card"
            data-verdict={v.verdict}
            data-testid={`verdict-${v.dataset}`}
          >
            <div className="card-head">
              <h3>{v.dataset}</h3>
              <span className={`verdict-badge ${v.verdict}`}>{VERDICT_LABELS[v.verdict]}</span>
            </div>
            <p className="verdict-text">{v.text}</p>
            <p className="help">Rule: {v.rule}</p>
            <dl className="facts compact">
              {facts.map(([t, d]) => (
                <div key={t} className="fact">
                  <dt>{t}</dt>
                  <dd>{d}</dd>
                </div>
              ))}
            </dl>
            {best ? (
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    onDrill(
                      v.dataset,
                      seenInFilter(best.dataset, Object.keys(best.byKey)),
                      `records of ${v.dataset} found in ${best.dataset}`,
                    )
                  }
                >
                  Open records also in {best.dataset}
                </button>
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
