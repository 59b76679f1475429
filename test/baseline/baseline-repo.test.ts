import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptPaths, baselineHistory, readBaseline, writeBaseline } from '../../src/baseline/baseline-repo.ts';
import { DwFailure } from '../../src/model/errors.ts';

const test = suite('baseline repo');
const alice = { name: 'Alice Admin', email: 'alice@example.com' };
const bob = { name: 'Bob Builder', email: 'bob@example.org' };
let root = '';
let n = 0;
/** A fresh folder per test, not inside any git repository. */
const fresh = () => { const d = join(root, `t${n++}`); mkdirSync(d); return d; };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }).trim();
const commitCount = (cwd: string) => Number(git(cwd, 'rev-list', '--count', 'HEAD'));

async function rejects(p: Promise<unknown>): Promise<DwFailure> {
  try { await p; } catch (e) { assert.instance(e, DwFailure); return e as DwFailure; }
  throw new Error('expected a DwFailure, the call succeeded');
}

test.before(() => { root = mkdtempSync(join(tmpdir(), 'dw-baseline-')); });
test.after(() => { rmSync(root, { recursive: true, force: true }); });

const ORG_DOC = { name: 'Acme', features: { sso: true, chat: false }, domains: ['b.example', 'a.example'] };

test('writing into a folder outside any repo initialises one and commits canonical files', async () => {
  const dir = join(fresh(), 'baselines');
  const r = await writeBaseline(dir, 'acme', { organization: ORG_DOC, 'auth-settings': { mfa: 'required' } }, { message: 'initial baseline', author: alice });
  assert.ok(r.changed);
  assert.match(r.sha ?? '', /^[0-9a-f]{40}$/);
  assert.is(git(dir, 'rev-parse', '--show-toplevel'), dir); // a repo rooted at the baselines folder
  assert.is(commitCount(dir), 1);
  assert.is(git(dir, 'log', '-1', '--format=%H|%an <%ae>|%cn <%ce>|%s'), `${r.sha}|Alice Admin <alice@example.com>|Alice Admin <alice@example.com>|initial baseline`);
  assert.is(readFileSync(join(dir, 'acme', 'organization.json'), 'utf8'),
    '{\n  "domains": [\n    "b.example",\n    "a.example"\n  ],\n  "features": {\n    "chat": false,\n    "sso": true\n  },\n  "name": "Acme"\n}\n');
  assert.is(git(dir, 'status', '--porcelain'), '');
});

test('writing the same content again makes no commit; reading returns what was written', async () => {
  const dir = fresh();
  const first = await writeBaseline(dir, 'acme', { organization: ORG_DOC }, { message: 'one', author: alice });
  const reordered = { domains: ['b.example', 'a.example'], features: { chat: false, sso: true }, name: 'Acme' };
  const second = await writeBaseline(dir, 'acme', { organization: reordered }, { message: 'two', author: bob });
  assert.equal(second, { sha: first.sha, changed: false });
  assert.is(commitCount(dir), 1);
  const read = await readBaseline(dir, 'acme');
  assert.equal(read, { surfaces: { organization: ORG_DOC }, commit: first.sha });
  assert.equal(await readBaseline(dir, 'nobody'), { surfaces: {}, commit: null });
});

test('a changed surface makes a second commit; replace removes surfaces not given', async () => {
  const dir = fresh();
  await writeBaseline(dir, 'acme', { organization: ORG_DOC, roles: { entities: [] } }, { message: 'one', author: alice });
  const kept = await writeBaseline(dir, 'acme', { organization: { ...ORG_DOC, name: 'Acme Ltd' } }, { message: 'rename', author: bob });
  assert.ok(kept.changed);
  assert.equal(Object.keys((await readBaseline(dir, 'acme')).surfaces), ['organization', 'roles']);
  const replaced = await writeBaseline(dir, 'acme', { organization: { ...ORG_DOC, name: 'Acme Ltd' } }, { message: 'drop roles', author: bob, replace: true });
  assert.ok(replaced.changed);
  assert.equal(Object.keys((await readBaseline(dir, 'acme')).surfaces), ['organization']);
  assert.is(commitCount(dir), 3);
});

test('only the org\'s files are committed, even inside a busy existing repository', async () => {
  const repo = fresh();
  git(repo, '-c', 'init.defaultBranch=main', 'init', '-q');
  writeFileSync(join(repo, 'README.md'), 'hello\n');
  git(repo, 'add', 'README.md'); // staged by someone else: must stay staged, not committed
  const dir = join(repo, 'baselines');
  mkdirSync(join(dir, 'other'), { recursive: true });
  writeFileSync(join(dir, 'other', 'organization.json'), '{}\n');
  const r = await writeBaseline(dir, 'acme', { organization: ORG_DOC }, { message: 'acme only', author: alice });
  assert.is(git(repo, 'show', '--name-only', '--format=', r.sha!), 'baselines/acme/organization.json');
  assert.is(git(repo, 'status', '--porcelain'), 'A  README.md\n?? baselines/other/');
  assert.is(git(dir, 'rev-parse', '--show-toplevel'), git(repo, 'rev-parse', '--show-toplevel'));
});

test('identity comes from the call, not from GIT_* variables in the environment', async () => {
  const injected = { GIT_AUTHOR_NAME: 'Intruder', GIT_COMMITTER_EMAIL: 'intruder@evil.test', GIT_DIR: join(root, 'not-a-repo') };
  const before = Object.keys(injected).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, injected);
  const dir = fresh();
  try {
    await writeBaseline(dir, 'acme', { organization: ORG_DOC }, { message: 'm', author: bob });
  } finally {
    for (const [k, v] of before) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
  assert.is(git(dir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>'), 'Bob Builder <bob@example.org>|Bob Builder <bob@example.org>');
});

test('a malformed baseline file fails with its line and column', async () => {
  const dir = fresh();
  await writeBaseline(dir, 'acme', { organization: ORG_DOC }, { message: 'one', author: alice });
  const file = join(dir, 'acme', 'roles.json');
  writeFileSync(file, '{\n  "entities": [\n    { "id": "r1", }\n  ]\n}\n');
  const f = await rejects(readBaseline(dir, 'acme'));
  assert.is(f.error.code, 'DW2101');
  assert.is(f.error.kind, 'bad-input');
  assert.equal(f.error.at, { file, line: 3, col: 19 });
  assert.is(f.message.split('\n')[0], `${file}:3:19 DW2101 invalid JSON: expected a property name in double quotes, found "}"; fix the file or restore it from git`);

  writeFileSync(file, '\n  ["not", "an", "object"]\n');
  const g = await rejects(readBaseline(dir, 'acme'));
  assert.is(g.message.split('\n')[0], `${file}:2:3 DW2102 expected an object, found an array`);
});

test('accepting into an org with a malformed file writes and commits nothing', async () => {
  const dir = fresh();
  await writeBaseline(dir, 'acme', { organization: ORG_DOC }, { message: 'one', author: alice });
  const bad = join(dir, 'acme', 'roles.json');
  writeFileSync(bad, '{"entities": [}');
  const f = await rejects(acceptPaths(dir, 'acme', { organization: { ...ORG_DOC, name: 'New' } }, [{ surface: 'organization', pathText: 'name' }], { author: bob }));
  assert.is(f.error.code, 'DW2101');
  assert.equal(f.error.at, { file: bad, line: 1, col: 15 });
  assert.equal(JSON.parse(readFileSync(join(dir, 'acme', 'organization.json'), 'utf8')), ORG_DOC);
  assert.is(readFileSync(bad, 'utf8'), '{"entities": [}');
  assert.is(commitCount(dir), 1);
});

test('acceptPaths takes only the chosen drift and names paths and person in the commit', async () => {
  const dir = fresh();
  const baseline = {
    authentication: { mfa: 'optional', ipAllowlist: ['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12'], timeoutMinutes: 30 },
    roles: { entities: [{ id: 'r1', name: 'Admin', permissions: ['all'] }, { id: 'r2', name: 'Agent', permissions: ['chat'] }] },
  };
  await writeBaseline(dir, 'acme', baseline, { message: 'one', author: alice });
  const current = {
    authentication: { mfa: 'required', ipAllowlist: ['10.0.0.0/8'], timeoutMinutes: 5, newSetting: true },
    roles: { entities: [{ id: 'r1', name: 'Admin', permissions: ['all', 'audit'] }, { id: 'r2', name: 'Agent', permissions: ['chat'] }, { id: 'r3', name: 'Temp', permissions: [] }] },
  };
  const r = await acceptPaths(dir, 'acme', current, [
    { surface: 'authentication', pathText: 'mfa' },
    { surface: 'authentication', pathText: 'ipAllowlist[1]' },
    { surface: 'authentication', pathText: 'ipAllowlist[2]' },
    { surface: 'roles', pathText: 'entities[id=r3]' },
  ], { author: bob, reason: 'CHG-42 approved' });
  assert.ok(r.changed);
  const read = await readBaseline(dir, 'acme');
  assert.equal(read.surfaces, {
    // mfa and the two removed allowlist entries taken; timeoutMinutes and newSetting not chosen
    authentication: { mfa: 'required', ipAllowlist: ['10.0.0.0/8'], timeoutMinutes: 30 },
    // r3 taken; r1's new permission not chosen
    roles: { entities: [{ id: 'r1', name: 'Admin', permissions: ['all'] }, { id: 'r2', name: 'Agent', permissions: ['chat'] }, { id: 'r3', name: 'Temp', permissions: [] }] },
  });
  const shown = git(dir, 'show', '-s', '--format=%an <%ae>%n%B', 'HEAD');
  assert.is(shown, [
    'Bob Builder <bob@example.org>',
    'baseline(acme): accept 4 drift paths by Bob Builder',
    '',
    'Accepted by: Bob Builder <bob@example.org>',
    'Reason: CHG-42 approved',
    '',
    '- authentication: mfa',
    '- authentication: ipAllowlist[1]',
    '- authentication: ipAllowlist[2]',
    '- roles: entities[id=r3]',
  ].join('\n'));
  assert.is(read.commit, r.sha);

  // A nested keyed path, and accepting what is already accepted changes nothing.
  await acceptPaths(dir, 'acme', current, [{ surface: 'roles', pathText: 'entities[id=r1].permissions' }], { author: alice });
  assert.equal((await readBaseline(dir, 'acme')).surfaces.roles, current.roles);
  const again = await acceptPaths(dir, 'acme', current, [{ surface: 'authentication', pathText: 'mfa' }], { author: alice });
  assert.is(again.changed, false);
  assert.is(commitCount(dir), 3);
});

test('accepting a whole new surface, and paths that cannot be applied', async () => {
  const dir = fresh();
  await writeBaseline(dir, 'acme', { organization: ORG_DOC }, { message: 'one', author: alice });
  const r = await acceptPaths(dir, 'acme', { organization: ORG_DOC, recording: { retentionDays: 90 } }, [{ surface: 'recording', pathText: '' }], { author: alice });
  assert.ok(r.changed);
  assert.equal((await readBaseline(dir, 'acme')).surfaces.recording, { retentionDays: 90 });
  assert.match(git(dir, 'log', '-1', '--format=%B'), '- recording: (whole surface)');

  const cases: [string, Record<string, unknown>, string][] = [
    ['DW2105', { organization: ORG_DOC }, 'features..sso'],
    ['DW2107', {}, 'name'],
    ['DW2106', { organization: { ...ORG_DOC, a: { b: { c: 1 } } } }, 'a.b.c'],
    ['DW2106', { organization: { ...ORG_DOC, name: { first: 'x' } } }, 'name.first'],
  ];
  for (const [code, current, pathText] of cases) {
    const f = await rejects(acceptPaths(dir, 'acme', current as never, [{ surface: 'organization', pathText }], { author: alice }));
    assert.is(f.error.code, code, pathText);
  }
  assert.is(commitCount(dir), 2);

  // One bad path spoils the whole accept: the good one is not written either.
  const before = readFileSync(join(dir, 'acme', 'organization.json'), 'utf8');
  const mixed = await rejects(acceptPaths(dir, 'acme', { organization: { ...ORG_DOC, name: 'Changed', a: { b: { c: 1 } } } },
    [{ surface: 'organization', pathText: 'name' }, { surface: 'organization', pathText: 'a.b.c' }], { author: alice }));
  assert.is(mixed.error.code, 'DW2106');
  assert.is(readFileSync(join(dir, 'acme', 'organization.json'), 'utf8'), before);
  assert.is(git(dir, 'status', '--porcelain'), '');
});

test('unsafe org or surface names and bad authors are refused before anything is written', async () => {
  const dir = fresh();
  assert.is((await rejects(writeBaseline(dir, '../escape', { organization: {} }, { message: 'm', author: alice }))).error.code, 'DW2103');
  assert.is((await rejects(writeBaseline(dir, 'acme', { '../../x': {} }, { message: 'm', author: alice }))).error.code, 'DW2103');
  assert.is((await rejects(writeBaseline(dir, 'acme', { list: [] as never }, { message: 'm', author: alice }))).error.code, 'DW2102');
  assert.is((await rejects(writeBaseline(dir, 'acme', { organization: {} }, { message: 'm', author: { name: 'Eve\nX', email: 'e@x' } }))).error.code, 'DW2108');
  assert.is((await rejects(readBaseline(dir, '..'))).error.code, 'DW2103');
  assert.equal(readdirSync(dir), []); // not even a repository was created
  assert.equal(await baselineHistory(dir, 'acme'), []);
});

test('concurrent writes to one repository are serialised; history lists the org\'s commits newest first', async () => {
  const dir = fresh();
  await writeBaseline(dir, 'acme', { organization: ORG_DOC }, { message: 'seed', author: alice });
  const results = await Promise.all([
    writeBaseline(dir, 'acme', { roles: { entities: [] } }, { message: 'acme roles', author: alice }),
    writeBaseline(dir, 'globex', { organization: { name: 'Globex' } }, { message: 'globex first', author: bob }),
    writeBaseline(dir, 'acme', { recording: { on: true } }, { message: 'acme recording', author: bob }),
  ]);
  assert.ok(results.every((r) => r.changed));
  assert.is(commitCount(dir), 4);
  const history = await baselineHistory(dir, 'acme');
  assert.equal(history.map((h) => h.message), ['acme recording', 'acme roles', 'seed']);
  assert.equal(history[0]!.author, bob);
  assert.match(history[0]!.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  assert.equal((await baselineHistory(dir, 'globex')).map((h) => h.sha), [results[1]!.sha]);
  assert.is((await baselineHistory(dir, 'acme', 1)).length, 1);
});

test.run();
