/**
 * A bounded sample buffer: keeps the most recent `capacity` values (a ring), so percentiles describe recent
 * timings and memory per series is capped.
 */
export class Reservoir {
  private readonly values: number[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  push(value: number): void {
    if (this.values.length < this.capacity) {
      this.values.push(value);
      return;
    }
    this.values[this.next] = value;
    this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
  }

  get size(): number {
    return this.values.length;
  }

  /** The kept values, oldest first. */
  toArray(): number[] {
    return this.next === 0 ? [...this.values] : [...this.values.slice(this.next), ...this.values.slice(0, this.next)];
  }
}
