import type { Knex } from 'knex';

// PostgreSQL: every change to accounts or API tokens, by any process (the server, the CLI, an
// administrator's psql), notifies `auth_changed` when it commits. Each server keeps the
// accounts of recently used tokens in memory (src/accounts/token-cache.ts) only while it
// listens to that channel, and forgets them all on a notification: a revoked token or a
// disabled account is refused at once, whichever process revoked it. SQLite needs none:
// there, reading a token costs no round trip and is never cached.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(`CREATE FUNCTION notify_auth_changed() RETURNS trigger AS $$
    BEGIN PERFORM pg_notify('auth_changed', ''); RETURN NULL; END $$ LANGUAGE plpgsql`);
  // A token's last use, written once a minute, changes nothing of what it grants.
  const changes = { accounts: 'UPDATE', api_tokens: 'UPDATE OF account_id, token_hash, revoked_at' };
  for (const [table, update] of Object.entries(changes))
    await knex.raw(`CREATE TRIGGER ${table}_auth_changed AFTER INSERT OR ${update} OR DELETE OR TRUNCATE
      ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  for (const table of ['accounts', 'api_tokens']) await knex.raw(`DROP TRIGGER ${table}_auth_changed ON ${table}`);
  await knex.raw('DROP FUNCTION notify_auth_changed()');
}
