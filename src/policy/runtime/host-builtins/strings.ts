// strings.any_prefix_match / any_suffix_match: does any of the strings start/end with any
// of the prefixes/suffixes? Each operand is a string or an array/set of strings.
import { stringList } from './values.ts';

const anyMatch = (test: (s: string, affix: string) => boolean) => (search: unknown, base: unknown): unknown => {
  const strings = stringList(search), affixes = stringList(base);
  if (!strings || !affixes) return undefined;
  return strings.some((s) => affixes.some((a) => test(s, a)));
};

export const STRINGS_BUILTINS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  'strings.any_prefix_match': anyMatch((s, a) => s.startsWith(a)),
  'strings.any_suffix_match': anyMatch((s, a) => s.endsWith(a)),
};
