/* global document, fetch */
// Fetch helpers of the page: relative URLs (the dashboard may be mounted under a prefix), same-origin cookies.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? undefined;

export const actionsOn = () => meta('dive-actions') === 'on';

export async function get(path) {
  const r = await fetch(`./api/${path}`, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

export async function post(path, body) {
  const r = await fetch(`./api/${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Dive-Csrf': meta('dive-csrf') ?? '' },
    body: JSON.stringify(body ?? {}),
  });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

export const fmtMs = (ms) =>
  ms === null || ms === undefined ? '–' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
export const fmtTime = (at) => (at === null || at === undefined ? '–' : new Date(at).toLocaleString());
