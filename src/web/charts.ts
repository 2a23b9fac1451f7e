// Geometry of the server-rendered SVG charts (templates/web/charts.njk draws them): no
// script, readable without colour (labels carry the numbers), each with a text alternative.

export interface Bar {
  label: string;
  value: number;
  text: string; // the value as people read it
}

export interface ColumnChart {
  width: number;
  height: number;
  displayWidth: number;
  label: string;
  cols: Array<{ x: number; y: number; w: number; h: number; cx: number; label: string; text: string }>;
}

/** Vertical bars (hours by year, by month). */
export function columnChart(bars: Bar[], label: string, o: { colW?: number; gap?: number } = {}): ColumnChart {
  const colW = o.colW ?? 64;
  const gap = o.gap ?? 16;
  const height = 200;
  const top = 24;
  const bottom = 28;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const width = Math.max(bars.length * (colW + gap), 1);
  return {
    width,
    displayWidth: Math.min(width, 720),
    height,
    label,
    cols: bars.map((b, i) => {
      const h = Math.max(0, ((height - top - bottom) * b.value) / max);
      const x = i * (colW + gap);
      return { x, y: +(height - bottom - h).toFixed(1), w: colW, h: +h.toFixed(1), cx: x + colW / 2, ...b };
    }),
  };
}

export interface BarChart {
  width: number;
  height: number;
  label: string;
  labelW: number;
  rows: Array<{ y: number; w: number; label: string; text: string }>;
}

/** Horizontal bars with their label on the left (hours by cité). */
export function barChart(bars: Bar[], label: string): BarChart {
  const rowH = 24;
  const labelW = 300;
  const barW = 340;
  const max = Math.max(...bars.map((b) => b.value), 1);
  return {
    width: labelW + barW + 110,
    height: Math.max(bars.length * rowH, 1),
    label,
    labelW,
    rows: bars.map((b, i) => ({ y: i * rowH, w: +((barW * Math.max(0, b.value)) / max).toFixed(1), ...b })),
  };
}
