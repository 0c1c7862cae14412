// A token bucket per key (an IP address, a room): a steady rate with a burst, O(1) per request, old keys swept.
// Pure, so the room server and the analysis API share it; its own package, since it is not protocol.
export class RateLimit {
  private buckets = new Map<string, { tokens: number; at: number }>();
  private swept = 0;

  constructor(
    readonly perMinute: number,
    readonly burst = Math.max(1, Math.ceil(perMinute / 6)),
    private now: () => number = Date.now,
  ) {}

  /** 0 when allowed; otherwise the seconds to wait. */
  take(key: string, cost = 1): number {
    const t = this.now();
    if (t - this.swept > 60_000) this.sweep(t);
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return 0;
    }
    return Math.ceil((cost - b.tokens) / rate / 1000);
  }

  private sweep(t: number): void {
    this.swept = t;
    for (const [k, b] of this.buckets) if (t - b.at > 120_000) this.buckets.delete(k);
  }
}
