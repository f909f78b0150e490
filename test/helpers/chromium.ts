/**
 * Debian's Chromium as the tests and benchmarks drive it (playwright-core, no browser download):
 * where it is, and the flags that keep it from reaching any network service on its own.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['LEAKSCOPE_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
