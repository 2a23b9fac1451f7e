import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { audit, auditMany } from '../audit/audit.store.js';
import { contractRow } from '../contracts/contracts.service.js';
import { insertNewParticipant } from '../participants/participants.service.js';
import { appendEntries } from '../hours/ledger.service.js';
import { CHANGES_PER_CHUNK, entryChunks } from './hours.chunks.js';
import { holdRollupWrites, writeHeldRollups } from '../reports/rollups/index.js';
import { toHours } from '../lib/hours.js';
import { chunks } from './compact.js';
import { releaseGarbage } from './heap.js';
import { breathe } from '../lib/breathe.js';
import type { ReadInfo, RowError } from './csv.js';
import { HOURS_SPEC, HoursFileState } from './hours.parse.js';
import { readRows } from './read.js';
import { planHours, type HoursPlan } from './hours.plan.js';
import {
  fileDigest,
  recordImport,
  Rollback,
  type ImportOutcome,
  type ImportResult,
  type ImportSource,
} from './imports.service.js';
import * as store from './imports.store.js';

// Hours imports (docs/imports.md): each row declares the total of a (contract, month); the
// import posts the difference with the ledger. A row's identity is (contract_ref, month), so
// re-importing a file posts nothing: that is how the idempotency rule (docs/rules.md) holds for
// imports. The ledger is written through its write function for lines (appendEntries: the same
// rules as the API, totals and rollups), in chunks of whole participants inside one
// transaction, so that memory stays bounded whatever the size of the file.

export async function importHours(
  ctx: AppContext,
  actor: Actor,
  source: ImportSource,
  { dryRun }: { dryRun: boolean },
): Promise<ImportOutcome> {
  assertWriter(actor);
  const state = new HoursFileState(nowIso(ctx).slice(0, 10));
  const digest = fileDigest(source);
  let rows = 0;
  const info: ReadInfo = { format: 'csv', encoding: 'utf-8' };
  const fileErrors = await readRows(
    source.stream,
    HOURS_SPEC,
    (row) => {
      rows++;
      state.add(row);
    },
    digest.onChunk,
    info,
  );
  const file = digest.done();
  state.finishReading();
  const result: ImportResult = {
    dryRun,
    rows,
    created: 0,
    updated: 0,
    unchanged: 0,
    hoursAdded: 0,
    ...info,
    twoDigitYears: state.twoDigitYears,
    errors: [],
  };
  const finish = async (plan: HoursPlan | null, importId?: number): Promise<ImportOutcome> => {
    const errorCount = fileErrors.length + state.errors.count;
    result.errors = fileErrors.length ? fileErrors : sortErrors(state.errors.items);
    if (state.errors.count > state.errors.items.length)
      result.errors.push({
        line: 0,
        column: '',
        message: `… et ${state.errors.count - state.errors.items.length} autres erreurs non détaillées.`,
      });
    // A refused import created nothing: its counts stay at 0 (the errors say why).
    if (plan && !errorCount)
      Object.assign(result, {
        created: plan.created,
        updated: plan.updated,
        unchanged: plan.unchanged,
        hoursAdded: toHours(plan.hoursAdded),
      });
    const centihoursAdded = plan?.hoursAdded ?? 0;
    importId ??= await recordImport(ctx.db, ctx, actor, {
      kind: 'hours',
      source,
      file,
      result,
      errorCount,
      centihoursAdded,
    });
    return { result, importId, errorCount };
  };
  if (fileErrors.length) return finish(null);

  source.onPhase?.('Vérification dans la base');
  let plan: HoursPlan | null = null;
  try {
    const importId = await ctx.db.transaction(async (trx) => {
      plan = await planHours(trx, actor, state);
      if (state.errors.count || dryRun) throw new Rollback();
      source.onPhase?.('Écriture');
      const id = await recordImport(trx, ctx, actor, {
        kind: 'hours',
        source,
        file,
        result: { ...result, created: plan.created, updated: plan.updated, unchanged: plan.unchanged },
        errorCount: 0,
        centihoursAdded: plan.hoursAdded,
      });
      await writeHours(trx, ctx, actor, state, plan, id, source);
      return id;
    });
    return finish(plan, importId);
  } catch (e) {
    if (e instanceof Rollback) return finish(plan);
    throw e;
  }
}

const sortErrors = (xs: RowError[]) => [...xs].sort((a, b) => a.line - b.line);

async function writeHours(
  trx: Knex,
  ctx: AppContext,
  actor: Actor,
  s: HoursFileState,
  plan: HoursPlan,
  importId: number,
  source: Pick<ImportSource, 'via' | 'onPhase'>,
) {
  const at = nowIso(ctx);
  // Participants and contracts seen for the first time.
  const participantIds = new Map(plan.existingParticipants);
  const structures = await store.structureCodeOfCites(trx);
  for (const c of s.contractList) {
    if (participantIds.has(c.participantRef)) continue;
    const p = s.participants.get(c.participantRef);
    if (!p) continue;
    const id = await insertNewParticipant(trx, ctx, actor, {
      ref: p.ref,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      sex: p.sex,
      structure: structures.get(c.ledger.cite_id) ?? null,
    });
    participantIds.set(p.ref, id);
    releaseGarbage();
    await breathe();
  }
  // Known participants: the file's name fills a name the ledger does not have.
  for (const [ref, id] of plan.existingParticipants) {
    const p = s.participants.get(ref);
    if (!p || (!p.firstName && !p.lastName)) continue;
    const filled = await store.fillParticipantNames(trx, id, { first_name: p.firstName, last_name: p.lastName });
    if (filled.length)
      await audit(trx, {
        at,
        accountId: actor.id,
        action: 'participant.update',
        entity: 'participant',
        ref,
        details: { import: importId, filled },
      });
    await breathe();
  }
  const fresh = s.contractList.filter((c) => !c.ledger.id);
  for (const part of chunks(fresh, 200)) {
    const ids = await store.insertContracts(
      trx,
      part.map((c) => ({
        ...contractRow(c, s.participants.get(c.participantRef)?.birthDate ?? ''),
        participant_id: participantIds.get(c.participantRef) ?? 0,
        marche_id: plan.marcheIds.get(c.marcheRef) ?? 0,
        created_at: at,
      })),
    );
    for (const c of part) c.ledger.id = ids.get(c.ref) ?? 0;
    await auditMany(
      trx,
      part.map((c) => ({
        at,
        accountId: actor.id,
        action: 'contract.create',
        entity: 'contract',
        ref: c.ref,
        details: { import: importId },
      })),
    );
    releaseGarbage();
    await breathe();
  }
  for (const c of s.contractList) plan.contracts[c.idx].id = c.ledger.id;

  const rc = s.rowContract.view();
  const correctedContracts = new Set<number>();
  for (let i = 0; i < s.rows; i++)
    if (plan.prior[i] && plan.diff[i]) correctedContracts.add(s.contractList[rc[i]].ledger.id);
  const firsts = new Map<string, number>();
  for (const part of chunks([...correctedContracts], 500))
    for (const [k, v] of await store.firstEntries(trx, part)) firsts.set(k, v);

  // The ledger's write function for lines, a chunk of whole participants at a time; other requests
  // are served between chunks.
  source.onPhase?.('Écriture du registre et des agrégats');
  // From the command line, the rollups are summed over every chunk and written once; over
  // HTTP each chunk writes its own, between the pauses that let other requests through.
  if (source.via === 'cli') holdRollupWrites(trx);
  for (const entries of entryChunks(
    CHANGES_PER_CHUNK[source.via],
    s,
    plan,
    { postedBy: actor.id, importId, at },
    firsts,
  )) {
    await appendEntries(trx, entries);
    releaseGarbage();
    await breathe(0);
  }
  await writeHeldRollups(trx);
  await audit(trx, {
    at,
    accountId: actor.id,
    action: 'import.apply',
    entity: 'import',
    ref: String(importId),
    details: {
      kind: 'hours',
      created: plan.created,
      updated: plan.updated,
      unchanged: plan.unchanged,
      centihours: plan.hoursAdded,
    },
  });
}
