import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';

// The real server (src/main.ts) or command line (src/cli/main.ts) as a child process, for the
// tests that must kill it or watch it exit. It runs the JavaScript that the global setup
// (test/setup/compile.ts) transpiled from the sources of this run.
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Starts a source entry point (`src/main.ts`, `src/cli/main.ts`) as a child process. */
export function spawnEntry(entry: string, args: string[], env: Record<string, string>): ChildProcess {
  const compiled = path.join(inject('compiledRoot'), entry.replace(/\.ts$/, '.js'));
  return spawn(process.execPath, ['--enable-source-maps', compiled, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for the process to end; its exit code (or signal), stdout and stderr. */
export function ended(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

export const TRUST_ADMIN_TOKEN = 'trust-admin-token-0123456789abcdef-0123';

export interface RunningServer {
  child: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: string | null; out: string; err: string }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts src/main.ts on a database and waits until /healthz answers. */
export async function startServer(databaseUrl: string, timeoutMs = 60_000): Promise<RunningServer> {
  const port = await freePort();
  const child = spawnEntry('src/main.ts', [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN: TRUST_ADMIN_TOKEN,
  });
  const exited = ended(child);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`le serveur s’est arrêté au démarrage : ${(await exited).err}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('le serveur n’a pas démarré à temps');
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    child,
    base,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs `npm run cli -- ...` on a database and waits for it. */
export function runCli(args: string[], databaseUrl: string) {
  return ended(spawnEntry('src/cli/main.ts', args, { DATABASE_URL: databaseUrl }));
}
