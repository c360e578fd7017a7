import type { Severity } from '@dive/errors';
import type { AnalyticsBucket, ErrorAnalytics, ErrorRecord } from '../types.js';

const WIDTH: Record<AnalyticsBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Summarise stored errors (already filtered by instance and time) into counts, top causes and a trend. */
export function analyse(records: readonly ErrorRecord[], bucket: AnalyticsBucket): ErrorAnalytics {
  const bySeverity: Record<Severity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  const codes = new Map<number, { code: number; tag: string; count: number }>();
  const causes = new Map<string, { tag: string; message: string; count: number }>();
  const buckets = new Map<number, number>();
  const width = WIDTH[bucket];
  for (const r of records) {
    bySeverity[r.severity] += 1;
    const c = codes.get(r.code) ?? { code: r.code, tag: r.tag, count: 0 };
    c.count += 1;
    codes.set(r.code, c);
    const key = `${r.tag}\u0000${r.message}`;
    const cause = causes.get(key) ?? { tag: r.tag, message: r.message, count: 0 };
    cause.count += 1;
    causes.set(key, cause);
    const start = Math.floor(r.at / width) * width;
    buckets.set(start, (buckets.get(start) ?? 0) + 1);
  }
  const series = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([start, count]) => ({ start, count }));
  return {
    total: records.length,
    byCode: [...codes.values()].sort((a, b) => b.count - a.count || a.code - b.code),
    bySeverity,
    topCauses: [...causes.values()].sort((a, b) => b.count - a.count).slice(0, 5),
    buckets: series,
    trend: trendOf(series.map((b) => b.count)),
  };
}

function trendOf(counts: readonly number[]): 'rising' | 'falling' | 'flat' {
  if (counts.length < 2) return 'flat';
  const half = Math.floor(counts.length / 2);
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const first = sum(counts.slice(0, half)) / half;
  const second = sum(counts.slice(counts.length - half)) / half;
  if (second > first) return 'rising';
  if (second < first) return 'falling';
  return 'flat';
}
