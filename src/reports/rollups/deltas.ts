import { DIMENSIONS, type ContractFacts } from '../dimensions.js';
import { MonthSums } from './month-sums.js';
import { type CountDelta, type HoursDelta, rowOrder } from './rollups.store.js';

// The deltas one upkeep adds to the rollups, accumulated with numbers instead of strings:
// a rollup prefix (programme, dim, entity, key) is interned as a small integer, a month as
// a code counted from year 1000 (0 stands for the empty `prev`; months are 1900-2200), a
// link (month, prev) as month * M + prev: all small integers, the fast kind of Map key.
// Contracts with the same list of prefixes (same marché, type, categories, sex...) share a
// "profile": their months and links are summed per profile first, and spread over the
// profile's prefixes once at the end, instead of once per contract.

const byNumber = (a: number, b: number) => a - b;

export const M = 32_768; // 2^15 > every month code, so a link key stays under 2^30
const YEAR0 = 1000;

const monthCodes = new Map<string, number>();
const monthTexts = new Map<number, string>();

/** `yyyy-MM` -> its code ((year - 1000) * 12 + month, >= 1), cached: batches have few months. */
export function month1(month: string): number {
  let c = monthCodes.get(month);
  if (c === undefined) {
    c = (Number(month.slice(0, 4)) - YEAR0) * 12 + Number(month.slice(5, 7));
    if (!(c >= 1 && c < M)) throw new Error(`Mois hors de la plage des agrégats : ${month}`);
    monthCodes.set(month, c);
  }
  return c;
}

export function monthOf1(c: number): string {
  if (c === 0) return '';
  let s = monthTexts.get(c);
  if (s === undefined)
    monthTexts.set(c, (s = `${YEAR0 + Math.floor((c - 1) / 12)}-${String(((c - 1) % 12) + 1).padStart(2, '0')}`));
  return s;
}

export type Entity = 'h' | 'c' | 'p';
export interface PrefixParts {
  programme_id: number;
  dim: string;
  entity: Entity;
  key: string;
}
export class RollupDeltas {
  private readonly prefixIds = new Map<string, number>();
  private readonly prefixParts: PrefixParts[] = [];
  private readonly profileIds = new Map<string, number>();
  private readonly profiles: number[][] = [];
  /** Sums per profile (by profile id), until `fold` spreads them over the prefixes. */
  private readonly hours = new Map<number, Map<number, number>>();
  private readonly links = new Map<number, Map<number, number>>();
  /** Sums per prefix (by prefix id), of the profiles folded so far. */
  private readonly hoursByPrefix: Array<MonthSums | undefined> = [];
  private readonly linksByPrefix: Array<Map<number, number> | undefined> = [];
  private readonly ofContract = {
    h: new Map<number, number>(),
    c: new Map<number, number>(),
    p: new Map<number, number>(),
  };
  private readonly prefixesOfContract = new Map<number, number[]>();

  private prefix(programme_id: number, dim: string, entity: Entity, key: string): number {
    const k = `${programme_id}\u0000${dim}\u0000${entity}\u0000${key}`;
    let id = this.prefixIds.get(k);
    if (id === undefined) {
      this.prefixIds.set(k, (id = this.prefixParts.length));
      this.prefixParts.push({ programme_id, dim, entity, key });
    }
    return id;
  }

  /** The interned list of prefixes (duplicates kept: they count twice, as before). */
  profile(prefixes: number[]): number {
    const k = prefixes.join(',');
    let id = this.profileIds.get(k);
    if (id === undefined) {
      this.profileIds.set(k, (id = this.profiles.length));
      this.profiles.push(prefixes);
    }
    return id;
  }

  /** The prefixes of a contract for one entity, every dimension (cached per contract). */
  prefixesOf(f: ContractFacts, entity: Entity): number[] {
    const cacheKey = f.id * 4 + (entity === 'h' ? 0 : entity === 'c' ? 1 : 2);
    let out = this.prefixesOfContract.get(cacheKey);
    if (!out) {
      out = [];
      for (const dim of DIMENSIONS)
        for (const key of dim.keys(f)) out.push(this.prefix(f.programme_id, dim.code, entity, key));
      this.prefixesOfContract.set(cacheKey, out);
    }
    return out;
  }

  profileOf(f: ContractFacts, entity: Entity): number {
    const cache = this.ofContract[entity];
    let p = cache.get(f.id);
    if (p === undefined) cache.set(f.id, (p = this.profile(this.prefixesOf(f, entity))));
    return p;
  }

  /** Hours of one month (code + 1) for every prefix of the profile; zero deltas make rows too. */
  addHours(profile: number, m1: number, delta: number): void {
    let acc = this.hours.get(profile);
    if (!acc) this.hours.set(profile, (acc = new Map()));
    acc.set(m1, (acc.get(m1) ?? 0) + delta);
  }

  /**
   * Replaces the links of a chain `before` by those of `after` (sorted month codes + 1).
   * Link keys grow with the month, so one merge finds what differs.
   */
  addLinks(profile: number, before: ArrayLike<number>, after: ArrayLike<number>): void {
    let acc = this.links.get(profile);
    if (!acc) this.links.set(profile, (acc = new Map()));
    let i = 0;
    let j = 0;
    while (i < before.length || j < after.length) {
      const kb = i < before.length ? before[i] * M + (i ? before[i - 1] : 0) : Infinity;
      const ka = j < after.length ? after[j] * M + (j ? after[j - 1] : 0) : Infinity;
      if (kb === ka) {
        i++;
        j++;
      } else if (kb < ka) {
        acc.set(kb, (acc.get(kb) ?? 0) - 1);
        i++;
      } else {
        acc.set(ka, (acc.get(ka) ?? 0) + 1);
        j++;
      }
    }
  }

  /** Profiles whose sums are not folded yet: what `fold` would free. */
  get unfolded(): number {
    return this.hours.size + this.links.size;
  }

  /**
   * Spreads the per-profile sums over their prefixes and frees them. Over a long import most
   * contracts have a profile of their own (8 000 at a million rows), and their months would be
   * held to the end; per prefix, the sums are bounded by prefixes x months (./held.ts folds).
   * The profiles and the per-contract caches go too: nobody holds a profile id across a fold
   * (an upkeep adds, then folds), and at 3 million rows they held 24 000 contracts' lists.
   */
  fold(): void {
    for (const [profile, acc] of this.hours) {
      const months = [...acc.keys()];
      const sums = [...acc.values()];
      for (const p of this.profiles[profile]) {
        let into = this.hoursByPrefix[p];
        if (!into) this.hoursByPrefix[p] = into = new MonthSums();
        for (let i = 0; i < months.length; i++) into.add(months[i], sums[i]);
      }
    }
    this.hours.clear();
    for (const [profile, acc] of this.links)
      for (const p of this.profiles[profile]) {
        let inner = this.linksByPrefix[p];
        if (!inner) this.linksByPrefix[p] = inner = new Map();
        for (const [k, n] of acc) if (n !== 0) inner.set(k, (inner.get(k) ?? 0) + n);
      }
    this.links.clear();
    this.profiles.length = 0;
    this.profileIds.clear();
    this.prefixesOfContract.clear();
    for (const cache of Object.values(this.ofContract)) cache.clear();
  }

  /**
   * The prefixes that have sums, in the order the store writes rows in (its `rowOrder`), so
   * that the rows come out sorted without building them all first: a CLI import ends with
   * about 100 000 rows per million file rows, written a batch at a time.
   */
  private sortedPrefixes(byPrefix: Array<object | undefined>, withEntity: boolean): number[] {
    const ids: number[] = [];
    const keys: string[] = [];
    byPrefix.forEach((inner, prefix) => {
      if (!inner) return;
      const p = this.prefixParts[prefix];
      ids.push(prefix);
      keys[prefix] = rowOrder(withEntity ? [p.programme_id, p.dim, p.entity, p.key] : [p.programme_id, p.dim, p.key]);
    });
    return ids.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  }

  /** The hours rows, in the store's order (by prefix, then month). */
  *hourRows(): Generator<HoursDelta> {
    this.fold();
    for (const prefix of this.sortedPrefixes(this.hoursByPrefix, false)) {
      const p = this.prefixParts[prefix];
      for (const [m1, centihours] of this.hoursByPrefix[prefix]!.entries())
        yield { programme_id: p.programme_id, dim: p.dim, key: p.key, month: monthOf1(m1), centihours };
    }
  }

  /** The count rows that change something, in the store's order (by prefix, month, then prev). */
  *countRows(): Generator<CountDelta> {
    this.fold();
    for (const prefix of this.sortedPrefixes(this.linksByPrefix, true)) {
      const p = this.prefixParts[prefix];
      const inner = this.linksByPrefix[prefix]!;
      // A link is month * M + prev: in number order, by month then prev ('' first).
      for (const link of [...inner.keys()].sort(byNumber)) {
        const n = inner.get(link)!;
        if (n !== 0)
          yield {
            programme_id: p.programme_id,
            dim: p.dim,
            entity: p.entity as 'p' | 'c',
            key: p.key,
            month: monthOf1(Math.floor(link / M)),
            prev: monthOf1(link % M),
            n,
          };
      }
    }
  }

  /**
   * A participant's chains: for each of its 'p' prefixes, the union of the months of the
   * contracts that have it, before and after. Prefixes with the same two chains share a profile.
   */
  addParticipant(
    members: ContractFacts[],
    before: (id: number) => ArrayLike<number>,
    after: (id: number) => ArrayLike<number>,
  ): void {
    if (members.length === 1) {
      const c = members[0];
      this.addLinks(this.profileOf(c, 'p'), before(c.id), after(c.id));
      return;
    }
    const union = new Map<number, { b: Set<number>; a: Set<number> }>();
    for (const c of members) {
      const b = before(c.id);
      const a = after(c.id);
      if (!b.length && !a.length) continue;
      for (const prefix of this.prefixesOf(c, 'p')) {
        let u = union.get(prefix);
        if (!u) union.set(prefix, (u = { b: new Set(), a: new Set() }));
        for (let i = 0; i < b.length; i++) u.b.add(b[i]);
        for (let i = 0; i < a.length; i++) u.a.add(a[i]);
      }
    }
    const byChains = new Map<string, { prefixes: number[]; b: number[]; a: number[] }>();
    for (const [prefix, u] of union) {
      const b = [...u.b].sort((x, y) => x - y);
      const a = [...u.a].sort((x, y) => x - y);
      const k = `${b.join(',')}|${a.join(',')}`;
      const g = byChains.get(k);
      if (g) g.prefixes.push(prefix);
      else byChains.set(k, { prefixes: [prefix], b, a });
    }
    for (const g of byChains.values()) this.addLinks(this.profile(g.prefixes), g.b, g.a);
  }
}
