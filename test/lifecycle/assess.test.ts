// assessFindings as a pure function: states, dates, blind surfaces, carried attribution.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assessFindings, type PriorFinding } from '../../src/lifecycle/assess.ts';
import { makeFindingId } from '../../src/classify/finding-id.ts';
import { COVERAGE_GAP_RULE, UNCLASSIFIED_RULE } from '../../src/classify/classify.ts';
import { orgId, surfaceId } from '../../src/model/ids.ts';
import type { Finding, FindingState } from '../../src/model/findings.ts';

const org = orgId('o1');
const T0 = '2026-11-01T00:00:00.000Z';
const now = new Date('2026-11-05T00:00:00.000Z');

const finding = (surface: string, pathText: string, kind: Finding['kind'] = 'drift'): Finding => {
  const rule = kind === 'coverage-gap' ? COVERAGE_GAP_RULE : UNCLASSIFIED_RULE;
  return {
    id: makeFindingId(org, surfaceId(surface), pathText, rule), kind, org, surface: surfaceId(surface), pathText, rule,
    title: `t ${pathText}`, severity: 'medium', sensitivity: 'internal', frameworks: [], ...(kind === 'drift' ? { driftKind: 'MODIFIED' as const, old: 1, new: 2 } : {}),
  };
};
const prior = (f: Finding, state: FindingState, extra: Partial<PriorFinding> = {}): PriorFinding => ({
  id: f.id, org, surface: f.surface, pathText: f.pathText, rule: f.rule, kind: f.kind, severity: f.severity,
  sensitivity: f.sensitivity, title: f.title, frameworks: [], state, firstSeen: T0, lastSeen: T0, ...extra,
});

test('new, ongoing, regressed and resolved', () => {
  const a = finding('s', 'a'), b = finding('s', 'b'), c = finding('s', 'c'), d = finding('s', 'd'), e = finding('s', 'e');
  const r = assessFindings([prior(b, 'new'), prior(c, 'resolved'), prior(d, 'ongoing'), prior(e, 'resolved')], [a, b, c], now);
  const state = (f: Finding) => r.current.find((x) => x.id === f.id)?.state;
  assert.is(state(a), 'new');
  assert.is(state(b), 'ongoing');
  assert.is(state(c), 'regressed');
  assert.equal(r.resolved.map((f) => f.id), [d.id], 'only the open one that vanished resolves; e stays resolved silently');
  assert.is(r.resolved[0]!.state, 'resolved');
  assert.is(r.resolved[0]!.lastSeen, T0);
  assert.is(r.current.find((x) => x.id === b.id)!.firstSeen, T0);
  assert.is(r.current.find((x) => x.id === a.id)!.firstSeen, now.toISOString());
  assert.is(r.current.find((x) => x.id === c.id)!.firstSeen, T0, 'a regression keeps the first sighting');
});

test('a blind surface holds its open findings; its own coverage-gap finding resolves when readable', () => {
  const drift = finding('auth', 'mfa'), posture = finding('auth', 'p', 'posture'), other = finding('roles', 'x');
  const gap = finding('auth', '', 'coverage-gap');
  const blind = assessFindings([prior(drift, 'ongoing'), prior(posture, 'new'), prior(other, 'new')], [gap], now);
  assert.equal(blind.held.map((f) => f.id).sort(), [drift.id, posture.id].sort());
  assert.equal(blind.resolved.map((f) => f.id), [other.id], 'a readable surface still resolves');
  const again = assessFindings([prior(drift, 'ongoing'), prior(gap, 'new')], [], now);
  assert.equal(again.resolved.map((f) => f.id).sort(), [drift.id, gap.id].sort());
});

test('an ongoing finding keeps the attribution found when it opened', () => {
  const f = finding('s', 'a');
  const attribution = { found: true, client: 'admin-bot', time: T0 };
  const r = assessFindings([prior(f, 'new', { attribution })], [f], now);
  assert.equal(r.current[0]!.attribution, attribution);
  const back = assessFindings([prior(f, 'resolved', { attribution })], [f], now);
  assert.is(back.current[0]!.attribution, undefined, 'a regression is a new change: attribute it afresh');
});

test('persist: a finding listed twice in one run is stored once, history once', async () => {
  const { openStore } = await import('../../src/store/open-store.ts');
  const { saveAssessment, listFindings } = await import('../../src/lifecycle/finding-rows.ts');
  const { runId } = await import('../../src/model/ids.ts');
  const store = await openStore(':memory:');
  try {
    const run = { id: runId('r1'), org, startedAt: now.toISOString(), finishedAt: now.toISOString(), status: 'drift' as const,
      surfacesOk: 1, surfacesTotal: 1, driftCount: 1, findingCount: 2, durationsMs: {}, exitCode: 1 };
    await store.recordRun(run);
    const f = assessFindings([], [finding('s', 'a')], now).current[0]!;
    await store.transaction((tx) => saveAssessment(tx, run, [f, f], []));
    assert.is((await listFindings(store, { org })).length, 1);
    assert.equal(await store.query('SELECT state FROM finding_history'), [{ state: 'new' }]);
  } finally { await store.close(); }
});

test.run();
