import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

// axe-core, injected into a page (the context needs bypassCSP: the app's CSP allows only its
// own scripts); returns the violations of impact serious or critical, with where they are.
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Served from a loopback address with a cache header rather than sent as text at every check:
// a browser context then fetches it once and compiles it from its code cache afterwards.
let axeUrl: Promise<string> | undefined;
function axeScriptUrl(): Promise<string> {
  axeUrl ??= new Promise((resolve) => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=3600' });
      res.end(AXE_SOURCE);
    });
    server.unref();
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/axe.min.js`),
    );
  });
  return axeUrl;
}

export interface AxeViolation {
  page: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ url: await axeScriptUrl() });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<any> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n: any) => String(n.target)),
    }));
  });
  const url = new URL(page.url());
  return found
    .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: Omit<AxeViolation, 'page'>) => ({ ...v, page: url.pathname + url.search }));
}
