import type { Knex } from 'knex';

/** Records the text of every statement sent through the pool's connections (PostgreSQL). */
export function recordSql(db: Knex): string[] {
  const texts: string[] = [];
  const client = db.client as { acquireConnection(): Promise<Record<string, unknown>> };
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = async () => {
    const conn = await acquire();
    if (!conn.recorded) {
      const query = (conn.query as (...a: unknown[]) => unknown).bind(conn);
      conn.query = (q: unknown, ...rest: unknown[]) => {
        texts.push(typeof q === 'string' ? q : String((q as { text?: string }).text));
        return query(q, ...rest);
      };
      conn.recorded = true;
    }
    return conn;
  };
  return texts;
}
