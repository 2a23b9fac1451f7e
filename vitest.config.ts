import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/compile.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time even on two cores (Vitest's default is one fewer than the cores):
    // many files wait on a browser, a child process or PostgreSQL. Each worker process keeps
    // the modules it loaded from one file to the next instead of loading express, knex,
    // pdfkit... again for every file; every test still builds its own database and app.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    isolate: false,
  },
});
