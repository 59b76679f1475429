// The catalog is data; these checks keep rows well-formed and aligned with the simulator's
// own table (paths, paging, permissions, secret and unordered fields).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GLOBAL_VOLATILE_FIELDS, SURFACES } from '../../src/genesys/surfaces.ts';
import { SIMULATED_SURFACES } from '../../src/simulator/index.ts';

const PERMISSION = /^[A-Za-z]+:[A-Za-z*]+:[A-Za-z*]+$/;
const PATTERN = /^(\*|[A-Za-z_$][\w$]*)(\[\])?(\.(\*|[A-Za-z_$][\w$]*)(\[\])?)*$/;

test('rows are well-formed: unique ids, /api/v2 paths, permission syntax, pattern syntax', () => {
  assert.ok(SURFACES.length >= 12);
  assert.is(new Set(SURFACES.map((s) => s.id)).size, SURFACES.length);
  for (const s of SURFACES) {
    assert.ok(s.path.startsWith('/api/v2/') && !s.path.includes('?'), s.id);
    assert.ok(s.permission === '' || PERMISSION.test(s.permission), `${s.id} permission ${s.permission}`);
    for (const p of [...s.volatileFields, ...s.secretFields, ...s.arrayKeys.map((k) => k.path)]) assert.ok(PATTERN.test(p), `${s.id}: ${p}`);
    for (const k of s.arrayKeys) assert.ok(k.key === '$value' || /^\w+(\+\w+)*$/.test(k.key), `${s.id}: key ${k.key}`);
    if (s.paging !== 'none') assert.ok(s.arrayKeys.some((k) => k.path === 'entities'), `${s.id}: paged lists are keyed`);
    assert.not.ok(Object.keys(s.query ?? {}).includes('createDefault'), 'never a side-effecting read');
  }
  assert.ok(GLOBAL_VOLATILE_FIELDS.includes('selfUri'));
});

test('every surface is served by the simulator with matching paging, permission and secret fields', () => {
  const envelopeFor = { none: ['none', 'listing-all', 'entities-total'], 'page-number': ['page-number'], cursor: ['cursor'] } as const;
  for (const s of SURFACES) {
    const sim = SIMULATED_SURFACES.find((x) => x.path === s.path);
    assert.ok(sim, `simulator serves ${s.path}`);
    assert.ok((envelopeFor[s.paging] as readonly string[]).includes(sim!.envelope), `${s.id}: ${s.paging} vs ${sim!.envelope}`);
    if (s.permission === '') assert.equal(sim!.readPermissions, [], `${s.id} needs no permission`);
    else assert.ok(sim!.readPermissions.includes(s.permission), `${s.id}: ${s.permission}`);
    if (s.select !== undefined) continue;
    const entityPrefix = sim!.kind === 'collection' ? 'entities[].' : '';
    for (const f of sim!.secretFields) {
      assert.ok(s.secretFields.includes(f) || s.secretFields.includes(`${entityPrefix}${f}`), `${s.id}: secret ${f} covered`);
    }
    for (const u of sim!.unorderedArrays) {
      const covered = s.arrayKeys.some((k) => k.path === `${entityPrefix}${u}`) || s.volatileFields.includes(u);
      assert.ok(covered, `${s.id}: unordered array ${u} has a key rule`);
    }
  }
});

test.run();
