/** The shared corpus of real dumps (../shared/corpus), read in place and never copied. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './case';

export const CORPUS = join(ROOT, '..', 'shared', 'corpus');
export const REAL = join(CORPUS, 'real');
export const LINKAGE = join(CORPUS, 'linkage');
export const hasCorpus = existsSync(join(REAL, 'manifest.json'));

export interface ManifestTable {
  name: string;
  rows: number;
  columns?: { name: string; pii_kind: string | null }[];
}
export interface ManifestFile {
  file: string;
  format: string;
  dialect?: string;
  encoding?: string;
  sha256_raw?: string;
  gzip?: boolean;
  /** Data-only dumps: the schema file that names their columns. */
  columns_from?: string;
  tables: ManifestTable[];
}

export function manifest(): ManifestFile[] {
  return (
    JSON.parse(readFileSync(join(REAL, 'manifest.json'), 'utf8')) as { files: ManifestFile[] }
  ).files;
}
