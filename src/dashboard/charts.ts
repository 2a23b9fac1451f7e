import { escapeHtml as esc, formatIntFr } from '../lib/html.js';

// Inline SVG charts: no script, no external asset, readable without colour (labels carry
// the numbers) and printable.

const BLUE = '#000091';
const LIGHT = '#e3e3fd';

/** A horizontal bar of realised hours against the target, with the target marked. */
export function progressBar(realised: number, target: number, label: string): string {
  const w = 640,
    h = 56,
    barH = 28;
  const ratio = target > 0 ? realised / target : 0;
  const filled = Math.min(ratio, 1) * w;
  const over =
    ratio > 1
      ? `<text x="${w}" y="${barH + 22}" text-anchor="end" font-size="13" fill="${BLUE}">au-delà de l’objectif</text>`
      : '';
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${w} ${h}" width="100%" class="chart progress">
  <rect x="0" y="0" width="${w}" height="${barH}" rx="4" fill="${LIGHT}"/>
  <rect x="0" y="0" width="${filled.toFixed(1)}" height="${barH}" rx="4" fill="${BLUE}"/>
  <text x="0" y="${barH + 22}" font-size="13" fill="#3a3a3a">0 h</text>
  <text x="${w / 2}" y="${barH + 22}" text-anchor="middle" font-size="13" fill="#3a3a3a">objectif : ${formatIntFr(target)} h</text>
  ${over}
</svg>`;
}

export interface Bar {
  label: string;
  value: number;
  text: string; // the value as people read it
}

/** Vertical bars (e.g. hours by year). */
export function columnChart(bars: Bar[], label: string): string {
  if (!bars.length) return '<p class="empty">Aucune heure enregistrée pour l’instant.</p>';
  const colW = 64,
    gap = 16,
    h = 200,
    top = 24,
    bottom = 28;
  const w = bars.length * (colW + gap);
  const max = Math.max(...bars.map((b) => b.value), 1);
  const cols = bars.map((b, i) => {
    const bh = ((h - top - bottom) * b.value) / max;
    const x = i * (colW + gap);
    const y = h - bottom - bh;
    return `<rect x="${x}" y="${y.toFixed(1)}" width="${colW}" height="${bh.toFixed(1)}" fill="${BLUE}"/>
  <text x="${x + colW / 2}" y="${(y - 6).toFixed(1)}" text-anchor="middle" font-size="12">${esc(b.text)}</text>
  <text x="${x + colW / 2}" y="${h - 8}" text-anchor="middle" font-size="13">${esc(b.label)}</text>`;
  });
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${w} ${h}" width="${Math.min(w, 720)}" class="chart columns">
  ${cols.join('\n  ')}
</svg>`;
}

/** Horizontal bars with their label on the left (e.g. hours by cité). */
export function barChart(bars: Bar[], label: string): string {
  const rowH = 24,
    labelW = 300,
    barW = 340,
    valueW = 110;
  const w = labelW + barW + valueW;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const rows = bars.map((b, i) => {
    const y = i * rowH;
    const bw = (barW * b.value) / max;
    return `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" font-size="13">${esc(b.label)}</text>
  <rect x="${labelW}" y="${y + 4}" width="${bw.toFixed(1)}" height="${rowH - 8}" fill="${BLUE}"/>
  <text x="${labelW + bw + 6}" y="${y + 16}" font-size="12">${esc(b.text)}</text>`;
  });
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${w} ${bars.length * rowH}" width="100%" class="chart bars">
  ${rows.join('\n  ')}
</svg>`;
}
