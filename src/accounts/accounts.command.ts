import { parseArgs } from 'node:util';
import type { CliCommand } from '../feature.js';
import { AppError } from '../core/errors.js';
import { parse } from '../core/validate.js';
import { newAccountSchema, passwordField } from './accounts.schemas.js';
import * as service from './accounts.service.js';
import { ROLE_LABELS } from './actor.js';

// `npm run cli -- accounts create|list|disable|token|password ...`. Whoever runs the command
// holds the database, so it acts with admin rights; the audit log records "cli" (no account).
const USAGE = `Usage :
  npm run cli -- accounts create --role admin|facilitator|contractor|departement --name NOM [--email E]
                 [--structure CODE | --siren SIREN | --siret SIRET | --departement 59|62] [--password-stdin]
  npm run cli -- accounts list
  npm run cli -- accounts disable <id|email>
  npm run cli -- accounts token <id|email> [--label LIBELLÉ]
  npm run cli -- accounts password <id|email> --password-stdin`;

/** The whole of standard input, without its final line break (replaceable in tests). */
export const io = {
  async readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  },
};

const options = {
  role: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  structure: { type: 'string' },
  siren: { type: 'string' },
  siret: { type: 'string' },
  departement: { type: 'string' },
  label: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
} as const;

function binding(a: {
  structure: string | null;
  contractorSiren: string | null;
  contractorSiret: string | null;
  departement: string | null;
}) {
  return (
    a.structure ??
    (a.contractorSiret
      ? `SIRET ${a.contractorSiret}`
      : a.contractorSiren
        ? `SIREN ${a.contractorSiren}`
        : a.departement
          ? `Département ${a.departement}`
          : '—')
  );
}

async function run(ctx: Parameters<CliCommand['run']>[0], args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true });
  switch (sub) {
    case 'create': {
      const password = values['password-stdin'] ? await io.readStdin() : undefined;
      const input = parse(newAccountSchema, {
        role: values.role,
        name: values.name,
        email: values.email,
        password,
        structure: values.structure,
        contractor: values.siren ?? values.siret,
        departement: values.departement,
      });
      const out = await service.createAccount(ctx, null, input);
      console.log(
        `Compte n° ${out.account.id} créé : ${out.account.name} (${ROLE_LABELS[out.account.role as keyof typeof ROLE_LABELS]}, ${binding(out.account)}).`,
      );
      console.log('Jeton d’API (affiché une seule fois, conservez-le) :');
      console.log(out.token);
      return 0;
    }
    case 'list': {
      const items = await service.listAccounts(ctx, null);
      for (const a of items)
        console.log(
          [
            String(a.id).padStart(4),
            a.role.padEnd(11),
            binding(a).padEnd(22),
            (a.email ?? '—').padEnd(30),
            a.name,
            a.disabledAt ? '(désactivé)' : '',
          ]
            .join('  ')
            .trimEnd(),
        );
      console.log(`${items.length} compte${items.length > 1 ? 's' : ''}.`);
      return 0;
    }
    case 'disable': {
      if (!positionals[0]) break;
      const a = await service.disableAccount(ctx, null, positionals[0]);
      console.log(`Compte n° ${a.id} (${a.name}) désactivé : ses jetons et ses sessions ne sont plus acceptés.`);
      return 0;
    }
    case 'token': {
      if (!positionals[0]) break;
      const t = await service.issueToken(ctx, null, positionals[0], values.label ?? 'CLI');
      console.log(`Jeton n° ${t.id} délivré (affiché une seule fois, conservez-le) :`);
      console.log(t.token);
      return 0;
    }
    case 'password': {
      if (!positionals[0] || !values['password-stdin']) break;
      await service.setPassword(ctx, null, positionals[0], parse(passwordField, await io.readStdin()));
      console.log('Mot de passe enregistré.');
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

const command: CliCommand = {
  summary: 'accounts : créer, lister, désactiver des comptes ; délivrer des jetons',
  async run(ctx, args) {
    try {
      return await run(ctx, args);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      console.error(`Erreur : ${e.message}`);
      for (const d of e.details) console.error(`  ${d.path ? `${d.path} : ` : ''}${d.message}`);
      return 1;
    }
  },
};
export default command;
