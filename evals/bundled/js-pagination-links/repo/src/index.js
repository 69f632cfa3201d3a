'use strict';

const { paginate } = require('./paginate');
const { linkHeader } = require('./links');
const { parsePageParams } = require('./params');

module.exports = { paginate, linkHeader, parsePageParams };
