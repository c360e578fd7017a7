/* eslint-disable @typescript-eslint/no-non-null-assertion -- hot path: indexes are in range by construction (bucket
   counts have one slot per bound plus +Inf; label names are iterated by their length). */
import type { Labels, MetricsWarningKind } from '../types.js';

/** Reports a refusal; the table calls it at most once per kind. */
export type Warn = (kind: MetricsWarningKind, message: string) => void;

/** The series of one metric, keyed by label values in declared order; new series are refused past `maxSeries`. */
export class SeriesTable<S> {
  readonly series = new Map<string, S>();
  private readonly warned = new Set<MetricsWarningKind>();

  constructor(
    readonly metric: string,
    readonly labelNames: readonly string[],
    private readonly maxSeries: number,
    private readonly onWarn: Warn,
    private readonly create: (labels: Readonly<Record<string, string>>) => S,
  ) {}

  /**
   * The key of a series: label values in declared order joined by U+0001. Hot path: no validation here. Keys cannot
   * collide: series are only created from values without U+0001, so each stored key has exactly n-1 separators.
   * (A label missing at run time reads as the string 'undefined'; the types prevent that.)
   */
  key(labels: Labels | undefined): string {
    const names = this.labelNames;
    const n = names.length;
    if (n === 0) return '';
    if (labels === undefined) return '\u0000';
    let key = String(labels[names[0]!]);
    for (let i = 1; i < n; i++) key += '\u0001' + String(labels[names[i]!]);
    return key;
  }

  /** The series for `labels`, created on first use; `undefined` (after one warning) when refused. */
  get(labels: Labels | undefined): S | undefined {
    const key = this.key(labels);
    return this.series.get(key) ?? this.add(key, labels);
  }

  /** The series for `labels` if it exists; never creates one. */
  find(labels: Labels | undefined): S | undefined {
    return this.series.get(this.key(labels));
  }

  /** Warn once per kind. */
  warn(kind: MetricsWarningKind, message: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.onWarn(kind, message);
  }

  /** Check that every declared label has a usable value (undeclared keys are ignored); a message saying what is wrong, or `undefined` when they are fine. */
  problem(labels: Labels | undefined): string | undefined {
    const given = labels ?? {};
    if (typeof given !== 'object' || given === null) return `labels must be an object, got ${typeof given}`;
    for (const name of this.labelNames) {
      const v = (given as Record<string, unknown>)[name];
      if (typeof v === 'string' && v.includes('\u0001')) {
        return `label '${name}' contains U+0001, which is reserved as the series key separator`;
      }
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
        const got = v === undefined ? 'nothing' : typeof v;
        return `label '${name}' needs a string or finite number, got ${got} (declared: ${this.labelNames.join(', ')})`;
      }
    }
    return undefined;
  }

  private add(key: string, labels: Labels | undefined): S | undefined {
    const problem = this.problem(labels);
    if (problem !== undefined) {
      this.warn('invalid-labels', `${this.metric}: ${problem}; the observation was dropped`);
      return undefined;
    }
    if (this.series.size >= this.maxSeries) {
      this.warn(
        'series-limit',
        `${this.metric}: maxSeriesPerMetric (${this.maxSeries}) reached; new label combinations are dropped`,
      );
      return undefined;
    }
    const normalized: Record<string, string> = {};
    for (const name of this.labelNames) normalized[name] = String((labels as Record<string, unknown>)[name]);
    const created = this.create(normalized);
    this.series.set(key, created);
    return created;
  }
}
