// Body decoding and comment-line blanking of the component lint (lib/component/lint.ts) at their
// edges: a body that is only a UTF-8 byte-order mark, a shebang on line 1 only, and comment markers
// that count only at the start of a line in the languages without a lexer.
import assert from 'node:assert/strict';
import { viewBody } from '../../lib/component/lint.js';
import { testComponent } from './helpers.js';

const view = (body: Uint8Array | string, installType: string) =>
  viewBody(testComponent({ body: typeof body === 'string' ? Buffer.from(body) : body }, installType));

describe('lint: body decoding edges', () => {
  it('reads a body of exactly the three UTF-8 BOM bytes as an empty text with a BOM', () => {
    const v = view(new Uint8Array([0xef, 0xbb, 0xbf]), 'powershell');
    assert.equal(v.text, '');
    assert.equal(v.bom, true);
  });

  it('blanks a shebang on the first line only, in every language', () => {
    assert.deepEqual(view('#!/bin/sh\necho #!x', 'batch').code, ['         ', 'echo #!x']);
    assert.deepEqual(view('echo a\n#!/bin/sh x', 'batch').code, ['echo a', '#!/bin/sh x']);
    assert.deepEqual(view('x = 1\ny', 'python').code, ['x = 1', 'y']);
    assert.deepEqual(view('#!/usr/bin/env python\ny', 'python').code, ['', 'y']);
  });

  it("takes ' and rem as a VBScript comment line only at the start of the line", () => {
    assert.deepEqual(view("a = 1 ' note\nb", 'vbscript').code, ["a = 1 ' note", 'b']);
    assert.deepEqual(view("  ' note\nb", 'vbscript').code, ['', 'b']);
  });
});
