import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// The real server (src/main.ts) or command line (src/cli/main.ts) as a child process, through
// tsx's loader, for the tests that must kill it or watch it exit.
export const ROOT = path.resolve(import.meta.dirname, '../..');

export function spawnTs(entry: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
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
