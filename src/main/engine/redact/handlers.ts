/**
 * policy.* and redact.preview handlers. Policy files (import / export) hold only the policy
 * document: no record value, no key; reading one validates and upgrades it like a stored one.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LeakscopeError } from '../../../shared/errors';
import { describePolicy, isBuiltinPolicy } from '../../../shared/redaction';
import type { AuditSummaries, HandlerMap } from '../context';
import { deletePolicy, getPolicy, listPolicies, resolvePolicy, savePolicy } from './policies';
import { previewRedaction } from './read';

const MAX_POLICY_FILE = 1024 * 1024;

export const redactHandlers: HandlerMap = {
  'policy.list': (_input, ctx) => ({ policies: listPolicies(ctx.requireCase().db) }),
  'policy.get': ({ name }, ctx) => {
    const policy = getPolicy(ctx.requireCase().db, name);
    return { policy, builtIn: isBuiltinPolicy(name), text: describePolicy(policy) };
  },
  'policy.save': ({ policy, overwrite }, ctx) => {
    const db = ctx.requireCase().db;
    return savePolicy(db, resolvePolicy(db, policy ?? null), ctx.now(), overwrite);
  },
  'policy.delete': ({ name }, ctx) => ({ deleted: deletePolicy(ctx.requireCase().db, name) }),
  'policy.import': ({ path, overwrite }, ctx) => {
    const db = ctx.requireCase().db;
    const file = resolve(path);
    if (!existsSync(file) || !statSync(file).isFile()) {
      throw new LeakscopeError('E_NOT_FOUND', `no policy file at ${file}`);
    }
    if (statSync(file).size > MAX_POLICY_FILE) {
      throw new LeakscopeError('E_LIMIT', 'a policy file larger than 1 MiB is not a policy');
    }
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new LeakscopeError('E_BAD_INPUT', `${file} is not JSON: ${(e as Error).message}`);
    }
    return savePolicy(db, resolvePolicy(db, doc), ctx.now(), overwrite);
  },
  'policy.export': ({ name, path, overwrite }, ctx) => {
    const policy = getPolicy(ctx.requireCase().db, name);
    const file = resolve(path);
    if (existsSync(file) && !overwrite) {
      throw new LeakscopeError(
        'E_BAD_INPUT',
        `${file} already exists; allow overwriting to replace it`,
      );
    }
    const text = `${JSON.stringify(policy, null, 2)}\n`;
    try {
      writeFileSync(file, text, { mode: 0o644 });
    } catch (e) {
      throw new LeakscopeError('E_IO', `cannot write ${file}: ${(e as Error).message}`);
    }
    return { path: file, bytes: Buffer.byteLength(text) };
  },
  'redact.preview': (input, ctx) => {
    const db = ctx.requireCase().db;
    return previewRedaction(
      db,
      {
        dataset: input.dataset,
        policy: resolvePolicy(db, input.policy ?? 'share-with-authority'),
        filter: input.filter,
        search: input.search,
        limit: input.limit,
      },
      ctx.now(),
    );
  },
};

/** Previews read records: the audit keeps what was read and how, never the values. */
export const redactAuditSummaries: AuditSummaries = {
  'redact.preview': (r) => ({
    dataset: r.dataset,
    policy: r.policy,
    rows: r.rows.length,
    description: r.description,
  }),
};
