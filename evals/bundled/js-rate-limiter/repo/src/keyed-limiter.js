'use strict';

const { TokenBucket } = require('./token-bucket');

/** One bucket per key (client IP, API key, ...). */
class KeyedLimiter {
  constructor(options) {
    this.options = options;
    this.buckets = new Map();
  }

  bucket(key) {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.options);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  tryRemove(key, count = 1) {
    return this.bucket(key).tryRemove(count);
  }
}

module.exports = { KeyedLimiter };
