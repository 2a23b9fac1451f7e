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

  it.each([
    ['850 000,50', 85_000_050],
    ['1 200 000,00', 120_000_000],
    ['1\u00a0200', 120_000],
    ['12\u202f345,5', 1_234_550],
    ['  2 450,5 ', 245_050],
  ])('reads spaces, no-break and narrow no-break spaces as thousands separators: %s', (input, expected) => {
    expect(parseHours(input)).toEqual({ ok: true, centihours: expected });
  });

  it.each(['1 20', '12 3456', '1  200', '1 200 00', ' 200,5,5'])('refuses badly grouped digits: %s', (input) => {
    expect(parseHours(input).ok).toBe(false);
  });

  it('says "deux décimales" when there are three, grouped or not', () => {
    const g = parseHours('1 200,123');
    expect(g.ok === false && g.message).toMatch(/deux décimales/);
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

describe('two-digit years', () => {
  it('reads dd/MM/yy into its parts, in a given century', async () => {
    const { twoDigitYearDate, inCentury } = await import('../../src/lib/dates.js');
    const d = twoDigitYearDate('05/04/84');
    expect(d).toEqual({ day: 5, month: 4, yy: 84 });
    expect(inCentury(d!, 19)).toBe('1984-04-05');
    expect(inCentury(d!, 20)).toBe('2084-04-05');
    expect(inCentury(twoDigitYearDate('29/02/00')!, 19)).toBeNull(); // 1900 was not a leap year
    expect(inCentury(twoDigitYearDate('29/02/00')!, 20)).toBe('2000-02-29');
    expect(twoDigitYearDate('05/04/1984')).toBeNull();
  });
});
