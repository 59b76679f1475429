// `driftwarden policy build|test|eval`: the authoring loop for compliance teams writing Rego,
// compiled through exactly the path a check uses (our Rego → Wasm compiler, the opa-wasm SDK).
import { sha256Digest } from '../../model/digest.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { COMMON_HELP, COMMON_OPTIONS, type Command, type CommandContext } from '../command.ts';
import { bundleDigest, collectRegoFiles, loadDataFiles, readSources } from '../../policy/bundle.ts';
import { compilePolicies, normaliseEntrypoint } from '../../policy/compiler/index.ts';
import { parseModule } from '../../policy/compiler/parse/index.ts';
import { loadCompiledPolicy } from '../../policy/runtime/index.ts';
import { ENTRYPOINT } from '../../policy/engine.ts';
import { tarGz } from '../../policy/tar.ts';
import { DwFailure, EXIT, fail, formatDwError } from '../../model/errors.ts';

const dirsOf = (ctx: CommandContext): string[] => {
  const dirs = ctx.positionals.length ? [...ctx.positionals] : ['policies'];
  return dirs.map((d) => resolve(ctx.cwd, d));
};
const dataFilesOf = (ctx: CommandContext): string[] => ((ctx.values.data as string[] | undefined) ?? []).map((d) => resolve(ctx.cwd, d));

const policyBuild: Command = {
  name: ['policy', 'build'],
  summary: 'compile policy folders into an OPA-style Wasm bundle (policy.wasm, data.json, .manifest)',
  usage: 'driftwarden policy build [DIR...] [-o bundle.tar.gz] [-e ENTRYPOINT...] [-d DATA...]',
  details: 'The bundle digest (sha256 of the tarball) is printed and written next to it as <file>.sha256; run records pin it.',
  options: { output: { type: 'string', short: 'o' }, entrypoint: { type: 'string', short: 'e', multiple: true }, data: { type: 'string', short: 'd', multiple: true }, ...COMMON_OPTIONS },
  optionHelp: { output: 'bundle file (default bundle.tar.gz)', entrypoint: `entry point, repeatable (default ${ENTRYPOINT})`, data: 'JSON/YAML data file mounted at data.config, repeatable', ...COMMON_HELP },
  async run(ctx) {
    const dirs = dirsOf(ctx);
    // Bundle paths are relative to the folder given, as `opa build` writes them.
    const sources = dirs.flatMap((d) => readSources(collectRegoFiles([d]), d));
    if (sources.length === 0) fail('DW3407', 'bad-input', `no .rego files in ${dirs.join(', ')}`);
    const entrypoints = ((ctx.values.entrypoint as string[] | undefined) ?? [ENTRYPOINT]).map(normaliseEntrypoint);
    const data = loadDataFiles(dataFilesOf(ctx));
    const t0 = performance.now();
    const compiled = compilePolicies(sources, { entrypoints, cacheDir: false });
    const ms = Math.round(performance.now() - t0);
    const manifest = {
      revision: bundleDigest(sources, data, entrypoints), roots: [''], rego_version: 1,
      wasm: compiled.entrypoints.map((e) => ({ entrypoint: e, module: '/policy.wasm' })),
      metadata: { producer: 'driftwarden' },
    };
    const tar = tarGz([
      { name: '/.manifest', data: Buffer.from(JSON.stringify(manifest, null, 2)) },
      { name: '/data.json', data: Buffer.from(JSON.stringify(Object.keys(data).length ? { config: data } : {})) },
      { name: '/policy.wasm', data: compiled.wasm },
      ...sources.map((s) => ({ name: `/${s.file}`, data: Buffer.from(s.text) })),
    ]);
    const out = resolve(ctx.cwd, (ctx.values.output as string | undefined) ?? 'bundle.tar.gz');
    const digest = sha256Digest(tar);
    writeFileSync(out, tar);
    writeFileSync(`${out}.sha256`, `${digest.slice(7)}  ${relative(ctx.cwd, out)}\n`);
    ctx.out.line(`${relative(ctx.cwd, out)}: ${sources.length} module(s), entry points ${compiled.entrypoints.join(', ')}, ${compiled.wasm.length} bytes of Wasm, compiled in ${ms} ms`);
    ctx.out.line(`digest ${digest}`);
    ctx.out.result({ bundle: out, digest, entrypoints: compiled.entrypoints, modules: sources.map((s) => s.file), wasmBytes: compiled.wasm.length, revision: manifest.revision });
    return EXIT.clean;
  },
};

type TestResult = { readonly name: string; readonly file: string; readonly status: 'pass' | 'fail' | 'error'; readonly error?: string; readonly ms: number };

const policyTest: Command = {
  name: ['policy', 'test'],
  summary: 'run the test_* rules of *_test.rego files (like `opa test`)',
  usage: 'driftwarden policy test [DIR...] [-d DATA...] [--run REGEX] [--json]',
  details: 'A test passes when its rule is defined and not false. Exit 0 when every test passes, 1 otherwise, 2 on a compile error.',
  options: { data: { type: 'string', short: 'd', multiple: true }, run: { type: 'string', short: 'r' }, ...COMMON_OPTIONS },
  optionHelp: { data: 'JSON/YAML data file mounted at data.config, repeatable', run: 'only tests whose name matches this regular expression', ...COMMON_HELP },
  async run(ctx) {
    const sources = readSources(collectRegoFiles(dirsOf(ctx), { tests: true }), ctx.cwd);
    const filter = ctx.values.run ? new RegExp(ctx.values.run as string) : undefined;
    const tests: { entrypoint: string; name: string; file: string }[] = [];
    const packages: string[] = [];
    for (const s of sources) {
      const mod = parseModule(s.text, s.file);
      packages.push(mod.package.join('/'));
      const seen = new Set<string>();
      for (const rule of mod.rules) {
        const head = rule.head.ref[0];
        if (!head || head.type !== 'string' || !head.value.startsWith('test_') || seen.has(head.value)) continue;
        seen.add(head.value);
        const name = `data.${mod.package.join('.')}.${head.value}`;
        if (filter && !filter.test(name)) continue;
        tests.push({ entrypoint: [...mod.package, head.value].join('/'), name, file: s.file });
      }
    }
    // Compile even without tests: a broken policy must fail here, not at the next check.
    const compiled = compilePolicies(sources, { entrypoints: tests.length ? tests.map((t) => t.entrypoint) : packages.slice(0, 1), cacheDir: false });
    if (tests.length === 0) { ctx.out.line('no tests found'); ctx.out.result({ tests: [] }); return EXIT.clean; }
    const policy = await loadCompiledPolicy(compiled.wasm, { data: { config: loadDataFiles(dataFilesOf(ctx)) } });
    const results: TestResult[] = tests.map((t) => {
      const t0 = performance.now();
      try {
        const rows = policy.evaluate(undefined, t.entrypoint);
        const ok = rows.length > 0 && rows[0]!.result !== false;
        return { name: t.name, file: t.file, status: ok ? 'pass' : 'fail', ms: performance.now() - t0 };
      } catch (e) {
        return { name: t.name, file: t.file, status: 'error', error: e instanceof DwFailure ? formatDwError(e.error) : String(e), ms: performance.now() - t0 };
      }
    });
    for (const r of results) {
      const mark = r.status === 'pass' ? ctx.out.paint('green', 'PASS') : ctx.out.paint('red', r.status.toUpperCase());
      ctx.out.line(`${mark} ${r.name} (${r.ms.toFixed(1)} ms)${r.error ? `\n     ${r.error}` : ''}`);
    }
    const passed = results.filter((r) => r.status === 'pass').length;
    ctx.out.line(`${'-'.repeat(40)}\nPASS: ${passed}/${results.length}${passed < results.length ? `  FAIL: ${results.length - passed}` : ''}`);
    ctx.out.result({ tests: results, passed, failed: results.length - passed });
    return passed === results.length ? EXIT.clean : EXIT.drift;
  },
};

const policyEval: Command = {
  name: ['policy', 'eval'],
  summary: 'evaluate one rule or package of the policies against an input document',
  usage: 'driftwarden policy eval [-p DIR...] [-i input.json] [-d DATA...] data.pkg.rule',
  details: 'Prints the result set as JSON: [{"result": …}], or [] when undefined.',
  options: { policies: { type: 'string', short: 'p', multiple: true }, input: { type: 'string', short: 'i' }, data: { type: 'string', short: 'd', multiple: true }, ...COMMON_OPTIONS },
  optionHelp: { policies: 'policy folder or file, repeatable (default policies)', input: 'JSON input document', data: 'JSON/YAML data file mounted at data.config, repeatable', ...COMMON_HELP },
  async run(ctx) {
    const query = ctx.positionals[0];
    if (!query || ctx.positionals.length > 1) fail('DW3408', 'bad-input', 'name exactly one rule or package to evaluate, e.g. data.driftwarden.drift');
    const dirs = ((ctx.values.policies as string[] | undefined) ?? ['policies']).map((d) => resolve(ctx.cwd, d));
    const sources = readSources(collectRegoFiles(dirs, { tests: true }), ctx.cwd);
    const entrypoint = normaliseEntrypoint(query);
    const compiled = compilePolicies(sources, { entrypoints: [entrypoint], cacheDir: false });
    let input: unknown;
    if (ctx.values.input) {
      const file = resolve(ctx.cwd, ctx.values.input as string);
      try { input = JSON.parse(readFileSync(file, 'utf8')); }
      catch (e) { fail('DW3409', 'bad-input', `input ${file} is not valid JSON: ${(e as Error).message}`); }
    }
    const policy = await loadCompiledPolicy(compiled.wasm, { data: { config: loadDataFiles(dataFilesOf(ctx)) } });
    const rows = policy.evaluate(input, entrypoint);
    // Eval output is the result itself, for humans and machines alike.
    ctx.io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return EXIT.clean;
  },
};

export const policyCommands: readonly Command[] = [policyBuild, policyTest, policyEval];
