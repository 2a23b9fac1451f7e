import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerReport } from '../scripts/layers.js';

// The layers of docs/architecture.md, checked on the code itself.
const report = layerReport();

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
}

describe('architecture', () => {
  it('keeps the domain core free of Express, knex, the web layer and the features', () => {
    const dir = path.join('src', 'core');
    for (const f of fs.readdirSync(dir)) {
      for (const spec of importsOf(path.join(dir, f))) {
        expect(spec, `${f} imports ${spec}`).not.toMatch(/^(express|knex|pg|better-sqlite3)$|\/http\/|features/);
      }
    }
  });

  it('never imports src/http from outside the web layer', () => {
    expect(report.httpImportsOutsideHttp).toEqual([]);
  });

  it('keeps every query in stores (`*.store.ts`, src/db)', () => {
    expect(report.sqlOutsideStores).toEqual([]);
  });

  it('types rows: no `any` in src', () => {
    expect(report.anyTypes).toEqual([]);
  });
});
