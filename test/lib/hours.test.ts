import { describe, expect, it } from 'vitest';
import { formatHoursFr, parseHours, toHours } from '../../src/lib/hours.js';
import { isValidSiren, isValidSiret } from '../../src/lib/siret.js';
import { normaliseDate, normaliseMonth, ageOn } from '../../src/lib/dates.js';

describe('hours parsing', () => {
  it.each([
    ['151,67', 15167],
    ['151.67', 15167],
    ['12', 1200],
    ['0', 0],
    ['0,5', 50],
    [151.67, 15167],
    [235, 23500],
    ['  7,25 ', 725],
  ])('%s → %d centihours', (input, expected) => {
    expect(parseHours(input)).toEqual({ ok: true, centihours: expected });
  });

  it.each(['10,123', '1.001', 10.123, 'abc', '', '1,2,3', '1e3', '-5', Number.NaN])('refuses %s', (input) => {
    const r = parseHours(input);
    expect(r.ok).toBe(false);
  });

  it('says "deux décimales" when there are three', () => {
    const r = parseHours('10,123');
    expect(r.ok === false && r.message).toMatch(/deux décimales/);
  });

  it('accepts negative differences only when asked', () => {
    expect(parseHours('-2,5', { allowNegative: true })).toEqual({ ok: true, centihours: -250 });
  });

  it('formats in French', () => {
    expect(toHours(15167)).toBe(151.67);
    expect(formatHoursFr(15167)).toBe('151,67\u00a0h');
    expect(formatHoursFr(36_000_000)).toBe('360\u202f000\u00a0h');
  });
});

describe('SIRET and SIREN', () => {
  it('checks the Luhn key', () => {
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(isValidSiret('73282932000075')).toBe(false);
    expect(isValidSiret('7328293200007')).toBe(false);
    expect(isValidSiren('732829320')).toBe(true);
    expect(isValidSiren('732829321')).toBe(false);
  });
  it("applies La Poste's rule (digit sum divisible by 5)", () => {
    expect(isValidSiret('35600000000010')).toBe(true); // digit sum 15, fails plain Luhn
    expect(isValidSiret('35600000000011')).toBe(false); // digit sum 16
  });
});

describe('dates and months', () => {
  it('normalises French and ISO forms, refuses impossible dates', () => {
    expect(normaliseDate('31/12/2024')).toBe('2024-12-31');
    expect(normaliseDate('2024-02-29')).toBe('2024-02-29');
    expect(normaliseDate('2023-02-29')).toBeNull();
    expect(normaliseDate('32/01/2024')).toBeNull();
    expect(normaliseMonth('03/2024')).toBe('2024-03');
    expect(normaliseMonth('2024-3')).toBeNull();
    expect(normaliseMonth('2024-13')).toBeNull();
  });
  it('computes ages with exact birthdays', () => {
    expect(ageOn('2000-05-10', '2026-05-09')).toBe(25);
    expect(ageOn('2000-05-10', '2026-05-10')).toBe(26);
  });
});
