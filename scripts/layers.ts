// Prints how well the code keeps its layers (docs/architecture.md), file by file:
// - imports of src/http from outside it (the domain must not depend on the web layer);
// - query-builder calls outside stores (SQL belongs to `*.store.ts` and src/db);
// - `any` types; lines over 120 characters.
// Usage: npx tsx scripts/layers.ts [--json]. test/architecture.test.ts asserts the same rules.
import fs from 'node:fs';
import path from 'node:path';

export interface LayerReport {
  httpImportsOutsideHttp: string[];
  sqlOutsideStores: string[];
  anyTypes: string[];
  longLines: string[];
}

const HTTP_IMPORT = /from\s+'(?:\.\.\/)+http\/|from\s+'\.\/http\//;
// `db('table')`, `trx('table')`, `ctx.db('t')`, `.raw(`, `.fromRaw(`, `.joinRaw(`, `.whereRaw(`…
const QUERY_CALL =
  /(?<!express)\b(?:db|trx|tx|knex)\s*\(\s*['"`{]|(?<!express)\.(?:raw|whereRaw|joinRaw|fromRaw|selectRaw|orderByRaw)\s*\(/;
const ANY_TYPE = /(?::\s*any\b|<any\b|\bany\[\]|\bas any\b|,\s*any>)/;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A file may hold SQL when it is a store, the data layer, or a migration. */
const mayHoldSql = (f: string) => f.endsWith('.store.ts') || f.includes('/store/') || f.startsWith('src/db/');
/** A file may import src/http when it is part of the web layer. */
const isWebLayer = (f: string) =>
  f === 'src/main.ts' ||
  f === 'src/server.ts' ||
  f.startsWith('src/http/') ||
  f.endsWith('.routes.ts') ||
  f.endsWith('.page.ts') ||
  f.startsWith('src/web/');

export function layerReport(root = process.cwd()): LayerReport {
  const r: LayerReport = { httpImportsOutsideHttp: [], sqlOutsideStores: [], anyTypes: [], longLines: [] };
  for (const abs of walk(path.join(root, 'src'))) {
    const f = path.relative(root, abs);
    fs.readFileSync(abs, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const at = `${f}:${i + 1}`;
        // Comments say "any" in English: only code counts.
        const code = /^\s*(\*|\/\*|\/\/)/.test(line) ? '' : line.replace(/\/\/.*$/, '');
        if (!isWebLayer(f) && HTTP_IMPORT.test(code)) r.httpImportsOutsideHttp.push(at);
        if (!mayHoldSql(f) && QUERY_CALL.test(code)) r.sqlOutsideStores.push(at);
        if (ANY_TYPE.test(code)) r.anyTypes.push(at);
        if (line.length > 120) r.longLines.push(at);
      });
  }
  return r;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = layerReport();
  if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    for (const [k, v] of Object.entries(r)) {
      console.log(`${k.padEnd(24)} ${String(v.length).padStart(4)}`);
      for (const at of v.slice(0, 40)) console.log(`    ${at}`);
    }
  }
}
