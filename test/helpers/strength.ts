// The few long seeded loops (crash rounds, fuzz requests, property runs) run their full count
// in CI and on any run that includes PostgreSQL: `CI` or `TEST_DATABASE_URL` set, as in
// .ci/run. A plain local `npm test` (SQLite only) runs a smaller count of the same seeded
// loops so that the whole suite stays well under 90 s on a two-core machine; run it with
// CI=1 to get the full count on SQLite alone.
export const FULL_STRENGTH = Boolean(process.env.CI || process.env.TEST_DATABASE_URL);

/** `full` on a full-strength run, else `local`. */
export const strength = (full: number, local: number): number => (FULL_STRENGTH ? full : local);
