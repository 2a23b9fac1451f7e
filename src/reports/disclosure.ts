// Statistical disclosure control (docs/reports.md). A breakdown cell that crosses a person
// attribute (category, sex, age band) and describes fewer than MIN_PERSONS persons points at
// someone to whoever knows the site. Such a cell is suppressed (its figures null, with
// `suppressed: true`) unless it lies within the viewer's own scope, where the viewer already
// sees the people themselves. Totals stay exact.

export const MIN_PERSONS = 3;
export const PERSON_DIMENSIONS: readonly string[] = ['category', 'sex', 'ageBand'];

/**
 * What a viewer may see unmasked: everything (admins), or, per place dimension, the keys that
 * lie wholly within its scope (a facilitator's cités, marchés, EPCIs and structure; a
 * Département's own cités, marchés, EPCIs and code). Nothing for the public.
 */
export interface ViewerScope {
  all: boolean;
  keys: Partial<Record<string, ReadonlySet<string>>>;
}

export const PUBLIC_SCOPE: ViewerScope = { all: false, keys: {} };

/** True when one of the cell's place keys lies within the viewer's scope. */
export function withinScope(scope: ViewerScope, dims: readonly string[], keys: readonly string[]): boolean {
  if (scope.all) return true;
  return dims.some((d, i) => scope.keys[d]?.has(keys[i] ?? '') ?? false);
}

/** A cell to suppress: crossed with a person attribute, 1 or 2 persons, outside the scope. */
export function isSmallCell(
  scope: ViewerScope,
  dims: readonly string[],
  keys: readonly string[],
  persons: number,
): boolean {
  if (persons <= 0 || persons >= MIN_PERSONS) return false;
  if (!dims.some((d) => PERSON_DIMENSIONS.includes(d))) return false;
  return !withinScope(scope, dims, keys);
}

/** A count of persons fit to publish on its own (programme-wide figures crossed with a category). */
export const publishable = (persons: number): boolean => persons <= 0 || persons >= MIN_PERSONS;
