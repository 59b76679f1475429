// `driftwarden check` with credentials from Vault and from AWS Secrets Manager (local servers),
// end to end against the simulator: fetched per run, a store that fails is a recorded failed
// run (exit 3), and no token or secret is ever printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, SIM_AUDITOR, type Simulator } from '../../src/simulator/index.ts';
import { makeWorkspace, type Workspace } from '../helpers/workspace.ts';
import { startSecretsManager, startVault, type AwsServer, type VaultServer } from './servers.ts';

// The SDK warns once per process that its 2027 releases need Node 22: known, pinned, not this test's concern.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const TOKEN = 'hvs.e2e-token-that-must-not-leak';
const AWS_SECRET = 'aws-e2e-secret-key-that-must-not-leak';
const CREDS = { clientId: SIM_AUDITOR.clientId, clientSecret: SIM_AUDITOR.clientSecret };

type Ctx = { sim: Simulator; ws: Workspace; vault: VaultServer; aws: AwsServer };
const t = suite<Ctx>('check with credential providers');

t.before.each(async (ctx) => {
  ctx.sim = await startSimulator({ seed: 3 });
  ctx.vault = await startVault({ secrets: { 'dw/acme': CREDS, 'dw/wrong': { ...CREDS, clientSecret: 'not-it' } }, tokens: [TOKEN] });
  ctx.aws = await startSecretsManager({ accessKeyId: 'AKIAE2E', secrets: { 'dw/acme': JSON.stringify(CREDS) } });
  ctx.ws = makeWorkspace(ctx.sim);
  const cap = await ctx.ws.run(['baseline', 'capture', '--as', 'Test Auditor']);
  assert.is(cap.code, 0, cap.stderr);
});
t.after.each(async (ctx) => {
  const printed = ctx.ws.printed();
  for (const s of [TOKEN, AWS_SECRET, SIM_AUDITOR.clientSecret, ...ctx.sim.canaries]) assert.not.ok(printed.includes(s), 'a secret was printed');
  ctx.ws.close();
  await Promise.all([ctx.sim.close(), ctx.vault.close(), ctx.aws.close()]);
});

/** Swaps the org's `credentials:` block of the workspace config. */
function useCredentials(ws: Workspace, block: string): void {
  const file = join(ws.dir, 'driftwarden.yaml');
  const text = readFileSync(file, 'utf8').replace(/    credentials:\n      env: \{[^\n]*\}/, `    credentials:\n      ${block}`);
  writeFileSync(file, text);
}

t('vault: each check reads the secret once; a rotated-away secret fails the run loudly', async ({ ws, vault }) => {
  useCredentials(ws, `vault: { address: "${vault.url}", mount: secret, path: dw/acme, tokenEnv: DW_VAULT_TOKEN }`);
  ws.env.DW_VAULT_TOKEN = TOKEN;
  delete ws.env.SIM_SECRET;
  const before = vault.seen.length;
  const r = await ws.run(['check', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).runs[0].run.status, 'clean');
  assert.is(vault.seen.length - before, 1);

  vault.revoke(TOKEN);
  const denied = await ws.run(['check']);
  assert.is(denied.code, 3);
  assert.match(denied.stderr, /DW9203 .*denied/);
  const runs = JSON.parse((await ws.run(['runs', '--json'])).stdout).runs as { status: string; error?: string }[];
  assert.is(runs[0]!.status, 'failed');
  assert.match(runs[0]!.error!, /^DW9203/);
});

t('aws: check signs in with the client from Secrets Manager', async ({ ws, aws }) => {
  useCredentials(ws, `aws: { secretId: dw/acme, region: eu-west-1, endpoint: "${aws.url}" }`);
  Object.assign(ws.env, { AWS_ACCESS_KEY_ID: 'AKIAE2E', AWS_SECRET_ACCESS_KEY: AWS_SECRET });
  delete ws.env.SIM_SECRET;
  const r = await ws.run(['check', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(aws.seen.filter((s) => s.headers['x-amz-target'] === 'secretsmanager.GetSecretValue').length, 1);
});

t('baseline capture (synchronous connectOrg) fetches Vault credentials at the first token request', async ({ ws, vault }) => {
  useCredentials(ws, `vault: { address: "${vault.url}", mount: secret, path: dw/acme, tokenEnv: DW_VAULT_TOKEN }`);
  ws.env.DW_VAULT_TOKEN = TOKEN;
  delete ws.env.SIM_SECRET;
  const before = vault.seen.length;
  const r = await ws.run(['baseline', 'capture', '--as', 'Test Auditor']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(vault.seen.length > before);
});

t.run();
