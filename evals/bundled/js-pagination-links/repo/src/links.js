'use strict';

/** RFC 8288 Link header with first/prev/next/last for a page produced by paginate(). */
function linkHeader(baseUrl, result) {
  const url = (page) => {
    const u = new URL(baseUrl);
    u.searchParams.set('page', String(page));
    u.searchParams.set('per_page', String(result.perPage));
    return u.toString();
  };
  const links = [`<${url(1)}>; rel="first"`];
  if (result.hasPrev) links.push(`<${url(result.page - 1)}>; rel="prev"`);
  if (result.hasNext) links.push(`<${url(result.page + 1)}>; rel="next"`);
  links.push(`<${url(Math.max(result.totalPages, 1))}>; rel="last"`);
  return links.join(', ');
}

module.exports = { linkHeader };
