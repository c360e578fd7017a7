/** Failure and call counts over a rolling window of 10 buckets: O(1) per call whatever the history. */
export class RollingCounts {
  private readonly bucketMs: number;
  private readonly failures: number[] = new Array<number>(10).fill(0);
  private readonly calls: number[] = new Array<number>(10).fill(0);
  private readonly stamps: number[] = new Array<number>(10).fill(-1);

  constructor(windowMs: number) {
    this.bucketMs = windowMs / 10;
  }

  /** Record one outcome at `now`; returns [failures, calls] over the window. */
  record(now: number, failed: boolean): [number, number] {
    const slot = Math.floor(now / this.bucketMs);
    const i = slot % 10;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.failures[i] = 0;
      this.calls[i] = 0;
    }
    this.calls[i] = (this.calls[i] ?? 0) + 1;
    if (failed) this.failures[i] = (this.failures[i] ?? 0) + 1;
    let f = 0;
    let c = 0;
    for (let j = 0; j < 10; j++) {
      if ((this.stamps[j] ?? -1) > slot - 10) {
        f += this.failures[j] ?? 0;
        c += this.calls[j] ?? 0;
      }
    }
    return [f, c];
  }

  clear(): void {
    this.stamps.fill(-1);
  }
}
