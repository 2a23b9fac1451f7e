import { z } from 'zod';

// Every setting comes from the environment; nothing secret lives in the code.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().default('file:./data/ledger.db'),
  ADMIN_TOKEN: z.string().min(32, 'ADMIN_TOKEN doit contenir au moins 32 caractères').optional(),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // How long a participant's identity is kept after its last hours (purge command default).
  RETENTION_YEARS: z.coerce.number().int().min(1).default(5),
  // Per client address and 15 minutes: POST /login attempts, and failed bearer authentications.
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  AUTH_FAILURE_RATE_LIMIT: z.coerce.number().int().min(1).default(50),
});

export type Config = z.infer<typeof envSchema> & { publicUrl: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const publicUrl = (c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, '');
  return { ...c, publicUrl };
}
