/**
 * Saved redaction policies (migration 0070) and the built-in ones (src/shared/redaction.ts).
 *
 * Policies are looked up by name: a built-in name always means the built-in (they cannot be
 * overwritten or deleted, so `share-with-authority` means the same thing in every case). Stored
 * documents are upgraded by `restorePolicy` when read.
 */
import { LeakscopeError } from '../../../shared/errors';
import {
  BUILTIN_POLICIES,
  isBuiltinPolicy,
  restorePolicy,
  type RedactionPolicy,
} from '../../../shared/redaction';
import type { ReadableDB, WritableDB } from '../store/types';

export interface PolicyEntry {
  name: string;
  builtIn: boolean;
  description: string;
  output: RedactionPolicy['output'];
  updatedAt: string | null;
}

export function listPolicies(db: ReadableDB): PolicyEntry[] {
  const builtIns: PolicyEntry[] = Object.values(BUILTIN_POLICIES).map((p) => ({
    name: p.name,
    builtIn: true,
    description: p.description,
    output: p.output,
    updatedAt: null,
  }));
  const rows = db
    .prepare('SELECT document, updated_at FROM redaction_policies ORDER BY name')
    .all() as { document: string; updated_at: string }[];
  const saved: PolicyEntry[] = [];
  for (const r of rows) {
    try {
      const p = restorePolicy(JSON.parse(r.document));
      saved.push({
        name: p.name,
        builtIn: false,
        description: p.description,
        output: p.output,
        updatedAt: r.updated_at,
      });
    } catch {
      // A document this build cannot read is skipped from the list; get() reports why.
    }
  }
  return [...builtIns, ...saved];
}

/** A policy by name: built-in first, then saved. */
export function getPolicy(db: ReadableDB, name: string): RedactionPolicy {
  if (isBuiltinPolicy(name)) return BUILTIN_POLICIES[name]!;
  const row = db.prepare('SELECT document FROM redaction_policies WHERE name = ?').get(name) as
    { document: string } | undefined;
  if (!row) {
    const known = listPolicies(db)
      .map((p) => JSON.stringify(p.name))
      .join(', ');
    throw new LeakscopeError(
      'E_NOT_FOUND',
      `no redaction policy named ${JSON.stringify(name)}; known policies: ${known}`,
    );
  }
  try {
    return restorePolicy(JSON.parse(row.document));
  } catch (e) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `policy ${JSON.stringify(name)}: ${(e as Error).message}`,
    );
  }
}

/** A policy given by name or inline (validated); inline documents are upgraded like stored ones. */
export function resolvePolicy(db: ReadableDB, ref: string | unknown): RedactionPolicy {
  if (typeof ref === 'string') return getPolicy(db, ref);
  try {
    return restorePolicy(ref);
  } catch (e) {
    throw new LeakscopeError('E_BAD_INPUT', (e as Error).message);
  }
}

export function savePolicy(
  db: WritableDB,
  policy: RedactionPolicy,
  now: Date,
  overwrite = true,
): { name: string; created: boolean } {
  if (isBuiltinPolicy(policy.name)) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `"${policy.name}" is a built-in policy and cannot be replaced; save yours under another name`,
    );
  }
  const existing = db
    .prepare('SELECT id FROM redaction_policies WHERE name = ?')
    .get(policy.name) as { id: number } | undefined;
  if (existing && !overwrite) {
    throw new LeakscopeError(
      'E_BAD_INPUT',
      `a policy named "${policy.name}" already exists; pass overwrite to replace it`,
    );
  }
  const at = now.toISOString();
  db.prepare(
    `INSERT INTO redaction_policies (name, version, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, document = excluded.document, updated_at = excluded.updated_at`,
  ).run(policy.name, policy.version, JSON.stringify(policy), at, at);
  return { name: policy.name, created: !existing };
}

export function deletePolicy(db: WritableDB, name: string): boolean {
  if (isBuiltinPolicy(name)) {
    throw new LeakscopeError('E_BAD_INPUT', `"${name}" is a built-in policy and cannot be deleted`);
  }
  return db.prepare('DELETE FROM redaction_policies WHERE name = ?').run(name).changes > 0;
}
