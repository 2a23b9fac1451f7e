import { describe, expect, it } from 'vitest';
import { configWarnings, loadConfig } from '../../src/config.js';

// One configuration for the server and the command line (src/config.ts).

const env = (e: Record<string, string>) => e as NodeJS.ProcessEnv;

describe('configuration', () => {
  it('keeps files under the data directory, never at the repository root', () => {
    const c = loadConfig(env({}));
    expect(c.DATA_DIR).toBe('./data');
    expect(c.DATABASE_URL).toBe('file:./data/ledger.db');
    expect(c.ATTESTATIONS_DIR).toBe('./data/attestations');
    const moved = loadConfig(env({ DATA_DIR: '/srv/registre/' }));
    expect(moved.DATABASE_URL).toBe('file:/srv/registre/ledger.db');
    expect(moved.ATTESTATIONS_DIR).toBe('/srv/registre/attestations');
    expect(loadConfig(env({ ATTESTATIONS_DIR: '/archives/pdf' })).ATTESTATIONS_DIR).toBe('/archives/pdf');
  });

  it('gives server and CLI the same verification base: PUBLIC_URL, else the server’s own address', () => {
    expect(loadConfig(env({ PORT: '3108' })).publicUrl).toBe('http://127.0.0.1:3108');
    expect(loadConfig(env({ PORT: '3108', PUBLIC_URL: 'https://heures.example.fr/' })).publicUrl).toBe(
      'https://heures.example.fr',
    );
  });

  it('warns in French when PUBLIC_URL is not set', () => {
    const [w] = configWarnings(loadConfig(env({})));
    expect(w).toMatch(/^PUBLIC_URL n’est pas défini/);
    expect(w).toContain('http://127.0.0.1:3000/verify/');
    expect(configWarnings(loadConfig(env({ PUBLIC_URL: 'https://heures.example.fr' })))).toEqual([]);
  });
});
