import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SIM_AUDITOR, SIMULATED_SURFACES, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { call, normalize, readAllPages, tokenFor } from './helpers.ts';

const t = suite('simulator: read quirks');

/** Reads the given paths in order and returns the raw bodies. */
async function rawReads(sim: Simulator, paths: readonly string[]): Promise<string[]> {
  const token = await tokenFor(sim, SIM_AUDITOR);
  const out: string[] = [];
  for (const p of paths) {
    const r = await call(sim, token, p);
    assert.is(r.status, 200, p);
    out.push(r.text);
  }
  return out;
}

const RICH = [
  '/api/v2/authorization/roles',
  '/api/v2/organizations/authentication/settings',
  '/api/v2/recording/mediaretentionpolicies',
  '/api/v2/oauth/clients',
  '/api/v2/identityproviders',
  '/api/v2/integrations',
  '/api/v2/telephony/providers/edges/trunkbasesettings',
];

t('with quirks two consecutive reads differ raw and in content, yet normalize to the same document', async () => {
  const sim = await startSimulator({ seed: 7 });
  try {
    const first = await rawReads(sim, RICH);
    const second = await rawReads(sim, RICH);
    RICH.forEach((path, i) => {
      assert.is.not(first[i], second[i], `${path} raw differs`);
      assert.not.equal(JSON.parse(first[i]), JSON.parse(second[i]), `${path} parsed differs`);
      assert.equal(normalize(JSON.parse(first[i]).entities ?? JSON.parse(first[i])), normalize(JSON.parse(second[i]).entities ?? JSON.parse(second[i])), `${path} normalizes equal`);
    });
  } finally {
    await sim.close();
  }
});

t('every surface differs raw across two reads and normalizes to the same document', async () => {
  const sim = await startSimulator({ seed: 99 });
  try {
    const paths = SIMULATED_SURFACES.map((s) => s.path);
    const a = await rawReads(sim, paths);
    const b = await rawReads(sim, paths);
    paths.forEach((p, i) => {
      assert.is.not(a[i], b[i], `${p} raw differs`);
      assert.equal(normalize(JSON.parse(a[i])), normalize(JSON.parse(b[i])), p);
    });
  } finally {
    await sim.close();
  }
});

t('the same seed reproduces the same raw bytes; another seed does not', async () => {
  const runs: string[][] = [];
  for (const seed of [21, 21, 22]) {
    const sim = await startSimulator({ seed });
    try {
      runs.push([...(await rawReads(sim, RICH)), ...(await rawReads(sim, RICH))]);
    } finally {
      await sim.close();
    }
  }
  assert.equal(runs[0], runs[1]);
  assert.not.equal(runs[0], runs[2]);
});

t('the quirks are the documented kinds: strings for numbers, missing empties, reordered sets', async () => {
  const sim = await startSimulator({ seed: 3 });
  try {
    const reads = (await rawReads(sim, Array(12).fill('/api/v2/organizations/authentication/settings'))).map((x) => JSON.parse(x));
    assert.ok(reads.some((r) => typeof r.passwordRequirements.minimumLength === 'string'), 'a number sent as a string');
    assert.ok(reads.some((r) => !('inactivityTimeoutExclusions' in r)), 'an empty optional field left out');
    assert.ok(reads.some((r) => r.ipAddressAllowlist[0] !== '203.0.113.0/24'), 'allow-list reordered');
    const sites = (await rawReads(sim, Array(6).fill('/api/v2/telephony/providers/edges/sites'))).map((x) => JSON.parse(x));
    for (const s of sites) {
      const london = s.entities.find((e: { name: string }) => e.name === 'London Office');
      assert.equal(london.mediaRegions, ['eu-west-2', 'eu-west-1'], 'ordered lists keep their order');
    }
  } finally {
    await sim.close();
  }
});

t('without quirks reads are byte-identical', async () => {
  const sim = await startSimulator({ seed: 7, quirks: false });
  try {
    assert.equal(await rawReads(sim, RICH), await rawReads(sim, RICH));
  } finally {
    await sim.close();
  }
});

t('canaries are planted in secret fields and free text and are served on reads', async () => {
  const sim = await startSimulator({ seed: 4 });
  try {
    assert.ok(sim.canaries.length >= 6);
    assert.ok(sim.canaries.every((c) => /^CANARY-[0-9a-f]{24}$/.test(c)));
    const token = await tokenFor(sim, SIM_AUDITOR);
    let served = '';
    for (const s of SIMULATED_SURFACES) {
      if (s.envelope === 'page-number' || s.envelope === 'cursor') served += JSON.stringify((await readAllPages(sim, token, s.path)).entities);
      else served += (await call(sim, token, s.path)).text;
    }
    for (const c of sim.canaries) assert.ok(served.includes(c), `${c} is served somewhere`);
    const clients = (await call(sim, token, '/api/v2/oauth/clients')).json.entities;
    assert.ok(clients.some((c: { secret?: string }) => c.secret?.startsWith('CANARY-')), 'legacy secret echo under quirks');
  } finally {
    await sim.close();
  }
});

t.run();
