'use strict';

const { KeyedLimiter } = require('./keyed-limiter');

/** Connect-style middleware answering 429 with Retry-After (seconds) when a client is over its limit. */
function limitMiddleware(options, keyOf = (req) => req.ip) {
  const limiter = new KeyedLimiter(options);
  return (req, res, next) => {
    const bucket = limiter.bucket(keyOf(req));
    if (bucket.tryRemove()) return next();
    res.statusCode = 429;
    res.setHeader('Retry-After', String(Math.ceil(bucket.msUntil() / 1000)));
    res.end('Too Many Requests');
  };
}

module.exports = { limitMiddleware };
