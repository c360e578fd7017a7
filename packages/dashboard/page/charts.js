import { html } from 'htm/preact';

// Two small SVG charts (bars of error counts per bucket, deployment durations over time with P50/P95 lines): the
// page draws 2 series, so a ~40-line SVG component replaces a charting library and its bytes.

export function Bars({ buckets, label }) {
  const w = 600;
  const h = 160;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const bw = buckets.length === 0 ? 0 : w / buckets.length;
  return html`<svg class="chart" viewBox="0 0 ${w} ${h + 20}" role="img" aria-label=${label}>
    ${buckets.map(
      (b, i) =>
        html`<rect
          key=${b.start}
          class="bar"
          x=${i * bw + 1}
          y=${h - (b.count / max) * h}
          width=${Math.max(1, bw - 2)}
          height=${(b.count / max) * h}
          ><title>${new Date(b.start).toLocaleString()}: ${b.count}</title></rect
        >`,
    )}
    <text x="0" y=${h + 16} class="axis">max ${max}</text>
  </svg>`;
}

export function Durations({ series, p50, p95, label }) {
  const w = 600;
  const h = 160;
  const max = Math.max(1, ...series.map((d) => d.ms));
  const x = (i) => (series.length <= 1 ? w / 2 : (i / (series.length - 1)) * w);
  const y = (ms) => h - (ms / max) * h;
  const points = series.map((d, i) => `${x(i)},${y(d.ms)}`).join(' ');
  return html`<svg class="chart" viewBox="0 0 ${w} ${h + 20}" role="img" aria-label=${label}>
    <polyline class="series" points=${points} />
    ${series.map((d, i) => html`<circle key=${i} class="dot" cx=${x(i)} cy=${y(d.ms)} r="3" />`)}
    ${p50 === null ? null : html`<line class="p50" x1="0" x2=${w} y1=${y(p50)} y2=${y(p50)} />`}
    ${p95 === null ? null : html`<line class="p95" x1="0" x2=${w} y1=${y(p95)} y2=${y(p95)} />`}
    <text x="0" y=${h + 16} class="axis">max ${Math.round(max)} ms · dashed: P50 · dotted: P95</text>
  </svg>`;
}

/** A Gantt timeline: one bar per service from its start to its end (or now, while running). */
export function Gantt({ services, now }) {
  const starts = services.map((s) => s.startedAt);
  const t0 = Math.min(...starts);
  const t1 = Math.max(now, ...services.map((s) => s.endedAt ?? now));
  const span = Math.max(1, t1 - t0);
  const w = 600;
  const row = 22;
  return html`<svg
    class="gantt"
    viewBox="0 0 ${w + 130} ${services.length * row + 20}"
    role="img"
    aria-label="timeline of starts and ready times"
  >
    ${services.map((s, i) => {
      const x = 130 + ((s.startedAt - t0) / span) * w;
      const x2 = 130 + (((s.endedAt ?? now) - t0) / span) * w;
      return html`<g key=${s.name} class=${`lane ${s.status}`}>
        <text x="0" y=${i * row + 15}>${s.name}</text>
        <rect x=${x} y=${i * row + 4} width=${Math.max(2, x2 - x)} height=${row - 8} rx="3"
          ><title>${s.name}: ${Math.round((s.endedAt ?? now) - s.startedAt)} ms</title></rect
        >
      </g>`;
    })}
    <text x="130" y=${services.length * row + 16} class="axis">0 → ${Math.round(span)} ms</text>
  </svg>`;
}
