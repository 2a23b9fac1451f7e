import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { seedContract, SIRET_A } from '../helpers/fixtures.js';
import { AppError } from '../../src/core/errors.js';
import * as cites from '../../src/cites/cites.store.js';
import * as contractors from '../../src/contractors/contractors.store.js';
import * as marches from '../../src/marches/marches.store.js';
import * as participants from '../../src/participants/participants.store.js';
import * as contracts from '../../src/contracts/contracts.store.js';

// The reference-data features keep their SQL in their stores, with typed rows, and a store
// turns a unique violation into the catalogue's 409 whoever calls it (a race between two
// requests, an import, a command), never a 500.

const FOLDERS = ['cites', 'contractors', 'marches', 'participants', 'contracts', 'structures'];
const files = FOLDERS.flatMap((f) =>
  fs
    .readdirSync(path.join('src', f))
    .filter((n) => n.endsWith('.ts'))
    .map((n) => path.join('src', f, n)),
);

describe('reference-data layering', () => {
  it('has no query-builder call outside *.store.ts', () => {
    const query =
      /\b(?:db|trx|ctx\.db|knex)\s*\(\s*['"`]|\.(?:where\w*|insert|update|del|select|leftJoin|pluck|orderBy|first)\(|\.join\(\s*'\w+ as /;
    /\b(?:db|trx|ctx\.db|knex)\s*\(\s*['"`]|\.(?:where\w*|insert|update|del|select|join|leftJoin|pluck|orderBy|first)\(/;
    const found = files
      .filter((f) => !f.endsWith('.store.ts'))
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ f, i: i + 1, line }))
          .filter(({ line }) => query.test(line) && !line.trim().startsWith('//')),
      )
      .map(({ f, i, line }) => `${f}:${i} ${line.trim()}`);
    expect(found).toEqual([]);
  });

  it('types its rows: no `any`', () => {
    const found = files.filter((f) =>
      /\bany\b(?![-\w])(?=[\s>\],;)|])/.test(fs.readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')),
    );
    expect(found).toEqual([]);
  });
});

describe.each(engines)('unique violations in the stores [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t);
  });
  afterEach(async () => t.destroy());

  const duplicate = async (write: Promise<unknown>, message: string) => {
    const e = await write.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'duplicate_ref', kind: 'conflict', message });
  };

  it('become the catalogue’s duplicate error, for every table', async () => {
    const at = '2026-11-24T10:00:00.000Z';
    const cite = await t.db('cites').where({ code: 'cite-4-lens' }).first();
    await duplicate(
      cites.insertCite(t.db, {
        code: 'cite-4-lens',
        name: 'x',
        commune: 'Lens',
        epci_id: cite.epci_id,
        bailleur_id: null,
        programme_id: cite.programme_id,
      }),
      'Cité « cite-4-lens » existe déjà.',
    );
    await duplicate(
      contractors.insertContractor(t.db, { siret: SIRET_A, siren: SIRET_A.slice(0, 9), name: 'x', created_at: at }),
      `Entreprise « ${SIRET_A} » existe déjà.`,
    );
    const m = (await marches.findMarcheRow(t.db, 'M-1'))!;
    const { id: _id, ...marche } = m;
    await duplicate(marches.insertMarche(t.db, marche), 'Marché « M-1 » existe déjà.');
    const p = (await participants.findParticipantByRef(t.db, 'P-1'))!;
    await duplicate(
      participants.insertParticipant(t.db, {
        ref: 'P-1',
        first_name: null,
        last_name: null,
        birth_date: p.birth_date,
        sex: p.sex,
        structure_id: null,
        created_at: at,
      }),
      'Participant « P-1 » existe déjà.',
    );
    const c = (await contracts.findContractByRef(t.db, 'C-1'))!;
    await duplicate(
      contracts.insertContract(t.db, {
        ref: 'C-1',
        participant_id: c.participant_id,
        marche_id: c.marche_id,
        employer_siret: c.employer_siret,
        contract_type: c.contract_type,
        mode: c.mode,
        start_date: c.start_date,
        end_date: c.end_date,
        categories: '',
        cat_rsa: false,
        cat_jeune: false,
        cat_senior: false,
        rsa_departement: null,
        created_at: at,
      }),
      'Contrat « C-1 » existe déjà.',
    );
  });

  it('answer 409 to two requests racing to create the same participant', async () => {
    const body = { ref: 'P-RACE', birthDate: '1990-01-01', sex: 'M', structure: 'plie-lens-henin' };
    const post = () => t.http.post('/api/v1/participants').set('Authorization', t.admin).send(body);
    const statuses = (await Promise.all([post(), post(), post()])).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
  });
});
