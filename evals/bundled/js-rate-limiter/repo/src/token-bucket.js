'use strict';

/**
 * A token bucket: holds up to `capacity` tokens and gains `ratePerSecond` tokens per second.
 * `now` returns milliseconds (Date.now by default; tests pass a fake clock).
 */
class TokenBucket {
  constructor({ capacity, ratePerSecond, now = Date.now }) {
    if (!(capacity > 0) || !(ratePerSecond > 0)) throw new RangeError('capacity and ratePerSecond must be positive');
    this.capacity = capacity;
    this.ratePerSecond = ratePerSecond;
    this.now = now;
    this.tokens = capacity;
    this.lastRefill = now();
  }

  refill() {
    const current = this.now();
    const elapsedSeconds = Math.floor((current - this.lastRefill) / 1000);
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.ratePerSecond);
    this.lastRefill = current;
  }

  /** Takes `count` tokens if available; returns whether it did. */
  tryRemove(count = 1) {
    this.refill();
    if (this.tokens >= count) {
      this.tokens -= count;
      return true;
    }
    return false;
  }

  /** Milliseconds until `count` tokens will be available (0 when they are now). */
  msUntil(count = 1) {
    this.refill();
    const missing = count - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.ratePerSecond) * 1000);
  }
}

module.exports = { TokenBucket };
