/**
 * Small, dependency-free SVG charts for the dataset report (inline in one HTML file, no scripts, so
 * the report opens anywhere and can be archived with the dataset).
 */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const fmt = (v: number) => (!Number.isFinite(v) ? '–' : Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(1));

export interface Series { name: string; color: string; values: number[] }

/** Horizontal grouped bars, one row per label; negative values extend left of the zero line. */
export function horizontalBars(title: string, labels: string[], series: Series[], opts: { width?: number; marker?: { value: number; label: string } } = {}): string {
  const width = opts.width ?? 760;
  const labelW = 230;
  const barH = 12;
  const gap = 6;
  const rowH = series.length * barH + gap;
  const top = 40;
  const height = top + labels.length * rowH + 30;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite).concat(opts.marker ? [opts.marker.value] : []);
  const max = Math.max(0, ...all);
  const min = Math.min(0, ...all);
  const span = max - min || 1;
  const plotW = width - labelW - 70;
  const x = (v: number) => labelW + ((v - min) / span) * plotW;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">`,
    `<text x="0" y="16" font-weight="bold" font-size="14">${esc(title)}</text>`];
  series.forEach((s, k) => parts.push(`<rect x="${labelW + k * 170}" y="24" width="10" height="10" fill="${s.color}"/><text x="${labelW + k * 170 + 14}" y="33" font-size="11">${esc(s.name)}</text>`));
  labels.forEach((l, i) => {
    const y0 = top + i * rowH;
    parts.push(`<text x="${labelW - 6}" y="${y0 + (series.length * barH) / 2 + 4}" font-size="11" text-anchor="end">${esc(l)}</text>`);
    series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const a = x(Math.min(0, v));
      const b = x(Math.max(0, v));
      parts.push(`<rect x="${a.toFixed(1)}" y="${y0 + k * barH}" width="${Math.max(0.5, b - a).toFixed(1)}" height="${barH - 2}" fill="${s.color}"><title>${esc(`${l} ${s.name}: ${fmt(v)}`)}</title></rect>`);
      parts.push(`<text x="${(b + 3).toFixed(1)}" y="${y0 + k * barH + barH - 3}" font-size="9" fill="#444">${fmt(v)}</text>`);
    });
  });
  const zero = x(0);
  parts.push(`<line x1="${zero}" y1="${top - 4}" x2="${zero}" y2="${height - 24}" stroke="#333" stroke-width="1"/>`);
  if (opts.marker) {
    const mx = x(opts.marker.value);
    parts.push(`<line x1="${mx}" y1="${top - 4}" x2="${mx}" y2="${height - 24}" stroke="#c00" stroke-dasharray="4 3"/><text x="${mx + 3}" y="${height - 10}" font-size="10" fill="#c00">${esc(opts.marker.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
