/**
 * Redaction and exports (issue 7).
 *
 * - `redaction_policies`: saved policy documents (src/shared/redaction.ts) as JSON with the
 *   version they were written in; `restorePolicy()` upgrades an old document when it is read, so
 *   a migration never needs to understand policy JSON. Built-in policies live in code, not here.
 * - `redaction_secret`: the per-case pseudonym secret, 32 random bytes, one row. It is created on
 *   first use (not here), and exists only inside the encrypted case: a policy file, an export or
 *   a log never carries it, which is why pseudonyms are stable within a case and differ across
 *   cases. Losing the case loses the link between pseudonyms and values, by design.
 * - `export_history`: one row per finished (verified) export: what was written where, under which
 *   policy and filter, how many rows, and the SHA-256 of the file. No record value is stored.
 *
 * Never edit a shipped migration: add a new one.
 */
import type { WritableDB } from '../types';

export function up(db: WritableDB): void {
  db.exec(`
    CREATE TABLE redaction_policies (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
      version     INTEGER NOT NULL,
      document    TEXT NOT NULL CHECK (json_valid(document)),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE redaction_secret (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      secret      BLOB NOT NULL CHECK (length(secret) = 32),
      created_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE export_history (
      id            INTEGER PRIMARY KEY,
      at            TEXT NOT NULL,
      dataset_id    INTEGER REFERENCES datasets (id) ON DELETE SET NULL,
      dataset_name  TEXT NOT NULL,
      format        TEXT NOT NULL CHECK (format IN ('csv', 'ndjson', 'xlsx', 'html')),
      out_path      TEXT NOT NULL,
      policy_name   TEXT NOT NULL,
      policy        TEXT NOT NULL CHECK (json_valid(policy)),
      filter        TEXT CHECK (filter IS NULL OR json_valid(filter)),
      description   TEXT NOT NULL,
      rows          INTEGER NOT NULL,
      bytes         INTEGER NOT NULL,
      sha256        TEXT NOT NULL,
      manifest      TEXT NOT NULL CHECK (json_valid(manifest))
    ) STRICT;
    CREATE INDEX export_history_dataset ON export_history (dataset_id, at);
  `);
}
