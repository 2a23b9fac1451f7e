import { formatHoursFr } from '../../lib/hours.js';
import { formatIntFr, formatMonthFr } from '../../lib/html.js';

// Geometry of the monthly chart of a report (templates/web/reports/month-chart.njk draws it):
// hours as bars on the left axis, beneficiaries as a line with dots on the right axis. The
// numbers themselves are in the table next to it, which is the chart's text alternative.

export interface MonthPoint {
  month: string; // yyyy-MM
  hours: number;
  beneficiaries: number;
}

export interface Tick {
  y: number;
  text: string;
}

export interface MonthChart {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  bars: Array<{ x: number; y: number; w: number; h: number; title: string }>;
  dots: Array<{ cx: number; cy: number }>;
  line: string; // polyline points
  xLabels: Array<{ x: number; text: string }>;
  hoursTicks: Tick[];
  peopleTicks: Tick[];
}

// Axis maxima: the axis has three ticks (0, half, max), so both max and half read well.
const STEPS = [1, 1.5, 2, 3, 4, 5, 6, 8, 10];

/** The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k at least `v` (and at least `min`). */
export function niceCeiling(v: number, min = 1): number {
  const x = Math.max(v, min);
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of STEPS) if (m * p >= x - 1e-9) return +(m * p).toPrecision(12);
  return 10 * p;
}

/** The same for counts: a whole number whose half is whole too (0, 1, 2 for 2; 0, 2, 4 for 3). */
export function niceWholeCeiling(v: number): number {
  if (v <= 2) return 2;
  let m = niceCeiling(v);
  while (!Number.isInteger(m / 2)) m = niceCeiling(m + 1);
  return m;
}

const HEIGHT = 240;
const TOP = 16;
const BOTTOM = 36;
const LEFT = 72;
const RIGHT = 44;

export function monthChart(points: MonthPoint[]): MonthChart {
  const n = Math.max(points.length, 1);
  const slot = Math.max(24, Math.min(80, Math.floor(900 / n)));
  const plotW = n * slot;
  const width = LEFT + plotW + RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const maxHours = niceCeiling(Math.max(0, ...points.map((p) => p.hours)), 10);
  const maxPeople = niceWholeCeiling(Math.max(0, ...points.map((p) => p.beneficiaries)));
  const yOf = (v: number, max: number) => +(TOP + plotH - (plotH * Math.max(0, v)) / max).toFixed(1);
  const barW = Math.round(slot * 0.6);
  // One label every `step` months, so that labels never overlap (about 52 px each).
  const step = Math.ceil(52 / slot);
  const bars = points.map((p, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    const y = yOf(p.hours, maxHours);
    return {
      x,
      y,
      w: barW,
      h: +(TOP + plotH - y).toFixed(1),
      title: `${formatMonthFr(p.month)} : ${formatHoursFr(Math.round(p.hours * 100))}, ${formatIntFr(p.beneficiaries)} bénéficiaire${p.beneficiaries > 1 ? 's' : ''}`,
    };
  });
  const dots = points.map((p, i) => ({ cx: LEFT + i * slot + slot / 2, cy: yOf(p.beneficiaries, maxPeople) }));
  const ticks = (max: number, text: (v: number) => string): Tick[] =>
    [0, max / 2, max].map((v) => ({ y: yOf(v, max), text: text(v) }));
  return {
    width,
    height: HEIGHT,
    plot: { left: LEFT, right: LEFT + plotW, top: TOP, bottom: TOP + plotH },
    bars,
    dots,
    line: dots.map((d) => `${d.cx},${d.cy}`).join(' '),
    xLabels: points
      .map((p, i) => ({ x: LEFT + i * slot + slot / 2, text: formatMonthFr(p.month), i }))
      .filter((l) => l.i % step === 0)
      .map(({ x, text }) => ({ x, text })),
    hoursTicks: ticks(maxHours, (v) => formatHoursFr(Math.round(v * 100))),
    peopleTicks: ticks(maxPeople, (v) => formatIntFr(v)),
  };
}
