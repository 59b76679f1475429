import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatPath, parsePath } from '../../src/diff/index.ts';
import { DwFailure } from '../../src/model/errors.ts';
import type { Json, PathSegment } from '../../src/model/findings.ts';
import { Gen } from './random-doc.ts';

const roundTrip = (path: PathSegment[], text: string) => {
  assert.is(formatPath(path), text);
  assert.equal(parsePath(text), path);
};

test('the documented forms', () => {
  roundTrip([], '');
  roundTrip(['authentication', 'ipAddressAllowlist', 0], 'authentication.ipAddressAllowlist[0]');
  roundTrip(['entities', { key: 'id', value: 'abc-123' }, 'name'], 'entities[id=abc-123].name');
  roundTrip(['ipAddressAllowlist', { key: '$value', value: '10.0.0.0/8' }], 'ipAddressAllowlist[=10.0.0.0/8]');
  roundTrip([3, 'x'], '[3].x');
});

test('keys with dots, brackets, quotes, spaces or a leading digit are JSON-quoted', () => {
  roundTrip(['properties', 'a.b'], 'properties["a.b"]');
  roundTrip(['x[0]', 'q"k', 'a]b', '10', ''], '["x[0]"]["q\\"k"]["a]b"]["10"][""]');
  roundTrip(['with space', 'ünï'], '["with space"]["ünï"]');
});

test('key values that would read back as something else are quoted', () => {
  roundTrip(['e', { key: 'id', value: 7 }], 'e[id=7]');
  roundTrip(['e', { key: 'id', value: '7' }], 'e[id="7"]');
  roundTrip(['e', { key: 'id', value: 'true' }], 'e[id="true"]');
  roundTrip(['e', { key: 'id', value: true }], 'e[id=true]');
  roundTrip(['e', { key: 'id', value: null }], 'e[id=null]');
  roundTrip(['e', { key: 'id', value: 'a]b=c "d"' }], 'e[id="a]b=c \\"d\\""]');
  roundTrip(['e', { key: 'my key', value: 'v' }], 'e["my key"=v]');
  roundTrip(['s', { key: '$value', value: { b: [1, '2'], a: null } }], 's[={"a":null,"b":[1,"2"]}]');
  roundTrip(['s', { key: '$value', value: -1.5e-7 }], 's[=-1.5e-7]');
  roundTrip(['s', { key: '$value', value: 'a,b' }], 's[="a,b"]');
});

test('a composite key is written as its field=value pairs', () => {
  roundTrip(['p', { key: 'domain+entityName', value: ['routing', 'queue'] }], 'p[domain=routing,entityName=queue]');
  roundTrip(['p', { key: 'a+my field', value: [7, 'x,y'] }], 'p[a=7,"my field"="x,y"]');
  roundTrip(['p', { key: 'a+b', value: 'not-a-tuple' }], 'p["a+b"=not-a-tuple]');
  roundTrip(['p', { key: 'a+b', value: [1, 2, 3] }], 'p["a+b"=[1,2,3]]');
});

test('malformed text fails with DW2310', () => {
  for (const text of ['.a', 'a..b', 'a[', 'a[x]', 'a[01]', 'a[id=]', 'a[id=x', 'a b', 'a["x"', 'a[="x"y]']) {
    try {
      parsePath(text);
      assert.unreachable(`accepted ${text}`);
    } catch (e) {
      assert.instance(e, DwFailure, text);
      assert.is((e as DwFailure).error.code, 'DW2310', text);
    }
  }
});

test('property: random paths round-trip exactly', () => {
  const g = new Gen(7);
  const chars = ['a', 'Z', '_', '$', '-', '.', '[', ']', '"', '\\', '=', ' ', '0', '9', 'é', '\n', '/', ':', '{', '}', '+', ','];
  const str = () => Array.from({ length: g.int(5) }, () => g.pick(chars)).join('');
  const value = (): Json => g.pick<() => Json>([str, () => g.int(2000) - 1000, () => g.r() / 3, () => g.r() < 0.5, () => null, () => ({ [str()]: str() }), () => [str(), g.int(9)]])();
  for (let n = 0; n < 2000; n++) {
    const path: PathSegment[] = Array.from({ length: g.int(6) }, (): PathSegment => {
      switch (g.int(5)) {
        case 4: return { key: `${str() || 'a'}+${str()}`, value: [value(), value()] };
        case 0: return str();
        case 1: return g.int(100);
        case 2: return { key: g.r() < 0.5 ? 'id' : str() || 'k', value: value() };
        default: return { key: '$value', value: value() };
      }
    });
    const text = formatPath(path);
    assert.equal(parsePath(text), path, text);
  }
});

test.run();
