/**
 * Electron composition root: app lifecycle, hardening, the `app://` protocol, the engine, IPC,
 * menus, dialogs, the window, and the case lock (idle time, suspend, screen lock).
 *
 * The only folder that imports 'electron' besides the preload. Business logic lives in the
 * engine; this file wires it up and decides nothing the policy functions do not.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, Menu, powerMonitor, session } from 'electron';
import type { LockReason } from '../../shared/desktop';
import { createEngine } from '../engine';
import { resolveNativeBinding } from '../engine/store';
import { pickFile } from './dialogs';
import { registerIpc, sendEvent } from './ipc';
import { buildMenuTemplate, setCaseMenuState } from './menu';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  bindingRoot,
  chromiumSwitches,
  devServerOriginFrom,
  idleLockDue,
  idleLockSeconds,
  PathGrants,
} from './policy';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { createReportPrinter } from './report-pdf';
import { runReportPdf } from './report-request';
import { hardenApp, hardenSession, type SecurityOptions } from './security';
import { APP_PARTITION, mainWindowOptions } from './window';

const here = dirname(fileURLToPath(import.meta.url));
/** Built by electron-vite next to out/main. */
const PRELOAD_PATH = join(here, '..', 'preload', 'index.cjs');
const RENDERER_DIR = join(here, '..', 'renderer');
const IDLE_POLL_MS = 15_000;

function log(message: string): void {
  process.stderr.write(`[leakscope] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Before `ready`: scheme privileges, the sandbox for every renderer, hardening hooks.
// ---------------------------------------------------------------------------------------------

registerAppScheme();
app.enableSandbox();

const devRendererUrl = process.env['ELECTRON_RENDERER_URL'];
const devServerOrigin = devServerOriginFrom(devRendererUrl, app.isPackaged);
const security: SecurityOptions = {
  allowedOrigins: devServerOrigin ? [APP_ORIGIN, devServerOrigin] : [APP_ORIGIN],
  devServerOrigin,
  onBlocked: (what, url) => log(`blocked ${what}: ${url.slice(0, 200)}`),
};
hardenApp(app, security);
for (const [name, value] of chromiumSwitches(devServerOrigin)) {
  if (value === null) app.commandLine.appendSwitch(name);
  else app.commandLine.appendSwitch(name, value);
}

if (!app.requestSingleInstanceLock()) {
  // One process per user: the engine holds the case lock, a second instance would only fail.
  app.quit();
} else {
  void app.whenReady().then(start, (e: unknown) => {
    log(`startup failed: ${e instanceof Error ? e.message : String(e)}`);
    app.exit(1);
  });
}

// ---------------------------------------------------------------------------------------------
// After `ready`
// ---------------------------------------------------------------------------------------------

async function start(): Promise<void> {
  const root = app.getAppPath();
  const nativeBinding = resolveNativeBinding(bindingRoot(root, app.isPackaged));
  if (!nativeBinding) log('no SQLite binding for Electron under native/: using the default build');
  const engine = createEngine({
    appVersion: app.getVersion(),
    ...(nativeBinding ? { nativeBinding } : {}),
    // Long jobs (import, profile, linkage, export) run in the bundled job thread
    // (electron.vite.config.ts builds src/main/engine/jobs/entry.ts as out/main/job-worker.js).
    jobWorkerUrl: new URL('./job-worker.js', import.meta.url),
  });
  const grants = new PathGrants();
  let win: BrowserWindow | null = null;
  let caseOpen = false;
  /** PDF reports being printed: cancelled when the case locks. */
  const printing = new Set<AbortController>();
  const printReport = createReportPrinter({ security });

  hardenSession(session.defaultSession, security);
  const ses = session.fromPartition(APP_PARTITION);
  hardenSession(ses, security);
  handleAppProtocol(ses.protocol, RENDERER_DIR);

  function setCaseOpen(open: boolean): void {
    caseOpen = open;
    setCaseMenuState(Menu.getApplicationMenu(), open);
  }

  async function lockCase(reason: LockReason): Promise<void> {
    if (!caseOpen) return;
    for (const c of printing) c.abort();
    const result = await engine.invoke('case.close', {});
    setCaseOpen(false);
    if (result.ok) sendEvent(win?.webContents, 'case.locked', { reason });
    else log(`lock failed: ${result.error.message}`);
  }

  registerIpc({
    engine,
    grants,
    trusted: () => ({
      origins: security.allowedOrigins,
      webContentsIds: new Set(win && !win.isDestroyed() ? [win.webContents.id] : []),
    }),
    pickFile: (sender, kind) => pickFile(BrowserWindow.fromWebContents(sender), kind, grants),
    reportPdf: async (request) => {
      const controller = new AbortController();
      printing.add(controller);
      try {
        return await runReportPdf(
          { engine, print: printReport, signal: controller.signal },
          request,
        );
      } finally {
        printing.delete(controller);
      }
    },
    onCall: (method, result) => {
      if (!result.ok) return;
      if (method === 'case.create' || method === 'case.open') setCaseOpen(true);
      if (method === 'case.close') setCaseOpen(false);
    },
    onRefused: (what, reason) => log(`refused ${what}: ${reason}`),
  });

  /** A menu command that first asks main's dialog for a file (cancelled: nothing is sent). */
  const menuCommandWithFile = async (
    kind: 'case-new' | 'case-open' | 'import-file',
    command: 'case.new' | 'case.open' | 'import.file',
  ) => {
    const path = await pickFile(win, kind, grants);
    if (path === null) return;
    sendEvent(win?.webContents, 'menu.command', { command, path });
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate(
        {
          platform: process.platform,
          appName: app.getName(),
          isPackaged: app.isPackaged,
          caseOpen,
        },
        {
          newCase: () => void menuCommandWithFile('case-new', 'case.new'),
          openCase: () => void menuCommandWithFile('case-open', 'case.open'),
          importFile: () => void menuCommandWithFile('import-file', 'import.file'),
          exportData: () =>
            sendEvent(win?.webContents, 'menu.command', { command: 'export.open', path: null }),
          exportPdf: () =>
            sendEvent(win?.webContents, 'menu.command', { command: 'report.pdf', path: null }),
          lockCase: () => void lockCase('menu'),
        },
      ),
    ),
  );

  // Lock on suspend / screen lock, and after the configured idle time (system-wide: keyboard
  // and mouse anywhere count as activity).
  powerMonitor.on('suspend', () => void lockCase('suspend'));
  powerMonitor.on('lock-screen', () => void lockCase('lock-screen'));
  // macOS fast user switching: another user takes the screen.
  powerMonitor.on('user-did-resign-active', () => void lockCase('lock-screen'));
  const lockSeconds = idleLockSeconds(process.env['LEAKSCOPE_IDLE_LOCK_MINUTES']);
  if (lockSeconds > 0) {
    const timer = setInterval(() => {
      if (caseOpen && idleLockDue(powerMonitor.getSystemIdleTime(), lockSeconds)) {
        void lockCase('idle');
      }
    }, IDLE_POLL_MS);
    timer.unref();
  }

  function createWindow(): void {
    const iconPath = join(root, 'resources', 'icon.png');
    win = new BrowserWindow(
      mainWindowOptions(PRELOAD_PATH, existsSync(iconPath) ? iconPath : undefined, !app.isPackaged),
    );
    const shown = win;
    shown.once('ready-to-show', () => shown.show());
    shown.on('closed', () => {
      win = null;
    });
    const entry = devServerOrigin && devRendererUrl ? devRendererUrl : APP_ENTRY_URL;
    void shown.loadURL(entry).catch((e: unknown) => {
      log(`cannot load the interface: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  // Closing the window closes (locks) the case and ends the app, on every platform: a case must
  // not stay decrypted in a process with no window.
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => engine.close());

  createWindow();
}
