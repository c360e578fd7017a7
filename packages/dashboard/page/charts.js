import { html } from 'htm/preact';
import { levelByLevel } from '../src/internal/level-estimate.ts';

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

const fmt = (ms) => (Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * A Gantt timeline: per service, its actual bar from start to ready (or now, while running) and below it, outlined,
 * its window had the deployment gone level by level (each level waiting for the slowest of the one before, with
 * the measured durations); the totals and the time saved underneath. `services` carry their `level`; without
 * `known` (the topology's edges are not read yet) there are no levels to estimate by, and only the actual bars show.
 */
export function Gantt({ services, now, known }) {
  const e = levelByLevel(services, now);
  const lanes = [...services].sort((a, b) => a.level - b.level || a.startedAt - b.startedAt);
  const span = Math.max(1, e.actualMs, known ? e.estimateMs : 0);
  const w = 600;
  const row = 30;
  const x = (at) => 130 + ((at - e.t0) / span) * w;
  const bar = (cls, from, to, y, h, title) =>
    html`<rect class=${cls} x=${x(from)} y=${y} width=${Math.max(2, x(to) - x(from))} height=${h} rx="3"
      ><title>${title}</title></rect
    >`;
  const saved = e.savedMs >= 0 ? `saved ${fmt(e.savedMs)}` : `${fmt(-e.savedMs)} slower`;
  return html`<svg
    class="gantt"
    viewBox="0 0 ${w + 140} ${lanes.length * row + 24}"
    role="img"
    aria-label="timeline of starts and ready times, with the level-by-level estimate"
  >
    ${lanes.map((s, i) => {
      const est = e.windows.get(s.name);
      const end = s.endedAt ?? now;
      return html`<g key=${s.name} class=${`lane ${s.status}`} data-service=${s.name}>
        <text x="0" y=${i * row + 14}>${s.name}</text>
        <text x="0" y=${i * row + 26} class="axis">level ${s.level}</text>
        ${bar('actual', s.startedAt, end, i * row + 3, 12, `${s.name}: ${fmt(end - s.startedAt)}`)}
        ${
          known && est
            ? bar(
                'estimate',
                est.startAt,
                est.endAt,
                i * row + 18,
                7,
                `${s.name} level by level: +${fmt(est.startAt - e.t0)} → +${fmt(est.endAt - e.t0)}`,
              )
            : null
        }
      </g>`;
    })}
    ${
      known
        ? html`<text
            x="130"
            y=${lanes.length * row + 18}
            class="axis estimate-total"
            data-saved-ms=${Math.round(e.savedMs)}
          >
            actual ${fmt(e.actualMs)} · level by level (outlined) ~${fmt(e.estimateMs)} · ${saved}
          </text>`
        : html`<text x="130" y=${lanes.length * row + 18} class="axis">
            actual ${fmt(e.actualMs)} · the level-by-level estimate shows once the topology is known
          </text>`
    }
  </svg>`;
}
