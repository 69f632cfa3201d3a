'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { TokenBucket, KeyedLimiter } = require('../src');

function fakeClock() {
  let t = 1_000_000;
  const now = () => t;
  now.advance = (ms) => { t += ms; };
  return now;
}

test('starts full and empties', () => {
  const bucket = new TokenBucket({ capacity: 2, ratePerSecond: 1, now: fakeClock() });
  assert.equal(bucket.tryRemove(), true);
  assert.equal(bucket.tryRemove(), true);
  assert.equal(bucket.tryRemove(), false);
});

test('refills after whole seconds', () => {
  const now = fakeClock();
  const bucket = new TokenBucket({ capacity: 1, ratePerSecond: 1, now });
  bucket.tryRemove();
  now.advance(1000);
  assert.equal(bucket.tryRemove(), true);
});

test('never exceeds capacity', () => {
  const now = fakeClock();
  const bucket = new TokenBucket({ capacity: 3, ratePerSecond: 10, now });
  now.advance(60_000);
  bucket.refill();
  assert.equal(bucket.tokens, 3);
});

test('rejects bad options', () => {
  assert.throws(() => new TokenBucket({ capacity: 0, ratePerSecond: 1 }), RangeError);
});

test('keys have separate buckets', () => {
  const limiter = new KeyedLimiter({ capacity: 1, ratePerSecond: 1, now: fakeClock() });
  assert.equal(limiter.tryRemove('a'), true);
  assert.equal(limiter.tryRemove('b'), true);
  assert.equal(limiter.tryRemove('a'), false);
});
