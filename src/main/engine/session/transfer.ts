/**
 * Session files: a saved session exported as JSON for a colleague holding a copy of the same
 * evidence, and imported back into any case.
 *
 * On import, datasets are matched by source SHA-256 + member + table (datasets.ts), never by
 * name: a colleague may have imported `clients.csv` as "fichier-1". What is missing is said in
 * one message naming the files to import; the session is saved anyway (unless it is a dry run),
 * so that it resolves once the evidence is imported. The fingerprints the file carries are kept
 * as they are: they are the reference `session.check` compares this case's results with.
 *
 * Tags and notes travel by ordinal (flags.ts), so a filter on tags replays to the same records.
 */
import type { z } from 'zod';
import type { sessionContract, SessionImportResult } from '../../../shared/contract/session';
import { LeakscopeError } from '../../../shared/errors';
import {
  describeSession,
  restoreFile,
  SESSION_FILE_FORMAT,
  SessionFormatError,
  type PortableFlags,
  type RestoredFile,
  type SessionDocument,
} from '../../../shared/session';
import type { ReadableDB, WritableDB } from '../store/types';
import { datasetTable, matchDatasets, missingMessage } from './datasets';
import { exportFlags, importFlags } from './flags';
import { restoreStored } from './restore';
import { getStored, putSession } from './save';

type ExportOutput = z.output<(typeof sessionContract)['session.export']['output']>;
type ImportInput = z.output<(typeof sessionContract)['session.import']['input']>;

export function exportSession(
  db: ReadableDB,
  name: string,
  withFlags: boolean,
  now: Date,
  app: string,
): ExportOutput {
  const row = getStored(db, name);
  const doc = restoreStored(row).document;
  const flags: { dataset: string; records: PortableFlags[] }[] = [];
  if (withFlags) {
    for (const m of matchDatasets(db, doc)) {
      if (!m.local) continue;
      const records = exportFlags(db, datasetTable(db, m.local.id));
      if (records.length) flags.push({ dataset: m.key, records });
    }
  }
  return {
    format: SESSION_FILE_FORMAT,
    exportedAt: now.toISOString(),
    app,
    name: row.name,
    description: describeSession(doc),
    session: doc,
    flags,
  };
}

function readFile(file: unknown): RestoredFile {
  try {
    return restoreFile(file);
  } catch (e) {
    if (e instanceof SessionFormatError) throw new LeakscopeError('E_BAD_INPUT', e.message);
    throw e;
  }
}

export function importSession(
  db: WritableDB,
  input: ImportInput,
  now: Date,
  caseId: string,
): SessionImportResult {
  const file = readFile(input.file);
  const name = input.name ?? file.name;
  if (!name) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      'this session document carries no name: give the name to save it under',
    );
  }
  const matches = matchDatasets(db, file.document);
  const byKey = new Map(matches.map((m) => [m.key, m]));
  // Dataset ids and the selected row id are hints for the case that saved the session: replace
  // them with this case's, so that a later re-import here is recognised as one.
  const doc: SessionDocument = {
    ...file.document,
    caseId,
    datasets: file.document.datasets.map((d) => ({
      ...d,
      id: byKey.get(d.key)!.local?.id ?? null,
    })),
    views: file.document.views.map((v) => ({
      ...v,
      selected: v.selected ? { ordinal: v.selected.ordinal, rowId: null } : null,
    })),
  };
  const flags = { tagsAdded: 0, notesAdded: 0, unmatched: 0, skipped: 0 };
  const warnings = matches.filter((m) => m.local && m.warning).map((m) => m.warning!);
  const missing = missingMessage(matches);
  if (missing) warnings.unshift(missing);

  if (!input.dryRun) {
    db.transaction(() => {
      putSession(db, name, doc, input.overwrite, now);
      if (!input.flags) return;
      for (const f of file.flags) {
        const local = byKey.get(f.dataset)!.local;
        if (!local) {
          flags.skipped += f.records.length;
          continue;
        }
        const r = importFlags(db, datasetTable(db, local.id), f.records, null, now);
        flags.tagsAdded += r.tagsAdded;
        flags.notesAdded += r.notesAdded;
        flags.unmatched += r.unmatched;
      }
    }).immediate();
  }
  if (flags.unmatched) {
    warnings.push(
      `${flags.unmatched} marked record${flags.unmatched === 1 ? '' : 's'} of the file have no record with the same ordinal here`,
    );
  }

  const found = matches.filter((m) => m.local).length;
  const head = input.dryRun
    ? `dry run: session ${JSON.stringify(name)} would find ${found} of ${matches.length} datasets in this case`
    : `session ${JSON.stringify(name)} imported: ${found} of ${matches.length} datasets found in this case`;
  const marks =
    !input.dryRun && (flags.tagsAdded || flags.notesAdded)
      ? `; ${flags.tagsAdded} tags and ${flags.notesAdded} notes applied to records`
      : '';
  return {
    name,
    saved: !input.dryRun,
    upgradedFrom: file.fromVersion === file.document.version ? null : file.fromVersion,
    matches,
    flags,
    warnings,
    message: [`${head}${marks}`, ...warnings].join('\n'),
  };
}
