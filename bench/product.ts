import path from 'node:path';

/**
 * The product as people run it: the compiled JavaScript that `npm start` and `npm run cli`
 * run (scripts/compiled.mjs compiles it first when a source changed), not the sources
 * through the TypeScript loader the benchmarks themselves run under.
 */
export async function product() {
  await import(path.resolve('scripts/compiled.mjs'));
  const dist = (p: string) => import(path.resolve('dist/src', p));
  return {
    ...((await dist('db/knex.js')) as typeof import('../src/db/knex.js')),
    ...((await dist('migrate.js')) as typeof import('../src/migrate.js')),
    ...((await dist('config.js')) as typeof import('../src/config.js')),
    ...((await dist('accounts/bootstrap.js')) as typeof import('../src/accounts/bootstrap.js')),
    ...((await dist('server.js')) as typeof import('../src/server.js')),
    imports: (await dist('imports/import.command.js')) as typeof import('../src/imports/import.command.js'),
  };
}
