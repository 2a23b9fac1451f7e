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

/** The smallest 1, 2 or 5 × 10^k at least `v` (and at least `min`). */
export function niceCeiling(v: number, min = 1): number {
  const x = Math.max(v, min);
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

const HEIGHT = 240;
const TOP = 16;
const BOTTOM = 36;
const LEFT = 72;
const RIGHT = 44;

export function monthChart(points: MonthPoint[]): MonthChart {
  const n = Math.max(points.length, 1);
  const slot = Math.max(24, Math.min(56, Math.floor(640 / n)));
  const plotW = n * slot;
  const width = LEFT + plotW + RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const maxHours = niceCeiling(Math.max(0, ...points.map((p) => p.hours)), 10);
  const maxPeople = niceCeiling(Math.max(0, ...points.map((p) => p.beneficiaries)), 2);
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
  const ticks = (max: number, text: (v: number) => string, whole = false): Tick[] =>
    [0, max / 2, max].filter((v) => !whole || Number.isInteger(v)).map((v) => ({ y: yOf(v, max), text: text(v) }));
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
    peopleTicks: ticks(maxPeople, (v) => formatIntFr(v), true),
  };
}
