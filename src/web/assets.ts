import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { TEMPLATES_DIR } from './render.js';

// Static assets, served from this server only (the CSP allows no other origin): Pico CSS
// from its npm package, the project stylesheet and the small grid script.
const require = createRequire(import.meta.url);
const PICO = require.resolve('@picocss/pico/css/pico.min.css');

export function assetRoutes(): Router {
  const r = Router();
  const cache = { maxAge: '1h' };
  r.get('/static/pico.min.css', (_req, res) => res.sendFile(PICO, cache));
  r.use('/static', express.static(path.join(TEMPLATES_DIR, 'assets'), { ...cache, index: false }));
  return r;
}
