import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maskSecretFields, SECRET_MASK } from '../../src/snapshot/mask-secrets.ts';
import type { Json } from '../../src/model/findings.ts';

test('a bare key name is masked at any depth; empty values stay visible', () => {
  const doc: Json = { entities: [{ id: 'a', secret: 'S1' }, { id: 'b', secret: '' }, { id: 'c', nested: { secret: { v: 'S2' } } }] };
  assert.equal(maskSecretFields(doc, ['secret']), {
    entities: [{ id: 'a', secret: SECRET_MASK }, { id: 'b', secret: '' }, { id: 'c', nested: { secret: SECRET_MASK } }],
  });
});

test('dotted patterns are rooted, step into arrays with [] and match any key with *', () => {
  const doc: Json = {
    properties: { password: 'top-level-not-matched' },
    entities: [
      { properties: { password: { value: { instance: 'P1' } }, user: 'u' } },
      { properties: { user: 'u2' } },
      { other: { x: { token: 'T1' }, y: { token: 'T2' } } },
    ],
  };
  const before = JSON.stringify(doc);
  const out = maskSecretFields(doc, ['entities[].properties.password', 'entities[].other.*.token']);
  assert.equal(out, {
    properties: { password: 'top-level-not-matched' },
    entities: [
      { properties: { password: SECRET_MASK, user: 'u' } },
      { properties: { user: 'u2' } },
      { other: { x: { token: SECRET_MASK }, y: { token: SECRET_MASK } } },
    ],
  });
  assert.is(JSON.stringify(doc), before, 'input is not mutated');
});

test.run();
