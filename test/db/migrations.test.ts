import { afterEach, describe, expect, it } from 'vitest';
import { engines, emptyDb, type TestDb } from '../helpers/db.js';
import { migrateDownAll, migrateLatest, prepareDatabase } from '../../src/migrate.js';
import { seedReference } from '../../db/seeds/reference/load.js';

const countOf = async (t: TestDb, table: string) => Number((await t.db(table).count({ n: '*' }).first())?.n);

describe.each(engines)('migrations and reference data [%s]', (engine) => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('migrate up, down to nothing, and up again', async () => {
    t = await emptyDb(engine);
    await migrateLatest(t.db);
    expect(await t.db.schema.hasTable('hour_entries')).toBe(true);
    await migrateDownAll(t.db);
    for (const table of ['hour_entries', 'contracts', 'cites', 'accounts', 'programmes']) {
      expect(await t.db.schema.hasTable(table), table).toBe(false);
    }
    await migrateLatest(t.db);
    expect(await t.db.schema.hasTable('hour_entries')).toBe(true);
  });

  it('applies the ERBM reference data, idempotently', async () => {
    t = await emptyDb(engine);
    await prepareDatabase(t.db);
    await seedReference(t.db);
    expect(await countOf(t, 'departements')).toBe(2);
    expect(await countOf(t, 'epcis')).toBe(8);
    expect(await countOf(t, 'structures')).toBe(7);
    expect(await countOf(t, 'cites')).toBeGreaterThanOrEqual(20);
    const erbm = await t.db('programmes').where({ code: 'erbm' }).first();
    expect(Number(erbm.target_centihours)).toBe(36_000_000);
    const lensHenin = await t
      .db('structure_epcis as se')
      .join('structures as s', 's.id', 'se.structure_id')
      .join('epcis as e', 'e.id', 'se.epci_id')
      .where('s.code', 'plie-lens-henin')
      .pluck('e.code');
    expect(lensHenin.sort()).toEqual(['cahc', 'call']);
  });

  it('keeps an admin rename of reference data at the next start', async () => {
    t = await emptyDb(engine);
    await prepareDatabase(t.db);
    await t.db('structures').where({ code: 'plie-osartis' }).update({ name: 'PLIE Osartis renommé' });
    await prepareDatabase(t.db);
    expect((await t.db('structures').where({ code: 'plie-osartis' }).first()).name).toBe('PLIE Osartis renommé');
  });

  it('refuses UPDATE and DELETE on the ledger (append-only, enforced by the database)', async () => {
    t = await emptyDb(engine);
    await prepareDatabase(t.db);
    const cite = await t.db('cites').first('id');
    const at = '2026-01-01T00:00:00.000Z';
    const [co] = await t
      .db('contractors')
      .insert({ siret: '73282932000074', siren: '732829320', name: 'X', created_at: at })
      .returning('id');
    const [m] = await t
      .db('marches')
      .insert({
        ref: 'M',
        cite_id: cite.id,
        contractor_id: co.id ?? co,
        title: 't',
        amount_cents: 1,
        required_centihours: 1,
        start_date: '2024-01-01',
        end_date: '2024-12-31',
        created_at: at,
        updated_at: at,
      })
      .returning('id');
    const [p] = await t
      .db('participants')
      .insert({ ref: 'P', birth_date: '1990-01-01', sex: 'F', created_at: at })
      .returning('id');
    const [c] = await t
      .db('contracts')
      .insert({
        ref: 'C',
        participant_id: p.id ?? p,
        marche_id: m.id ?? m,
        employer_siret: '73282932000074',
        contract_type: 'CDD',
        mode: 'DIRECT',
        start_date: '2024-01-01',
        end_date: '2024-12-31',
        categories: '',
        created_at: at,
      })
      .returning('id');
    await t
      .db('hour_entries')
      .insert({ contract_id: c.id ?? c, month: '2024-01', centihours: 100, kind: 'entry', created_at: at });
    await expect(t.db('hour_entries').update({ centihours: 5 })).rejects.toThrow(/append-only/);
    await expect(t.db('hour_entries').delete()).rejects.toThrow(/append-only/);
    expect(Number((await t.db('hour_entries').first()).centihours)).toBe(100);
  });
});
