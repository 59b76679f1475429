// Seeded property tests: noise is never drift, and one mutation is exactly one drift.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffDocuments } from '../../src/diff/index.ts';
import { formatPath } from '../../src/diff/format-path.ts';
import { canonicalJson, normalizeDocument } from '../../src/normalize/index.ts';
import { surfaceId } from '../../src/model/ids.ts';
import type { Json } from '../../src/model/findings.ts';
import { Gen, RULES, addNoise, mutate, randomDocument } from './random-doc.ts';

const S = surfaceId('random');
const CASES = 300;

test('diff(x, x) and diff(x, noisy copy of x) are empty', () => {
  const g = new Gen(1);
  for (let n = 0; n < CASES; n++) {
    const x = randomDocument(g);
    assert.equal(diffDocuments(S, x, x, RULES), [], `case ${n}`);
    assert.equal(diffDocuments(S, x, structuredClone(x), RULES), [], `case ${n} clone`);
    assert.equal(diffDocuments(S, addNoise(g, x), addNoise(g, x), RULES), [], `case ${n} noise`);
  }
});

test('diff(x, mutate(x)) finds exactly the mutation', () => {
  const g = new Gen(2);
  const kinds = new Set<string>();
  for (let n = 0; n < CASES; n++) {
    const x = randomDocument(g);
    const mutated = normalizeDocument(x, RULES);
    const m = mutate(g, mutated);
    kinds.add(m.kind);
    const got = diffDocuments(S, addNoise(g, x), addNoise(g, mutated), RULES);
    const want = { surface: S, path: m.path, pathText: formatPath(m.path), kind: m.kind, ...('old' in m ? { old: m.old } : {}), ...('new' in m ? { new: m.new } : {}) };
    assert.equal(got, [want], `case ${n}: ${want.kind} ${want.pathText}`);
    // Without noise the arrays line up element by element (the diff's fast path).
    assert.equal(diffDocuments(S, normalizeDocument(x, RULES), mutated, RULES), [want], `case ${n} aligned`);
  }
  assert.equal([...kinds].sort(), ['ADDED', 'MODIFIED', 'REMOVED']);
});

test('diff of raw documents equals diff of their normalized forms; normalizing is idempotent', () => {
  const g = new Gen(3);
  for (let n = 0; n < CASES; n++) {
    const x = randomDocument(g);
    const y: Json = normalizeDocument(x, RULES);
    const mutations = 1 + g.int(4);
    for (let k = 0; k < mutations; k++) mutate(g, y);
    const nx = normalizeDocument(x, RULES), ny = normalizeDocument(y, RULES);
    assert.equal(normalizeDocument(nx, RULES), nx);
    const raw = diffDocuments(S, addNoise(g, x), addNoise(g, y), RULES);
    assert.equal(raw, diffDocuments(S, nx, ny, RULES), `case ${n}`);
    // Mutations can cancel out (add a key, then remove it): drift exists exactly when the
    // canonical texts differ.
    assert.is(raw.length > 0, canonicalJson(nx) !== canonicalJson(ny), `case ${n}`);
  }
});

test.run();
