import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/server.js';

export interface RouteInfo {
  method: string; // GET, POST...
  path: string; // full Express path, e.g. /api/v1/marches/:ref
  api: boolean;
}

// Express 5's router keeps its layers in `stack`; a mounted router is a layer whose `handle`
// has a `stack` of its own. The API router is the one mounted under /api/v1.
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  matchers?: Array<(p: string) => unknown>;
}

/** Every route the app serves, read from Express's own router (so new routes are covered). */
export function allRoutes(): RouteInfo[] {
  const app = createApp({
    db: {} as never,
    clock: () => new Date(),
    config: loadConfig({} as NodeJS.ProcessEnv),
    logger: pino({ level: 'silent' }),
  }) as unknown as { router: { stack: Layer[] } };
  const out: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const l of stack) {
      if (l.route) {
        for (const p of [l.route.path].flat())
          for (const m of Object.keys(l.route.methods))
            if (m !== '_all')
              out.push({ method: m.toUpperCase(), path: prefix + p, api: /^\/(api\/|healthz)/.test(prefix + p) });
      } else if (l.handle?.stack) {
        const isApi = l.matchers?.some((m) => m('/api/v1/x')) && !l.matchers.some((m) => m('/x'));
        walk(l.handle.stack, isApi ? '/api/v1' : prefix);
      }
    }
  };
  walk(app.router.stack, '');
  return out;
}
