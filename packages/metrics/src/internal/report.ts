import type { ReportRow, Store } from './store.js';

function table(header: ReportRow, rows: readonly ReportRow[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: ReportRow) =>
    r
      .map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A plain-text report: one table for counters and gauges, one for histograms with P50/P95/P99. */
export function renderReport(stores: Iterable<Store>): string {
  const values: ReportRow[] = [];
  const histograms: ReportRow[] = [];
  for (const s of stores) (s.type === 'histogram' ? histograms : values).push(...s.reportRows());
  const parts: string[] = [];
  if (values.length > 0) parts.push(table(['metric', 'labels', 'value'], values));
  if (histograms.length > 0) {
    parts.push(table(['histogram (seconds)', 'labels', 'count', 'sum', 'p50', 'p95', 'p99'], histograms));
  }
  return parts.length === 0 ? 'no metrics recorded\n' : parts.join('\n\n') + '\n';
}
