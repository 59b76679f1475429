// Read side: turns stored org state into response bodies — projection, paging envelopes and,
// when quirks are on, the per-read noise of reference §8.
import { isApiError, notFound, type ApiError } from './errors.ts';
import { cursorPage, entitiesTotalPage, listingAllPage, pageNumberPage, type Page } from './paging.ts';
import { shuffled } from './prng.ts';
import { applyReadQuirks } from './quirks.ts';
import type { OrgState } from './seed-org.ts';
import { applySharedVolatile, type RenderContext, type SimSurface } from './surfaces.ts';
import type { JsonObj, JsonValue } from './types.ts';

export const clone = <T extends JsonValue>(v: T): T => structuredClone(v);

function renderEntity(surface: SimSurface, stored: JsonObj, view: 'list' | 'item', ctx: RenderContext): JsonObj {
  let out = clone(stored);
  if (surface.project) out = surface.project(out, view, ctx);
  if (!ctx.quirks) return out;
  applySharedVolatile(out, ctx);
  surface.volatile?.(out, ctx);
  return applyReadQuirks(out, surface.unorderedArrays, ctx.rng);
}

/** The singleton body as stored (the legacy IP allowlist is a view over auth settings). */
export function storedSingleton(state: OrgState, surface: SimSurface): JsonObj | undefined {
  if (surface.id === 'ip-address-authentication') {
    const auth = state.singletons.get('authentication-settings');
    return auth ? { networkWhitelist: clone((auth.ipAddressAllowlist ?? []) as JsonValue) } : undefined;
  }
  return state.singletons.get(surface.id);
}

/** Entities in the order the API lists them (name or `order`, like the default sortBy). */
export function sortedEntities(state: OrgState, surface: SimSurface): JsonObj[] {
  const all = state.collections.get(surface.id) ?? [];
  const key = surface.sortBy;
  if (!key) return all.slice();
  return all.slice().sort((a, b) => (key === 'order'
    ? Number(a.order) - Number(b.order)
    : String(a.name).localeCompare(String(b.name), 'en', { sensitivity: 'base' })));
}

/** GET on a surface's own path. `legacyPaging` serves a deprecated page-number twin. */
export function readSurface(state: OrgState, surface: SimSurface, ctx: RenderContext, legacyPagingPath?: string): JsonObj | ApiError {
  if (surface.kind === 'singleton') {
    const stored = storedSingleton(state, surface);
    return stored ? renderEntity(surface, stored, 'item', ctx) : notFound();
  }
  const all = sortedEntities(state, surface);
  let page: Page | ApiError;
  if (legacyPagingPath) page = pageNumberPage(legacyPagingPath, all, ctx.query);
  else if (surface.envelope === 'page-number') page = pageNumberPage(surface.path, all, ctx.query);
  else if (surface.envelope === 'cursor') page = cursorPage(surface.path, all, ctx.query);
  else if (surface.envelope === 'listing-all') page = listingAllPage(all);
  else page = entitiesTotalPage(surface.path, all, surface.id === 'external-contact-schemas');
  if (isApiError(page)) return page;
  let items: JsonValue[] = page.items.map((e) => renderEntity(surface, e, 'list', ctx));
  // Within one page only, so pages stay disjoint and the concatenation stays complete.
  if (ctx.quirks) items = shuffled(ctx.rng, items);
  return page.envelope(items);
}

export function readItem(state: OrgState, surface: SimSurface, id: string, ctx: RenderContext): JsonObj | ApiError {
  const stored = (state.collections.get(surface.id) ?? []).find((e) => e.id === id);
  return stored ? renderEntity(surface, stored, 'item', ctx) : notFound();
}
