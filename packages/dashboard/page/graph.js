import { html } from 'htm/preact';

// The dependency graph laid out by level (level = longest chain of dependencies below a service), drawn as SVG:
// a few dozen lines instead of a layout library; a DIVE topology is a small DAG whose levels are what people read.

/** Levels of services: 0 for no dependencies, else 1 + the highest level of its dependencies. */
export function levelsOf(services, dependsOn) {
  const level = new Map();
  const visit = (s, seen) => {
    if (level.has(s)) return level.get(s);
    if (seen.has(s)) return 0;
    seen.add(s);
    const deps = (dependsOn[s] ?? []).filter((d) => services.includes(d));
    const l = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => visit(d, seen)));
    level.set(s, l);
    return l;
  };
  for (const s of services) visit(s, new Set());
  return level;
}

/**
 * The critical path: from the service that finished last, back through the dependency that finished last (so far,
 * while the deployment runs). Services not started yet (`pending`) are drawn but are not on it.
 */
export function criticalPath(services, dependsOn) {
  const end = (s) => s.endedAt ?? s.startedAt ?? 0;
  const by = new Map(services.map((s) => [s.name, s]));
  let cur = [...services].sort((a, b) => end(b) - end(a))[0];
  const path = [];
  while (cur !== undefined && !path.includes(cur.name)) {
    path.unshift(cur.name);
    const deps = (dependsOn[cur.name] ?? []).map((d) => by.get(d)).filter(Boolean);
    cur = deps.sort((a, b) => end(b) - end(a))[0];
  }
  return path;
}

const W = 150;
const H = 44;
const GX = 40;
const GY = 16;

export function Graph({ services, dependsOn }) {
  const names = services.map((s) => s.name);
  const level = levelsOf(names, dependsOn);
  const critical = new Set(
    criticalPath(
      services.filter((s) => s.status !== 'pending'),
      dependsOn,
    ),
  );
  const cols = [];
  for (const s of services) (cols[level.get(s.name)] ??= []).push(s);
  const pos = new Map();
  cols.forEach((col, x) => col.forEach((s, y) => pos.set(s.name, { x: x * (W + GX), y: y * (H + GY) })));
  const width = cols.length * (W + GX);
  const height = Math.max(1, ...cols.map((c) => c.length)) * (H + GY);
  const edges = [];
  for (const s of names)
    for (const d of dependsOn[s] ?? []) {
      const a = pos.get(d);
      const b = pos.get(s);
      if (a && b) edges.push({ a, b, hot: critical.has(s) && critical.has(d), key: `${d}>${s}` });
    }
  return html`<svg class="graph" viewBox="0 0 ${width} ${height}" role="img" aria-label="dependency graph by level">
    ${edges.map(
      (e) =>
        html`<line
          key=${e.key}
          class=${e.hot ? 'edge critical' : 'edge'}
          x1=${e.a.x + W}
          y1=${e.a.y + H / 2}
          x2=${e.b.x}
          y2=${e.b.y + H / 2}
        />`,
    )}
    ${services.map((s) => {
      const p = pos.get(s.name);
      return html`<g
        key=${s.name}
        class=${`node ${s.status}${critical.has(s.name) ? ' critical' : ''}`}
        data-service=${s.name}
        data-status=${s.status}
        transform="translate(${p.x},${p.y})"
      >
        <rect class=${`${s.status}${critical.has(s.name) ? ' critical' : ''}`} width=${W} height=${H} rx="6" />
        <text x="8" y="18">${s.name}</text>
        <text x="8" y="35" class="sub">${s.status}${s.attempt > 1 ? ` · try ${s.attempt}` : ''}</text>
      </g>`;
    })}
  </svg>`;
}
