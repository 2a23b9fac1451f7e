import { describe, expect, it } from 'vitest';
import { spawnEntry } from './server.js';
import { tempDir } from './databases.js';

// `npm run cli -- structures | head -1`: the reader closes the pipe before the end. The
// command must end quietly (no stack trace about EPIPE), as Unix tools do.
describe('the command line piped into a reader that stops early', () => {
  it('ends without an error when the pipe closes', async () => {
    const dir = tempDir('ledger-cli-pipe-');
    const child = spawnEntry('src/cli/main.ts', ['structures'], { DATABASE_URL: `file:${dir}/ledger.db` });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    // Like `head` that has read enough: the pipe is closed before the command writes (at once,
    // so that the test does not depend on how fast the command writes).
    child.stdout?.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});
