// The raw baseline of the import benchmark, in a process of its own like the measured run
// (./cli.child.mjs), with no TypeScript loader either: csv-parse reading the hours file and a
// bare better-sqlite3 batch insert of its entries into hour_entries (400 rows per statement,
// one transaction, the product's pragmas), into a database the product's migrations made.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse';

const [dbFile, hours] = process.argv.slice(2);
const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = OFF'); // bare insert: no contracts behind the ids
const cols = '(contract_id, month, centihours, kind, import_id, posted_by, created_at)';
const one = '(?,?,?,?,?,?,?)';
const stmt400 = db.prepare(`insert into hour_entries ${cols} values ${new Array(400).fill(one).join(',')}`);
const one1 = db.prepare(`insert into hour_entries ${cols} values ${one}`);
const at = '2026-11-24T10:00:00.000Z';
const ids = new Map();
let entries = 0;
let batch = [];
const t0 = performance.now();
db.exec('BEGIN');
const parser = fs.createReadStream(hours).pipe(parseCsv({ delimiter: ';', columns: true, bom: true }));
for await (const r of parser) {
  const centihours = Math.round(Number(r.hours.replace(',', '.')) * 100);
  if (centihours === 0) continue;
  let id = ids.get(r.contract_ref);
  if (id === undefined) ids.set(r.contract_ref, (id = ids.size + 1));
  batch.push(id, r.month, centihours, 'entry', 1, 1, at);
  entries++;
  if (batch.length === 400 * 7) {
    stmt400.run(batch);
    batch = [];
  }
}
for (let i = 0; i < batch.length; i += 7) one1.run(batch.slice(i, i + 7));
db.exec('COMMIT');
const seconds = (performance.now() - t0) / 1000;
db.close();
process.send?.({ seconds, entries, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), done: true });
