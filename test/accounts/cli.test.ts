import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engines, emptyDb } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { migrateLatest } from '../../src/migrate.js';
import * as m006 from '../../db/migrations/006_accounts_web.js';
import command, { io } from '../../src/accounts/accounts.command.js';
import { hashToken } from '../../src/accounts/tokens.js';

describe.each(engines)('accounts command line [%s]', (engine) => {
  let t: TestApp;
  let out: string[];
  beforeEach(async () => {
    t = await makeTestApp(engine);
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.destroy();
  });

  it('creates (token printed once), lists, issues a token, disables, audits as the CLI', async () => {
    vi.spyOn(io, 'readStdin').mockResolvedValue('un mot de passe assez long');
    expect(
      await command.run(t.ctx, [
        'create',
        '--role',
        'facilitator',
        '--structure',
        'plie-bethune',
        '--email',
        'f@plie.fr',
        '--name',
        'Fanny',
        '--password-stdin',
      ]),
    ).toBe(0);
    expect(out[0]).toMatch(/^Compte n° \d+ créé : Fanny \(Facilitateur de clauses, plie-bethune\)\.$/);
    const token = out[2];
    const account = await t.db('accounts').where({ email: 'f@plie.fr' }).first();
    expect(account.password_hash).toMatch(/^\$argon2id\$/);
    expect(
      await t
        .db('api_tokens')
        .where({ token_hash: hashToken(token) })
        .first(),
    ).toBeTruthy();
    await t.http.get('/api/v1/marches').set('Authorization', `Bearer ${token}`).expect(200);

    out.length = 0;
    expect(await command.run(t.ctx, ['list'])).toBe(0);
    expect(out.join('\n')).toMatch(/facilitator\s+plie-bethune\s+f@plie\.fr\s+Fanny/);
    expect(out[0]).toMatch(/^\s*N°\s+Rôle\s+Rattachement\s+Adresse électronique\s+Nom\s+État$/);
    expect(out.join('\n')).not.toContain(token);

    out.length = 0;
    expect(await command.run(t.ctx, ['token', 'F@plie.fr', '--label', 'tableur'])).toBe(0);
    await t.http.get('/api/v1/marches').set('Authorization', `Bearer ${out[1]}`).expect(200);
    expect(await command.run(t.ctx, ['disable', String(account.id)])).toBe(0);
    await t.http.get('/api/v1/marches').set('Authorization', `Bearer ${token}`).expect(401);
    const audit = await t
      .db('audit_log')
      .where({ entity_ref: String(account.id) })
      .orderBy('id')
      .select('action', 'account_id');
    // Every CLI write names the system account, as CLI imports do.
    const system = await t.db('accounts').where({ name: 'Ligne de commande (système)' }).first();
    expect(system).toBeTruthy();
    expect(audit).toEqual([
      { action: 'account.create', account_id: system.id },
      { action: 'token.issue', account_id: system.id },
      { action: 'account.disable', account_id: system.id },
    ]);
  });

  it('updates an account (e-mail, name, function), audited, so that a Département account can log in', async () => {
    expect(
      await command.run(t.ctx, ['create', '--role', 'departement', '--departement', '62', '--name', 'CD 62']),
    ).toBe(0);
    const id = String((await t.db('accounts').where({ name: 'CD 62' }).first()).id);
    out.length = 0;
    expect(
      await command.run(t.ctx, [
        'update',
        id,
        '--email',
        'Agent@PasDeCalais.fr',
        '--name',
        'Claire Dubois',
        '--function',
        'Cheffe du service insertion',
      ]),
    ).toBe(0);
    expect(out.join('\n')).toContain('Claire Dubois, Cheffe du service insertion (agent@pasdecalais.fr)');
    vi.spyOn(io, 'readStdin').mockResolvedValue('un mot de passe assez long');
    expect(await command.run(t.ctx, ['password', 'agent@pasdecalais.fr', '--password-stdin'])).toBe(0);
    const row = await t.db('audit_log').where({ action: 'account.update', entity_ref: id }).first();
    expect(JSON.parse(row.details)).toEqual({
      name: { from: 'CD 62', to: 'Claire Dubois' },
      email: { from: null, to: 'agent@pasdecalais.fr' },
      function: { from: null, to: 'Cheffe du service insertion' },
    });
    // The API answers the same, and PATCH changes the function alone.
    const r = await t.http
      .patch(`/api/v1/accounts/${id}`)
      .set('Authorization', t.admin)
      .send({ function: 'Directrice' })
      .expect(200);
    expect(r.body).toMatchObject({ name: 'Claire Dubois', email: 'agent@pasdecalais.fr', function: 'Directrice' });
    await t.http.patch(`/api/v1/accounts/${id}`).set('Authorization', t.admin).send({}).expect(400);
    out.length = 0;
    expect(await command.run(t.ctx, ['update', id])).toBe(1);
    expect(out.join('\n')).toContain('Indiquez au moins un champ');
    expect(await command.run(t.ctx, ['update', 'personne@nulle.part', '--name', 'X'])).toBe(1);
  });

  it('acts as another admin account with --as, and refuses an unknown one', async () => {
    const admin = await t.db('accounts').where({ role: 'admin' }).first();
    expect(
      await command.run(t.ctx, [
        'create',
        '--role',
        'departement',
        '--departement',
        '59',
        '--name',
        'N',
        '--as',
        String(admin.id),
      ]),
    ).toBe(0);
    const row = await t.db('audit_log').where({ action: 'account.create' }).orderBy('id', 'desc').first();
    expect(row.account_id).toBe(admin.id);
    expect(await command.run(t.ctx, ['list', '--as', '999'])).toBe(1);
  });

  it('explains bad input in French and exits non-zero', async () => {
    expect(
      await command.run(t.ctx, ['create', '--role', 'contractor', '--name', 'X', '--siret', '12345678901234']),
    ).toBe(1);
    expect(out.join('\n')).toMatch(/contractor : SIREN ou SIRET « 12345678901234 » invalide/);
    expect(await command.run(t.ctx, ['disable', 'personne@nulle.part'])).toBe(1);
    expect(out.join('\n')).toContain('Compte « personne@nulle.part » introuvable.');
    expect(await command.run(t.ctx, ['frobnicate'])).toBe(2);
  });
});

describe.each(engines)('migration 006_accounts_web [%s]', (engine) => {
  it('goes down and up again, with accounts and tokens in place', async () => {
    const t = await emptyDb(engine);
    try {
      await migrateLatest(t.db);
      const id = (await t.db('accounts').insert({ name: 'A', role: 'admin', created_at: 'x' }).returning('id'))[0];
      await t
        .db('api_tokens')
        .insert({ account_id: typeof id === 'object' ? id.id : id, token_hash: 'h', label: 'l', created_at: 'x' });
      expect(await t.db.schema.hasTable('web_sessions')).toBe(true);
      await m006.down(t.db);
      expect(await t.db.schema.hasTable('web_sessions')).toBe(false);
      await m006.up(t.db);
      expect(await t.db.schema.hasTable('web_sessions')).toBe(true);
    } finally {
      await t.destroy();
    }
  });
});
