import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { requestLogger } from '../../src/http/logger.js';

// Every response carries its request id (the caller's, when sound); with logs on, one line per
// request names it; with logs off (LOG_LEVEL=silent) no line is made, and `req.log` still
// reaches the logger (errors go through it).

function appWith(logger: pino.Logger) {
  const app = express();
  app.use(requestLogger(logger));
  app.get('/x', (req, res) => {
    res.json({ id: req.id, log: typeof req.log?.error });
  });
  return app;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(['silent', 'info'] as const)('request log, level %s', (level) => {
  it('gives each response its request id, the caller’s when sound', async () => {
    const lines: string[] = [];
    const logger = pino({ level }, { write: (s: string) => lines.push(s) });
    const http = request(appWith(logger));
    const fresh = await http.get('/x');
    expect(fresh.headers['x-request-id']).toMatch(UUID);
    expect(fresh.body).toEqual({ id: fresh.headers['x-request-id'], log: 'function' });
    const given = await http.get('/x').set('X-Request-Id', 'appel-42');
    expect(given.headers['x-request-id']).toBe('appel-42');
    const unsound = await http.get('/x').set('X-Request-Id', 'a b<script>');
    expect(unsound.headers['x-request-id']).toMatch(UUID);
    if (level === 'silent') expect(lines).toEqual([]);
    else {
      expect(lines).toHaveLength(3);
      expect(JSON.parse(lines[1])).toMatchObject({ req: { id: 'appel-42', method: 'GET', url: '/x' } });
      expect(JSON.parse(lines[1]).res.statusCode).toBe(200);
    }
  });
});
