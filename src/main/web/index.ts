/**
 * The loopback bridge's public surface: start it, and the header/static helpers the Electron
 * adapter reuses for its `app://` protocol. Plain Node; never imports electron.
 */
export {
  DEFAULT_MAX_BODY_BYTES,
  fixedCasePolicy,
  LOOPBACK_HOST,
  SESSION_PATH,
  startBridge,
  type Bridge,
  type BridgeEngine,
  type BridgeOptions,
  type BridgePolicy,
  type BridgeSession,
} from './server';
export { contentSecurityPolicy, SECURITY_HEADERS, type CspOptions } from './security-headers';
export { contentTypeFor, readStaticFile, resolveStaticPath, type StaticFile } from './static-files';
