/** The encrypted case store: public surface. */
export { bindingDirName, bulkExtensionPath, resolveNativeBinding } from './binding';
export { caseKeyFor, newCaseKey } from './case-key';
export {
  APPLICATION_ID,
  BAD_PASSPHRASE_MESSAGE,
  CIPHER,
  caseFileBytes,
  createCase,
  openCase,
  rekeyCase,
  type CaseHandle,
  type OpenOptions,
  type ReadableCase,
  type WritableCase,
} from './open';
export { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion } from './migrations';
export { getMeta, setMeta } from './meta';
export { pragmaString, sqlId } from './sql';
export type { ReadableDB, WritableDB } from './types';
