// escapeHtml: the five characters with a meaning in markup, and nothing else, as HTML writes them.
import assert from 'node:assert/strict';
import { escapeHtml } from '../../lib/render/html.js';

describe('escapeHtml', () => {
  it('escapes & < > " and \' wherever they stand, every time', () => {
    assert.equal(
      escapeHtml(`<a href="x?a=1&b='2'">&amp;</a>>`),
      '&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;&amp;amp;&lt;/a&gt;&gt;',
    );
  });
  it('leaves every other character as it is', () => {
    const other = 'plain text, é ß 中 \u2028 \t\r\n `=$ {}` \\ / ; # %';
    assert.equal(escapeHtml(other), other);
    assert.equal(escapeHtml(''), '');
  });
});
