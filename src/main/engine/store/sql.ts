/**
 * The one place where SQL text is assembled from non-literal parts.
 *
 * - `sqlId` quotes an identifier, and only accepts our own generated names (`ds_12`, `c_3`,
 *   `dataset_columns`...): user strings (headers, table names from dumps) never become SQL text;
 *   they are stored as values and mapped to generated physical names.
 * - `pragmaString` quotes a string for PRAGMA statements, which cannot take bound parameters
 *   (the passphrase for `PRAGMA key`).
 */
import { LeakscopeError } from '../../../shared/errors';

const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function sqlId(name: string): string {
  if (!SAFE_IDENTIFIER.test(name)) {
    throw new LeakscopeError(
      'E_INTERNAL',
      `refusing unsafe SQL identifier ${JSON.stringify(name)}`,
    );
  }
  return `"${name}"`;
}

export function pragmaString(value: string): string {
  if (value.includes('\0'))
    throw new LeakscopeError('E_BAD_INPUT', 'a NUL character is not allowed here');
  return `'${value.replaceAll("'", "''")}'`;
}
