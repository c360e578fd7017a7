/* global document, window, location, EventSource, addEventListener, removeEventListener, requestAnimationFrame */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { actionsOn, fmtMs, fmtTime, get, post } from './api.js';
import { Graph, levelsOf } from './graph.js';
import { Bars, Durations, Gantt } from './charts.js';
import { graphFromSteps } from '../src/internal/deployment-graph.ts';

// One EventSource for the page; views subscribe to its events. The browser resends Last-Event-ID on reconnect and
// the server replays what was missed (or sends `reset`: reload everything).
const listeners = new Set();
const source = new EventSource('./events');
const latencies = [];
window.__diveLatencies = latencies;
for (const type of ['transition', 'step', 'reset'])
  source.addEventListener(type, (m) => {
    const data = JSON.parse(m.data);
    for (const l of [...listeners]) l(type, data);
  });
source.addEventListener('open', () => document.body.setAttribute('data-live', 'on'));
source.addEventListener('error', () => document.body.setAttribute('data-live', 'off'));

function useFeed(fn, deps) {
  useEffect(() => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  }, deps);
}

// Preact runs effects after the next frame, so a navigation between the first render and the effect (a link opened
// as the page loads, a script setting location.hash at DOMContentLoaded) fires `hashchange` before anyone listens:
// the effect therefore reads the hash again once its listener is in place.
function useRoute() {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    on();
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.slice(2).split('/').map(decodeURIComponent);
}

// Only the newest load's answer is shown: an older one (of the previous path, or overtaken by a reload on an event)
// that arrives later must not overwrite it. `patch(data, type, event)`, when given, applies an event to the data at
// once, before the reload it triggers answers (that reload reads the store after the event's write: it includes it).
function useData(path, reloadOn, patch) {
  const [data, setData] = useState(undefined);
  const [error, setError] = useState(undefined);
  const seq = useRef(0);
  const load = () => {
    const n = ++seq.current;
    return get(path).then(
      (d) => {
        if (n !== seq.current) return;
        setData(d);
        setError(undefined);
      },
      (e) => n === seq.current && setError(String(e.message)),
    );
  };
  useEffect(() => {
    setData(undefined);
    void load();
  }, [path]);
  useFeed(
    (type, d) => {
      if (type !== 'reset' && !reloadOn(type, d)) return;
      if (patch && type !== 'reset') setData((prev) => (prev === undefined ? prev : patch(prev, type, d)));
      void load();
    },
    [path],
  );
  return { data, error, load };
}

const badge = (state) => html`<span class=${`badge ${String(state).toLowerCase()}`}>${state}</span>`;

// A transition shows in its instance's row as soon as it arrives (state, version); the reload fills in the rest.
const applyTransition = (data, _type, t) => ({
  ...data,
  instances: data.instances.some((i) => i.instance === t.instance)
    ? data.instances.map((i) =>
        i.instance === t.instance && t.version > i.version
          ? { ...i, state: t.to, version: t.version, updatedAt: t.at }
          : i,
      )
    : [
        ...data.instances,
        { instance: t.instance, state: t.to, version: t.version, lastDeployment: null, openBreakers: [], lock: null },
      ],
});

function Instances() {
  const { data, error } = useData('instances', (t) => t === 'transition', applyTransition);
  if (error) return html`<p class="error">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  if (data.instances.length === 0) return html`<p>No instance has been deployed with this state yet.</p>`;
  return html`<table class="instances">
    <thead>
      <tr>
        <th>instance</th>
        <th>state</th>
        <th>version</th>
        <th>last deployment</th>
        <th>duration</th>
        <th>breakers open</th>
        <th>lock</th>
      </tr>
    </thead>
    <tbody>
      ${data.instances.map(
        (i) =>
          html`<tr key=${i.instance} data-instance=${i.instance}>
            <td><a href=${`#/i/${i.instance}`}>${i.instance}</a></td>
            <td data-label="state">${badge(i.state)}</td>
            <td data-label="version">${i.version}</td>
            <td data-label="last">
              ${i.lastDeployment ? html`<a href=${`#/d/${i.lastDeployment.deploymentId}`}>${fmtTime(i.lastDeployment.startedAt)}</a>` : '–'}
            </td>
            <td data-label="duration">${fmtMs(i.lastDeployment?.durationMs)}</td>
            <td data-label="breakers">${i.openBreakers.length === 0 ? '0' : i.openBreakers.join(', ')}</td>
            <td data-label="lock">${i.lock ? `${i.lock.holder.host}:${i.lock.holder.pid}` : '–'}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function Instance({ instance }) {
  const h = useData(
    `history/${encodeURIComponent(instance)}?limit=200`,
    (t, d) => t === 'transition' && d.instance === instance,
  );
  const c = useData(
    `checkpoints/${encodeURIComponent(instance)}`,
    (t, d) => t === 'transition' && d.instance === instance,
  );
  const [outcome, setOutcome] = useState(undefined);
  const act = async (kind) => {
    setOutcome('…');
    const r = await post(`actions/${kind}/${instance}`);
    setOutcome(r.status === 200 ? r.body.summary : `refused (${r.status}): ${r.body.error ?? r.body.message}`);
  };
  const v = h.data?.verification;
  return html`<section>
    <h2>${instance}</h2>
    ${h.error ? html`<p class="error">${h.error}</p>` : null}
    ${
      actionsOn()
        ? html`<p class="actions">
            <button data-action="rollback" onClick=${() => act('rollback')}>Roll back</button>
            <button data-action="down" onClick=${() => act('down')}>Down</button>
            <span class="outcome">${outcome}</span>
          </p>`
        : null
    }
    ${
      v
        ? html`<p class=${v.ok ? 'verify ok' : 'verify bad'} data-verified=${v.ok ? 'yes' : 'no'}>
            ${
              v.ok
                ? `Audit chain verified: ${v.rows} rows, head ${String(v.head).slice(0, 16)}…${v.keyed ? ' (HMAC-sealed)' : ''}`
                : `Audit chain FAILED: ${v.tag} — ${v.message}`
            }
          </p>`
        : null
    }
    <h3>Deployments</h3>
    <ul class="deployments">
      ${(h.data?.deployments ?? []).map(
        (d) =>
          html`<li key=${d.deploymentId}>
            <a href=${`#/d/${d.deploymentId}`}>${fmtTime(d.startedAt)}</a> ${badge(d.outcome)} ${fmtMs(d.durationMs)}
          </li>`,
      )}
    </ul>
    <h3>History</h3>
    <table class="history">
      <thead>
        <tr>
          <th>v</th>
          <th>at</th>
          <th>from → to</th>
          <th>reason</th>
          <th>actor</th>
        </tr>
      </thead>
      <tbody>
        ${(h.data?.rows ?? []).map(
          (r) =>
            html`<tr key=${r.version}>
              <td>${r.version}</td>
              <td>${fmtTime(r.at)}</td>
              <td>${r.from} → ${badge(r.to)}</td>
              <td>${r.reason}</td>
              <td>${r.actor}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h3>Checkpoints</h3>
    <ul class="checkpoints">
      ${(c.data?.checkpoints ?? []).map(
        (k) =>
          html`<li key=${k.id}><code>${k.id}</code> ${fmtTime(k.createdAt)}${k.encrypted ? ' · encrypted' : ''}</li>`,
      )}
    </ul>
  </section>`;
}

const serviceOf = (s) => ({
  name: s.step.slice('service:'.length),
  status: s.status,
  startedAt: s.startedAt,
  endedAt: s.endedAt,
  attempt: s.detail?.attempt ?? 1,
});

// A load's snapshot may have been read before step events that reached the page while it was in flight: those steps
// are kept and laid over it. Only the newest load is applied (see useData).
function Deployment({ id }) {
  const [data, setData] = useState(undefined);
  const [error, setError] = useState(undefined);
  const seq = useRef(0);
  const live = useRef(new Map());
  const hasGraph = useRef(false);
  const load = () => {
    const n = ++seq.current;
    live.current = new Map();
    return get(`deployments/${encodeURIComponent(id)}`).then(
      (d) => {
        if (n !== seq.current) return;
        const steps = [...d.steps.filter((s) => !live.current.has(s.step)), ...live.current.values()];
        setData({ ...d, steps });
        setError(undefined);
      },
      (e) => n === seq.current && setError(String(e.message)),
    );
  };
  useEffect(() => {
    setData(undefined);
    void load();
  }, [id]);
  useFeed(
    (type, d) => {
      if (type === 'reset') return void load();
      // a deployment recorded without a `graph` step has its edges from the checkpoint written when it completes
      // (just after the transition: read again a moment later too)
      if (type === 'transition' && d.deploymentId === id && ['COMPLETE', 'FAILED'].includes(d.to)) {
        if (hasGraph.current) return;
        void load();
        setTimeout(() => void load(), 1500);
        return;
      }
      if (type !== 'step' || d.deploymentId !== id) return;
      live.current.set(d.step, d);
      setData((prev) => {
        const steps = [...(prev?.steps ?? []).filter((s) => s.step !== d.step), d];
        return { ...(prev ?? { dependsOn: {} }), steps };
      });
      const at = d.endedAt ?? d.startedAt;
      requestAnimationFrame(() => latencies.push(Date.now() - at));
    },
    [id],
  );
  if (error) return html`<p class="error">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const services = data.steps.filter((s) => s.step.startsWith('service:')).map(serviceOf);
  // the graph the engine recorded as the deployment began (live, or in the snapshot), else the server's fallback
  const graph = graphFromSteps(data.steps);
  hasGraph.current = graph !== undefined;
  const dependsOn = graph?.dependsOn ?? data.dependsOn ?? {};
  const names = services.map((s) => s.name);
  // in the plan's order, so that a node keeps its place as its steps arrive; those not started yet are pending
  const byName = new Map(services.map((s) => [s.name, s]));
  const nodes =
    graph === undefined
      ? services
      : [
          ...graph.planned.map((name) => byName.get(name) ?? { name, status: 'pending', attempt: 1 }),
          ...services.filter((s) => !graph.planned.includes(s.name)),
        ];
  const level = levelsOf(names, dependsOn);
  const timed = services.map((s) => ({ ...s, level: level.get(s.name) ?? 0 }));
  const phases = data.steps.filter((s) => s.step.startsWith('phase:'));
  return html`<section>
    <h2>Deployment <code>${id}</code> of <a href=${`#/i/${data.instance}`}>${data.instance}</a></h2>
    <p class="phases">
      ${phases.map((p) => html`<span key=${p.step} class=${`phase ${p.status}`}>${p.step.slice(6)}</span>`)}
    </p>
    <h3>Services by level (critical path highlighted)</h3>
    <${Graph} services=${nodes} dependsOn=${dependsOn} />
    <h3>Timeline: actual starts and ready times, and level by level</h3>
    ${
      services.length === 0
        ? html`<p>No service started yet.</p>`
        : html`<${Gantt} services=${timed} now=${Date.now()} known=${Object.keys(dependsOn).length > 0} />`
    }
  </section>`;
}

function Analytics() {
  const { data, error } = useData(
    'analytics?bucket=hour',
    (t, d) => t === 'transition' && ['COMPLETE', 'FAILED'].includes(d.to),
  );
  if (error) return html`<p class="error">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  const e = data.errors;
  const d = data.durations;
  return html`<section class="analytics">
    <h2>Errors (7 days, per hour) — ${e.total} total, trend ${e.trend}</h2>
    <${Bars} buckets=${e.buckets} label="errors per hour" />
    <ul>
      ${e.byCode.map((c) => html`<li key=${c.code}>${c.code} ${c.tag}: ${c.count}</li>`)}
    </ul>
    <h2>
      Deployment durations — ${d.count} deployments, P50 ${fmtMs(d.p50)}, P95 ${fmtMs(d.p95)}, P99 ${fmtMs(d.p99)}
    </h2>
    <${Durations} series=${d.series} p50=${d.p50} p95=${d.p95} label="deployment durations" />
  </section>`;
}

function Health() {
  const { data, error } = useData('health', (t) => t === 'transition');
  if (error) return html`<p class="error">${error}</p>`;
  if (!data) return html`<p>Loading…</p>`;
  return html`<section>
    <h2>Circuit breakers</h2>
    ${
      data.breakers === null
        ? html`<p>Breakers are not shared through this state (each process keeps its own).</p>`
        : html`<ul>
            ${data.breakers.map((b) => html`<li key=${b.name}>${b.name}: ${badge(b.state)} failures ${b.consecutiveFailures}</li>`)}
          </ul>`
    }
    <h2>Locks</h2>
    ${
      data.locks === null || data.locks.length === 0
        ? html`<p>No lock is held.</p>`
        : html`<ul>
            ${data.locks.map((l) => html`<li key=${l.type + l.resource}>${l.type} ${l.resource}: ${l.holder.host} pid ${l.holder.pid}, token ${l.fencingToken}, since ${fmtTime(l.acquiredAt)}</li>`)}
          </ul>`
    }
  </section>`;
}

function App() {
  const [view, arg] = useRoute();
  const body =
    view === 'i'
      ? html`<${Instance} instance=${arg} />`
      : view === 'd'
        ? html`<${Deployment} id=${arg} />`
        : view === 'analytics'
          ? html`<${Analytics} />`
          : view === 'health'
            ? html`<${Health} />`
            : html`<${Instances} />`;
  return html`<header>
      <h1><a href="#/">DIVE</a></h1>
      <nav><a href="#/">Instances</a><a href="#/analytics">Analytics</a><a href="#/health">Breakers & locks</a></nav>
    </header>
    <main>${body}</main>`;
}

render(html`<${App} />`, document.getElementById('app'));
