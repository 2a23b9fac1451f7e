// A token is shown once, right after it is created, and never again (only its hash is kept).
// With POST-redirect-GET, the page that shows it is a GET after a redirect: the token waits
// here, in memory, for that one GET of the same session, then is forgotten. Anything not
// taken within a few minutes expires (the admin then issues another token). One server
// process holds it: behind several processes, the redirect must reach the same one.

const TTL_MS = 10 * 60_000;

export interface OneTimeSecret {
  token: string;
  label: string;
}

export class OneTimeSecrets {
  private readonly items = new Map<string, OneTimeSecret & { expires: number }>();
  constructor(private readonly now: () => Date) {}

  put(sessionId: number, accountId: number, secret: OneTimeSecret): void {
    const t = this.now().getTime();
    for (const [k, v] of this.items) if (v.expires <= t) this.items.delete(k);
    this.items.set(`${sessionId}:${accountId}`, { ...secret, expires: t + TTL_MS });
  }

  /** The secret waiting for this session and account, removed as it is read. */
  take(sessionId: number, accountId: number): OneTimeSecret | null {
    const key = `${sessionId}:${accountId}`;
    const v = this.items.get(key);
    this.items.delete(key);
    if (!v || v.expires <= this.now().getTime()) return null;
    return { token: v.token, label: v.label };
  }
}
