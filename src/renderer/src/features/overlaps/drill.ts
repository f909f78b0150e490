/**
 * Drill-down filters of the Overlaps view: which records of a dataset stand behind a matrix
 * cell, an UpSet bar or a duplicate group, as filter AST nodes (src/shared/filter.ts) that the
 * Records view applies. Pure; no React, no DOM.
 *
 * Overlap counts (linkage/overlap.ts) use the strong identity keys only; a `seenIn` leaf without
 * `keyKind` also matches the weaker name + postal code key, so every filter here names the key
 * kinds explicitly to select the records the figure counted.
 */
import type { FilterNode } from '../../../../shared/filter';

/** The strong key kinds overlap counts use (linkage `keysUsed`), when a result does not say. */
export const STRONG_KEY_KINDS = [
  'nir',
  'email',
  'phone',
  'france_travail_id',
  'iban',
  'national_id',
  'name_dob',
] as const;

/** Records also seen in `other` by one of `keys` (all strong kinds when `keys` is empty). */
export function seenInFilter(other: string, keys: readonly string[] = []): FilterNode {
  const kinds = keys.length ? keys : STRONG_KEY_KINDS;
  const leaves: FilterNode[] = kinds.map((keyKind) => ({
    linkage: 'seenIn',
    dataset: other,
    keyKind,
  }));
  return leaves.length === 1 ? leaves[0]! : { or: leaves };
}

/**
 * Records of `from` whose people are in exactly the datasets of `combination` (an UpSet bar):
 * seen in each other member, and in none of the datasets outside it. Null when that is every
 * record (a one-dataset case). The UpSet counts people through clusters (keys linked
 * transitively); this filter works record by record on direct key matches, so it is the closest
 * record-level reading of the bar, not an exact replay of it.
 */
export function combinationFilter(
  from: string,
  combination: readonly string[],
  allDatasets: readonly string[],
  keys: readonly string[] = [],
): FilterNode | null {
  const parts: FilterNode[] = [];
  for (const d of combination) if (d !== from) parts.push(seenInFilter(d, keys));
  for (const d of allDatasets) {
    if (!combination.includes(d)) parts.push({ not: seenInFilter(d, keys) });
  }
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : { and: parts };
}

/** Most record positions one duplicate-group filter names (the AST allows 400 nodes). */
export const MAX_GROUP_ORDINALS = 300;

/** The records of one duplicate group, by their source positions (ordinals). */
export function ordinalsFilter(ordinals: readonly number[]): FilterNode | null {
  const list = [...new Set(ordinals)].sort((a, b) => a - b).slice(0, MAX_GROUP_ORDINALS);
  if (list.length === 0) return null;
  // Consecutive ordinals collapse into one range.
  const ranges: Array<[number, number]> = [];
  for (const o of list) {
    const last = ranges[ranges.length - 1];
    if (last && o === last[1] + 1) last[1] = o;
    else ranges.push([o, o]);
  }
  const leaves: FilterNode[] = ranges.map(([min, max]) => ({ provenance: 'ordinal', min, max }));
  return leaves.length === 1 ? leaves[0]! : { or: leaves };
}

/** Records in a duplicate group of a dataset (any strong key, or one kind). */
export function duplicateFilter(keyKind?: string): FilterNode {
  return keyKind ? { linkage: 'duplicate', keyKind } : { linkage: 'duplicate' };
}
