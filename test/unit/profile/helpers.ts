/** Runs the column detectors the way the profiler does (header hint, dates parsed once). */
import { headerHint } from '../../../src/main/engine/profile/detect/headers';
import { detectColumn, type ColumnDetection } from '../../../src/main/engine/profile/detect/score';
import { parseDate } from '../../../src/main/engine/profile/stats/dates';

export function detect(values: readonly string[], name = 'col_1'): ColumnDetection {
  return detectColumn(values, {
    hint: headerHint(name),
    year: 2025,
    distinct: new Set(values).size,
    dates: values.map((v) => parseDate(v.trim())),
  });
}

export function kindOf(values: readonly string[], name = 'col_1'): string {
  return detect(values, name).findings[0]?.kind ?? 'none';
}
