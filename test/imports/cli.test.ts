import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engines, emptyDb } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { csv, HOURS_HEADER, hoursLine, MARCHES_HEADER, marcheLine } from '../helpers/imports.js';
import { migrateDownAll, migrateLatest } from '../../src/migrate.js';
import command from '../../src/imports/import.command.js';

describe.each(engines)('import command line [%s]', (engine) => {
  let t: TestApp;
  let dir: string;
  let out: string[];
  beforeEach(async () => {
    t = await makeTestApp(engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
    await t.destroy();
  });
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it('dry-runs by default, applies with --apply as the system account, and prints a French summary', async () => {
    const marches = file('marches.csv', csv(MARCHES_HEADER, [marcheLine()]));
    const hours = file('heures.csv', csv(HOURS_HEADER, [hoursLine(), hoursLine({ month: '04/2024', hours: '1234' })]));
    expect(await command.run(t.ctx, ['marches', marches])).toBe(0);
    expect(out.join('\n')).toMatch(/simulation : rien n’est écrit/);
    expect(await t.db('marches').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(await command.run(t.ctx, ['marches', marches, '--apply'])).toBe(0);

    out.length = 0;
    expect(await command.run(t.ctx, ['hours', hours, '--apply'])).toBe(1); // 1 234 h is too much
    expect(out.join('\n')).toMatch(/ligne 3, colonne hours : .*235 h/);
    fs.writeFileSync(hours, csv(HOURS_HEADER, [hoursLine(), hoursLine({ month: '04/2024', hours: '20' })]));
    out.length = 0;
    expect(await command.run(t.ctx, ['hours', hours, '--apply'])).toBe(0);
    const summary = out.join('\n');
    expect(summary).toMatch(/Import des heures — appliqué/);
    expect(summary).toMatch(/│ Lignes lues +│ +2 │/);
    expect(summary).toMatch(/Heures ajoutées +│ \+171,67 h │/);
    const imports = await t.db('imports').where({ status: 'applied', kind: 'hours' });
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({
      source: 'cli',
      file_name: 'heures.csv',
      actor_name: 'Ligne de commande (système)',
    });
    const entries = await t.db('hour_entries').pluck('import_id');
    expect(entries.map(Number)).toEqual([imports[0].id, imports[0].id].map(Number));
  });

  it('acts as another account with --as, within its scope', async () => {
    const marches = file('marches.csv', csv(MARCHES_HEADER, [marcheLine()]));
    await t.tokenFor('facilitator', { structure: 'plie-bethune' });
    const fac = await t.db('accounts').where({ role: 'facilitator' }).first();
    expect(await command.run(t.ctx, ['marches', marches, '--apply', '--as', String(fac.id)])).toBe(1);
    expect(out.join('\n')).toMatch(/hors du périmètre/);
    expect(await command.run(t.ctx, ['marches', marches, '--as', '9999'])).toBe(2);
    expect(await command.run(t.ctx, ['inconnu', marches])).toBe(2);
  });

  it('streams a Windows-1252 file and reads workbooks by their bytes, refusing a false .xlsx', async () => {
    const marches = file('marches.csv', csv(MARCHES_HEADER, [marcheLine({ title: 'Lot « gros œuvre »' })]));
    expect(await command.run(t.ctx, ['marches', marches, '--apply'])).toBe(0);
    // Far more than one read of the stream (1 MB): the first non-ASCII byte comes late.
    const rows = Array.from({ length: 9000 }, (_, i) =>
      hoursLine({ contract: `C-${i}`, participant: `P-${i}`, hours: '12,5' }).padEnd(140, ' '),
    );
    rows.push(hoursLine({ contract: 'C-é', participant: 'P-x', hours: '1' }));
    const text = csv(HOURS_HEADER, rows).replace('C-é', 'C-é');
    const p = path.join(dir, 'heures-excel.csv');
    fs.writeFileSync(p, Buffer.from(text, 'latin1'));
    expect(fs.statSync(p).size).toBeGreaterThan(1 << 20);
    out.length = 0;
    expect(await command.run(t.ctx, ['hours', p])).toBe(1); // « C-é » is not a valid reference
    expect(out.join('\n')).toMatch(/│ Format +│ +CSV Windows-1252 │/);
    expect(out.join('\n')).toMatch(/ligne 9002, colonne contract_ref : Référence invalide/);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Heures');
    ws.addRow(HOURS_HEADER.split(';'));
    ws.addRow(hoursLine().split(';'));
    const book = path.join(dir, 'heures.bin');
    fs.writeFileSync(book, Buffer.from(await wb.xlsx.writeBuffer()));
    out.length = 0;
    expect(await command.run(t.ctx, ['hours', book, '--apply'])).toBe(0);
    expect(out.join('\n')).toMatch(/│ Format +│ +classeur XLSX │/);
    expect(await t.db('hour_entries').count({ n: '*' }).first()).toMatchObject({ n: 1 });
    const fake = file('heures.xlsx', csv(HOURS_HEADER, [hoursLine()]));
    out.length = 0;
    expect(await command.run(t.ctx, ['hours', fake])).toBe(1);
    expect(out.join('\n')).toMatch(/heures\.xlsx n’est pas un classeur \.xlsx/);
  });

  it('migration 004 creates and drops the imports table', async () => {
    const e = await emptyDb(engine);
    await migrateLatest(e.db);
    expect(await e.db.schema.hasTable('imports')).toBe(true);
    await migrateDownAll(e.db);
    expect(await e.db.schema.hasTable('imports')).toBe(false);
    await e.destroy();
  });
});
