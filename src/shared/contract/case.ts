/**
 * case.* and audit.* methods: the encrypted case file and its hash-chained audit log.
 *
 * Pure: imports only zod and src/shared.
 */
import { z } from 'zod';
import type { MethodSpec } from './method-spec';

const Passphrase = z
  .string()
  .min(1, 'the passphrase must not be empty')
  .max(1024)
  .describe('case passphrase (never logged, never audited)');

const CasePath = z.string().min(1).max(4096).describe('path of the case file');

export const CaseInfo = z.object({
  path: z.string(),
  caseId: z.string(),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  appVersion: z.string(),
  cipher: z.object({
    name: z.literal('sqlcipher'),
    legacy: z.number().int(),
    kdfIter: z.number().int(),
  }),
  bytes: z.number().int(),
  datasets: z.number().int(),
  auditEntries: z.number().int(),
});
export type CaseInfo = z.infer<typeof CaseInfo>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  params: z.unknown(),
  result: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  /** seq of the first entry whose hash or link does not verify; null when the chain is intact. */
  firstBroken: z.number().int().nullable(),
  /** Plain-language reason for the first break. */
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

export const caseContract = {
  'case.create': {
    input: z.object({ path: CasePath, passphrase: Passphrase }).strict(),
    output: CaseInfo,
    description: 'Create a new encrypted case file and open it',
    audit: true,
    needsCase: false,
  },
  'case.open': {
    input: z.object({ path: CasePath, passphrase: Passphrase }).strict(),
    output: CaseInfo,
    description: 'Open an existing case file with its passphrase',
    audit: true,
    needsCase: false,
  },
  'case.info': {
    input: z.object({}).strict(),
    output: CaseInfo,
    description: 'Describe the open case: identity, schema version, cipher, size, contents',
    audit: false,
    needsCase: true,
  },
  'case.rekey': {
    input: z.object({ newPassphrase: Passphrase }).strict(),
    output: z.object({ rekeyed: z.literal(true) }),
    description: 'Re-encrypt the open case under a new passphrase',
    audit: true,
    needsCase: true,
  },
  'case.close': {
    input: z.object({}).strict(),
    output: z.object({ closed: z.boolean() }),
    description: 'Close (lock) the open case',
    audit: false,
    needsCase: false,
  },
  'audit.verify': {
    input: z.object({}).strict(),
    output: AuditVerifyResult,
    description: 'Recompute the audit hash chain and name the first broken entry',
    audit: true,
    needsCase: true,
  },
  'audit.list': {
    input: z
      .object({
        afterSeq: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ entries: z.array(AuditEntry) }),
    description: 'List audit entries in order',
    audit: false,
    needsCase: true,
  },
} as const satisfies Record<string, MethodSpec>;
