// The project's own Rego tests (`test_*` rules in policies/*_test.rego) compiled with our
// compiler and run through the opa-wasm SDK: each must be true, like `opa test` would say.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicies } from '../../src/policy/compiler/index.ts';
import { loadCompiledPolicy } from '../../src/policy/runtime/index.ts';
import type { CompiledPolicy } from '../../src/policy/runtime/index.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies');
const files = readdirSync(dir).filter((f) => f.endsWith('.rego')).sort().map((f) => ({ file: `policies/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
const entrypoints: string[] = [];
for (const f of files) {
  const pkg = /^package\s+([\w.]+)/m.exec(f.text)?.[1];
  if (!pkg) continue;
  for (const m of f.text.matchAll(/^(test_\w+)/gm)) entrypoints.push(`${pkg.replace(/\./g, '/')}/${m[1]}`);
}

let policy: CompiledPolicy | undefined;
test.before(async () => {
  const compiled = compilePolicies(files, { entrypoints, cacheDir: false });
  policy = await loadCompiledPolicy(compiled.wasm);
});

test('policies/ has Rego tests', () => {
  assert.ok(entrypoints.length > 0);
});

for (const e of entrypoints) {
  test(e, () => {
    assert.equal(policy!.evaluate(undefined, e), [{ result: true }]);
  });
}

test.run();
