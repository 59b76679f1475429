// Host builtins pinned to OPA's documented / conformance-suite behaviour
// (values from /work/shared/opa-conformance/v1/{regex*,time,semver*,units,netcidr*,strings}).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HOST_BUILTINS, HOST_BUILTIN_NAMES } from '../../src/policy/runtime/host-builtins/index.ts';
import { goSprintf } from '../../src/policy/runtime/host-builtins/sprintf.ts';

const call = (name: string, ...args: unknown[]): unknown => {
  const f = HOST_BUILTINS[name];
  assert.type(f, 'function', `missing host builtin ${name}`);
  return f(...args);
};

test('registry: every builtin the contract lists for the host is present', () => {
  for (const name of [
    'regex.match', 're_match', 'regex.is_valid', 'regex.find_n', 'regex.find_all_string_submatch_n', 'regex.replace',
    'regex.template_match', 'dw.sprintf', 'time.now_ns', 'time.parse_rfc3339_ns', 'time.parse_ns', 'time.parse_duration_ns',
    'time.date', 'time.clock', 'time.weekday', 'time.add_date', 'time.diff', 'time.format', 'semver.compare', 'semver.is_valid',
    'units.parse', 'units.parse_bytes', 'net.cidr_intersects', 'net.cidr_overlap', 'net.cidr_expand', 'net.cidr_is_valid',
    'io.jwt.decode', 'crypto.sha256', 'crypto.md5', 'crypto.sha1', 'crypto.hmac.sha256', 'crypto.hmac.equal',
    'strings.any_prefix_match', 'strings.any_suffix_match', 'uuid.parse',
  ]) assert.ok(HOST_BUILTIN_NAMES.includes(name), name);
  for (const f of Object.values(HOST_BUILTINS)) assert.ok(f.length <= 4, 'the ABI passes at most 4 arguments');
});

// ------------------------------------------------------------ regex
test('regex.find_n / find_all_string_submatch_n (conformance)', () => {
  assert.equal(call('regex.find_n', 'a.', 'paranormal', -1), ['ar', 'an', 'al']);
  assert.equal(call('regex.find_n', 'a.', 'paranormal', 2), ['ar', 'an']);
  assert.equal(call('regex.find_n', 'a.', 'paranormal', 0), []);
  assert.equal(call('regex.find_n', '^a.', 'abacadaeaf', -1), ['ab']);
  assert.equal(call('regex.find_n', '.$', 'abacadaeaf', -1), ['f']);
  assert.equal(call('regex.find_n', '[abcdef]{2}', 'abacadaeaf', -1), ['ab', 'ac', 'ad', 'ae', 'af']);
  assert.equal(call('regex.find_n', 'bork', 'paranormal', -1), []);
  assert.equal(call('regex.find_all_string_submatch_n', 'a(x*)b', '-ab-axb-', -1), [['ab', ''], ['axb', 'x']]);
  const long = 'a'.repeat(62) + 'bc';
  assert.equal(call('regex.find_all_string_submatch_n', '^.*$', long, -1), [[long]]);
});

test('regex: Go empty-match rules differ from JavaScript', () => {
  assert.equal(call('regex.find_n', 'a*', 'baaac', -1), ['', 'aaa', '']); // JS: ['', 'aaa', '', '']
  assert.is(call('regex.replace', 'abc', 'x*', '-'), '-a-b-c-');
  assert.is(call('regex.replace', 'baaac', 'a*', '-'), '-b-c-');
});

test('regex.match / is_valid (conformance) and RE2 translation', () => {
  assert.is(call('regex.match', '^[a-z]+\\[[0-9]+\\]$', 'foo[1]'), true);
  assert.is(call('regex.match', '^$', ''), true);
  assert.is(call('regex.match', '', 'x'), true);
  assert.is(call('regex.match', '^$', 'something'), false);
  assert.is(call('regex.match', '$^[[[', 'something'), undefined);
  assert.is(call('regex.is_valid', '.+'), true);
  assert.is(call('regex.is_valid', 10), false);
  assert.is(call('regex.match', '(?i)^HELLO$', 'hello'), true);
  assert.is(call('regex.match', '(?s)a.b', 'a\nb'), true);
  assert.is(call('regex.match', 'a.b', 'a\nb'), false);
  assert.is(call('regex.match', 'a.b', 'a\rb'), true, 'RE2 `.` only excludes \\n');
  assert.is(call('regex.match', 'abc\\z', 'abc'), true);
  assert.is(call('regex.match', '\\Aabc', 'xabc'), false);
  assert.is(call('regex.match', '^[[:alpha:]]+[[:digit:]]$', 'abc1'), true);
  assert.is(call('regex.match', '^\\Q1+1=2\\E$', '1+1=2'), true);
  assert.is(call('regex.match', '^\\-\\#\\:$', '-#:'), true, 'escaped punctuation is literal');
  assert.is(call('regex.match', '^a{2}b{$', 'aab{'), true, 'a lone { is literal in RE2');
  assert.is(call('regex.match', '^\\x41\\x{1F600}$', 'A😀'), true);
  assert.is(call('regex.match', '^\\pL\\p{Greek}$', 'aα'), true);
  assert.is(call('regex.match', '^\\s$', '\u00a0'), false, 'RE2 \\s is ASCII whitespace');
  assert.is(call('regex.is_valid', '(a)\\1'), false, 'backreferences are not RE2');
  assert.is(call('regex.is_valid', 'a(?=b)'), false, 'lookahead is not RE2');
  assert.is(call('regex.is_valid', '(?P<year>\\d{4})'), true);
  assert.is(call('regex.is_valid', 'a{1001}'), false, 'RE2 caps repeat counts at 1000');
});

test('regex.replace (conformance) and Go templates', () => {
  assert.is(call('regex.replace', '-wy-wxxy-', 'w(x*)y', '0'), '-0-0-');
  assert.is(call('regex.replace', 'foo', '(foo)', '$1$1'), 'foofoo');
  assert.is(call('regex.replace', 'foo', '[', '$1'), undefined);
  assert.is(call('regex.replace', 'foo', '^[a-z]', 'F'), 'Foo');
  assert.is(call('regex.replace', 'foo', '^[a-z]$', 'F'), 'foo');
  assert.is(call('regex.replace', 'foo', '^[a-z]+$', 'M'), 'M');
  assert.is(call('regex.replace', 'foo', '[a-z]$', 'F'), 'foF');
  assert.is(call('regex.replace', 'foo bar', '[a-z]', '_'), '___ ___');
  assert.is(call('regex.replace', 'foo barx', '[a-z]{3}', '_'), '_ _x');
  assert.is(call('regex.replace', 'foo barx', '[a-z]{2}', '_'), '_o __');
  assert.is(call('regex.replace', '2024-05', '(?P<y>\\d+)-(?P<m>\\d+)', '${m}/${y}'), '05/2024');
  assert.is(call('regex.replace', 'ab', '(a)(b)', '$1x$2'), 'b', '$1x is the (missing) group named 1x, as in Go');
  assert.is(call('regex.replace', 'ab', '(a)(b)', '$$${2}'), '$b');
});

test('regex.split (Go Split) and regex.template_match', () => {
  assert.equal(call('regex.split', '^[a-z]+\\[[0-9]+\\]$', ''), ['']);
  assert.equal(call('regex.split', '^[a-z]+', 'foobar baz'), ['', ' baz']);
  assert.equal(call('regex.split', '[a-z]+$', 'foobar baz'), ['foobar ', '']);
  assert.equal(call('regex.split', '^[a-z ]+$', 'foobar baz'), ['', '']);
  assert.equal(call('regex.split', 'a', 'banana'), ['b', 'n', 'n', '']);
  assert.equal(call('regex.split', 'z+', 'pizza'), ['pi', 'a']);
  assert.equal(call('dw.regex.split', '(-)', 'a-b'), ['a', 'b'], 'Go does not splice groups (JS split would give a,-,b)');
  assert.is(call('regex.template_match', 'urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}'), true);
  assert.is(call('regex.template_match', 'urn:foo.bar.com:{.*}', 'urn:foo.com:bar:baz', '{', '}'), false);
  assert.is(call('regex.template_match', 'urn:foo:<[0-9]{2}>', 'urn:foo:42', '<', '>'), true);
  assert.is(call('regex.template_match', 'urn:{.*', 'urn:x', '{', '}'), undefined, 'unbalanced delimiters');
});

// ------------------------------------------------------------ sprintf
test('dw.sprintf: Go verbs on OPA-converted arguments', () => {
  const s = (f: string, ...a: unknown[]): unknown => call('dw.sprintf', f, a);
  assert.is(s('hi %02d', 5), 'hi 05');
  assert.is(s('x'), 'x');
  assert.is(s('%d', 1.5), '%!d(float64=1.5)');
  assert.is(s('%s', 5), '%!s(int64=5)');
  assert.is(s('%f', 5), '%!f(int64=5)');
  assert.is(s('%t', true), '%!t(string=true)', 'OPA passes booleans as their Rego text');
  assert.is(s('%v', [1, 'a', null, { b: 2, a: [true] }]), '[1, "a", null, {"a": [true], "b": 2}]');
  assert.is(s('%v|%v|%v|%v', 1.5, 123456789.5, 1e-5, 100000.25), '1.5|1.234567895e+08|1e-05|100000.25');
  assert.is(s('%.2f|%8.3f|%-8.1f|%08.2f', 3.14159, 2.5, -1.25, -3.5), '3.14|   2.500|-1.2    |-0003.50');
  assert.is(s('%.0f %.0f %.0f', 0.5, 1.5, 2.5), '0 2 2', 'round half to even');
  assert.is(s('%e|%E|%.3g|%g', 123456.789, 0.000123, 1234567.5, 0.0001234), '1.234568e+05|1.230000E-04|1.23e+06|0.0001234');
  assert.is(s('%x %X %o %b %#x %#o %O', 255, 255, 8, 5, 255, 8, 8), 'ff FF 10 101 0xff 010 0o10');
  assert.is(s('%q|%q', 'hi "there"\n', 65), '"hi \\"there\\"\\n"|\'A\'');
  assert.is(s('%5s|%-5s|%05s|%.2s', 'ab', 'ab', 'ab', 'abc'), '   ab|ab   |000ab|ab');
  assert.is(s('%+d|% d|%5d|%-5d|', 5, 5, -42, 42), '+5| 5|  -42|42   |');
  assert.is(s('%c %U %x', 65, 0x1f600, 'hi'), 'A U+1F600 6869');
  assert.is(s('%d %d', 1), '1 %!d(MISSING)');
  assert.is(s('%d', 1, 'x'), '1%!(EXTRA string=x)');
  assert.is(s('100%%'), '100%');
  assert.is(s('%'), '%!(NOVERB)');
  assert.is(s('%z', 1), '%!z(int64=1)');
  assert.is(s('%*d', 4, 7), '   7');
  assert.is(s('%*d', 100000000, 7), '%!(BADWIDTH)7');
  assert.is(s('%.9999999f', 1.5), '%!(BADPREC)1.500000');
  assert.is(goSprintf('%v', [[]]), '[]');
  assert.is(call('dw.sprintf', 1, []), undefined);
});

// ------------------------------------------------------------ time
test('time.parse_rfc3339_ns (conformance) incl. int64 range', () => {
  assert.is(call('time.parse_rfc3339_ns', '1970-01-01T00:00:00-00:00'), 0);
  assert.is(call('time.parse_rfc3339_ns', '2017-06-02T19:00:00-07:00'), 1496455200000000000);
  assert.is(call('time.parse_rfc3339_ns', '1677-09-21T00:12:43.145224192-00:00'), -9223372036854775808);
  assert.is(call('time.parse_rfc3339_ns', '1677-09-21T00:12:43.145224191-00:00'), undefined);
  assert.is(call('time.parse_rfc3339_ns', '2262-04-11T23:47:16.854775808-00:00'), undefined);
  assert.is(call('time.parse_rfc3339_ns', '2020-02-30T00:00:00Z'), undefined);
  assert.is(call('time.parse_rfc3339_ns', '2020-01-01 00:00:00Z'), undefined);
  assert.is(call('time.parse_rfc3339_ns', '2020-01-01T00:00:00.5Z'), 1577836800500000000);
});

test('time.date / clock / weekday (conformance)', () => {
  assert.equal(call('time.date', [1517832000 * 1e9, '']), [2018, 2, 5]);
  assert.equal(call('time.clock', 1582977600 * 1e9), [12, 0, 0]);
  assert.is(call('time.weekday', 1518004800000000000), 'Wednesday');
  assert.is(call('time.weekday', 1582977600 * 1e12), undefined, 'timestamp too big');
  assert.equal(call('time.date', [0, 'America/New_York']), [1969, 12, 31]);
  assert.equal(call('time.clock', [0, 'Asia/Kolkata']), [5, 30, 0]);
  assert.is(call('time.date', [0, 'Not/AZone']), undefined);
  assert.equal(call('time.date', [0, 'Local']), [1970, 1, 1]);
});

test('time.format (conformance) with zones, layouts and named constants', () => {
  const ns = 1670006453141828608; // exactly representable; the conformance value ends in ...752
  assert.is(call('time.format', ns), '2022-12-02T18:40:53.141828608Z');
  assert.is(call('time.format', [ns, 'Asia/Kolkata']), '2022-12-03T00:10:53.141828608+05:30');
  assert.is(call('time.format', [ns, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006']), 'Sat Dec 03 00:10:53 +0530 2022');
  assert.is(call('time.format', [ns, 'Asia/Kolkata', 'RFC1123Z']), 'Sat, 03 Dec 2022 00:10:53 +0530');
  assert.is(call('time.format', [1670006453000000000, 'America/New_York', 'RFC1123']), 'Fri, 02 Dec 2022 13:40:53 EST');
  assert.is(call('time.format', [0, 'UTC', 'Kitchen']), '12:00AM');
  assert.is(call('time.format', [1670006453000000000, '', '2006-01-02T15:04:05.000Z07:00 _2 002 Monday January 3pm']), '2022-12-02T18:40:53.000Z  2 336 Friday December 6pm');
  assert.is(call('time.format', 1582977600 * 10e12), undefined, 'timestamp too big');
});

test('time.parse_ns with Go layouts', () => {
  assert.is(call('time.parse_ns', '2006-01-02', '2022-12-02'), 1669939200000000000);
  assert.is(call('time.parse_ns', 'RFC3339Nano', '2022-12-02T18:40:53.5Z'), 1670006453500000000);
  assert.is(call('time.parse_ns', 'RFC3339', '2022-12-02T18:40:53Z'), 1670006453000000000);
  assert.is(call('time.parse_ns', 'Mon, 02 Jan 2006 15:04:05 -0700', 'Sat, 03 Dec 2022 00:10:53 +0530'), 1670006453000000000);
  assert.is(call('time.parse_ns', '02 Jan 06 3:04PM', '02 Dec 22 6:40PM'), 1670006400000000000);
  assert.is(call('time.parse_ns', '2006-01-02', '2022-02-30'), undefined);
  assert.is(call('time.parse_ns', '2006-01-02', '2022-12-02x'), undefined);
});

test('time.parse_duration_ns: Go duration strings', () => {
  assert.is(call('time.parse_duration_ns', '1h30m'), 5400e9);
  assert.is(call('time.parse_duration_ns', '-1.5h'), -5400e9);
  assert.is(call('time.parse_duration_ns', '300ms'), 300e6);
  assert.is(call('time.parse_duration_ns', '1µs2ns'), 1002);
  assert.is(call('time.parse_duration_ns', '0'), 0);
  assert.is(call('time.parse_duration_ns', '1'), undefined, 'a unit is required');
  assert.is(call('time.parse_duration_ns', '1d'), undefined, 'no day unit in Go');
  assert.is(call('time.parse_duration_ns', '3000000h'), undefined, 'overflows int64');
});

test('time.add_date normalises like Go, time.diff as OPA', () => {
  const utc = (...a: [number, number, number, number?]): number => Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0) * 1e6;
  assert.is(call('time.add_date', utc(2019, 10, 31), 0, 1, 0), utc(2019, 12, 1), 'Oct 31 + 1 month = Dec 1');
  assert.is(call('time.add_date', utc(2020, 2, 29), 1, 0, 0), utc(2021, 3, 1));
  assert.is(call('time.add_date', utc(2020, 1, 1), 0, 0, -1), utc(2019, 12, 31));
  assert.is(call('time.add_date', utc(2020, 1, 1), 1e300, 0, 0), undefined);
  assert.equal(call('time.diff', utc(2021, 1, 31, 10), utc(2021, 3, 1, 9)), [0, 1, 0, 23, 0, 0]);
  assert.equal(call('time.diff', utc(2022, 3, 1), utc(2020, 1, 1)), [2, 2, 0, 0, 0, 0], 'order does not matter');
  assert.is(typeof call('time.now_ns'), 'number');
});

// ------------------------------------------------------------ semver, units
test('semver.compare / is_valid (conformance + SemVer 2.0 precedence)', () => {
  assert.is(call('semver.compare', '1.0.0', '2.0.0'), -1);
  assert.is(call('semver.compare', '1.0.0', '1.0.0'), 0);
  assert.is(call('semver.compare', '1.0.0', '1'), undefined);
  assert.is(call('semver.is_valid', '1.0.0'), true);
  assert.is(call('semver.is_valid', 1), false);
  assert.is(call('semver.is_valid', 'v1.0.0'), false);
  assert.is(call('semver.is_valid', '01.0.0'), false);
  const order = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0'];
  for (let i = 0; i + 1 < order.length; i++) {
    assert.is(call('semver.compare', order[i], order[i + 1]), -1, `${order[i]} < ${order[i + 1]}`);
    assert.is(call('semver.compare', order[i + 1], order[i]), 1);
  }
  assert.is(call('semver.compare', '1.0.0+build.1', '1.0.0+build.2'), 0, 'build metadata is ignored');
});

test('units.parse_bytes (conformance)', () => {
  const pb = (s: string): unknown => call('units.parse_bytes', s);
  assert.is(pb('"100TIB"'), 109951162777600);
  assert.is(pb('0'), 0); assert.is(pb('0.0'), 0); assert.is(pb('.0'), 0); assert.is(pb('12345'), 12345);
  assert.is(pb('10KB'), 10000); assert.is(pb('10KIB'), 10240); assert.is(pb('10Kib'), 10240); assert.is(pb('200mb'), 200000000);
  assert.is(pb('300GiB'), 322122547200); assert.is(pb('1.1KB'), 1100); assert.is(pb('1.1KiB'), 1126); assert.is(pb('.5KB'), 500);
  assert.is(pb('100k'), 100000); assert.is(pb('100ki'), 102400); assert.is(pb('100mi'), 104857600); assert.is(pb('100gi'), 107374182400);
  assert.is(pb('100pi'), 112589990684262400); assert.is(pb('10e'), 10000000000000000000); assert.is(pb('10eib'), 11529215046068469760);
  assert.is(pb('1e3KB'), 1000000);
  assert.ok((pb('3MiB') as number) > (pb('3MB') as number));
  for (const bad of ['', 'GB', 'foo', '0.0.0', '.5.2', '100 kb', ' 327MiB ', '10xb', '1e999999999']) assert.is(pb(bad), undefined, bad);
});

test('units.parse (conformance)', () => {
  const p = (s: string): unknown => call('units.parse', s);
  assert.is(p('"100TI"'), 109951162777600);
  assert.is(p('10K'), 10000); assert.is(p('10KI'), 10240); assert.is(p('10Ki'), 10240); assert.is(p('200M'), 200000000);
  assert.is(p('1.1Ki'), 1126.4); assert.is(p('.5K'), 500); assert.is(p('100m'), 0.1); assert.is(p('100mi'), 104857600);
  assert.is(p('10E'), 10000000000000000000); assert.is(p('10Ei'), 11529215046068469760);
  assert.is(p('1e10'), 10000000000); assert.is(p('3.2E4'), 32000); assert.is(p('2.5e3K'), 2500000); assert.is(p('5e1Gi'), 53687091200);
  assert.is(p('1e-2'), 0.01); assert.is(p('7.8E-1'), 0.78); assert.is(p('-3.5E2m'), -0.35); assert.is(p('42'), 42);
  assert.is.not(p('5E'), 5);
  for (const bad of ['', 'G', 'foo', '0.0.0', '.5.2', '100 k', ' 327Mi ', '10Q']) assert.is(p(bad), undefined, bad);
});

// ------------------------------------------------------------ net, jwt, crypto, strings, uuid
test('net.cidr_* (conformance + IPv6)', () => {
  assert.is(call('net.cidr_intersects', '192.168.1.0/24', '192.168.2.0/24'), false);
  assert.is(call('net.cidr_intersects', '192.168.1.0/24', '192.168.1.128/25'), true);
  assert.is(call('net.cidr_intersects', 'not-a-cidr', '192.168.1.0/24'), undefined);
  assert.is(call('net.cidr_intersects', 'fd1e:5bfe:8af3:9ddc::/64', 'fd1e:5bfe:8af3:9ddc:1111::/72'), true);
  assert.is(call('net.cidr_intersects', '10.0.0.0/8', '::/0'), false);
  assert.is(call('net.cidr_is_valid', '10.0.0.0/33'), false);
  assert.is(call('net.cidr_is_valid', '010.0.0.0/8'), false, 'Go rejects leading zeros');
  assert.is(call('net.cidr_is_valid', '::ffff:10.0.0.1/128'), true);
  assert.is(call('net.cidr_overlap', '10.0.0.0/8', '10.1.2.3'), true);
  assert.is(call('net.cidr_overlap', '10.0.0.0/8', '11.1.2.3'), false);
  assert.equal(call('net.cidr_expand', '192.168.0.8/30'), ['192.168.0.10', '192.168.0.11', '192.168.0.8', '192.168.0.9']);
  assert.equal(call('net.cidr_expand', '2001:db8::/127'), ['2001:db8::', '2001:db8::1']);
  assert.is(call('net.cidr_expand', '10.0.0.0/8'), undefined, 'capped at 65536 addresses');
});

test('io.jwt.decode', () => {
  const token = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  assert.equal(call('io.jwt.decode', token), [
    { alg: 'HS256', typ: 'JWT' },
    { sub: '1234567890', name: 'John Doe', iat: 1516239022 },
    '49f94ac7044948c78a285d904f87f0a4c7897f7e8f3a4eb2255fda750b2cc397',
  ]);
  assert.is(call('io.jwt.decode', 'a.b'), undefined);
  assert.is(call('io.jwt.decode', 'e30.!!!.x'), undefined);
});

test('crypto hashes and HMACs (known vectors)', () => {
  assert.is(call('crypto.sha256', 'abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(call('crypto.md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
  assert.is(call('crypto.sha1', 'abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.is(call('crypto.hmac.sha256', 'The quick brown fox jumps over the lazy dog', 'key'), 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  assert.is(call('crypto.hmac.equal', 'abc', 'abc'), true);
  assert.is(call('crypto.hmac.equal', 'abc', 'abd'), false);
  assert.is(call('crypto.sha256', 1), undefined);
});

test('strings.any_prefix_match / any_suffix_match (conformance)', () => {
  const strs = ['a/b/c', 'a/b/d', 'e/f/g'];
  assert.is(call('strings.any_prefix_match', strs, ['a/', 'd/']), true);
  assert.is(call('strings.any_prefix_match', strs, ['f/', 'd/']), false);
  assert.is(call('strings.any_prefix_match', ['aa/bb/cc'], ['a/b']), false);
  assert.is(call('strings.any_prefix_match', [], ['a/b']), false);
  assert.is(call('strings.any_prefix_match', 'a/b/c', 'a/'), true);
  assert.is(call('strings.any_prefix_match', [1, 2], ['a']), undefined);
  assert.is(call('strings.any_prefix_match', 1, ['a']), undefined);
  assert.is(call('strings.any_suffix_match', strs, ['/g', 'x']), true);
  assert.is(call('strings.any_suffix_match', 'a/b/c', ['/b']), false);
});

test('uuid.parse', () => {
  assert.equal(call('uuid.parse', '00000000-0000-4000-8000-000000000000'), { version: 4, variant: 'RFC4122' });
  assert.equal(call('uuid.parse', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), {
    version: 1, variant: 'RFC4122', time: Number(886630433151182400n), clocksequence: 180,
    nodeid: '00-c0-4f-d4-30-c8', macvariables: 'global:unicast',
  });
  assert.equal(call('uuid.parse', '{6ba7b810-9dad-41d1-80b4-00c04fd430c8}'), { version: 4, variant: 'RFC4122' });
  assert.equal(call('uuid.parse', 'urn:uuid:6ba7b8109dad41d180b400c04fd430c8'.replace('urn:uuid:', '')), { version: 4, variant: 'RFC4122' });
  assert.is(call('uuid.parse', 'not-a-uuid'), undefined);
});

test('dw.json.is_valid / dw.yaml.is_valid: false for non-strings, as OPA', () => {
  assert.is(call('dw.json.is_valid', '{"a": 1}'), true);
  assert.is(call('dw.json.is_valid', '{a: 1}'), false);
  assert.is(call('dw.json.is_valid', 1), false);
  assert.is(call('dw.yaml.is_valid', 'a: 1\nb: [1, 2]'), true);
  assert.is(call('dw.yaml.is_valid', 'a: [1'), false);
  assert.is(call('dw.yaml.is_valid', {}), false);
});

test.run();
