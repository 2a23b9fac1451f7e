import request from 'supertest';
import type { TestApp } from './app.js';

// Browser-like helpers for the web pages: a cookie-keeping agent and the CSRF field of a form.

export const PASSWORD = 'correct horse battery staple';

/** Creates an account with a password through the admin API; returns its id. */
export async function accountWithPassword(
  t: TestApp,
  o: { email?: string; role?: string; structure?: string; contractor?: string; departement?: string } = {},
) {
  const role = o.role ?? 'facilitator';
  const r = await t.http
    .post('/api/v1/accounts')
    .set('Authorization', t.admin)
    .send({
      role,
      name: 'Camille Facilitatrice',
      email: o.email ?? 'camille@plie.example.fr',
      password: PASSWORD,
      structure: role === 'facilitator' ? (o.structure ?? 'plie-lens-henin') : undefined,
      contractor: o.contractor,
      departement: o.departement,
    });
  if (r.status !== 201) throw new Error(`accountWithPassword: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.account.id as number;
}

export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Opens /login in a fresh agent and posts the form; returns the agent and the answer. */
export async function loginAs(t: TestApp, email: string, password: string, agent = request.agent(t.app)) {
  const form = await agent.get('/login').expect(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfOf(form.text), email, password });
  return { agent, res };
}
