/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
/** A binary min-heap of non-negative integers with a fixed capacity: the tie-break of every deterministic order. */
export class IntMinHeap {
  private readonly items: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  push(value: number): void {
    const a = this.items;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent]!;
      if (p <= value) break;
      a[i] = p;
      i = parent;
    }
    a[i] = value;
  }

  /** Remove and return the smallest value; the heap must not be empty. */
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a[--this.count]!;
    const n = this.count;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && a[right]! < a[child]!) child = right;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    if (n > 0) a[i] = last;
    return top;
  }
}
