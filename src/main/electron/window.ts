/**
 * The main window's options, built from plain values so the security-relevant flags are
 * unit-tested without Electron (only a type import here). Not the Electron template's defaults:
 * sandbox on, context isolation on, no Node in the renderer, web security on, no webview, no
 * spellchecker (it downloads dictionaries), an in-memory session (no renderer cache, cookies or
 * storage written to disk next to the case).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** No `persist:` prefix: the partition lives in memory only. */
export const APP_PARTITION = 'leakscope';

/**
 * `devTools`: false in packaged builds (no inspector on an investigator's workstation: it can
 * read everything the page holds and run code in it).
 */
export function mainWindowOptions(
  preloadPath: string,
  iconPath?: string,
  devTools = false,
): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 768,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Leakscope',
    backgroundColor: '#1b1d22',
    autoHideMenuBar: false,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      partition: APP_PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableDialogs: false,
      devTools,
    },
  };
}
