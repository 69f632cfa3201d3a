'use strict';

const { TokenBucket } = require('./token-bucket');
const { KeyedLimiter } = require('./keyed-limiter');
const { limitMiddleware } = require('./middleware');

module.exports = { TokenBucket, KeyedLimiter, limitMiddleware };
