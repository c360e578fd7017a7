import type { FleetPause, FleetRun } from '@dive/state-db';
import type { FleetEvent, FleetReport } from '../../fleet/report.js';
import type { LoadedFleet } from '../../fleet/types.js';

/** One progress line for a fleet event, or nothing (engine events of instances are left to `--verbose` logs). */
export function fleetEventLine(e: FleetEvent): string | undefined {
  switch (e.type) {
    case 'fleet-started':
      return `fleet ${e.fleet}: run ${e.runId}${e.resumed ? ' (continuing an unfinished run)' : ''}, ${e.waves} waves`;
    case 'wave-started':
      return `wave ${e.wave + 1}: ${e.instances.join(', ')}`;
    case 'wave-finished':
      return `wave ${e.wave + 1}: ${e.status}`;
    case 'instance-skipped':
      return `  ${e.instance}: already COMPLETE in this run, skipped`;
    case 'instance-started':
      return `  ${e.instance}: deploying`;
    case 'instance-finished':
      return `  ${e.instance}: ${e.status}${e.exitCode === 0 ? '' : ` (exit ${e.exitCode})`}`;
    case 'instance-rolled-back':
      return `  ${e.instance}: ${e.ok ? 'rolled back' : 'rollback FAILED'}`;
    case 'gate-started':
      return `gate ${e.gate}: checking ${e.checks.join(', ')}`;
    case 'gate-waiting':
      return `gate ${e.gate}: ${e.detail}`;
    case 'gate-finished':
      return `gate ${e.gate}: ${e.passed ? 'passed' : 'FAILED'} — ${e.detail}`;
    case 'fleet-paused':
      return `fleet ${e.fleet}: PAUSED${e.by === undefined ? '' : ` by ${e.by}`} (starts in flight finish; resume with dive fleet resume)`;
    case 'fleet-resumed':
      return `fleet ${e.fleet}: resumed${e.by === undefined ? '' : ` by ${e.by}`}`;
    case 'fleet-finished':
      return `fleet ${e.fleet}: ${e.state}${e.reason === undefined ? '' : ` — ${e.reason}`}`;
    case 'deploy':
      return undefined;
  }
}

/** The report of `dive fleet deploy` as text. */
export function formatFleetReport(r: FleetReport): string {
  const lines = [
    `fleet ${r.fleet} run ${r.runId}: ${r.state} in ${r.durationMs} ms${r.reason === undefined ? '' : ` — ${r.reason}`}`,
  ];
  for (const w of r.waves) {
    lines.push(
      `  wave ${w.index + 1} [${w.instances.join(', ')}]: ${w.status}${w.gate === undefined ? '' : `; gate ${w.gate.passed ? 'passed' : 'FAILED'}`}`,
    );
    for (const i of r.instances.filter((x) => x.wave === w.index)) {
      const why = i.error === undefined ? '' : ` — ${i.error._tag}: ${i.error.message}`;
      lines.push(`    ${i.instance}: ${i.status}${i.skipped === true ? ' (skipped)' : ''} exit ${i.exitCode}${why}`);
    }
  }
  if (r.finalGate !== undefined) lines.push(`  final gate: ${r.finalGate.passed ? 'passed' : 'FAILED'}`);
  if (r.recordFailures !== undefined) {
    const missed = r.recordFailures.map((f) => `${f.what} (${f.times}×: ${f.error.message})`);
    lines.push(`  warning: the fleet record missed writes, dive fleet status may lag: ${missed.join('; ')}`);
  }
  return lines.join('\n');
}

/** `dive fleet plan` as text: waves, instances with their hosts and services, gates. */
export function formatFleetPlan(f: LoadedFleet, latest: FleetRun | undefined): string {
  const lines = [`fleet ${f.name} (${f.file}); on gate failure: ${f.onGateFailure ?? 'rollback-wave'}`];
  f.waves.forEach((w, i) => {
    lines.push(
      `wave ${i + 1}: ${w.instances.join(', ')}${w.maxParallel === undefined ? '' : ` (at most ${w.maxParallel} at once)`}`,
    );
    for (const c of w.instances) {
      const spec = f.instances[c];
      const services = Object.keys(spec?.topology.services ?? {}).length;
      const done =
        latest?.state !== 'COMPLETE' && latest?.instances.find((x) => x.instance === c)?.status === 'COMPLETE';
      lines.push(
        `  ${c}: ${f.topologyFiles[c] ?? ''}, ${services} services, on ${spec?.docker ?? spec?.runtime ?? 'the default runtime'}${done ? ' — COMPLETE in the unfinished run: skipped' : ''}`,
      );
    }
    if (w.gate !== undefined) lines.push(`  gate wave-${i + 1}: ${gateText(w.gate)}`);
  });
  if (f.gate !== undefined) lines.push(`gate final: ${gateText(f.gate)}`);
  return lines.join('\n');
}

function gateText(g: NonNullable<LoadedFleet['gate']>): string {
  const parts = [
    ...(g.http === undefined ? [] : [`http ${g.http.url} → ${g.http.expectStatus ?? 200}`]),
    ...(g.tcp === undefined ? [] : [`tcp ${g.tcp.host}:${g.tcp.port}`]),
    ...(g.command === undefined ? [] : [`command ${[g.command.run, ...(g.command.args ?? [])].join(' ')}`]),
    ...(g.metric === undefined
      ? []
      : [`metric errors ≤ ${g.metric.maxErrors ?? '–'}, rate ≤ ${g.metric.maxErrorRate ?? '–'}`]),
    ...(g.approval === true ? ['approval'] : []),
  ];
  return `${parts.join(' + ')}${g.timeoutMs === undefined ? '' : ` within ${g.timeoutMs} ms`}`;
}

/** `dive fleet status` as text. */
export function formatFleetStatus(fleet: string, run: FleetRun | undefined, pause: FleetPause): string {
  const flag = pause.paused ? `PAUSED (by ${pause.by ?? '?'})` : 'not paused';
  if (run === undefined) return `fleet ${fleet}: no run yet; ${flag}`;
  const lines = [
    `fleet ${fleet} run ${run.id}: ${run.state}${run.reason === undefined ? '' : ` — ${run.reason}`}; ${flag}`,
  ];
  for (const i of run.instances) {
    lines.push(
      `  wave ${i.wave + 1} ${i.instance}: ${i.status}${i.error === undefined ? '' : ` — ${i.error.tag}: ${i.error.message}`}`,
    );
  }
  for (const g of run.gates)
    lines.push(`  gate ${g.gate}: ${g.status}${g.detail === undefined ? '' : ` — ${g.detail}`}`);
  for (const a of run.approvals) lines.push(`  approved ${a.gate} by ${a.by} at ${new Date(a.at).toISOString()}`);
  return lines.join('\n');
}
