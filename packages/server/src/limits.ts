// Rate limits. One process keeps its token buckets in memory (the shared RateLimit of the @steady/rate
// package). Several processes sharing rooms keep them in Redis, so a room or an address gets one budget
// however many processes it reaches; while Redis is away each process falls back to its own buckets,
// so the limits loosen (at most N processes × the rate) but never vanish.

import type { Redis } from 'ioredis';
import { RateLimit } from '@steady/rate';

export interface Limiter {
  /** 0 when allowed; otherwise the seconds to wait. `cost` tokens (a byte budget spends one per byte). */
  take(key: string, cost?: number): Promise<number>;
}

export const localLimiter = (perMinute: number, burst: number): Limiter => {
  const r = new RateLimit(perMinute, burst);
  return { take: async (key, cost = 1) => r.take(key, cost) };
};

// The same token bucket as RateLimit, atomically in Redis, on Redis's clock (processes on several
// machines need not agree on the time). Returns the seconds to wait, 0 when a token was taken.
const BUCKET = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3]) or 1
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'n', 'at')
local n = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
n = math.min(cap, n + (now - at) * rate)
local wait = 0
if n >= cost then n = n - cost else wait = math.ceil((cost - n) / rate / 1000) end
redis.call('HSET', KEYS[1], 'n', tostring(n), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 60000)
return wait`;

/** Buckets in Redis, over the hub's own command connection (connected before the server listens). */
export class RedisLimits {
  constructor(
    private redis: Redis,
    private log: (msg: string) => void = () => {},
  ) {
    this.redis.defineCommand('steadyBucket', { numberOfKeys: 1, lua: BUCKET });
  }

  limiter(name: string, perMinute: number, burst: number): Limiter {
    const local = new RateLimit(perMinute, burst);
    const rate = perMinute / 60_000;
    return {
      take: async (key, cost = 1) => {
        if (this.redis.status !== 'ready') return local.take(key, cost);
        try {
          return Number(
            await (
              this.redis as unknown as {
                steadyBucket(k: string, cap: number, rate: number, cost: number): Promise<number>;
              }
            ).steadyBucket(`steady:rate:${name}:${key}`, burst, rate, cost),
          );
        } catch (e) {
          this.log(`rate limit: Redis failed (${(e as Error).message}); using this process's buckets`);
          return local.take(key, cost);
        }
      },
    };
  }
}
