import type { Knex } from 'knex';
import pg from 'pg';
import { beforeDestroy } from './knex.js';

// PostgreSQL notifications (LISTEN), for caches of what another process may change. Each
// database handle listens on a connection of its own, outside the pool (a listening
// connection must stay open and idle), opened on first use and closed with the pool. While
// that connection is down, nothing may be cached: a change could go unheard. So a
// subscriber is told to forget everything whenever the connection is lost or comes back,
// and `generation()` changes then too: a value read before a change is not cached after it.

interface Listener {
  client: pg.Client | null;
  live: boolean;
  /** Channels the connection listens to (confirmed). */
  heard: Set<string>;
  closed: boolean;
  generation: number;
  subscribers: Map<string, Set<() => void>>;
}

const listeners = new WeakMap<object, Listener>();
const RETRY_MS = 1000;

export interface Subscription {
  /** True while the connection listens: only then may a cache be used. */
  live(): boolean;
  /** Changes on every notification and every loss or return of the connection. */
  generation(): number;
}

/** Calls `forget` on every notification of `channel` (and when the listening connection drops). */
export function subscribe(db: Knex, channel: string, forget: () => void): Subscription {
  const l = listenerOf(db);
  let set = l.subscribers.get(channel);
  if (!set) {
    l.subscribers.set(channel, (set = new Set()));
    const client = l.client;
    if (l.live && client)
      client.query(`LISTEN ${channel}`).then(
        () => l.client === client && l.heard.add(channel),
        () => lost(db, l),
      );
  }
  set.add(forget);
  return { live: () => l.live && l.heard.has(channel), generation: () => l.generation };
}

function listenerOf(db: Knex): Listener {
  const client = db.client as object;
  let l = listeners.get(client);
  if (l) return l;
  l = { client: null, live: false, heard: new Set(), closed: false, generation: 0, subscribers: new Map() };
  listeners.set(client, l);
  const listener = l;
  beforeDestroy(client, async () => {
    listener.closed = true;
    listener.live = false;
    await listener.client?.end().catch(() => {});
  });
  void connect(db, l);
  return l;
}

function forgetAll(l: Listener): void {
  l.generation++;
  for (const set of l.subscribers.values()) for (const f of set) f();
}

async function connect(db: Knex, l: Listener): Promise<void> {
  if (l.closed) return;
  const client = new pg.Client(db.client.config.connection as string | pg.ClientConfig);
  l.client = client;
  client.on('notification', (n) => {
    l.generation++;
    for (const f of l.subscribers.get(n.channel) ?? []) f();
  });
  client.on('error', () => lost(db, l));
  client.on('end', () => lost(db, l));
  try {
    await client.connect();
    const channels = [...l.subscribers.keys()];
    for (const channel of channels) await client.query(`LISTEN ${channel}`);
    if (l.closed || l.client !== client) return void client.end().catch(() => {});
    forgetAll(l);
    for (const channel of channels) l.heard.add(channel);
    l.live = true;
  } catch {
    lost(db, l);
  }
}

function lost(db: Knex, l: Listener): void {
  const client = l.client;
  if (!client) return;
  l.client = null;
  l.live = false;
  l.heard.clear();
  forgetAll(l);
  void client.end().catch(() => {});
  if (!l.closed) setTimeout(() => void connect(db, l), RETRY_MS).unref();
}
