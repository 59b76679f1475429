// The daemon's parts without processes or a simulator: lease compare-and-set, cron arithmetic,
// the "monitoring blind" finding, CLI refusals, and the shipped scheduling examples.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';
import {
  acquireLease, blindFinding, blindWindowMs, missedRun, parseSchedule, readLease, releaseLease, renewLease, scheduleIntervalMs, BLIND_RULE,
} from '../../src/daemon/index.ts';
import { redactFinding } from '../../src/redact/redact-finding.ts';
import { compileRedactionRules } from '../../src/redact/rules.ts';
import { orgId } from '../../src/model/ids.ts';
import { DwFailure } from '../../src/model/errors.ts';
import { main } from '../../src/cli/main.ts';
import { capture } from '../helpers/workspace.ts';

type Ctx = { store: Store };
const t = suite<Ctx>('daemon parts');
t.before.each(async (ctx) => { ctx.store = await openStore(':memory:'); });
t.after.each(async (ctx) => { await ctx.store.close(); });

const at = (iso: string) => new Date(iso);

t('lease: one holder at a time; ours to renew; free again when released or expired', async ({ store }) => {
  const t0 = at('2026-01-01T00:00:00.000Z');
  const a = await acquireLease(store, 'acme', 'A', 10_000, t0);
  assert.ok(a.acquired);
  const b = await acquireLease(store, 'acme', 'B', 10_000, at('2026-01-01T00:00:05.000Z'));
  assert.is(b.acquired, false);
  assert.is(!b.acquired && b.heldBy?.holder, 'A');
  assert.ok((await acquireLease(store, 'other-org', 'B', 10_000, t0)).acquired, 'leases are per org');
  // Renewal moves the expiry; B still cannot take it at the old expiry.
  assert.ok(await renewLease(store, 'acme', 'A', 10_000, at('2026-01-01T00:00:08.000Z')));
  assert.is((await acquireLease(store, 'acme', 'B', 10_000, at('2026-01-01T00:00:10.000Z'))).acquired, false);
  // Expired: taken over, and A can no longer renew it.
  assert.ok((await acquireLease(store, 'acme', 'B', 10_000, at('2026-01-01T00:00:18.000Z'))).acquired);
  assert.is(await renewLease(store, 'acme', 'A', 10_000, at('2026-01-01T00:00:19.000Z')), false);
  await releaseLease(store, 'acme', 'A'); // not A's any more: no effect
  assert.is((await readLease(store, 'acme'))?.holder, 'B');
  await releaseLease(store, 'acme', 'B');
  assert.is(await readLease(store, 'acme'), null);
  assert.ok((await acquireLease(store, 'acme', 'A', 10_000, at('2026-01-01T00:00:20.000Z'))).acquired);
});

t('schedule: intervals, the default blind window (3 intervals) and missed runs', () => {
  const hourly = parseSchedule({ id: orgId('a'), schedule: '17 * * * *' });
  const from = at('2026-03-02T10:00:00.000Z');
  assert.is(scheduleIntervalMs(hourly, from), 3_600_000);
  assert.is(blindWindowMs({ blindAfterMinutes: null }, hourly, from), 3 * 3_600_000);
  assert.is(blindWindowMs({ blindAfterMinutes: 45 }, hourly, from), 45 * 60_000);
  // Weekdays at 09:00: the weekend gap is the longest interval, so a weekend is not "blind".
  const weekdays = parseSchedule({ id: orgId('a'), schedule: '0 9 * * 1-5' });
  assert.is(scheduleIntervalMs(weekdays, from), 3 * 86_400_000);
  const now = new Date();
  assert.ok(missedRun(hourly, null, now), 'an org that never ran is checked at once');
  assert.ok(missedRun(hourly, new Date(now.getTime() - 2 * 3_600_000).toISOString(), now));
  assert.not.ok(missedRun(hourly, now.toISOString(), now));
  try { parseSchedule({ id: orgId('a'), schedule: '61 * * * *' }); assert.unreachable(); } catch (e) {
    assert.instance(e, DwFailure);
    assert.is((e as DwFailure).error.code, 'DW9102');
    assert.is((e as DwFailure).error.kind, 'bad-input');
  }
});

t('the "monitoring blind" finding is a critical coverage-gap with a stable id, safe to redact', () => {
  const facts = { org: orgId('acme'), lastSuccessAt: '2026-01-01T00:00:00.000Z', since: '2026-01-01T00:00:00.000Z', windowMs: 3 * 3_600_000, lastError: 'DW4101 token endpoint rejected the client credentials' };
  const f = blindFinding(facts);
  assert.is(f.kind, 'coverage-gap');
  assert.is(f.rule, BLIND_RULE);
  assert.is(f.severity, 'critical');
  assert.is(blindFinding({ ...facts, lastError: 'other' }).id, f.id, 'the id does not depend on the message');
  assert.match(f.title, /Monitoring blind: no successful drift check of acme for over 180 min/);
  const r = redactFinding(f, compileRedactionRules({ fingerprintKey: Buffer.alloc(32, 1), secretFields: [] }));
  assert.is(r.id, f.id);
  assert.is(r.rule, BLIND_RULE);
});

t('`driftwarden daemon` refuses a config where no org has a schedule (exit 2, DW9101)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-daemon-cli-'));
  try {
    writeFileSync(join(dir, 'driftwarden.yaml'), 'orgs:\n  - id: acme\n    apiBase: http://127.0.0.1:9\n    credentials: { env: { clientId: A, clientSecret: B } }\npolicies: { dirs: [] }\n');
    const out = capture(); const err = capture();
    const code = await main(['daemon'], { PATH: process.env.PATH }, dir, { stdout: out.stream, stderr: err.stream });
    assert.is(code, 2);
    assert.match(err.text(), /DW9101 no org has a schedule/);
    const bad = await main(['daemon', '--lease-seconds', '0'], { PATH: process.env.PATH }, dir, { stdout: out.stream, stderr: err.stream });
    assert.is(bad, 2);
    assert.match(err.text(), /DW9105 --lease-seconds/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

t('shipped scheduling examples: valid cron, and each documents every exit code', () => {
  const cronFile = readFileSync('examples/cron/driftwarden.cron', 'utf8');
  const line = cronFile.split('\n').find((l) => /^[*\d]/.test(l))!;
  parseSchedule({ id: orgId('a'), schedule: line.split(/\s+/).slice(0, 5).join(' ') });
  const ci = readFileSync('examples/ci/github-actions.yml', 'utf8');
  parseSchedule({ id: orgId('a'), schedule: /cron: '([^']+)'/.exec(ci)![1]! });
  for (const f of ['cron/driftwarden.cron', 'systemd/driftwarden.service', 'systemd/driftwarden.timer', 'systemd/driftwarden-daemon.service', 'ci/github-actions.yml']) {
    const text = readFileSync(join('examples', f), 'utf8');
    for (const code of ['0', '1', '2', '3', '4']) assert.match(text, new RegExp(`(^|[^\\d])${code}\\s+(clean|drift|bad input|coverage gap|internal)`, 'm'), `${f} does not explain exit ${code}`);
  }
  assert.match(readFileSync('examples/systemd/driftwarden-daemon.service', 'utf8'), /ExecStart=\/usr\/bin\/driftwarden daemon /);
});

t.run();
