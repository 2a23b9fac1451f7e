import type { TestApp } from '../helpers/app.js';
import { postHours, seedContract, SIRET_A, SIRET_B } from '../helpers/fixtures.js';

// Two structures in two Départements, two contractors, one participant each, hours on both,
// and the ten kinds of caller of the authorisation matrix.
export const WHO = ['admin', 'facA', 'facB', 'conA', 'conB', 'dep59', 'dep62', 'none', 'revoked', 'disabled'] as const;
export type Who = (typeof WHO)[number];

export const A = {
  structure: 'plie-lens-henin',
  cite: 'cite-4-lens',
  dep: '62',
  siret: SIRET_A,
  siren: SIRET_A.slice(0, 9),
  marche: 'MA-1',
  participant: 'PA-1',
  contract: 'CA-1',
  first: 'Aline',
  last: 'Zalpha',
  birth: '1990-05-10',
};
export const B = {
  structure: 'plie-douaisis',
  cite: 'mouchonniere-douai',
  dep: '59',
  siret: SIRET_B,
  siren: SIRET_B.slice(0, 9),
  marche: 'MB-1',
  participant: 'PB-1',
  contract: 'CB-1',
  first: 'Bruno',
  last: 'Zbeta',
  birth: '1985-07-20',
};

export interface Seed {
  auth: Record<Who, string | null>;
  entryA: number; // an hour entry of contract A
  attestationA: string; // a clause attestation number for marché A
  attestationOf: Record<Who, string>; // one more per caller, to revoke
  accountIds: Record<'facA' | 'conB' | 'withEmail', number>;
  tokenIdOf: Record<Who, number>; // a spare token per caller, to revoke
}

export async function seedMatrix(t: TestApp): Promise<Seed> {
  for (const s of [A, B]) {
    await seedContract(t, {
      marche: s.marche,
      cite: s.cite,
      siret: s.siret,
      participant: s.participant,
      contract: s.contract,
      birthDate: s.birth,
      structure: s.structure,
      categories: ['RSA'],
      rsaDepartement: s.dep,
    });
    await t.db('participants').where({ ref: s.participant }).update({ first_name: s.first, last_name: s.last });
    await postHours(t, s.contract, '2024-03', '100').expect(201);
  }
  const auth: Record<Who, string | null> = {
    admin: t.admin,
    facA: await t.tokenFor('facilitator', { structure: A.structure }),
    facB: await t.tokenFor('facilitator', { structure: B.structure }),
    conA: await t.tokenFor('contractor', { siren: A.siren }),
    conB: await t.tokenFor('contractor', { siret: B.siret }),
    dep59: await t.tokenFor('departement', { departement: '59' }),
    dep62: await t.tokenFor('departement', { departement: '62' }),
    none: null,
    revoked: await t.tokenFor('facilitator', { structure: A.structure }),
    disabled: await t.tokenFor('admin'),
  };
  const idOf = async (header: string) => {
    const { hashToken } = await import('../../src/accounts/tokens.js');
    return (await t
      .db('api_tokens')
      .where({ token_hash: hashToken(header.slice(7)) })
      .first()) as { id: number; account_id: number };
  };
  const revoked = await idOf(auth.revoked!);
  await t.http.post(`/api/v1/tokens/${revoked.id}/revoke`).set('Authorization', t.admin).expect(200);
  const disabled = await idOf(auth.disabled!);
  await t.http.post(`/api/v1/accounts/${disabled.account_id}/disable`).set('Authorization', t.admin).expect(200);
  const entryA = (
    await t
      .db('hour_entries as e')
      .join('contracts as c', 'c.id', 'e.contract_id')
      .where('c.ref', A.contract)
      .first('e.id')
  ).id;
  const att = await t.http
    .post('/api/v1/attestations')
    .set('Authorization', t.admin)
    .send({ kind: 'clause', marcheRef: A.marche })
    .expect(201);
  // Months closed beforehand, one per caller, for the reopen route.
  for (const [i] of WHO.entries())
    await t.db('closed_months').insert({
      structure_id: (await t.db('structures').where({ code: A.structure }).first()).id,
      month: `2020-${String(i + 1).padStart(2, '0')}`,
      closed_at: '2026-01-01T00:00:00.000Z',
    });
  const attestationOf = {} as Record<Who, string>;
  for (const w of WHO)
    attestationOf[w] = (
      await t.http
        .post('/api/v1/attestations')
        .set('Authorization', t.admin)
        .send({ kind: 'clause', marcheRef: A.marche })
        .expect(201)
    ).body.number;
  const withEmail = await t.http
    .post('/api/v1/accounts')
    .set('Authorization', t.admin)
    .send({ role: 'facilitator', structure: A.structure, name: 'Avec courriel', email: 'avec@plie.fr' })
    .expect(201);
  const tokenIdOf = {} as Record<Who, number>;
  for (const w of WHO) {
    const r = await t.http
      .post(`/api/v1/accounts/${(await idOf(auth.facA!)).account_id}/tokens`)
      .set('Authorization', t.admin)
      .send({ label: `spare ${w}` })
      .expect(201);
    tokenIdOf[w] = r.body.id;
  }
  return {
    auth,
    entryA,
    attestationA: att.body.number,
    attestationOf,
    tokenIdOf,
    accountIds: {
      facA: (await idOf(auth.facA!)).account_id,
      conB: (await idOf(auth.conB!)).account_id,
      withEmail: withEmail.body.account.id,
    },
  };
}
