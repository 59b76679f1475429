// `driftwarden report` over a three-day, two-org history from the real simulator: every format
// rendered through the CLI in-process, validated (JSON Schema, SARIF 2.1.0, OSCAL), compared with
// golden files, checked for canary secrets and for the pins and verify result it must state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHistory, captured, quietly, type History } from './history.ts';
import { errorsOf, oscalValidator, reportValidator, sarifValidator } from './schemas.ts';
import { assertGolden, normalizeVolatile } from './normalize-golden.ts';
import { pdfPages } from './pdf-text.ts';
import { main } from '../../src/cli/main.ts';
import { openStore } from '../../src/store/open-store.ts';
import { loadReportModel, renderReport, type ReportModel } from '../../src/report/index.ts';
import { loadOrCreateSigningKey, verifyEvidence } from '../../src/evidence/index.ts';
import { REPORT_FORMATS } from '../../src/report/render.ts';
import { checkInChromium, chromiumAvailable } from './chromium.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const test = suite('compliance reports');
let h: History;
const out: Record<string, Buffer> = {};
const cleanup: string[] = [];

test.before(async () => {
  h = await buildHistory({ orgs: ['acme-eu', 'acme-us'], seed: 11 });
  for (const f of REPORT_FORMATS) {
    const code = await quietly(() => h.cli(['report', '--format', f, '-o', `out/fleet.${f}`]));
    assert.is(code, 0, `report --format ${f}`);
    out[f] = await readFile(join(h.dir, 'out', `fleet.${f}`));
  }
});
test.after(async () => {
  await h?.close();
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

const json = (f: string) => JSON.parse(out[f]!.toString('utf8')) as Record<string, unknown>;
const model = () => json('json') as unknown as ReportModel;
const assessed = () => model().runs.filter((s) => model().assessed.includes(s.run.id));

test('the history: three days of two orgs, drift on day 2, MFA fixed on day 3', () => {
  assert.is(h.outcomes.length, 6);
  const m = model();
  assert.is(m.runs.length, 6);
  assert.equal(m.scope, { org: null, runId: null, from: null, to: null });
  assert.equal(m.assessed, [h.outcomes[4]!.record.id, h.outcomes[5]!.record.id], 'the newest run of each org');
  assert.ok(m.verification.valid);
  assert.is(m.verification.records, 6);
  const day2 = m.runs.find((s) => s.run.id === h.outcomes[2]!.record.id)!;
  assert.ok(day2.findings.some((f) => f.rule === 'driftwarden.posture.mfa_not_required'), 'MFA off is a posture finding on day 2');
  assert.not.ok(assessed()[0]!.findings.some((f) => f.rule === 'driftwarden.posture.mfa_not_required'), 'fixed on day 3');
  assert.ok(assessed()[0]!.resolved.some((f) => f.rule === 'driftwarden.posture.mfa_not_required' && f.state === 'resolved'), 'and shown as resolved');
  assert.ok(assessed()[0]!.findings.some((f) => f.rule === 'driftwarden.drift.ip_allowlist_widened'));
  for (const s of m.runs) assert.is(s.source, 'evidence');
});

test('JSON validates against its documented schema (and the schema rejects a broken report)', () => {
  const validate = reportValidator();
  assert.ok(validate(json('json')), errorsOf(validate));
  const broken = json('json');
  (broken.verification as Record<string, unknown>).valid = 'yes';
  assert.not.ok(validate(broken));
});

test('SARIF validates against the SARIF 2.1.0 schema', () => {
  const validate = sarifValidator();
  const sarif = json('sarif');
  assert.ok(validate(sarif), errorsOf(validate));
  assert.not.ok(validate({ ...sarif, version: '2.0.0' }), 'the schema is really applied');
  const runs = sarif.runs as { results: { ruleId: string; level: string; kind: string; baselineState?: string; locations: unknown[] }[]; tool: { driver: { rules: { id: string; properties: { frameworks: unknown[] } }[] } } }[];
  assert.is(runs.length, 2);
  assert.is(runs[0]!.results.filter((r) => r.kind === 'fail').length, assessed()[0]!.findings.length);
  // MFA was fixed on day 3: a passing result, absent from the baseline of comparison.
  const fixed = runs[0]!.results.find((r) => r.ruleId === 'driftwarden.posture.mfa_not_required');
  assert.equal([fixed?.kind, fixed?.level, fixed?.baselineState], ['pass', 'none', 'absent']);
  const rule = runs[0]!.tool.driver.rules.find((r) => r.id === 'driftwarden.drift.ip_allowlist_widened');
  assert.equal(rule?.properties.frameworks, [{ framework: 'ISO 27001:2022', control: 'A.8.20' }, { framework: 'HIPAA', control: '164.312(e)(1)' }]);
});

test('OSCAL assessment-results validate; controls come from the policies\' METADATA frameworks', () => {
  const validate = oscalValidator();
  const oscal = json('oscal');
  assert.ok(validate(oscal), errorsOf(validate));
  const ar = oscal['assessment-results'] as { results: { 'reviewed-controls': { 'control-selections': { 'include-controls'?: { 'control-id': string }[] }[] }; observations: unknown[]; findings: { target: { 'target-id': string; status: { state: string } } }[] }[] };
  assert.is(ar.results.length, 2);
  const controls = ar.results[0]!['reviewed-controls']['control-selections'][0]!['include-controls']!.map((c) => c['control-id']);
  assert.ok(controls.includes('iso-27001-2022_a.8.20'), controls.join());
  assert.ok(controls.includes('hipaa_164.312-e-1'), controls.join());
  assert.is(ar.results[0]!.observations.length, assessed()[0]!.findings.length);
  const state = (id: string) => ar.results[0]!.findings.find((f) => f.target['target-id'] === id)?.target.status.state;
  assert.is(state('iso-27001-2022_a.8.20'), 'not-satisfied');
  assert.is(state('pci-dss-4.0_8.4.2'), 'satisfied', 'MFA fixed on day 3: its controls are satisfied again');
  assert.is(state('soc-2_cc6.1'), 'satisfied');
  assert.ok(controls.includes('pci-dss-4.0_8.4.2'));
  const bad = structuredClone(oscal) as { 'assessment-results': { uuid: string } };
  bad['assessment-results'].uuid = 'not-a-uuid';
  assert.not.ok(validate(bad));
});

test('JUnit: one test case per rule per surface, findings fail their case', () => {
  const xml = out.junit!.toString('utf8');
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  const suites = xml.match(/<testsuite /g) ?? [];
  assert.is(suites.length, 2);
  const cases = [...xml.matchAll(/<testcase classname="([^"]+)" name="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.is(new Set(cases).size, cases.length, 'no duplicate case');
  assert.ok(cases.includes('acme-eu.authentication-settings driftwarden.drift.ip_allowlist_widened'));
  // Fixed on day 3, seen on day 2: listed, and passing.
  assert.ok(cases.includes('acme-eu.authentication-settings driftwarden.posture.mfa_not_required'));
  assert.match(xml, /<testcase classname="acme-eu.authentication-settings" name="driftwarden.posture.mfa_not_required" time="0"\/>/);
  const failures = (xml.match(/<failure /g) ?? []).length;
  const declared = [...xml.matchAll(/<testsuite [^>]*failures="(\d+)"/g)].reduce((n, m) => n + Number(m[1]), 0);
  assert.is(failures, declared);
  assert.ok(failures > 0);
});

test('golden files (one org, whole history) for JSON, SARIF, JUnit and OSCAL', async () => {
  for (const [format, file] of [['json', 'history.json'], ['sarif', 'history.sarif.json'], ['junit', 'history.junit.xml'], ['oscal', 'history.oscal.json']] as const) {
    const { result, stdout } = await captured(() => h.cli(['report', '--format', format, '--org', 'acme-eu']));
    assert.is(result, 0);
    assertGolden(new URL(`../golden/report/${file}`, import.meta.url), normalizeVolatile(stdout));
  }
});

test('no canary secret in any format\'s bytes (PDF also read back uncompressed)', async () => {
  const canaries = h.sim.canaries;
  assert.ok(canaries.length >= 3);
  const store = await openStore(h.config.store.path);
  let pdfText: string;
  try {
    const key = loadOrCreateSigningKey(join(h.dir, '.driftwarden'));
    const verification = { ...(await verifyEvidence(store, key)), publicKeyPem: key.publicPem };
    const m = await loadReportModel(store, { scope: { org: null, runId: null, from: null, to: null }, verification, now: new Date() });
    pdfText = pdfPages(await renderReport(m, 'pdf', { compress: false })).join('\n');
  } finally { await store.close(); }
  assert.match(pdfText, /Finding details/);
  for (const [format, bytes] of [...Object.entries(out), ['pdf-text', Buffer.from(pdfText)]] as const) {
    const text = bytes.toString('latin1');
    for (const c of canaries) assert.not.ok(text.includes(c), `${format} contains canary ${c.slice(0, 6)}…`);
  }
  // The reports do show the drift the canaries sit next to (so absence is not emptiness).
  assert.match(out.html!.toString('utf8'), /0\.0\.0\.0\/0/);
});

test('every format states the tool version, pins, snapshot digests and the verify result', () => {
  for (const s of assessed()) {
    const needles = [s.pins!.toolVersion, s.pins!.policyDigest!, s.pins!.baselineCommit!, s.pins!.configDigest, ...Object.values(s.pins!.snapshotDigests), s.run.id];
    for (const f of ['html', 'json', 'sarif', 'junit', 'oscal'] as const) {
      const text = out[f]!.toString('utf8');
      for (const n of needles) assert.ok(text.includes(n), `${f} does not state ${n}`);
      assert.ok(/evidence chain (VALID|verified)|"valid": true|evidence-chain-valid/.test(text), `${f} does not state the verify result`);
    }
  }
});

test('PDF: page numbers, run ids and digests on every page', async () => {
  const store = await openStore(h.config.store.path);
  try {
    const key = loadOrCreateSigningKey(join(h.dir, '.driftwarden'));
    const verification = { ...(await verifyEvidence(store, key)), publicKeyPem: key.publicPem };
    const m = await loadReportModel(store, { scope: { org: 'acme-eu', runId: null, from: null, to: null }, verification, now: new Date() });
    const pdf = await renderReport(m, 'pdf', { compress: false });
    assert.is(pdf.subarray(0, 5).toString(), '%PDF-');
    const pages = pdfPages(pdf);
    assert.ok(pages.length >= 2, `pages: ${pages.length}`);
    const s = m.runs.find((x) => x.run.id === m.assessed[0])!;
    pages.forEach((text, i) => {
      assert.ok(text.includes(`Page ${i + 1} of ${pages.length}`), `page ${i + 1} number`);
      assert.ok(text.includes(s.run.id), `page ${i + 1} run id`);
      assert.ok(text.includes(s.pins!.policyDigest!) && text.includes(s.pins!.baselineCommit!) && text.includes(s.pins!.configDigest) && text.includes(s.evidence!.recordHash), `page ${i + 1} digests`);
    });
    assert.is(out.pdf!.subarray(0, 5).toString(), '%PDF-');
  } finally { await store.close(); }
});

test('scopes: --run, --from/--to (UTC days, --to inclusive), --org', async () => {
  const run = h.outcomes[2]!.record.id;
  const one = await captured(() => h.cli(['report', '--format', 'json', '--run', run]));
  assert.is(one.result, 0);
  assert.equal((JSON.parse(one.stdout) as ReportModel).runs.map((s) => s.run.id), [run]);
  const day2 = await captured(() => h.cli(['report', '--format', 'json', '--from', '2026-03-03', '--to', '2026-03-03']));
  assert.is(day2.result, 0);
  const m = JSON.parse(day2.stdout) as ReportModel;
  assert.equal(m.runs.map((s) => s.run.id), [h.outcomes[2]!.record.id, h.outcomes[3]!.record.id]);
  assert.is(m.scope.to, '2026-03-04T00:00:00.000Z');
  const us = await captured(() => h.cli(['report', '--format', 'json', '--org', 'acme-us']));
  assert.ok((JSON.parse(us.stdout) as ReportModel).runs.every((s) => s.run.org === 'acme-us'));
});

// Without chromium, render.test.ts skips loudly (or fails in CI); no second warning here.
if (chromiumAvailable()) {
  test('the fleet HTML report renders in headless Chromium without console messages', async () => {
    const dir = join(fileURLToPath(new URL('../../', import.meta.url)), 'out', 'report-check');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fleet-report.html'), out.html!);
    const r = await checkInChromium(join(dir, 'fleet-report.html'), join(dir, 'fleet-report.png'), '1200,2400');
    assert.equal(r.console, []);
    assert.match(r.dom, /driftwarden compliance report — all orgs/);
    assert.match(r.dom, /IP allow-list widened/);
    assert.ok(r.screenshotBytes > 10_000);
  });
}

test('bad input exits 2 with a coded error', async () => {
  const code = async (argv: string[]) => (await captured(() => h.cli(argv))).result;
  assert.is(await code(['report', '-o', 'x.html']), 2, 'no --format');
  assert.is(await code(['report', '--format', 'docx']), 2);
  assert.is(await code(['report', '--format', 'json', '--run', '20990101T000000000Z-00000000']), 2);
  assert.is(await code(['report', '--format', 'json', '--from', 'yesterday']), 2);
  assert.is(await code(['report', '--format', 'json', '--run', h.outcomes[0]!.record.id, '--from', '2026-03-02']), 2);
  assert.is(await code(['report', '--format', 'json', '--from', '2030-01-01']), 2, 'no runs in range');
});

test('a report over a tampered store says so and exits 1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dw-report-tamper-'));
  cleanup.push(dir);
  await cp(h.dir, dir, { recursive: true });
  const db = new Database(join(dir, '.driftwarden', 'driftwarden.db'));
  try { db.prepare('DELETE FROM evidence_records WHERE seq = 3').run(); } finally { db.close(); }
  const r = await captured(() => main(['report', '--format', 'html'], h.env, dir));
  assert.is(r.result, 1);
  assert.match(r.stdout, /Evidence chain TAMPERED/);
  assert.match(r.stdout, /DW8025/);
});

test.run();
