import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { engines } from '../helpers/db.js';
import { FIXED_NOW, makeTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD, accountWithPassword, csrfOf, loginAs } from '../helpers/web.js';
import { createApp } from '../../src/server.js';

describe.each(engines)('web login, sessions, CSRF, lockout [%s]', (engine) => {
  let t: TestApp;
  let now: Date;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    now = FIXED_NOW;
    // The same database with a clock the test moves forward.
    t.ctx.clock = () => now;
  });
  afterEach(async () => t.destroy());

  it('logs in with email and password, shows Mon espace, logs out', async () => {
    await accountWithPassword(t);
    const { agent, res } = await loginAs(t, 'Camille@plie.example.fr', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/espace');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('ihl_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = await t.db('web_sessions').first();
    expect(cookie).not.toContain(session.token_hash); // only the hash is stored
    const page = await agent.get('/espace').expect(200);
    expect(page.text).toContain('Mon espace');
    expect(page.text).toContain('objectif');
    expect(page.text).toContain('<progress');
    expect(page.text).toContain('PLIE Lens-Liévin');
    const out = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfOf(page.text) })
      .expect(303);
    expect(out.headers.location).toBe('/login?fin=deconnexion');
    await agent.get('/espace').expect(303);
    const audit = await t.db('audit_log').where({ action: 'login.success' });
    expect(audit).toHaveLength(1);
  });

  it('refuses a wrong password with the same message as an unknown email', async () => {
    await accountWithPassword(t);
    const a = await loginAs(t, 'camille@plie.example.fr', 'wrong password!!');
    const b = await loginAs(t, 'nobody@example.fr', 'wrong password!!');
    expect(a.res.status).toBe(401);
    expect(b.res.status).toBe(401);
    expect(a.res.text).toContain('Adresse électronique ou mot de passe incorrect.');
    expect(b.res.text).toContain('Adresse électronique ou mot de passe incorrect.');
  });

  it('locks the account for 15 minutes after 5 failures, even with the right password', async () => {
    await accountWithPassword(t);
    for (let i = 1; i <= 4; i++)
      expect((await loginAs(t, 'camille@plie.example.fr', 'wrong password!!')).res.status).toBe(401);
    const fifth = await loginAs(t, 'camille@plie.example.fr', 'wrong password!!');
    expect(fifth.res.status).toBe(423);
    expect(fifth.res.text).toContain('Trop d’essais infructueux avec cette adresse');
    expect((await loginAs(t, 'camille@plie.example.fr', PASSWORD)).res.status).toBe(423);
    now = new Date(FIXED_NOW.getTime() + 14 * 60_000);
    expect((await loginAs(t, 'camille@plie.example.fr', PASSWORD)).res.status).toBe(423);
    now = new Date(FIXED_NOW.getTime() + 16 * 60_000);
    expect((await loginAs(t, 'camille@plie.example.fr', PASSWORD)).res.status).toBe(303);
    expect(await t.db('audit_log').where({ action: 'login.lock' })).toHaveLength(1);
  });

  it('answers an unknown address exactly as a locked real one after the same failures (no account leak)', async () => {
    await accountWithPassword(t);
    type Res = Awaited<ReturnType<typeof loginAs>>['res'];
    const real: Res[] = [];
    const unknown: Res[] = [];
    for (let i = 1; i <= 6; i++) {
      real.push((await loginAs(t, 'camille@plie.example.fr', 'wrong password!!')).res);
      unknown.push((await loginAs(t, 'Personne@Example.fr', 'wrong password!!')).res);
    }
    const seen = (rs: Res[]) => rs.map((r) => `${r.status} ${/class="notice error"[^>]*>([^<]*)</.exec(r.text)?.[1]}`);
    expect(seen(unknown)).toEqual(seen(real));
    expect(real.map((r) => r.status)).toEqual([401, 401, 401, 401, 423, 423]);
    const message = /class="notice error"[^>]*>([^<]*)</.exec(unknown[5].text)?.[1] ?? '';
    expect(message).toContain('Réessayez');
    expect(message).not.toMatch(/compte/i); // says what to do, never that an account exists
    // The lock ends for both after 15 minutes.
    now = new Date(FIXED_NOW.getTime() + 16 * 60_000);
    expect((await loginAs(t, 'personne@example.fr', 'wrong password!!')).res.status).toBe(401);
  });

  it('locks the account even when the wrong passwords arrive in parallel', async () => {
    await accountWithPassword(t);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => loginAs(t, 'camille@plie.example.fr', 'wrong password!!')),
    );
    expect(results.every((r) => [401, 423].includes(r.res.status))).toBe(true);
    const account = await t.db('accounts').where({ email: 'camille@plie.example.fr' }).first();
    expect(account.locked_until).toBeTruthy();
    expect((await loginAs(t, 'camille@plie.example.fr', PASSWORD)).res.status).toBe(423);
  });

  it('refuses a login form without the CSRF token or with another one, and a logout without it', async () => {
    await accountWithPassword(t);
    const agent = request.agent(t.app);
    await agent.get('/login').expect(200);
    const none = await agent.post('/login').type('form').send({ email: 'camille@plie.example.fr', password: PASSWORD });
    expect(none.status).toBe(403);
    expect(none.text).toContain('Le formulaire a expiré');
    const forged = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: 'x'.repeat(43), email: 'camille@plie.example.fr', password: PASSWORD });
    expect(forged.status).toBe(403);
    // A cross-site post carries no cookie at all (SameSite=Lax), only the field:
    const form = await request(t.app).get('/login');
    const bare = await request(t.app)
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: 'camille@plie.example.fr', password: PASSWORD });
    expect(bare.status).toBe(403);
    expect(
      await t
        .db('web_sessions')
        .count({ n: '*' })
        .first()
        .then((r) => Number(r?.n)),
    ).toBe(0);
    const { agent: logged } = await loginAs(t, 'camille@plie.example.fr', PASSWORD);
    await logged.post('/logout').type('form').send({ _csrf: 'forged' }).expect(403);
    await logged.get('/espace').expect(200);
  });

  it('ends a session after 30 minutes idle, and after 8 hours in any case', async () => {
    await accountWithPassword(t);
    const { agent } = await loginAs(t, 'camille@plie.example.fr', PASSWORD);
    now = new Date(FIXED_NOW.getTime() + 29 * 60_000);
    await agent.get('/espace').expect(200); // slides the idle expiry
    now = new Date(FIXED_NOW.getTime() + 58 * 60_000);
    await agent.get('/espace').expect(200);
    now = new Date(FIXED_NOW.getTime() + 89 * 60_000);
    const expired = await agent.get('/espace').expect(303);
    expect(expired.headers.location).toBe('/login?fin=expiree');

    const second = await loginAs(t, 'camille@plie.example.fr', PASSWORD);
    const start = now.getTime();
    for (let m = 25; m < 8 * 60; m += 25) {
      now = new Date(start + m * 60_000);
      await second.agent.get('/espace').expect(200);
    }
    now = new Date(start + 8 * 60 * 60_000 + 60_000);
    await second.agent.get('/espace').expect(303);
  });

  it('ends the sessions of a disabled account', async () => {
    const id = await accountWithPassword(t);
    const { agent } = await loginAs(t, 'camille@plie.example.fr', PASSWORD);
    await agent.get('/espace').expect(200);
    await t.http.post(`/api/v1/accounts/${id}/disable`).set('Authorization', t.admin).expect(200);
    await agent.get('/espace').expect(303);
    expect((await loginAs(t, 'camille@plie.example.fr', PASSWORD)).res.status).toBe(401);
  });

  it('rate-limits login attempts per address', async () => {
    const app = createApp({ ...t.ctx, config: { ...t.ctx.config, LOGIN_RATE_LIMIT: 3 } });
    const agent = request.agent(app);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const form = await agent.get('/login'); // each answer sets a new form token
      statuses.push(
        (
          await agent
            .post('/login')
            .type('form')
            .send({ _csrf: csrfOf(form.text), email: 'x@y.fr', password: 'nope' })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
