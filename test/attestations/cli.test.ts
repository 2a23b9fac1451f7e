import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import command from '../../src/attestations/attestations.command.js';
import { migrateDownAll } from '../../src/migrate.js';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, SIRET_B, seedContract } from '../helpers/fixtures.js';
import { pdfText } from './pdf-tools.js';

describe.each(engines)('attestations CLI [%s]', (engine) => {
  let t: TestApp;
  let out: string;
  let log: string[];
  beforeEach(async () => {
    t = await makeTestApp(engine);
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'att-cli-'));
    log = [];
    vi.spyOn(console, 'log').mockImplementation((...a) => void log.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a) => void log.push(a.join(' ')));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    fs.rmSync(out, { recursive: true, force: true });
    await t.destroy();
  });

  const run = (...args: string[]) => command.run(t.ctx, ['issue', ...args, '--out', out]);

  it('dry-runs, then issues the completed marchés of a structure once, with their PDFs', async () => {
    await seedContract(t); // M-1: 5 000 h required
    await seedContract(t, { marche: 'M-2', siret: SIRET_B, participant: 'P-2', contract: 'C-2' });
    await t.db('marches').where({ ref: 'M-2' }).update({ required_centihours: 10000 }); // 100 h
    await postHours(t, 'C-2', '2024-03', '120').expect(201);

    expect(await run('--kind', 'clause', '--structure', 'plie-lens-henin', '--completed')).toBe(0);
    expect(log.join('\n')).toMatch(/M-2 .* 100\sh exigées, 120\sh réalisées \(clause réalisée\)/);
    expect(log.join('\n')).toContain('Simulation : 1 attestation(s)');
    expect(
      await t
        .db('attestations')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
    ).toBe(0);

    expect(await run('--kind', 'clause', '--structure', 'plie-lens-henin', '--completed', '--apply')).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['ATT-2026-000001.pdf']);
    const text = pdfText(fs.readFileSync(path.join(out, 'ATT-2026-000001.pdf')));
    expect(text).toContain('PLIE Lens-Liévin / Hénin-Carvin');
    expect(text).not.toContain('Ligne de commande');
    // Issued and audited as the system account, like CLI imports.
    const system = await t.db('accounts').where({ name: 'Ligne de commande (système)' }).first();
    const row = await t.db('attestations').first();
    expect(row).toMatchObject({ subject_ref: 'M-2', issued_by: system.id });
    const audit = await t.db('audit_log').where({ action: 'attestation.issue' }).first();
    expect(audit.account_id).toBe(system.id);

    // A second bulk run skips the marché that already has a valid attestation.
    log = [];
    expect(await run('--kind', 'clause', '--structure', 'plie-lens-henin', '--completed', '--apply')).toBe(0);
    expect(log.join('\n')).toContain('Aucune attestation à émettre.');

    // One marché, even not completed.
    expect(await run('--kind', 'clause', '--marche', 'M-1', '--apply')).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['ATT-2026-000001.pdf', 'ATT-2026-000002.pdf']);
    await expect(run('--kind', 'clause', '--marche', 'NOPE')).rejects.toThrow(/inconnu/);
    expect(await command.run(t.ctx, ['frobnicate'])).toBe(2);
  });

  it('prints the verification URL of the shared configuration, signs with --as, writes under ATTESTATIONS_DIR', async () => {
    await seedContract(t);
    const admin = await t.db('accounts').where({ role: 'admin' }).first();
    await t.db('account_profiles').insert({ account_id: admin.id, function: 'Directrice du programme' });
    await t.db('accounts').where({ id: admin.id }).update({ name: 'Nadia Benali' });
    const dir = path.join(out, 'donnees', 'attestations');
    const ctx = { ...t.ctx, config: { ...t.ctx.config, ATTESTATIONS_DIR: dir } };
    expect(
      await command.run(ctx, ['issue', '--kind', 'clause', '--marche', 'M-1', '--apply', '--as', String(admin.id)]),
    ).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['ATT-2026-000001.pdf']);
    expect(log.join('\n')).toContain('https://heures.example.fr/verify/');
    const text = pdfText(fs.readFileSync(path.join(dir, 'ATT-2026-000001.pdf')));
    expect(text).toContain('Nadia Benali');
    expect(text).toContain('Directrice du programme');
    expect((await t.db('attestations').first()).issued_by).toBe(admin.id);
  });

  it('leaves no table behind when migrated down', async () => {
    await migrateDownAll(t.db);
    expect(await t.db.schema.hasTable('attestations')).toBe(false);
    expect(await t.db.schema.hasTable('attestation_counters')).toBe(false);
  });
});
