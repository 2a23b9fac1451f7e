import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ended, spawnEntry } from './server.js';

// `npm start` on a port that is already taken must stop with a French message and a non-zero
// exit code, not run on without listening.
describe('start-up on a busy port', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-start-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits non-zero with a French message', async () => {
    const blocker = net.createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const child = spawnEntry('src/main.ts', [], {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${path.join(dir, 'ledger.db')}`,
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const r = await ended(child);
      clearTimeout(timer);
      expect(r.signal).toBeNull(); // it stopped by itself
      expect(r.code).toBe(1);
      expect(r.err).toContain(`Impossible d’écouter sur 127.0.0.1:${port}`);
      expect(r.err).toContain('déjà utilisé');
    } finally {
      blocker.close();
    }
  }, 70_000);
});
