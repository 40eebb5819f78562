// When the arrivals of an open loop whose rate may change are due. At a
// steady rate r they are 1/r apart, as in runOpenLoop. A new rate applies
// from the last arrival on (never later than now): lowering 0.1/s to 5/s
// does not wait out the 10 s the old rate had scheduled, and raising it
// never sends the arrivals the new rate "missed" since the last one. At 0
// nothing is due.

export class ArrivalClock {
  private rate = 0;
  private last: number | undefined;
  private next: number | undefined;

  /** The rate arrivals follow from now on, per second (0 or less: none). */
  setRate(ratePerSecond: number, now: number): void {
    const rate = Number.isFinite(ratePerSecond) && ratePerSecond > 0 ? ratePerSecond : 0;
    if (rate === this.rate) return;
    this.rate = rate;
    this.next = rate === 0 ? undefined : this.last === undefined ? now : Math.max(now, this.last + 1000 / rate);
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** The scheduled times of the arrivals due by `now`, in order; the clock moves past them. */
  take(now: number): number[] {
    const due: number[] = [];
    while (this.next !== undefined && this.next <= now) {
      due.push(this.next);
      this.last = this.next;
      this.next += 1000 / this.rate;
    }
    return due;
  }

  /** How long until the next arrival is due (undefined at rate 0). */
  untilNext(now: number): number | undefined {
    return this.next === undefined ? undefined : Math.max(0, this.next - now);
  }
}
