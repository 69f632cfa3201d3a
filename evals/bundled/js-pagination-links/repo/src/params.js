'use strict';

const MAX_PER_PAGE = 100;

/** Reads ?page=&per_page= from a URLSearchParams, with defaults 1 and 20. */
function parsePageParams(searchParams) {
  const page = Number(searchParams.get('page') ?? 1);
  const perPage = Number(searchParams.get('per_page') ?? 20);
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a positive integer');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    throw new RangeError(`per_page must be an integer from 1 to ${MAX_PER_PAGE}`);
  }
  return { page, perPage };
}

module.exports = { parsePageParams, MAX_PER_PAGE };
