import pino from 'pino';
import request from 'supertest';
import type { Engine } from '../../src/db/knex.js';
import { createApp } from '../../src/server.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { bootstrapAdmin } from '../../src/accounts/bootstrap.js';
import { insertAccount, insertToken } from '../../src/accounts/accounts.store.js';
import { generateToken, hashToken } from '../../src/accounts/tokens.js';
import type { Role } from '../../src/accounts/actor.js';
import { freshDb, type TestDb } from './db.js';

export const FIXED_NOW = new Date('2026-11-24T10:00:00.000Z');
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef-0123';

export interface TestApp extends TestDb {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  http: ReturnType<typeof request>;
  admin: string; // bearer header value
  /** Creates an account of a role and returns its `Bearer ...` header value. */
  tokenFor(
    role: Role,
    bind?: { structure?: string; siren?: string; siret?: string; departement?: string },
  ): Promise<string>;
}

export async function makeTestApp(engine: Engine, opts: { now?: Date; onDisk?: boolean } = {}): Promise<TestApp> {
  const t = await freshDb(engine, { onDisk: opts.onDisk });
  const config = loadConfig({
    ADMIN_TOKEN,
    PUBLIC_URL: 'https://heures.example.fr',
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv);
  const ctx: AppContext = { db: t.db, clock: () => opts.now ?? FIXED_NOW, config, logger: pino({ level: 'silent' }) };
  await bootstrapAdmin(ctx, ADMIN_TOKEN);
  const app = createApp(ctx);
  return {
    ...t,
    ctx,
    app,
    http: request(app),
    admin: `Bearer ${ADMIN_TOKEN}`,
    async tokenFor(role, bind = {}) {
      const structure = bind.structure ? await t.db('structures').where({ code: bind.structure }).first() : null;
      const id = await insertAccount(t.db, {
        name: `${role} ${bind.structure ?? bind.siren ?? bind.siret ?? bind.departement ?? ''}`.trim(),
        role,
        structure_id: structure?.id ?? null,
        contractor_siren: bind.siren ?? null,
        contractor_siret: bind.siret ?? null,
        departement_code: bind.departement ?? null,
        created_at: FIXED_NOW.toISOString(),
      });
      const token = generateToken();
      await insertToken(t.db, {
        account_id: id,
        token_hash: hashToken(token),
        label: 'test',
        created_at: FIXED_NOW.toISOString(),
      });
      return `Bearer ${token}`;
    },
  };
}
