/**
 * Small, dependency-free SVG charts for the dataset report (inline in one HTML file, no scripts, so
 * the report opens anywhere and can be archived with the dataset). Every chart has a value axis with
 * ticks and a title naming the quantity and its unit, and a category or time axis with its own title.
 */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const fmt = (v: number) => (!Number.isFinite(v) ? '–' : Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(1));
/** A share as a percentage with enough digits for small values (0.04%, 1.2%, 35%). */
export const pct = (v: number) =>
  !Number.isFinite(v)
    ? '–'
    : v === 0
      ? '0%'
      : Math.abs(v) >= 0.1
        ? `${(v * 100).toFixed(0)}%`
        : Math.abs(v) >= 0.01
          ? `${(v * 100).toFixed(1)}%`
          : `${(v * 100).toPrecision(1)}%`;

export interface Series {
  name: string;
  color: string;
  values: number[];
}

export interface AxisOptions {
  /** Title of the value axis: the quantity and its unit. */
  valueLabel: string;
  /** Title of the category axis (bars) or the time axis (lines). */
  categoryLabel: string;
  /** Formats tick and value labels (default fmt). */
  format?: (v: number) => string;
}

/** About `n` round tick values covering [min, max]. */
export function ticks(min: number, max: number, n = 5): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Approximate width of a label at font-size 9 (the value labels). */
const textWidth = (s: string, size = 9) => s.length * size * 0.58;

/**
 * Horizontal grouped bars, one row per label; negative values extend left of the zero line. A value
 * label whose text would cross the marker (criterion) line is moved past it, so small values stay legible.
 */
export function horizontalBars(
  title: string,
  labels: string[],
  series: Series[],
  axes: AxisOptions,
  opts: { width?: number; marker?: { value: number; label: string } } = {},
): string {
  const f = axes.format ?? fmt;
  const width = opts.width ?? 760;
  const labelW = 250;
  const barH = 12;
  const gap = 6;
  const rowH = series.length * barH + gap;
  const top = 40;
  const plotBottom = top + labels.length * rowH;
  const height = plotBottom + 62;
  const all = series
    .flatMap((s) => s.values)
    .filter(Number.isFinite)
    .concat(opts.marker ? [opts.marker.value] : []);
  const tk = ticks(Math.min(0, ...all), Math.max(0, ...all));
  const min = Math.min(0, tk[0], ...all);
  const max = Math.max(0, tk[tk.length - 1], ...all);
  const span = max - min || 1;
  const plotW = width - labelW - 70;
  const x = (v: number) => labelW + ((v - min) / span) * plotW;
  const mx = opts.marker ? x(opts.marker.value) : null;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" class="chart bars">`,
    `<text x="0" y="16" font-weight="bold" font-size="14">${esc(title)}</text>`,
  ];
  series.forEach(
    (s, k) =>
      void parts.push(
        `<rect x="${labelW + k * 170}" y="24" width="10" height="10" fill="${s.color}"/><text x="${labelW + k * 170 + 14}" y="33" font-size="11">${esc(s.name)}</text>`,
      ),
  );
  labels.forEach((l, i) => {
    const y0 = top + i * rowH;
    parts.push(
      `<text x="${labelW - 6}" y="${y0 + (series.length * barH) / 2 + 4}" font-size="11" text-anchor="end" class="category">${esc(l)}</text>`,
    );
    series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const a = x(Math.min(0, v));
      const b = x(Math.max(0, v));
      const text = f(v);
      let tx = v < 0 ? a - 3 - textWidth(text) : b + 3;
      if (mx !== null && tx < mx + 2 && tx + textWidth(text) > mx - 2) tx = mx + 4;
      parts.push(
        `<rect x="${a.toFixed(1)}" y="${y0 + k * barH}" width="${Math.max(0.5, b - a).toFixed(1)}" height="${barH - 2}" fill="${s.color}"><title>${esc(`${l} ${s.name}: ${text}`)}</title></rect>`,
      );
      parts.push(
        `<text x="${tx.toFixed(1)}" y="${y0 + k * barH + barH - 3}" font-size="9" fill="#444" class="value" data-width="${textWidth(text).toFixed(1)}">${esc(text)}</text>`,
      );
    });
  });
  // the value axis: a line, ticks and their labels below the plot, then its title
  parts.push(`<line x1="${labelW}" y1="${plotBottom}" x2="${labelW + plotW}" y2="${plotBottom}" stroke="#333" class="axis x"/>`);
  for (const v of tk) {
    const tx = x(v);
    parts.push(
      `<line x1="${tx.toFixed(1)}" y1="${plotBottom}" x2="${tx.toFixed(1)}" y2="${plotBottom + 4}" stroke="#333"/><text x="${tx.toFixed(1)}" y="${plotBottom + 15}" font-size="10" text-anchor="middle" class="tick">${esc(f(v))}</text>`,
    );
  }
  parts.push(
    `<text x="${labelW + plotW / 2}" y="${plotBottom + 32}" font-size="11" text-anchor="middle" class="axis-title x">${esc(axes.valueLabel)}</text>`,
  );
  parts.push(`<text x="0" y="${top - 4}" font-size="11" class="axis-title y" font-style="italic">${esc(axes.categoryLabel)}</text>`);
  const zero = x(0);
  parts.push(`<line x1="${zero}" y1="${top - 4}" x2="${zero}" y2="${plotBottom}" stroke="#333" stroke-width="1"/>`);
  if (opts.marker && mx !== null) {
    parts.push(
      `<line x1="${mx}" y1="${top - 4}" x2="${mx}" y2="${plotBottom}" stroke="#c00" stroke-dasharray="4 3" class="marker" data-x="${mx.toFixed(1)}"/><text x="${mx + 3}" y="${plotBottom + 48}" font-size="10" fill="#c00">${esc(opts.marker.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Lines over a shared x (e.g. bars of a test stretch): each series one polyline with a point per finite value. */
export function lineChart(
  title: string,
  xs: number[],
  series: Series[],
  axes: AxisOptions & { formatX?: (v: number) => string },
  opts: { width?: number; height?: number } = {},
): string {
  const f = axes.format ?? fmt;
  const fx = axes.formatX ?? ((v: number) => String(Math.round(v)));
  const width = opts.width ?? 760;
  const height = opts.height ?? 320;
  const left = 80;
  const top = 40;
  const plotW = width - left - 20;
  const plotH = height - top - 50;
  const ys = series.flatMap((s) => s.values).filter(Number.isFinite);
  const yt = ticks(Math.min(...ys, 0), Math.max(...ys, 0));
  const ymin = Math.min(yt[0], ...ys);
  const ymax = Math.max(yt[yt.length - 1], ...ys);
  const xmin = Math.min(...xs);
  const xmax = Math.max(...xs);
  const X = (v: number) => left + ((v - xmin) / (xmax - xmin || 1)) * plotW;
  const Y = (v: number) => top + plotH - ((v - ymin) / (ymax - ymin || 1)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" class="chart lines">`,
    `<text x="0" y="16" font-weight="bold" font-size="14">${esc(title)}</text>`,
  ];
  series.forEach(
    (s, k) =>
      void parts.push(
        `<rect x="${left + k * 200}" y="24" width="10" height="10" fill="${s.color}"/><text x="${left + k * 200 + 14}" y="33" font-size="11">${esc(s.name)}</text>`,
      ),
  );
  parts.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333" class="axis x"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333" class="axis y"/>`,
  );
  for (const v of yt)
    parts.push(
      `<line x1="${left - 4}" y1="${Y(v).toFixed(1)}" x2="${left + plotW}" y2="${Y(v).toFixed(1)}" stroke="${v === 0 ? '#999' : '#eee'}"/><text x="${left - 6}" y="${(Y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end" class="tick y">${esc(f(v))}</text>`,
    );
  for (const v of ticks(xmin, xmax))
    parts.push(
      `<line x1="${X(v).toFixed(1)}" y1="${top + plotH}" x2="${X(v).toFixed(1)}" y2="${top + plotH + 4}" stroke="#333"/><text x="${X(v).toFixed(1)}" y="${top + plotH + 15}" font-size="10" text-anchor="middle" class="tick x">${esc(fx(v))}</text>`,
    );
  for (const s of series) {
    const pts = xs
      .map((x, i) => [x, s.values[i]] as const)
      .filter(([, y]) => Number.isFinite(y))
      .map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`);
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="1.2" points="${pts.join(' ')}" class="series"><title>${esc(s.name)}</title></polyline>`,
    );
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" font-size="11" text-anchor="middle" class="axis-title x">${esc(axes.categoryLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" font-size="11" text-anchor="middle" class="axis-title y">${esc(axes.valueLabel)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
}
