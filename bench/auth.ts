import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import argon2 from 'argon2';
import { createDb } from '../src/db/knex.js';
import { prepareDatabase } from '../src/migrate.js';
import {
  findActiveByTokenHash,
  insertAccount,
  insertToken,
  shouldTouch,
  touchToken,
} from '../src/accounts/accounts.store.js';
import { generateToken, hashToken } from '../src/accounts/tokens.js';
import { ARGON2_OPTIONS } from '../src/accounts/accounts.service.js';
import { type Figure, fr } from './summary.js';

// `npm run bench -- auth [--n 5000]`: the cost of authentication, next to raw baselines
// measured in the same run on the same database:
// - bearer: hash the token, look up token + account, record the last use (what every API
//   request pays), against a bare `select 1` round trip;
// - login: an argon2id verification (deliberately slow), against the SHA-256 of a token.
// Accounts: 1 000, 3 tokens each, so the lookup goes through the unique index.

async function time(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return (performance.now() - t0) / n; // ms per operation
}

export async function run(args: string[]): Promise<Figure[]> {
  const n = Number(args[args.indexOf('--n') + 1]) || 5000;
  const file = path.resolve('bench/tmp/auth.db');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  const db = createDb(`file:${file}`);
  await prepareDatabase(db);
  const at = new Date().toISOString();
  const tokens: string[] = [];
  await db.transaction(async (trx) => {
    for (let a = 0; a < 1000; a++) {
      const id = await insertAccount(trx, {
        name: `Compte ${a}`,
        role: 'facilitator',
        structure_id: 1,
        created_at: at,
      });
      for (let k = 0; k < 3; k++) {
        const tok = generateToken();
        tokens.push(tok);
        await insertToken(trx, { account_id: id, token_hash: hashToken(tok), label: 'bench', created_at: at });
      }
    }
  });
  const raw = await time(n, () => db.raw('select 1'));
  const bearer = await time(n, async (i) => {
    const row = await findActiveByTokenHash(db, hashToken(tokens[i % tokens.length]));
    if (shouldTouch(row!.token_last_used_at, at)) await touchToken(db, row!.token_id, at);
  });
  const hash = await argon2.hash('un mot de passe assez long', ARGON2_OPTIONS);
  const loginN = 20;
  const sha = await time(n, (i) => hashToken(tokens[i % tokens.length]));
  const verify = await time(loginN, () => argon2.verify(hash, 'un mot de passe assez long'));
  await db.destroy();
  fs.rmSync(file, { force: true });

  const result = {
    date: new Date().toISOString(),
    engine: 'sqlite (file)',
    bearer: {
      msPerRequest: +bearer.toFixed(4),
      baselineSelect1Ms: +raw.toFixed(4),
      ratio: +(bearer / raw).toFixed(2),
      n,
    },
    login: {
      argon2idVerifyMs: +verify.toFixed(2),
      baselineSha256Ms: +sha.toFixed(5),
      ratio: Math.round(verify / sha),
      n: loginN,
    },
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/auth.json', JSON.stringify(result, null, 2) + '\n');
  console.log(
    `Authentification par jeton : ${result.bearer.msPerRequest} ms par requête (référence « select 1 » : ${result.bearer.baselineSelect1Ms} ms, ratio ${result.bearer.ratio})`,
  );
  console.log(
    `Connexion (argon2id) : ${result.login.argon2idVerifyMs} ms par vérification (référence SHA-256 : ${result.login.baselineSha256Ms} ms, ratio ${result.login.ratio})`,
  );
  return [
    {
      figure: 'Authentification par jeton (pour le registre)',
      product: fr(result.bearer.msPerRequest, 'ms'),
      baseline: `${fr(result.bearer.baselineSelect1Ms, 'ms')} (select 1)`,
      ratio: `×${fr(result.bearer.ratio)}`,
      goal: '—',
      met: null,
    },
  ];
}
