import { parseArgs } from 'node:util';
import type { CliCommand } from '../feature.js';
import { AppError } from '../core/errors.js';
import { parse } from '../core/validate.js';
import { accountPatchSchema, newAccountSchema, passwordField } from './accounts.schemas.js';
import * as service from './accounts.service.js';
import { ROLE_LABELS } from './actor.js';
import { cliActor } from './system.js';

// `npm run cli -- accounts create|list|update|disable|token|password ...`. Whoever runs the
// command holds the database: it acts as the system account « Ligne de commande (système) »,
// or as the admin account given by --as, and the audit log names that account.
const USAGE = `Usage :
  npm run cli -- accounts create --role admin|facilitator|contractor|departement --name NOM [--email E]
                 [--structure CODE | --siren SIREN | --siret SIRET | --departement 59|62] [--password-stdin]
  npm run cli -- accounts list
  npm run cli -- accounts update <id|email> [--email E] [--name NOM] [--function FONCTION]
  npm run cli -- accounts disable <id|email>
  npm run cli -- accounts token <id|email> [--label LIBELLÉ]
  npm run cli -- accounts password <id|email> --password-stdin
Options communes : --as ID (agir en tant que ce compte administrateur).
Mot de passe : 12 caractères au moins (200 au plus), lu sur l’entrée standard.`;

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
  function: { type: 'string' },
  as: { type: 'string' },
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
  if (!sub || !['create', 'list', 'update', 'disable', 'token', 'password'].includes(sub)) {
    console.error(USAGE);
    return 2;
  }
  const actor = await cliActor(ctx, values.as);
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
      const out = await service.createAccount(ctx, actor, input);
      console.log(
        `Compte n° ${out.account.id} créé : ${out.account.name} (${ROLE_LABELS[out.account.role as keyof typeof ROLE_LABELS]}, ${binding(out.account)}).`,
      );
      console.log('Jeton d’API (affiché une seule fois, conservez-le) :');
      console.log(out.token);
      return 0;
    }
    case 'list': {
      const items = await service.listAccounts(ctx, actor);
      const line = (cells: string[]) =>
        [cells[0].padStart(4), cells[1].padEnd(11), cells[2].padEnd(22), cells[3].padEnd(30), cells[4], cells[5]]
          .join('  ')
          .trimEnd();
      console.log(line(['N°', 'Rôle', 'Rattachement', 'Adresse électronique', 'Nom', 'État']));
      for (const a of items)
        console.log(
          line([
            String(a.id),
            a.role,
            binding(a),
            a.email ?? '—',
            a.function ? `${a.name} (${a.function})` : a.name,
            a.disabledAt ? 'désactivé' : '',
          ]),
        );
      console.log(`${items.length} compte${items.length > 1 ? 's' : ''}.`);
      return 0;
    }
    case 'update': {
      if (!positionals[0]) break;
      const patch = parse(accountPatchSchema, { email: values.email, name: values.name, function: values.function });
      const a = await service.updateAccount(ctx, actor, positionals[0], patch);
      console.log(
        `Compte n° ${a.id} : ${a.name}${a.function ? `, ${a.function}` : ''} (${a.email ?? 'sans adresse électronique'}).`,
      );
      return 0;
    }
    case 'disable': {
      if (!positionals[0]) break;
      const a = await service.disableAccount(ctx, actor, positionals[0]);
      console.log(`Compte n° ${a.id} (${a.name}) désactivé : ses jetons et ses sessions ne sont plus acceptés.`);
      return 0;
    }
    case 'token': {
      if (!positionals[0]) break;
      const t = await service.issueToken(ctx, actor, positionals[0], values.label ?? 'CLI');
      console.log(`Jeton n° ${t.id} délivré (affiché une seule fois, conservez-le) :`);
      console.log(t.token);
      return 0;
    }
    case 'password': {
      if (!positionals[0] || !values['password-stdin']) break;
      await service.setPassword(ctx, actor, positionals[0], parse(passwordField, await io.readStdin()));
      console.log('Mot de passe enregistré.');
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

const command: CliCommand = {
  summary: 'accounts : créer, lister, modifier, désactiver des comptes ; délivrer des jetons',
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
