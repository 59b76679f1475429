import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDwError, dwError, exitCodeFor } from '../../src/model/errors.ts';

test('errors print like a compiler with a caret under the column', () => {
  const text = formatDwError(dwError('DW1002', 'bad-input', 'b.c: must be number', { file: 'f.yaml', line: 3, col: 6 }, '  c: "x"'));
  assert.is(text, 'f.yaml:3:6 DW1002 b.c: must be number\n    c: "x"\n       ^');
});

test('error kinds map to the documented exit codes', () => {
  assert.is(exitCodeFor('bad-input'), 2);
  assert.is(exitCodeFor('coverage'), 3);
  assert.is(exitCodeFor('upstream'), 3);
  assert.is(exitCodeFor('internal'), 4);
});

test.run();
