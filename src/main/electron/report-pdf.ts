/**
 * PDF of an export report (issue 7, point 3: "in the Electron app also a PDF of that report"):
 * the verified HTML report, already on disk, printed by Chromium in a hidden window.
 *
 * The window uses its own in-memory session that refuses every request except the report file
 * itself, with JavaScript off (the report has none), so printing cannot reach anything. The PDF
 * holds exactly what the verified HTML holds. Not wired to a menu or IPC yet: the caller (the
 * export dialog, once it exists) passes the `out` of a finished `export.run` in HTML format.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';

export async function printReportToPdf(htmlPath: string, pdfPath: string): Promise<void> {
  const url = pathToFileURL(htmlPath).href;
  const ses = session.fromPartition('leakscope-report');
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== url }));
  const win = new BrowserWindow({
    show: false,
    webPreferences: { session: ses, sandbox: true, contextIsolation: true, javascript: false },
  });
  try {
    await win.loadURL(url);
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    writeFileSync(pdfPath, pdf, { mode: 0o600 });
  } finally {
    win.destroy();
  }
}
