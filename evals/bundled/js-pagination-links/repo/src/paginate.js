'use strict';

/** One page of `items` with the numbers a client needs to walk the list. */
function paginate(items, { page, perPage }) {
  const total = items.length;
  const totalPages = Math.floor(total / perPage) + 1;
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    total,
    totalPages,
    hasPrev: page > 1,
    hasNext: page <= totalPages,
  };
}

module.exports = { paginate };
