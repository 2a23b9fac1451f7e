import type { RequestHandler } from 'express';
import { SESSION_COOKIE } from '../web/sessions.js';

// Answers to an authenticated caller (a bearer token on the API, a session cookie on the
// pages) may hold personal or social data: no browser or proxy may keep them. Set when the
// headers leave, so that no route can send such an answer cacheable by mistake. Public
// answers (dashboard, /verify, /progress without a token) keep whatever their route says.
const SESSION_RE = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`);

export const isAuthenticatedRequest = (headers: { authorization?: string; cookie?: string }): boolean =>
  Boolean(headers.authorization) || SESSION_RE.test(headers.cookie ?? '');

export const noStoreWhenAuthenticated: RequestHandler = (req, res, next) => {
  // Shared caches must not serve one caller's answer to another.
  res.vary('Authorization');
  res.vary('Cookie');
  if (!isAuthenticatedRequest(req.headers)) return next();
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
    this.setHeader('Cache-Control', 'no-store');
    this.removeHeader('Expires');
    return writeHead.apply(this, args);
  } as typeof res.writeHead;
  next();
};
