import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// LibreOffice Calc, headless (Debian's libreoffice-calc-nogui), re-saving the project's own
// fixture files as people's spreadsheets do. Each run has its own profile (so parallel runs
// never share a lock) set to the French locale: dates are then written jj/mm/aa and decimals
// with a comma, as LibreOffice in fr-FR does.

export const SOFFICE = '/usr/bin/soffice';
export const hasLibreOffice = fs.existsSync(SOFFICE);

if (!hasLibreOffice && process.env.CI) {
  throw new Error('LibreOffice est absent (/usr/bin/soffice) : .ci/run doit installer libreoffice-calc-nogui.');
}

const run = promisify(execFile);

const PROFILE = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
</oor:items>
`;

// CSV filter options: separator 59 (;), text delimiter 34 ("), character set (76 UTF-8,
// 1 Windows-1252), first line 1, no column formats, language 1036 (fr-FR), quoted fields
// not forced to text, then « detect special numbers » (dates...) on import; on export the
// 9th token saves cells as shown.
const CSV_IN = (detectSpecialNumbers: boolean) =>
  `Text - txt - csv (StarCalc):59,34,76,1,,1036,false,${detectSpecialNumbers}`;
const CSV_OUT_1252 = 'csv:Text - txt - csv (StarCalc):59,34,1,1,,1036,false,true,true';

export type Resave = 'csv-1252-recognised' | 'csv-1252-text' | 'xlsx' | 'pdf';

export interface LibreOffice {
  /** Re-saves files (read as UTF-8 CSV with or without number recognition, or as they are). */
  convert(files: string[], as: Resave, outDir: string): Promise<string[]>;
  dispose(): void;
}

export function libreOffice(): LibreOffice {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-profile-'));
  fs.mkdirSync(path.join(home, 'user'), { recursive: true });
  fs.writeFileSync(path.join(home, 'user', 'registrymodifications.xcu'), PROFILE);
  return {
    async convert(files, as, outDir) {
      fs.mkdirSync(outDir, { recursive: true });
      const csvInput = files.every((f) => f.endsWith('.csv'));
      const args = [`-env:UserInstallation=file://${home}`, '--headless', '--norestore'];
      if (csvInput && as !== 'pdf') args.push(`--infilter=${CSV_IN(as !== 'csv-1252-text')}`);
      const target = as === 'xlsx' ? 'xlsx:Calc MS Excel 2007 XML' : as === 'pdf' ? 'pdf' : CSV_OUT_1252;
      args.push('--convert-to', target, '--outdir', outDir, ...files);
      await run(SOFFICE, args, { timeout: 120_000, env: { ...process.env, HOME: home } });
      const ext = as === 'xlsx' ? '.xlsx' : as === 'pdf' ? '.pdf' : '.csv';
      return files.map((f) => path.join(outDir, path.basename(f).replace(/\.[^.]+$/, ext)));
    },
    dispose() {
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
