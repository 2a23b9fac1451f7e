import type { NewEntry } from '../hours/ledger.service.js';
import { formatHoursFr } from '../lib/hours.js';
import { monthText } from './compact.js';
import type { HoursFileState } from './hours.parse.js';
import type { HoursPlan } from './hours.plan.js';

// The entries an hours import writes (./hours.service.ts), chunk by chunk.

// A chunk is written without a pause. Over HTTP, where other requests wait for it, a chunk is
// small (about 40 ms here for 1 000 rows); from the command line, where nobody waits, bigger
// chunks cost less per row but hold more: at a million rows, 10 000 peaked at 275 MiB, 20 000
// at 339 MiB (for 42 s and 37 s). Measured with `npm run bench -- import`.
export const CHANGES_PER_CHUNK = { api: 1_000, cli: 10_000 } as const;

/**
 * The entries of an import, in chunks of about `size` rows, built from the typed arrays only
 * when needed. A participant's contracts are all in one chunk: the count upkeep reads and
 * recomputes a person's chains once instead of once per chunk.
 */
export function* entryChunks(
  size: number,
  s: HoursFileState,
  plan: HoursPlan,
  base: { postedBy: number; importId: number; at: string },
  firsts: Map<string, number>,
): Generator<NewEntry[]> {
  const rm = s.rowMonth.view();
  const rh = s.rowHours.view();
  // plan.order is sorted by contract: each contract's rows are one run of it.
  const first = plan.contractStart;
  const byPerson = s.contractList
    .map((c) => c.idx)
    .sort((a, b) => {
      const pa = s.contractList[a].participantRef;
      const pb = s.contractList[b].participantRef;
      return pa < pb ? -1 : pa > pb ? 1 : a - b;
    });
  let chunk: NewEntry[] = [];
  for (let j = 0; j < byPerson.length; j++) {
    const c = s.contractList[byPerson[j]];
    const newPerson = j === 0 || s.contractList[byPerson[j - 1]].participantRef !== c.participantRef;
    if (newPerson && chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
    const contract = plan.contracts[c.idx];
    for (let k = first[c.idx]; k < first[c.idx + 1]; k++) {
      const i = plan.order[k];
      const d = plan.diff[i];
      if (d === 0) continue;
      const month = monthText(rm[i]);
      // Every entry has the same shape (no spread of `base`): a million of them stay cheap.
      const prior = plan.prior[i] !== 0;
      chunk.push({
        contract,
        month,
        centihours: d,
        kind: prior ? 'correction' : 'entry',
        // Corrections point at the first entry of their contract-month.
        correctsId: prior ? (firsts.get(`${contract.id}|${month}`) ?? null) : null,
        reason: prior
          ? `Import n° ${base.importId}, ligne ${s.rowLine.get(i)} : total déclaré ${formatHoursFr(rh[i])}`
          : null,
        // The plan read the total under lock: the row's declared total is the one after.
        totalAfter: rh[i],
        postedBy: base.postedBy,
        importId: base.importId,
        at: base.at,
      });
    }
  }
  if (chunk.length) yield chunk;
}
