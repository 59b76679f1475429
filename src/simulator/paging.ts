// Listing envelopes (reference §4): page-number with host-relative URIs, cursor with an opaque
// `after`, and the two no-parameter envelopes some endpoints use.
import { badRequest, type ApiError } from './errors.ts';
import type { JsonObj, JsonValue } from './types.ts';

export const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 500;
const MAX_CURSOR_PAGE_SIZE = 200;

function positiveInt(query: URLSearchParams, name: string, fallback: number, max: number): number | ApiError {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return badRequest(`The ${name} parameter must be a positive integer`, 'invalid.value');
  if (n > max) return badRequest(`The ${name} parameter must be less than or equal to ${max}`, 'invalid.value');
  return n;
}

export type Page = { readonly items: readonly JsonObj[]; readonly envelope: (entities: JsonValue[]) => JsonObj };

/** Query params other than paging ones, kept on every URI so the loop reads the same view. */
function carriedParams(query: URLSearchParams, drop: readonly string[]): string {
  const rest = new URLSearchParams();
  for (const [k, v] of query) if (!drop.includes(k)) rest.append(k, v);
  const s = rest.toString();
  return s ? `&${s}` : '';
}

export function pageNumberPage(path: string, all: readonly JsonObj[], query: URLSearchParams): Page | ApiError {
  const pageSize = positiveInt(query, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (typeof pageSize !== 'number') return pageSize;
  const pageNumber = positiveInt(query, 'pageNumber', 1, Number.MAX_SAFE_INTEGER);
  if (typeof pageNumber !== 'number') return pageNumber;
  const total = all.length;
  const pageCount = Math.ceil(total / pageSize);
  const extra = carriedParams(query, ['pageSize', 'pageNumber']);
  const uri = (n: number): string => `${path}?pageSize=${pageSize}&pageNumber=${n}${extra}`;
  const items = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    items,
    envelope: (entities) => {
      const env: JsonObj = { entities, pageSize, pageNumber, total };
      env.firstUri = uri(1);
      if (pageNumber > 1) env.previousUri = uri(Math.min(pageNumber - 1, Math.max(pageCount, 1)));
      env.selfUri = uri(pageNumber);
      if (pageNumber < pageCount) env.nextUri = uri(pageNumber + 1);
      env.lastUri = uri(Math.max(pageCount, 1));
      env.pageCount = pageCount;
      return env;
    },
  };
}

const encodeCursor = (index: number, lastId: string): string =>
  Buffer.from(JSON.stringify({ i: index, id: lastId })).toString('base64url');

function decodeCursor(after: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as { i?: unknown };
    return typeof parsed.i === 'number' && Number.isInteger(parsed.i) && parsed.i >= 0 ? parsed.i : undefined;
  } catch {
    return undefined;
  }
}

export function cursorPage(path: string, all: readonly JsonObj[], query: URLSearchParams): Page | ApiError {
  const pageSize = positiveInt(query, 'pageSize', DEFAULT_PAGE_SIZE, MAX_CURSOR_PAGE_SIZE);
  if (typeof pageSize !== 'number') return pageSize;
  const after = query.get('after');
  let start = 0;
  if (after) {
    const decoded = decodeCursor(after);
    if (decoded === undefined) return badRequest('The after cursor is not valid', 'invalid.value');
    start = decoded;
  }
  const items = all.slice(start, start + pageSize);
  const extra = carriedParams(query, ['pageSize', 'after', 'before']);
  const self = `${path}?pageSize=${pageSize}${after ? `&after=${after}` : ''}${extra}`;
  return {
    items,
    envelope: (entities) => {
      const env: JsonObj = { entities, selfUri: self };
      const end = start + items.length;
      if (end < all.length && items.length > 0) {
        env.nextUri = `${path}?pageSize=${pageSize}&after=${encodeCursor(end, String(items[items.length - 1].id))}${extra}`;
      }
      return env;
    },
  };
}

/** OAuth clients: the page envelope, but one call returns everything (§4.1). */
export function listingAllPage(all: readonly JsonObj[]): Page {
  return {
    items: all,
    envelope: (entities) => ({ entities, pageSize: Math.max(DEFAULT_PAGE_SIZE, all.length), pageNumber: 1, total: all.length, pageCount: 1 }),
  };
}

/** Identity providers and contact schemas: `{entities, total}`. */
export function entitiesTotalPage(path: string, all: readonly JsonObj[], withSelfUri: boolean): Page {
  return {
    items: all,
    envelope: (entities): JsonObj => {
      const env: JsonObj = { entities, total: all.length };
      if (withSelfUri) env.selfUri = path;
      return env;
    },
  };
}
