// Every credential provider against a real local server speaking its API (Vault KV v2 + AppRole,
// AWS Secrets Manager JSON protocol), plus env and file; secrets never show in messages.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { inspect } from 'node:util';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsProvider, credentialProviderFor, envProvider, fileProvider, vaultProvider } from '../../src/auth/providers/index.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { startSecretsManager, startVault, type AwsServer, type VaultServer } from './servers.ts';

// The SDK warns once per process that its 2027 releases need Node 22: known, pinned, not this test's concern.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const CLIENT = { clientId: 'client-123', clientSecret: 'very-secret-client-value' };
const TOKEN = 'hvs.token-that-must-not-leak';
const APPROLE = { roleId: 'role-abc', secretId: 'secretid-that-must-not-leak', token: 'hvs.approle-token-that-must-not-leak' };
const AWS_KEY = { id: 'AKIATESTKEY0000001', secret: 'aws-secret-access-key-that-must-not-leak' };

async function failure(p: Promise<unknown>): Promise<DwFailure> {
  try { await p; } catch (e) { if (e instanceof DwFailure) return e; throw e; }
  throw new Error('expected a DwFailure');
}
const noLeak = (text: string) => {
  for (const s of [CLIENT.clientSecret, TOKEN, APPROLE.secretId, APPROLE.token, AWS_KEY.secret]) assert.not.ok(text.includes(s), `leaked ${s.slice(0, 8)}… in: ${text}`);
};

type Ctx = { vault: VaultServer; aws: AwsServer; dir: string };
const t = suite<Ctx>('credential providers');

t.before(async (ctx) => {
  ctx.vault = await startVault({ secrets: { 'driftwarden/prod': CLIENT, 'driftwarden/partial': { clientId: 'x' } }, tokens: [TOKEN], approle: APPROLE });
  ctx.aws = await startSecretsManager({ accessKeyId: AWS_KEY.id, secrets: { 'driftwarden/prod': JSON.stringify(CLIENT), 'driftwarden/not-json': 'plain' } });
  ctx.dir = mkdtempSync(join(tmpdir(), 'dw-cred-'));
});
t.after(async (ctx) => {
  await ctx.vault.close();
  await ctx.aws.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

t('env: reads the two named variables; a missing one is bad input', async () => {
  const c = await envProvider('acme', 'ID', 'SECRET', { ID: ' client-123 ', SECRET: CLIENT.clientSecret }).get();
  assert.is(c.clientId, 'client-123');
  assert.is(c.clientSecret.reveal(), CLIENT.clientSecret);
  noLeak(JSON.stringify(c) + inspect(c) + String(c.clientSecret));
  const e = await failure(envProvider('acme', 'ID', 'SECRET', { ID: 'x' }).get());
  assert.is(e.error.code, 'DW4001');
  assert.is(e.error.kind, 'bad-input');
});

t('file: reads a 0600 file and refuses a group-readable one', async ({ dir }) => {
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify(CLIENT));
  chmodSync(file, 0o600);
  const c = await fileProvider(file).get();
  assert.is(c.clientSecret.reveal(), CLIENT.clientSecret);
  chmodSync(file, 0o644);
  assert.is((await failure(fileProvider(file).get())).error.code, 'DW4003');
});

t('vault with a token: GET /v1/<mount>/data/<path> with X-Vault-Token, fields from data.data', async ({ vault }) => {
  const before = vault.seen.length;
  const p = vaultProvider({ address: vault.url, mount: 'secret', path: 'driftwarden/prod', auth: { kind: 'token', tokenVar: 'VT' } }, { VT: TOKEN });
  const c = await p.get();
  assert.is(c.clientId, CLIENT.clientId);
  assert.is(c.clientSecret.reveal(), CLIENT.clientSecret);
  const req = vault.seen.slice(before);
  assert.is(req.length, 1);
  assert.is(req[0]!.method, 'GET');
  assert.is(req[0]!.url, '/v1/secret/data/driftwarden/prod');
  assert.is(req[0]!.headers['x-vault-token'], TOKEN);
  noLeak(p.source + JSON.stringify(c) + inspect(c));
});

t('vault with AppRole: logs in, then reads with the issued token', async ({ vault }) => {
  const before = vault.seen.length;
  const c = await vaultProvider({ address: vault.url, mount: 'secret', path: 'driftwarden/prod', auth: { kind: 'approle', roleIdVar: 'RID', secretIdVar: 'SID' } },
    { RID: APPROLE.roleId, SID: APPROLE.secretId }).get();
  assert.is(c.clientSecret.reveal(), CLIENT.clientSecret);
  const req = vault.seen.slice(before);
  assert.equal(req.map((r) => `${r.method} ${r.url}`), ['POST /v1/auth/approle/login', 'GET /v1/secret/data/driftwarden/prod']);
  assert.equal(JSON.parse(req[0]!.body), { role_id: APPROLE.roleId, secret_id: APPROLE.secretId });
  assert.is(req[1]!.headers['x-vault-token'], APPROLE.token);
});

t('vault failures are upstream errors with stable codes and no secret in the message', async ({ vault }) => {
  const at = (path: string, auth: Parameters<typeof vaultProvider>[0]['auth'], env: NodeJS.ProcessEnv) =>
    failure(vaultProvider({ address: vault.url, mount: 'secret', path, auth }, env).get());
  const denied = await at('driftwarden/prod', { kind: 'token', tokenVar: 'VT' }, { VT: 'hvs.wrong' });
  assert.is(denied.error.code, 'DW9203');
  assert.is(denied.error.kind, 'upstream');
  assert.match(denied.error.message, /permission denied/);
  const badLogin = await at('driftwarden/prod', { kind: 'approle', roleIdVar: 'RID', secretIdVar: 'SID' }, { RID: APPROLE.roleId, SID: 'wrong' });
  assert.is(badLogin.error.code, 'DW9205'); // Vault answers a bad AppRole secret_id with 400
  assert.match(badLogin.error.message, /AppRole login/);
  assert.is((await at('driftwarden/missing', { kind: 'token', tokenVar: 'VT' }, { VT: TOKEN })).error.code, 'DW9204');
  const partial = await at('driftwarden/partial', { kind: 'token', tokenVar: 'VT' }, { VT: TOKEN });
  assert.is(partial.error.code, 'DW9206');
  assert.match(partial.error.message, /clientSecret/);
  const unset = await at('driftwarden/prod', { kind: 'token', tokenVar: 'VT' }, {});
  assert.is(unset.error.code, 'DW9201');
  assert.is(unset.error.kind, 'bad-input');
  const down = await failure(vaultProvider({ address: 'http://127.0.0.1:1', mount: 'secret', path: 'x', auth: { kind: 'token', tokenVar: 'VT' } }, { VT: TOKEN }).get());
  assert.is(down.error.code, 'DW9202');
  noLeak([denied, badLogin, partial, unset, down].map((e) => e.message).join('\n'));
});

t('aws: a signed GetSecretValue call to the configured endpoint; SecretString JSON holds the fields', async ({ aws }) => {
  const before = aws.seen.length;
  const env = { AWS_ACCESS_KEY_ID: AWS_KEY.id, AWS_SECRET_ACCESS_KEY: AWS_KEY.secret };
  const p = awsProvider({ secretId: 'driftwarden/prod', region: 'eu-west-1', endpoint: aws.url }, env);
  const c = await p.get();
  assert.is(c.clientId, CLIENT.clientId);
  assert.is(c.clientSecret.reveal(), CLIENT.clientSecret);
  const req = aws.seen.slice(before);
  assert.is(req.length, 1);
  assert.is(req[0]!.headers['x-amz-target'], 'secretsmanager.GetSecretValue');
  assert.match(String(req[0]!.headers['content-type']), /application\/x-amz-json-1\.1/);
  assert.match(String(req[0]!.headers.authorization), new RegExp(`^AWS4-HMAC-SHA256 Credential=${AWS_KEY.id}/\\d{8}/eu-west-1/secretsmanager/aws4_request`));
  assert.equal(JSON.parse(req[0]!.body), { SecretId: 'driftwarden/prod' });
  noLeak(p.source + JSON.stringify(c) + inspect(c));
});

t('aws failures: not found, not JSON, bad AWS credentials, unreachable', async ({ aws }) => {
  const env = { AWS_ACCESS_KEY_ID: AWS_KEY.id, AWS_SECRET_ACCESS_KEY: AWS_KEY.secret };
  const get = (secretId: string, e: NodeJS.ProcessEnv = env, endpoint = aws.url) => failure(awsProvider({ secretId, region: 'eu-west-1', endpoint }, e).get());
  assert.is((await get('driftwarden/missing')).error.code, 'DW9212');
  assert.is((await get('driftwarden/not-json')).error.code, 'DW9214');
  const denied = await get('driftwarden/prod', { AWS_ACCESS_KEY_ID: 'AKIAOTHER', AWS_SECRET_ACCESS_KEY: AWS_KEY.secret });
  assert.is(denied.error.code, 'DW9211');
  const down = await get('driftwarden/prod', env, 'http://127.0.0.1:1');
  assert.is(down.error.code, 'DW9210');
  assert.is(down.error.kind, 'upstream');
  noLeak([denied, down].map((e) => e.message).join('\n'));
});

t('config: vault and aws sources resolve to the matching provider; exactly one source is allowed', async ({ vault, aws }) => {
  const config = parseConfig([
    'orgs:',
    '  - id: v',
    '    apiBase: http://127.0.0.1:9',
    `    credentials: { vault: { address: "${vault.url}", mount: secret, path: driftwarden/prod, approle: { roleIdEnv: RID, secretIdEnv: SID } } }`,
    '  - id: a',
    '    apiBase: http://127.0.0.1:9',
    `    credentials: { aws: { secretId: driftwarden/prod, region: eu-west-1, endpoint: "${aws.url}" } }`,
    '  - id: t',
    '    apiBase: http://127.0.0.1:9',
    `    credentials: { vault: { address: "${vault.url}", mount: secret, path: driftwarden/prod } }`,
  ].join('\n'), '/tmp/driftwarden.yaml');
  assert.equal(config.orgs[0]!.credentials, { kind: 'vault', address: vault.url, mount: 'secret', path: 'driftwarden/prod', auth: { kind: 'approle', roleIdVar: 'RID', secretIdVar: 'SID' } });
  assert.equal(config.orgs[2]!.credentials, { kind: 'vault', address: vault.url, mount: 'secret', path: 'driftwarden/prod', auth: { kind: 'token', tokenVar: 'VAULT_TOKEN' } });
  const env = { RID: APPROLE.roleId, SID: APPROLE.secretId, AWS_ACCESS_KEY_ID: AWS_KEY.id, AWS_SECRET_ACCESS_KEY: AWS_KEY.secret, VAULT_TOKEN: TOKEN };
  for (const org of config.orgs) assert.is((await credentialProviderFor(org, env).get()).clientSecret.reveal(), CLIENT.clientSecret);

  const bad = (creds: string) => {
    try { parseConfig(`orgs:\n  - id: x\n    apiBase: http://127.0.0.1:9\n    credentials: ${creds}\n`, '/tmp/driftwarden.yaml'); } catch (e) { return (e as DwFailure).error; }
    throw new Error('expected a config error');
  };
  assert.is(bad(`{ file: c.json, aws: { secretId: s, region: eu-west-1 } }`).code, 'DW1107');
  assert.match(bad(`{ file: c.json, aws: { secretId: s, region: eu-west-1 } }`).message, /exactly one of file, aws/);
  assert.is(bad(`{ vault: { address: "https://v", mount: m, path: p, tokenEnv: T, approle: { roleIdEnv: A, secretIdEnv: B } } }`).code, 'DW1107');
  assert.is(bad(`{ vault: { address: "http://vault.example.com", mount: m, path: p } }`).code, 'DW1106');
  assert.is(bad(`{ aws: { secretId: s, region: Europe } }`).code, 'DW1102');
});

t.run();
