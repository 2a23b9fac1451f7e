import { afterEach, describe, expect, it } from 'vitest';
import { engines, emptyDb, type TestDb } from '../helpers/db.js';
import { migrateLatest } from '../../src/migrate.js';
import * as m005 from '../../db/migrations/005_reports.js';

describe.each(engines)('migration 005_reports [%s]', (engine) => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('creates the rollup tables, drops them, and creates them again', async () => {
    t = await emptyDb(engine);
    await migrateLatest(t.db);
    expect([await t.db.schema.hasTable('report_hours'), await t.db.schema.hasTable('report_counts')]).toEqual([
      true,
      true,
    ]);
    await m005.down(t.db);
    expect([await t.db.schema.hasTable('report_hours'), await t.db.schema.hasTable('report_counts')]).toEqual([
      false,
      false,
    ]);
    await m005.up(t.db);
    await t
      .db('report_counts')
      .insert({ programme_id: 1, dim: 'all', entity: 'p', key: '', month: '2024-01', prev: '', n: 1 });
    expect(Number((await t.db('report_counts').count({ n: '*' }).first())?.n)).toBe(1);
  });
});
