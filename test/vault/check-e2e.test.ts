// The vault behind a real `check` against the simulator: every secret the org returns is sealed
// into the vault (none in clear in the database or any output), an unchanged org adds nothing,
// and a changed SIP password found as drift is revealed by its finding id after approval.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { adminSession } from '../../src/simulator/admin.ts';
import { makeWorkspace, type Workspace } from '../helpers/workspace.ts';
import { occurrencesInDatabase } from './helpers.ts';

const test = suite<{ sim: Simulator; ws: Workspace }>('vault through check');
const NEW_PASSWORD = 'PLANTED-rotated-sip-password-5e1f';

test.before(async (ctx) => {
  ctx.sim = await startSimulator({ seed: 23 });
  ctx.ws = makeWorkspace(ctx.sim);
  const cap = await ctx.ws.run(['baseline', 'capture', '--as', 'Test Auditor']);
  assert.is(cap.code, 0, cap.stderr);
});
test.after(async (ctx) => {
  ctx.ws.close();
  await ctx.sim.close();
});

const list = async (ws: Workspace) => JSON.parse((await ws.run(['vault', 'list', '--json'])).stdout).entries as { id: string; surface: string; pathText: string; seenCount: number }[];

test('check seals every returned secret into the vault and keeps none in clear', async ({ sim, ws }) => {
  const first = await ws.run(['check']);
  assert.is(first.code, 0, first.stderr);
  const entries = await list(ws);
  const trunks = entries.filter((e) => e.surface === 'trunk-base-settings');
  assert.ok(trunks.length >= 1, JSON.stringify(entries));
  assert.ok(trunks.every((e) => e.pathText.endsWith('properties.trunk_authentication_password')));
  assert.ok(sim.canaries.length > 0);
  const db = join(ws.dir, '.driftwarden', 'driftwarden.db');
  const returned = sim.canaries.filter((c) => occurrencesInDatabase(db, c) > 0);
  assert.equal(returned, [], 'no canary secret is stored in clear');
  for (const c of sim.canaries) assert.not.ok(ws.printed().includes(c), 'no canary reaches the output');

  // A second run over an unchanged org only marks the entries as seen again.
  assert.is((await ws.run(['check'])).code, 0);
  const again = await list(ws);
  assert.equal(again.map((e) => e.id), entries.map((e) => e.id));
  assert.ok(again.every((e) => e.seenCount === 2));
});

test('a rotated SIP password is found as drift and revealed by finding id after approval', async ({ sim, ws }) => {
  const admin = adminSession(sim);
  const page = await admin.request<{ entities: { id: string; version?: number; properties: Record<string, { value: { instance: unknown } }> }[] }>('GET', '/api/v2/telephony/providers/edges/trunkbasesettings?pageSize=100');
  const trunk = page.entities.find((t) => t.properties.trunk_authentication_password)!;
  const { version: _v, ...body } = trunk;
  body.properties.trunk_authentication_password!.value.instance = NEW_PASSWORD;
  await admin.request('PUT', `/api/v2/telephony/providers/edges/trunkbasesettings/${trunk.id}`, body);

  const before = (await list(ws)).length;
  const r = await ws.run(['check', '--json']);
  assert.is(r.code, 1, r.stderr);
  assert.not.ok(r.stdout.includes(NEW_PASSWORD));
  const findings = (JSON.parse(r.stdout) as { runs: { findings: { id: string; surface: string; pathText: string }[] }[] }).runs[0]!.findings;
  const finding = findings.find((f) => f.surface === 'trunk-base-settings' && f.pathText.includes('trunk_authentication_password'));
  assert.ok(finding, JSON.stringify(findings));
  assert.is((await list(ws)).length, before + 1, 'one new entry for the one new value');
  assert.is(occurrencesInDatabase(join(ws.dir, '.driftwarden', 'driftwarden.db'), NEW_PASSWORD), 0);

  const req = await ws.run(['vault', 'request', finding!.id, '--as', 'Ada', '--reason', 'CHG-1234: confirm the rotated SIP credential']);
  assert.is(req.code, 0, req.stderr);
  const requestId = req.stdout.trim();
  assert.is((await ws.run(['vault', 'approve', requestId, '--as', 'Ada'])).code, 2);
  assert.is((await ws.run(['vault', 'approve', requestId, '--as', 'Grace'])).code, 0);
  assert.not.ok(ws.printed().includes(NEW_PASSWORD), 'nothing shown before the reveal');
  const shown = await ws.run(['vault', 'reveal', requestId, '--as', 'Ada', '--json']);
  assert.is(shown.code, 0, shown.stderr);
  assert.equal(JSON.parse(shown.stdout).value.value.instance, NEW_PASSWORD);
  assert.is((await ws.run(['vault', 'log', '--verify'])).code, 0);
});

test.run();
