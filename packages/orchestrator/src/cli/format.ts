import type { DeploymentPlan } from '../operations/plan.js';
import type { InstanceStatus } from '../operations/status.js';
import type { DeploymentReport } from '../report.js';
import type { RiskEstimate } from '../risk.js';

const ms = (n: number | undefined): string =>
  n === undefined ? '-' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;

/** A plain table: columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The risk estimate, one line per factor. */
export function formatRisk(risk: RiskEstimate): string {
  return [
    `risk: ${Math.round(risk.probability * 100)}% (${risk.level})`,
    ...risk.factors.map((f) => `  ${f.name.padEnd(19)} ${f.score.toFixed(2)} × ${f.weight}  ${f.detail}`),
  ].join('\n');
}

/** The end-of-deployment summary for people. */
export function formatReport(r: DeploymentReport): string {
  const lines = [
    `${r.instance}: ${r.success ? 'deployed' : 'FAILED'} — state ${r.status} after ${ms(r.durationMs)} (deployment ${r.deploymentId}, fencing token ${r.fencingToken})`,
    '',
    table(
      ['SERVICE', 'LEVEL', 'STATUS', 'ATTEMPTS', 'STARTED', 'READY AFTER'],
      r.services.map((s) => [
        s.name,
        String(s.level),
        s.status,
        String(s.attempts),
        ms(s.startedAtMs),
        ms(s.durationMs),
      ]),
    ),
    '',
    `critical path: ${r.criticalPath.path.join(' → ') || '-'} (${ms(r.criticalPath.totalMs)})`,
  ];
  if (r.checkpointId !== undefined) lines.push(`checkpoint: ${r.checkpointId}`);
  if (r.interruptedPrevious !== undefined)
    lines.push(
      `closed an interrupted deployment (${r.interruptedPrevious.deploymentId ?? '?'}, was ${r.interruptedPrevious.state})`,
    );
  if (r.error !== undefined)
    lines.push(`error: ${r.error.code} ${r.error._tag}: ${r.error.message}`, `  what to do: ${r.error.remediation}`);
  if (r.rollback !== undefined) {
    lines.push(
      `rollback (${r.rollback.strategy}): ${r.rollback.finalState}; removed ${r.rollback.removed.join(', ') || 'nothing'}; restored ${r.rollback.restored.join(', ') || 'nothing'}`,
    );
    if (r.rollback.error !== undefined)
      lines.push(`rollback error: ${r.rollback.error.message}`, `  what to do: ${r.rollback.error.remediation}`);
  }
  return lines.join('\n');
}

/** `dive plan` as text. */
export function formatPlan(p: DeploymentPlan): string {
  return [
    `plan for ${p.instance} (nothing is changed)`,
    '',
    'levels:',
    ...p.levels.map((l, i) => `  ${i}: ${l.join(', ')}`),
    '',
    `order: ${p.order.join(', ')}`,
    `critical path: ${p.criticalPath.path.join(' → ')} (~${ms(p.criticalPath.totalMs)}; level by level would take ~${ms(p.levelByLevelMs)})`,
    '',
    table(
      ['SERVICE', 'LEVEL', 'ACTION', 'DEPENDS ON'],
      p.actions.map((a) => [
        a.service,
        a.level < 0 ? '-' : String(a.level),
        a.action,
        Object.entries(a.dependsOn)
          .map(([d, c]) => `${d} (${c})`)
          .join(', '),
      ]),
    ),
    '',
    formatRisk(p.risk),
  ].join('\n');
}

/** `dive status` as text. */
export function formatStatus(list: readonly InstanceStatus[]): string {
  if (list.length === 0) return 'no instances recorded yet';
  return list
    .map((s) =>
      [
        `${s.instance}: ${s.state} (version ${s.version}${s.updatedAt === undefined ? '' : `, ${s.updatedAt}`})`,
        s.services.length === 0
          ? '  no services running'
          : table(
              ['  SERVICE', 'STATUS', 'ID', 'CONFIG'],
              s.services.map((x) => [
                `  ${x.service}`,
                x.status.state === 'exited' ? `exited ${x.status.exitCode}` : x.status.state,
                x.id.slice(0, 12),
                x.configHash,
              ]),
            ),
        formatRisk(s.risk).replace(/^/gm, '  '),
      ].join('\n'),
    )
    .join('\n\n');
}
