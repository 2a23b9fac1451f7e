import { z } from 'zod';

// Every setting comes from the environment; nothing secret lives in the code.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  // Where the ledger keeps its files: the SQLite database (unless DATABASE_URL says otherwise)
  // and the PDFs the command line issues. Never the repository root.
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  ATTESTATIONS_DIR: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(32, 'ADMIN_TOKEN doit contenir au moins 32 caractères').optional(),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // How long a participant's identity is kept after its last hours (purge command default).
  RETENTION_YEARS: z.coerce.number().int().min(1).default(5),
  // Per client address and 15 minutes: POST /login attempts, and failed bearer authentications.
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  AUTH_FAILURE_RATE_LIMIT: z.coerce.number().int().min(1).default(50),
});

export type Config = Omit<z.infer<typeof envSchema>, 'DATABASE_URL' | 'ATTESTATIONS_DIR'> & {
  DATABASE_URL: string;
  ATTESTATIONS_DIR: string;
  /** Base of the verification URLs: PUBLIC_URL, else the server's own address (same for the CLI). */
  publicUrl: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const dataDir = c.DATA_DIR.replace(/\/+$/, '') || '.';
  const publicUrl = (c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, '');
  return {
    ...c,
    DATA_DIR: dataDir,
    DATABASE_URL: c.DATABASE_URL ?? `file:${dataDir}/ledger.db`,
    ATTESTATIONS_DIR: c.ATTESTATIONS_DIR ?? `${dataDir}/attestations`,
    publicUrl,
  };
}

/** What the server says at start when the configuration works but will surprise someone. */
export function configWarnings(c: Config): string[] {
  const out: string[] = [];
  if (!c.PUBLIC_URL)
    out.push(
      `PUBLIC_URL n’est pas défini : les attestations porteront l’adresse de vérification ${c.publicUrl}/verify/…, ` +
        'joignable depuis ce poste seulement. Définissez PUBLIC_URL (ex. https://heures.example.fr) pour le serveur ' +
        'et la ligne de commande.',
    );
  return out;
}
