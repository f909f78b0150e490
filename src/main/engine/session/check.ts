/**
 * `session.check`: recompute every view's fingerprint in this case and compare it with the one
 * saved, view by view, with the reasons for any change (fingerprint.ts explains them).
 */
import type { SessionCheck } from '../../../shared/contract/session';
import { listDatasets } from '../import/repo';
import type { ReadableDB } from '../store/types';
import { datasetTable, matchDatasets } from './datasets';
import { checkView, computeFingerprint, summarizeChecks, type OrdinalSource } from './fingerprint';
import { restoreStored } from './restore';
import { getStored } from './save';

export interface CheckOptions {
  caseId: string;
  appVersion: string;
  now: Date;
  ordinals: OrdinalSource;
}

export function checkSession(db: ReadableDB, name: string, opts: CheckOptions): SessionCheck {
  const doc = restoreStored(getStored(db, name)).document;
  const all = listDatasets(db);
  const matches = new Map(matchDatasets(db, doc, all).map((m) => [m.key, m]));
  const views = doc.views.map((view, i) => {
    const match = matches.get(view.dataset)!;
    let now = null;
    if (match.local) {
      const table = datasetTable(db, match.local.id);
      now = computeFingerprint(db, table, view, opts.ordinals, opts.now);
    }
    return checkView(i, view, match, now, {
      doc,
      caseId: opts.caseId,
      appVersion: opts.appVersion,
      all,
    });
  });
  return { name, ...summarizeChecks(views), views };
}
