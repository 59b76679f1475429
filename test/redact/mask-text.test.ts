import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileRedactionRules } from '../../src/redact/rules.ts';
import { maskString, redactText, looksHighEntropy } from '../../src/redact/mask-text.ts';
import { SecretString } from '../../src/redact/secret-string.ts';
import { DwFailure } from '../../src/model/errors.ts';

const rules = compileRedactionRules({
  fingerprintKey: 'unit-test-fingerprint-key-0001',
  extraPatterns: [{ name: 'ticket', regex: 'SEC-\\d{4,}' }],
});

const cases: readonly [string, string, RegExp][] = [
  ['uuid', 'role 6b2a1c3d-6666-4e5f-9a0b-000000000006 granted', /role \[uuid hmac:[0-9a-f]{8}\] granted/],
  ['ipv4 cidr keeps prefix length', 'allow 203.0.113.0/24', /allow \[ipv4\/24 hmac:[0-9a-f]{8}\]$/],
  ['ipv4 host', 'from 198.51.100.17 today', /from \[ipv4 hmac:[0-9a-f]{8}\] today/],
  ['ipv6', 'allow 2001:db8::/32 and fe80::1', /allow \[ipv6\/32 hmac:[0-9a-f]{8}\] and \[ipv6 hmac:[0-9a-f]{8}\]/],
  ['email', 'owner bob.smith@acme.example.', /owner \[email hmac:[0-9a-f]{8}\]\./],
  ['phone (E.164)', 'call +1 415 555 0100 now', /call \[phone hmac:[0-9a-f]{8}\] now/],
  ['phone (NANP)', 'call (415) 555-0100', /call \[phone hmac:[0-9a-f]{8}\]/],
  ['jwt', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl here', /\[jwt hmac:[0-9a-f]{8}\] here/],
  ['bearer', 'Authorization: Bearer abc.def-ghi_123', /^Authorization: Bearer \[REDACTED\]$/],
  ['pem', 'key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY----- end', /^key \[PEM private key hmac:[0-9a-f]{8}\] end$/],
  ['high entropy', 'secret is Kq3vZ8pLm2Tx9WbN4rYs7HdJ ok', /is \[high-entropy hmac:[0-9a-f]{8}\] ok/],
  ['key=value secret', 'password=hunter22 and "clientSecret": "abc def"', /password=\[REDACTED\] hmac:[0-9a-f]{8} and "clientSecret": "\[REDACTED\] hmac:[0-9a-f]{8}"/],
  ['url userinfo', 'https://admin:pa55w0rd@relay.example/x', /^https:\/\/\[REDACTED\]@relay\.example\/x$/],
  ['extra pattern from config', 'see SEC-12345', /see \[ticket hmac:[0-9a-f]{8}\]/],
];
for (const [name, input, expected] of cases) {
  test(`masks ${name}`, () => {
    const out = maskString(input, rules);
    assert.match(out, expected);
  });
}

test('keeps ordinary configuration text readable', () => {
  for (const s of ['accessTokenValiditySeconds: 3600', '/api/v2/organizations/authentication/settings', 'inactivityTimeoutExclusions',
    '2025-01-10T09:00:00.000Z', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', 'idle timeout 1800 s', '0.0.0.0/0']) {
    assert.is(maskString(s, rules), s);
  }
});

test('the same value gets the same fingerprint; another value a different one', () => {
  const a = maskString('10.1.2.0/24', rules);
  assert.is(maskString('10.1.2.0/24', rules), a);
  assert.is.not(maskString('10.1.3.0/24', rules), a);
});

test('truncates huge strings with a marker and removes control characters', () => {
  const out = maskString(`a\u0007b\r\nc${'x'.repeat(100_000)}`, rules);
  assert.ok(out.length <= 2048, `length ${out.length}`);
  assert.match(out, /^ab\nc/);
  assert.match(out, /\[truncated \d+ chars\]$/);
});

test('redactText scrubs known secrets (client secret, webhook URL) from log lines', () => {
  const secret = new SecretString('s3cr3t-value-of-the-client', 'client secret');
  const r = compileRedactionRules({ fingerprintKey: 'unit-test-fingerprint-key-0001', knownSecrets: [secret] });
  const line = redactText('auth failed for s3cr3t-value-of-the-client at https://hooks.slack.com/services/T1/B2/abc', r);
  assert.not.ok(line.includes('s3cr3t-value-of-the-client'));
  assert.match(line, /\[webhook-url hmac:/);
});

test('SecretString never prints its value', () => {
  const s = new SecretString('hunter2-hunter2');
  assert.is(String(s), '[SecretString]');
  assert.is(JSON.stringify({ s }), '{"s":"[SecretString]"}');
  assert.is(s.reveal(), 'hunter2-hunter2');
});

test('random tokens count as high entropy; words and paths do not', () => {
  assert.ok(looksHighEntropy('aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ='));
  assert.not.ok(looksHighEntropy('ConfigurationSnapshotterServiceAccount'));
});

test('rejects a bad extra pattern and a short key with DW codes', () => {
  try { compileRedactionRules({ fingerprintKey: 'k'.repeat(32), extraPatterns: [{ name: 'x', regex: '(' }] }); assert.unreachable(); }
  catch (e) { assert.instance(e, DwFailure); assert.is((e as DwFailure).error.code, 'DW5001'); }
  try { compileRedactionRules({ fingerprintKey: 'short' }); assert.unreachable(); }
  catch (e) { assert.instance(e, DwFailure); assert.is((e as DwFailure).error.code, 'DW5002'); }
});

test.run();
