/**
 * The dashboard's SVG charts: plain inline SVG, no scripts. Every data mark carries `data-mark` (the
 * browser test counts them) and a <title> tooltip with its value.
 */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number, d = 3) => (Number.isFinite(v) ? (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(d) : v.toExponential(1)) : '–');

/** One horizontal bar per label. */
export function barChart(title: string, labels: string[], values: number[], o: { unit?: string; color?: string } = {}): string {
  const labelW = 150,
    barH = 14,
    top = 30,
    width = 720;
  const plotW = width - labelW - 90;
  const max = Math.max(1e-12, ...values.filter(Number.isFinite));
  const h = top + labels.length * (barH + 4) + 10;
  const parts = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" role="img" aria-label="${esc(title)}">`,
    `<text x="0" y="16" font-weight="bold" font-size="14">${esc(title)}</text>`,
  ];
  labels.forEach((l, i) => {
    const y = top + i * (barH + 4);
    const v = values[i];
    const w = Number.isFinite(v) ? Math.max(1, (v / max) * plotW) : 0;
    parts.push(`<text x="${labelW - 6}" y="${y + barH - 3}" font-size="11" text-anchor="end">${esc(l)}</text>`);
    parts.push(
      `<rect data-mark="1" x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${o.color ?? '#4575b4'}"><title>${esc(`${l}: ${num(v)}${o.unit ? ` ${o.unit}` : ''}`)}</title></rect>`,
    );
    parts.push(
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + barH - 3}" font-size="10" fill="#444">${esc(num(v, 1))}${o.unit ? ` ${esc(o.unit)}` : ''}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** A heatmap of rows x columns; color from white (lo) to the given hue (hi); NaN cells are grey. */
export function heatmap(
  title: string,
  rows: string[],
  cols: string[],
  cell: (r: string, c: string) => number,
  o: { lo: number; hi: number; rgb: [number, number, number]; digits?: number },
): string {
  const labelW = 150,
    cw = 64,
    ch = 20,
    top = 42;
  const width = Math.max(560, labelW + cols.length * cw + 10);
  const h = top + rows.length * ch + 10;
  const parts = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" role="img" aria-label="${esc(title)}">`,
    `<text x="0" y="16" font-weight="bold" font-size="14">${esc(title)}</text>`,
  ];
  cols.forEach(
    (c, j) => void parts.push(`<text x="${labelW + j * cw + cw / 2}" y="${top - 6}" font-size="10" text-anchor="middle">${esc(c)}</text>`),
  );
  rows.forEach((r, i) => {
    const y = top + i * ch;
    parts.push(`<text x="${labelW - 6}" y="${y + ch - 6}" font-size="11" text-anchor="end">${esc(r)}</text>`);
    cols.forEach((c, j) => {
      const v = cell(r, c);
      const t = Number.isFinite(v) ? Math.min(1, Math.max(0, (v - o.lo) / (o.hi - o.lo || 1))) : NaN;
      const fill = Number.isNaN(t) ? '#ddd' : `rgb(${o.rgb.map((k) => Math.round(255 - (255 - k) * t)).join(',')})`;
      parts.push(
        `<rect data-mark="1" x="${labelW + j * cw}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="${fill}"><title>${esc(`${r} ${c}: ${num(v, o.digits ?? 3)}`)}</title></rect>`,
      );
      if (Number.isFinite(v))
        parts.push(
          `<text x="${labelW + j * cw + cw / 2 - 1}" y="${y + ch - 6}" font-size="9" text-anchor="middle" fill="${t > 0.6 ? '#fff' : '#222'}">${esc(num(v, o.digits ?? 3))}</text>`,
        );
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Stacked columns per day (the refresh history): ok, error and skipped units. */
export function stackedColumns(title: string, labels: string[], series: Array<{ name: string; color: string; values: number[] }>): string {
  const left = 50,
    top = 40,
    ph = 160,
    cw = Math.max(8, Math.min(40, Math.floor(640 / Math.max(1, labels.length))));
  const width = left + labels.length * cw + 20;
  const totals = labels.map((_, i) => series.reduce((a, s) => a + (s.values[i] || 0), 0));
  const max = Math.max(1, ...totals);
  const parts = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, 360)}" height="${top + ph + 40}" role="img" aria-label="${esc(title)}">`,
    `<text x="0" y="16" font-weight="bold" font-size="14">${esc(title)}</text>`,
  ];
  series.forEach(
    (s, k) =>
      void parts.push(
        `<rect x="${left + k * 90}" y="22" width="10" height="10" fill="${s.color}"/><text x="${left + k * 90 + 14}" y="31" font-size="11">${esc(s.name)}</text>`,
      ),
  );
  parts.push(
    `<text x="${left - 4}" y="${top + 8}" font-size="10" text-anchor="end">${max}</text><line x1="${left}" y1="${top + ph}" x2="${width}" y2="${top + ph}" stroke="#333"/>`,
  );
  labels.forEach((l, i) => {
    let y = top + ph;
    for (const s of series) {
      const v = s.values[i] || 0;
      if (v <= 0) continue;
      const hgt = Math.max(1, (v / max) * ph);
      y -= hgt;
      parts.push(
        `<rect data-mark="1" x="${left + i * cw}" y="${y.toFixed(1)}" width="${cw - 2}" height="${hgt.toFixed(1)}" fill="${s.color}"><title>${esc(`${l} ${s.name}: ${v}`)}</title></rect>`,
      );
    }
    if (labels.length <= 16 || i % Math.ceil(labels.length / 16) === 0)
      parts.push(`<text x="${left + i * cw}" y="${top + ph + 14}" font-size="9">${esc(l.slice(5))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
