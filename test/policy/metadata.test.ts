import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DwFailure } from '../../src/model/errors.ts';
import { parseModule } from '../../src/policy/compiler/parse/index.ts';

function failure(f: () => unknown): DwFailure {
  try { f(); } catch (e) { if (e instanceof DwFailure) return e; throw e; }
  throw new Error('expected a DwFailure');
}

const SRC = `# METADATA
# title: Drift checks
# description: Rules that flag configuration drift
package driftwarden.drift

import rego.v1

# METADATA
# title: MFA disabled
# description: |
#   Multi-factor authentication was switched off.
# entrypoint: true
# custom:
#   severity: high
#   sensitivity: internal
#   frameworks: [cis, soc2]
# authors:
# - Jane Doe <jane@example.com>
# - name: Ops
# organizations: [acme]
# related_resources:
# - https://example.com/mfa
# - ref: https://example.com/doc
#   description: runbook
mfa_disabled contains finding if {
	finding := input.x
}

# an ordinary comment, not metadata
other := 1

# METADATA
# scope: document
# title: Whole document
p := 1 if input.a

p := 2 if input.b

# METADATA
# title: Ref head
a.b[x] := 1 if x := input.k
`;

test('package- and rule-scoped blocks: fields, scope defaults, paths, attachment', () => {
  const m = parseModule(SRC, 'drift.rego');
  assert.is(m.annotations.length, 4);
  const [pkg, mfa, doc, refHead] = m.annotations;
  assert.equal(pkg, {
    scope: 'package', pos: { file: 'drift.rego', line: 1, col: 1 }, path: 'data.driftwarden.drift',
    title: 'Drift checks', description: 'Rules that flag configuration drift',
  });
  assert.equal(mfa, {
    scope: 'rule', pos: { file: 'drift.rego', line: 8, col: 1 }, path: 'data.driftwarden.drift.mfa_disabled',
    title: 'MFA disabled', description: 'Multi-factor authentication was switched off.\n', entrypoint: true,
    organizations: ['acme'],
    relatedResources: [{ ref: 'https://example.com/mfa' }, { ref: 'https://example.com/doc', description: 'runbook' }],
    authors: [{ name: 'Jane Doe', email: 'jane@example.com' }, { name: 'Ops' }],
    custom: { severity: 'high', sensitivity: 'internal', frameworks: ['cis', 'soc2'] },
  });
  assert.is(doc.scope, 'document');
  assert.is(doc.path, 'data.driftwarden.drift.p');
  assert.is(refHead.path, 'data.driftwarden.drift.a.b', 'ref heads use the ground prefix of the ref');

  const byName = m.rules.map((r) => [r.head.ref[0].type === 'string' ? r.head.ref[0].value : '?', r.annotations.map((a) => a.title)]);
  assert.equal(byName, [
    ['mfa_disabled', ['MFA disabled']],
    ['other', []],
    ['p', ['Whole document']],
    ['p', ['Whole document']],
    ['a', ['Ref head']],
  ]);
});

test('a METADATA block may be separated from its rule by blank lines', () => {
  const m = parseModule('package a\n\n# METADATA\n# title: t\n\n\np := 1\n', 'a.rego');
  assert.equal(m.rules[0].annotations.map((a) => a.title), ['t']);
});

test('invalid YAML is a diagnostic at the offending comment line', () => {
  const f = failure(() => parseModule('package a\n\n# METADATA\n# title: ok\n# custom: [unclosed\np := 1\n', 'y.rego'));
  assert.is(f.error.code, 'DW3020');
  assert.is(f.error.at?.line, 5);
  assert.match(f.message, /^y\.rego:5:\d+ DW3020 invalid YAML in METADATA block/);
  assert.match(f.message, '\n  # custom: [unclosed\n');
});

test('scope must fit the statement below it', () => {
  const f = failure(() => parseModule('package a\n# METADATA\n# scope: package\np := 1\n', 's.rego'));
  assert.is(f.error.code, 'DW3020');
  assert.equal(f.error.at, { file: 's.rego', line: 3, col: 3 });
  const g = failure(() => parseModule('# METADATA\n# scope: rule\npackage a\np := 1\n', 's.rego'));
  assert.match(g.message, 'must be placed above a rule');
  const h = failure(() => parseModule('package a\n# METADATA\n# scope: everything\np := 1\n', 's.rego'));
  assert.match(h.message, 'invalid METADATA scope "everything"');
});

test('subpackages scope above the package is accepted', () => {
  const m = parseModule('# METADATA\n# scope: subpackages\n# custom: {owner: team}\npackage a.b\np := 1\n', 's.rego');
  assert.equal(m.annotations.map((a) => [a.scope, a.path, a.custom]), [['subpackages', 'data.a.b', { owner: 'team' }]]);
});

test('wrong field types, unknown keys and dangling blocks are diagnostics', () => {
  assert.match(failure(() => parseModule('package a\n# METADATA\n# title: [1, 2]\np := 1\n', 't.rego')).message, 'invalid METADATA title: expected a string');
  assert.match(failure(() => parseModule('package a\n# METADATA\n# custom: 3\np := 1\n', 't.rego')).message, 'invalid METADATA custom: expected a mapping');
  assert.match(failure(() => parseModule('package a\n# METADATA\n# severty: high\np := 1\n', 't.rego')).message, 'unknown METADATA key "severty"');
  assert.match(failure(() => parseModule('package a\np := 1\n# METADATA\n# title: x\n', 't.rego')).message, 'not followed by a package or a rule');
  assert.match(failure(() => parseModule('package a\n# METADATA\np := 1\n', 't.rego')).message, 'expected YAML after # METADATA');
});

test('a METADATA comment at the end of a code line is not a block', () => {
  const m = parseModule('package a\np := 1 # METADATA\nq := 2\n', 'c.rego');
  assert.is(m.annotations.length, 0);
});

test.run();
