// The checker's builtin catalog must agree with what the runtime implements natively and what
// the host registry provides, or `check` would accept calls that fail at run time (or reject
// builtins that work).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALIASES, BUILTINS, irBuiltinName } from '../../src/policy/compiler/builtins.ts';
import { HOST_BUILTIN_NAMES } from '../../src/policy/runtime/host-builtins/index.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The runtime's native table, read from its AssemblyScript source (`const NAMES = [...]`). */
function nativeNames(): Set<string> {
  const src = readFileSync(join(repo, 'src/policy/runtime-wasm/assembly/builtins.ts'), 'utf8');
  const m = /const NAMES[^=]*=\s*\[([\s\S]*?)\];/.exec(src);
  assert.ok(m, 'runtime builtins.ts has no NAMES table');
  return new Set([...m![1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!));
}
/** The opa-wasm SDK's own JavaScript builtins (they cannot be overridden). */
const SDK_JS = new Set(['sprintf', 'json.is_valid', 'regex.split', 'yaml.is_valid', 'yaml.marshal', 'yaml.unmarshal']);

test('every native catalog entry is implemented by the runtime', () => {
  const native = nativeNames();
  const missing = [...BUILTINS.values()].filter((b) => b.place === 'native' && !native.has(b.name)).map((b) => b.name);
  assert.equal(missing, []);
});

test('every host catalog entry is in HOST_BUILTINS (after aliasing) or an SDK builtin', () => {
  const host = new Set(HOST_BUILTIN_NAMES);
  const native = nativeNames();
  const missing = [...BUILTINS.values()]
    .filter((b) => b.place === 'host' && !host.has(irBuiltinName(b.name)) && !(SDK_JS.has(b.name) && !ALIASES[b.name]) && !native.has(b.name))
    .map((b) => b.name);
  assert.equal(missing, []);
});

test('every builtin the runtime or host implements is known to the checker', () => {
  const inverse = new Map(Object.entries(ALIASES).map(([k, v]) => [v, k]));
  // `dw.<name>` host builtins are alias candidates for an SDK builtin: known as <name>.
  const unknown = [...nativeNames(), ...HOST_BUILTIN_NAMES].map((n) => inverse.get(n) ?? n.replace(/^dw\./, '')).filter((n) => !BUILTINS.has(n) || BUILTINS.get(n)!.place === 'unsupported');
  assert.equal(unknown, []);
});

test('aliases point at host builtins', () => {
  for (const [name, alias] of Object.entries(ALIASES)) {
    assert.ok(BUILTINS.has(name), name);
    assert.ok(HOST_BUILTIN_NAMES.includes(alias), `${alias} is not in HOST_BUILTINS`);
  }
});

test.run();
