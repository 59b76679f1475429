import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileRedactionRules, secretFieldsFromCatalog } from '../../src/redact/rules.ts';
import { redactFinding } from '../../src/redact/redact-finding.ts';
import { isSecretKeyName } from '../../src/redact/secret-names.ts';
import { SEVERITIES, SENSITIVITIES, type Json } from '../../src/model/findings.ts';
import { surfaceId } from '../../src/model/ids.ts';
import { createHash } from 'node:crypto';
import { canary, finding, seeded } from './fixtures.ts';

const KEY = 'unit-test-fingerprint-key-0001';
const rules = compileRedactionRules({
  fingerprintKey: KEY,
  secretFields: secretFieldsFromCatalog([{ id: 'integrations', secretFields: ['credentials', 'entities[].config.webhookSigningValue'] }]),
});

test('secret-sensitivity findings withhold old/new behind [REDACTED] + keyed fingerprint', () => {
  const r = redactFinding(finding({ sensitivity: 'secret', old: 'old-value-1', new: { nested: 'new-value-2' } }), rules);
  assert.match(String(r.old), /^\[REDACTED\] hmac:[0-9a-f]{16}$/);
  assert.match(String(r.new), /^\[REDACTED\] hmac:[0-9a-f]{16}$/);
  assert.is.not(r.old, r.new, 'a reader can still see that the value changed');
  assert.not.ok(JSON.stringify(r).includes('old-value-1'));
  assert.not.ok(JSON.stringify(r).includes('new-value-2'));
});

test('fingerprint is stable for the same value and key, and differs with another key', () => {
  const f = finding({ sensitivity: 'secret', old: 'same-secret-value' });
  const a = redactFinding(f, rules).old;
  assert.is(redactFinding(f, rules).old, a);
  const other = compileRedactionRules({ fingerprintKey: 'another-fingerprint-key-00002' });
  assert.is.not(redactFinding(f, other).old, a);
  // Never a plain hash: neither sha256 of the value nor of its JSON form appears.
  for (const form of ['same-secret-value', '"same-secret-value"']) {
    assert.not.ok(String(a).includes(createHash('sha256').update(form).digest('hex').slice(0, 16)));
  }
});

test('secret-named fields are withheld whatever severity and sensitivity say', () => {
  for (const severity of SEVERITIES) for (const sensitivity of SENSITIVITIES) {
    const r = redactFinding(finding({
      severity, sensitivity, pathText: 'entities[id=c1]', driftKind: 'MODIFIED',
      old: { name: 'x', clientSecret: 'cs-one-aaaa', password: 'pw-one-bbbb', apiKey: 'ak-one-cccc', Token: 'tk-one-dddd', privateKey: 'pk-one-eeee', certificates: ['MIIC-one-ffff'] },
      new: { name: 'x', clientSecret: 'cs-two-aaaa', password: 'pw-two-bbbb', apiKey: 'ak-two-cccc', Token: 'tk-two-dddd', privateKey: 'pk-two-eeee', certificates: ['MIIC-two-ffff'] },
    }), rules);
    const text = JSON.stringify(r);
    for (const v of ['cs-', 'pw-', 'ak-', 'tk-', 'pk-', 'MIIC-']) assert.not.ok(text.includes(v), `${v} leaked at ${severity}/${sensitivity}`);
  }
});

test('secret names in the path withhold the whole value (policy said "internal")', () => {
  for (const pathText of ['entities[id=c1].secret', 'authentication.smtpPassword', 'properties[name=apiKey].value', 'entities[id=c1].certificates[0]']) {
    const r = redactFinding(finding({ pathText, sensitivity: 'internal', old: 'plain-old-1234', new: 'plain-new-5678' }), rules);
    assert.match(String(r.new), /^\[REDACTED\] hmac:/, pathText);
  }
});

test('catalog secret fields from the rules are withheld too (surface-scoped)', () => {
  const r = redactFinding(finding({ surface: surfaceId('integrations'), pathText: 'entities[id=i1].config.webhookSigningValue', old: 'abc-def-ghi', new: 'jkl-mno-pqr' }), rules);
  assert.match(String(r.new), /^\[REDACTED\]/);
  const elsewhere = redactFinding(finding({ surface: surfaceId('roles'), pathText: 'entities[id=i1].config.webhookSigningValue', old: 'abc-def-ghi', new: 'jkl-mno-pqr' }), rules);
  assert.is(elsewhere.new, 'jkl-mno-pqr');
});

test('security settings whose names merely contain "password"/"token" stay readable', () => {
  const r = redactFinding(finding({ pathText: 'passwordRequirements.minimumLength', old: 12, new: 6 }), rules);
  assert.is(r.old, 12);
  assert.is(r.new, 6);
  const t = redactFinding(finding({ pathText: 'entities[id=c1].accessTokenValiditySeconds', old: 3600, new: 172800 }), rules);
  assert.is(t.new, 172800);
  assert.ok(isSecretKeyName('client_secret') && isSecretKeyName('userPassword') && isSecretKeyName('refreshToken'));
  assert.not.ok(isSecretKeyName('idleTokenTimeoutSeconds') || isSecretKeyName('passwordRequirements'));
});

test('a canary planted everywhere never appears in the redacted finding', () => {
  const rand = seeded(42);
  for (let i = 0; i < 20; i++) {
    const c = canary(rand);
    const nested: Json = { a: [{ b: { note: `value ${c}` } }], c, [`key-${c}`]: 1 };
    for (const sensitivity of SENSITIVITIES) {
      const r = redactFinding(finding({
        sensitivity, title: `rotated ${c}`, message: `client secret is now "${c}"`, pathText: `entities[id=${c}].description`,
        old: nested, new: `prefix ${c} suffix`,
        frameworks: [{ framework: 'SOC2', control: c }],
      }), rules);
      assert.not.ok(JSON.stringify(r).includes(c), `canary leaked (${sensitivity})`);
    }
  }
});

test('nested values: deep nesting capped, long arrays cut, strings truncated, keys masked', () => {
  let deep: Json = 'bottom';
  for (let i = 0; i < 50; i++) deep = { d: deep };
  const r = redactFinding(finding({ old: deep, new: { list: Array.from({ length: 500 }, (_, i) => i), big: 'y'.repeat(100_000), 'bob@acme.example': true } }), rules);
  assert.ok(JSON.stringify(r.old).includes('[depth limit]'));
  const n = r.new as { list: Json[]; big: string } & Record<string, Json>;
  assert.is(n.list.length, 101);
  assert.match(String(n.list[100]), /400 more items/);
  assert.ok(n.big.length <= 2048);
  assert.not.ok(JSON.stringify(r).includes('bob@acme.example'));
});

test('{name, value} pairs whose name is a secret have the value withheld', () => {
  const r = redactFinding(finding({ old: { properties: [{ name: 'apiKey', value: 'zzz-one' }, { name: 'region', value: 'eu' }] } }), rules);
  const props = (r.old as { properties: { value: string }[] }).properties;
  assert.match(props[0]!.value, /^\[REDACTED\]/);
  assert.is(props[1]!.value, 'eu');
});

test('identifiers stay verbatim for routing and dedup; odd ones are fingerprinted', () => {
  const r = redactFinding(finding(), rules);
  assert.is(r.id, 'fnd-0001');
  assert.is(r.org, 'acme-prod');
  const odd = redactFinding(finding({ org: 'acme <!channel>' as never }), rules);
  assert.match(odd.org, /^id-[0-9a-f]{16}$/);
});

test('IP allow-list drift: prefix length visible, address masked, change visible', () => {
  const r = redactFinding(finding({ pathText: 'ipAddressAllowlist[=203.0.113.0/24]', driftKind: 'REMOVED', old: '203.0.113.0/24', new: undefined }), rules);
  assert.match(r.pathText, /^ipAddressAllowlist\[=\[ipv4\/24 hmac:[0-9a-f]{8}\]\]$/);
  assert.not.ok(JSON.stringify(r).includes('203.0.113'));
  const all = redactFinding(finding({ pathText: 'ipAddressAllowlist[=0.0.0.0/0]', driftKind: 'ADDED', new: '0.0.0.0/0' }), rules);
  assert.is(all.new, '0.0.0.0/0');
});

test('a secret that equals an enum value or the org id does not crash the self-check', () => {
  const r = redactFinding(finding({ sensitivity: 'secret', severity: 'critical', old: 'critical', new: 'acme-prod' }), rules);
  assert.match(String(r.new), /^\[REDACTED\]/);
  assert.is(r.severity, 'critical');
  assert.match(r.org, /^id-/, 'an org id equal to a secret value is fingerprinted');
});

test('a value sealed upstream keeps its fingerprint (the one stored in the baseline)', () => {
  const plain = redactFinding(finding({ sensitivity: 'secret', new: 'rotated-value-1' }), rules).new;
  const fp = String(plain).split(' ')[1];
  const sealed = redactFinding(finding({ sensitivity: 'secret', new: `sealed:${fp}` }), rules).new;
  assert.is(sealed, plain);
});

test.run();
