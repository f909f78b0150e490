/**
 * The rehash verdict: is a "new" leak new, a repackaging of an earlier one, a partial overlap, or
 * likely fabricated? Worded in the vocabulary investigators use, with the figures behind it.
 *
 * Rules, in order (the first that applies decides; thresholds are constants below so a report can
 * quote them):
 * 1. likely fabricated — the profile's NIR cross-field consistency share is below 50% (a NIR
 *    encodes sex, birth year and month: shuffled or invented records fail it), or the file claims
 *    at least twice as many records as it holds unique people (padding);
 * 2. repackaged — at least 90% of records match one earlier dataset by strong keys (or 90% the
 *    compared datasets together), "with identical values" when at least 90% of sampled matched
 *    records are written identically (a copy), "reformatted" otherwise;
 * 3. partial overlap — 20% to 90% of records already known;
 * 4. new — under 20% (or nothing to compare with).
 * Pure: figures in, verdict out.
 */
import type { RehashVerdict } from '../../../shared/api';

export const FABRICATED_CONSISTENCY_BELOW = 0.5;
export const PADDING_UNIQUE_SHARE_BELOW = 0.5;
export const REPACKAGED_SHARE = 0.9;
export const IDENTICAL_SHARE = 0.9;
export const PARTIAL_SHARE = 0.2;

export type VerdictFigures = RehashVerdict['figures'];

export function pct(x: number): string {
  const v = x * 100;
  return `${v === 0 || v === 100 ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** "nir and email": the key kinds carrying most of the matches. */
function mainKeys(byKey: Record<string, number>): string {
  const entries = Object.entries(byKey).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return 'strong keys';
  const top = entries[0][1];
  const kept = entries
    .slice(0, 2)
    .filter(([, n]) => n >= top * 0.8)
    .map(([k]) => k.replace(/_/g, ' '));
  return kept.length === 1
    ? kept[0]
    : `${kept.slice(0, -1).join(', ')} and ${kept[kept.length - 1]}`;
}

export function decideVerdict(
  dataset: string,
  figures: VerdictFigures,
  compared: readonly string[],
): RehashVerdict {
  const f = figures;
  const make = (verdict: RehashVerdict['verdict'], text: string, rule: string): RehashVerdict => ({
    dataset,
    verdict,
    text,
    rule,
    figures: f,
  });
  if (f.consistencyShare !== null && f.consistencyShare < FABRICATED_CONSISTENCY_BELOW) {
    return make(
      'likely_fabricated',
      `only ${pct(f.consistencyShare)} of records have a NIR consistent with their sex and date of birth: likely fabricated or shuffled data`,
      `NIR cross-field consistency below ${pct(FABRICATED_CONSISTENCY_BELOW)}`,
    );
  }
  if (f.claimedRecords > 0 && f.uniquePeople / f.claimedRecords < PADDING_UNIQUE_SHARE_BELOW) {
    return make(
      'likely_fabricated',
      `${f.claimedRecords.toLocaleString('en')} records but only ${f.uniquePeople.toLocaleString('en')} unique people (${pct(f.uniquePeople / f.claimedRecords)}): the claimed size is inflated with duplicates`,
      `unique people below ${pct(PADDING_UNIQUE_SHARE_BELOW)} of the claimed records`,
    );
  }
  if (compared.length === 0) {
    return make(
      'new',
      'no earlier dataset to compare with: nothing of it was seen before in this case',
      'nothing to compare with',
    );
  }
  const best = f.bestMatch;
  const copy =
    f.identicalShare !== null && f.identicalShare >= IDENTICAL_SHARE
      ? `identical values in ${pct(f.identicalShare)} of sampled matches`
      : f.identicalShare !== null
        ? `reformatted values (identical in only ${pct(f.identicalShare)} of sampled matches)`
        : null;
  if (best && best.share >= REPACKAGED_SHARE) {
    return make(
      'repackaged',
      `${pct(best.share)} of records match ${best.dataset} on ${mainKeys(best.byKey)}${copy ? ` with ${copy}` : ''}: likely a repackaging of ${best.dataset}`,
      `at least ${pct(REPACKAGED_SHARE)} of records match one dataset`,
    );
  }
  if (f.matchShare >= REPACKAGED_SHARE) {
    return make(
      'repackaged',
      `${pct(f.matchShare)} of records match ${compared.join(', ')} combined: likely a compilation of earlier leaks`,
      `at least ${pct(REPACKAGED_SHARE)} of records match the compared datasets together`,
    );
  }
  if (f.matchShare >= PARTIAL_SHARE) {
    return make(
      'partial_overlap',
      `${pct(f.matchShare)} overlap${best ? ` (${pct(best.share)} with ${best.dataset}, on ${mainKeys(best.byKey)})` : ''}: partial overlap, ${pct(1 - f.matchShare)} of records are new`,
      `between ${pct(PARTIAL_SHARE)} and ${pct(REPACKAGED_SHARE)} of records already known`,
    );
  }
  return make(
    'new',
    `${pct(f.matchShare)} overlap: mostly new data`,
    `under ${pct(PARTIAL_SHARE)} of records already known`,
  );
}
