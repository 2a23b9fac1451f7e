import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';

// Real Chromium (Debian's package), driven by playwright-core; never a downloaded browser.
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

if (!hasChromium && process.env.CI) {
  throw new Error('Chromium est absent (/usr/bin/chromium) : .ci/run doit l’installer.');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Serves an express app on a free loopback port; returns its base URL and a closer. */
export async function serve(app: { listen: (port: number, host: string) => Server }) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Serves the app and launches Chromium for a test file; `close` undoes both. */
export async function openBrowserOn(app: { listen: (port: number, host: string) => Server }) {
  const server = await serve(app);
  const browser = await launchChromium();
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
