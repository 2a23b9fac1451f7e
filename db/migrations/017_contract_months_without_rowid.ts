import type { Knex } from 'knex';

// SQLite: the month totals (contract_months) in a table WITHOUT ROWID. Every entry adds to
// its (contract, month) total, an upsert by primary key: stored in the key's own b-tree, it
// writes one b-tree instead of the table and its key index. PostgreSQL: nothing to do (its
// tables have no rowid). The rows are copied as they are; the month index is made again.

/** Remakes contract_months with the same columns, key and rows, with or without rowid. */
async function remake(knex: Knex, withoutRowid: boolean): Promise<void> {
  if (knex.client.config.client === 'pg') return;
  await knex.raw(`CREATE TABLE contract_months_next (
    contract_id integer NOT NULL REFERENCES contracts (id),
    month varchar(7) NOT NULL,
    centihours integer NOT NULL,
    PRIMARY KEY (contract_id, month)
  )${withoutRowid ? ' WITHOUT ROWID' : ''}`);
  await knex.raw(
    'INSERT INTO contract_months_next (contract_id, month, centihours) SELECT contract_id, month, centihours FROM contract_months',
  );
  await knex.raw('DROP TABLE contract_months');
  await knex.raw('ALTER TABLE contract_months_next RENAME TO contract_months');
  await knex.raw('CREATE INDEX contract_months_month_index ON contract_months (month)');
}

export const up = (knex: Knex): Promise<void> => remake(knex, true);
export const down = (knex: Knex): Promise<void> => remake(knex, false);
