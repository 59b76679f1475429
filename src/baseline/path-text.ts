// Drift path text -> segments, through the diff stage's parser (src/diff/format-path.ts), the one
// owner of the format. Failures come back as values so the caller can name the surface.
import { DwFailure } from '../model/errors.ts';
import type { KeyedSegment, PathSegment } from '../model/findings.ts';
import { parsePath } from '../diff/format-path.ts';

/** Object key, array position, or an array element picked by identity (`[id=abc]`) or by value
 *  in a set array (`[=10.0.0.0/8]`, key `$value`). */
export type EditSegment = PathSegment;
export const SET_KEY = '$value';

export const isKeyed = (s: EditSegment): s is KeyedSegment => typeof s === 'object' && s !== null;

export type PathParse = { readonly ok: true; readonly segments: readonly EditSegment[] } | { readonly ok: false; readonly message: string };

/** The empty text is the whole document. */
export function parseDriftPathText(text: string): PathParse {
  try { return { ok: true, segments: parsePath(text) }; }
  catch (e) {
    if (e instanceof DwFailure) return { ok: false, message: e.error.message };
    throw e;
  }
}
