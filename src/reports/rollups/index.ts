// The report rollups (report_hours, report_counts: db/migrations/005_reports.ts), in one
// folder with this one entry point (docs/reports.md):
// - maintainReportRollups: upkeep after entries are appended, in their transaction (called
//   by the ledger's `appendEntries`, once per group transaction, for the API and imports
//   alike, and by src/hours/rollups.ts `applyMonthChanges`);
// - holdRollupWrites, writeHeldRollups: an import's upkeep, written once for all its chunks;
// - changeGroupedFacts, updateCiteGrouping, linkStructureEpcis, withRollupsRefreshed: every
//   change of a fact reports group by;
// - hoursBy, countsBy: the reads; rebuildRollups and checkRollups: recompute and compare.
export { maintainReportRollups, withRollupsRefreshed, type MonthChangeLike } from './maintain.js';
export { holdRollupWrites, writeHeldRollups } from './held.js';
export { changeGroupedFacts, linkStructureEpcis, updateCiteGrouping } from './grouping.js';
export { rebuildDimension, rebuildRollups } from './rebuild.store.js';
export { checkRollups, type RollupCheck, type RollupDrift } from './check.js';
export { byKey, countsBy, hoursBy, type Bucket, type CountRow, type HoursRow, type Period } from './query.store.js';
