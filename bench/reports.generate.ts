import type { Database } from 'better-sqlite3';
import { ageOn } from '../src/lib/dates.js';

// Synthetic ledger for the reports benchmark, written with raw prepared inserts (the rules
// of appendEntry are not re-checked here: the shape is built to respect them). Deterministic.

export interface Shape {
  entries: number;
  cites: number;
  years: number;
  seed: number;
}

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['CDD', 'CDD', 'CDD', 'INTERIM', 'INTERIM', 'CDDI', 'CDI', 'PRO', 'APPRENTISSAGE', 'AUTRE'];
const MODES = ['DIRECT', 'ETTI', 'ETTI', 'GEIQ', 'SIAE', 'MAD'];
const AT = '2026-11-24T10:00:00.000Z';
const monthName = (i: number, y0: number) => `${y0 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

export function generate(db: Database, shape: Shape, log: (m: string) => void) {
  const rnd = prng(shape.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  const y0 = 2017;
  const months = shape.years * 12;

  const programme = (db.prepare("SELECT id FROM programmes WHERE code = 'erbm'").get() as { id: number }).id;
  const epcis = (db.prepare('SELECT id FROM epcis ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
  const bailleurs = (db.prepare('SELECT id FROM bailleurs ORDER BY id').all() as Array<{ id: number }>).map(
    (r) => r.id,
  );
  const existing = (db.prepare('SELECT COUNT(*) AS n FROM cites').get() as { n: number }).n;
  const addCite = db.prepare(
    'INSERT INTO cites (code, name, commune, programme_id, epci_id, bailleur_id) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (let i = existing + 1; i <= shape.cites; i++)
    addCite.run(
      `bench-cite-${i}`,
      `Cité de banc d’essai ${i}`,
      `Commune ${i}`,
      programme,
      epcis[i % epcis.length],
      rnd() < 0.3 ? null : pick(bailleurs),
    );
  const cites = (db.prepare('SELECT id FROM cites ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);

  const nContracts = Math.max(50, Math.round(shape.entries / 125));
  const nParticipants = Math.max(30, Math.round(nContracts * 0.6));
  const nContractors = Math.max(5, Math.round(nContracts / 500));
  const nMarches = Math.max(10, Math.round(nContracts / 110));

  const fill = db.transaction(() => {
    const contractor = db.prepare(
      'INSERT INTO contractors (id, siret, siren, name, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    for (let i = 1; i <= nContractors; i++) {
      const siren = String(900000000 + i);
      contractor.run(i, `${siren}00010`, siren, `Entreprise ${i}`, AT);
    }
    const marche =
      db.prepare(`INSERT INTO marches (id, ref, cite_id, contractor_id, title, amount_cents, required_centihours,
      start_date, end_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const marches: Array<{ start: number; end: number }> = [];
    for (let i = 1; i <= nMarches; i++) {
      const start = int(0, months - 24);
      const end = Math.min(months - 1, start + int(18, 48));
      marches.push({ start, end });
      marche.run(
        i,
        `BENCH-M-${i}`,
        cites[i % cites.length],
        int(1, nContractors),
        `Lot ${i}`,
        int(1e7, 1e9),
        int(1000, 20000) * 100,
        `${monthName(start, y0)}-01`,
        `${monthName(end, y0)}-28`,
        AT,
        AT,
      );
    }
    const participant = db.prepare(
      'INSERT INTO participants (id, ref, birth_date, sex, structure_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const births: string[] = [];
    for (let i = 1; i <= nParticipants; i++) {
      births[i] = `${int(1962, 2004)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
      participant.run(i, `BENCH-P-${i}`, births[i], rnd() < 0.3 ? 'F' : 'M', null, AT);
    }
    const contract =
      db.prepare(`INSERT INTO contracts (id, ref, participant_id, marche_id, employer_siret, contract_type, mode,
      start_date, end_date, categories, cat_rsa, cat_jeune, cat_senior, rsa_departement, exit_outcome, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const spans: Array<[number, number, number]> = [];
    for (let i = 1; i <= nContracts; i++) {
      const mi = int(1, nMarches);
      const m = marches[mi - 1];
      const start = int(m.start, m.end);
      const end = Math.min(m.end, start + int(1, 30));
      const p = int(1, nParticipants);
      const startDate = `${monthName(start, y0)}-01`;
      const age = ageOn(births[p], startDate);
      const cats = [
        rnd() < 0.3 ? 'RSA' : '',
        rnd() < 0.4 ? 'DELD' : '',
        rnd() < 0.3 ? 'QPV' : '',
        age < 26 ? 'JEUNE' : '',
        age >= 50 ? 'SENIOR' : '',
      ].filter(Boolean);
      const rsa = cats.includes('RSA');
      const endDate = `${monthName(end, y0)}-28`;
      contract.run(
        i,
        `BENCH-C-${i}`,
        p,
        mi,
        '44306184100047',
        pick(TYPES),
        pick(MODES),
        startDate,
        endDate,
        cats.join(','),
        rsa ? 1 : 0,
        age < 26 ? 1 : 0,
        age >= 50 ? 1 : 0,
        rsa ? (rnd() < 0.5 ? '59' : '62') : null,
        end < months - 1 && rnd() < 0.6 ? pick(['CDI', 'CDD_6M_PLUS', 'FORMATION', 'AUCUNE']) : null,
        AT,
      );
      spans.push([i, start, end]);
    }
    const contractMonths = spans.reduce((s, [, a, b]) => s + b - a + 1, 0);
    log(
      `${shape.cites} cités, ${nMarches} marchés, ${nParticipants} participants, ${nContracts} contrats, ${contractMonths} mois-contrats`,
    );

    // Entries: each contract-month gets its total in several postings (weekly time sheets),
    // and now and then a correction, sometimes back to zero, so the total is exactly N.
    const entry =
      db.prepare(`INSERT INTO hour_entries (contract_id, month, centihours, kind, corrects_id, reason, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    let left = shape.entries;
    let cmLeft = contractMonths;
    let id = 0;
    for (const [cid, a, b] of spans) {
      for (let mo = a; mo <= b; mo++, cmLeft--) {
        const k = Math.max(1, Math.round(left / cmLeft + (rnd() - 0.5) * 2));
        const n = cmLeft === 1 ? left : Math.min(k, left - (cmLeft - 1));
        if (n <= 0) continue;
        const month = monthName(mo, y0);
        let total = 0;
        let first = 0;
        for (let j = 0; j < n; j++) {
          const last = j === n - 1 && j > 0;
          if (last && rnd() < 0.15) {
            // a correction of the first posting: back to zero for the month, or a small fix
            const delta = rnd() < 0.3 ? -total : -Math.min(total, int(0, 500));
            entry.run(cid, month, delta, 'correction', first, 'Relevé corrigé', AT);
          } else {
            const h = int(100, Math.max(100, Math.floor((23500 - total) / Math.max(1, n - j))));
            entry.run(cid, month, h, 'entry', null, null, AT);
            total += h;
          }
          id++;
          if (j === 0) first = id;
        }
        left -= n;
      }
    }
    return {
      contracts: nContracts,
      participants: nParticipants,
      marches: nMarches,
      contractors: nContractors,
      contractMonths,
    };
  });
  const t0 = performance.now();
  const out = fill();
  log(`entrées écrites en ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  db.exec(
    'INSERT INTO contract_months (contract_id, month, centihours) SELECT contract_id, month, SUM(centihours) FROM hour_entries GROUP BY contract_id, month',
  );
  log(`contract_months en ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  db.pragma('journal_mode = WAL');
  return out;
}
