import { expect } from '@open-wc/testing';
import { ALLOWED_TAGS, renderMarkdown, renderRichText, sanitise } from './rich-text.js';

const htmlOf = (fragment: DocumentFragment) => {
  const box = document.createElement('div');
  box.append(fragment);
  return box.innerHTML;
};

describe('rich-text', () => {
  it('renders plain lines exactly as the markdown path does, and leaves anything else to it', () => {
    const plain = [
      'Message number 12 of the benchmark',
      'Sure, on it 👍',
      'صباح الخير! سأراجع الألوان الداكنة بعد الظهر',
      'Is it "ready"? 100% yes; it\'s fine',
      'Family 👨‍👩‍👧 ❤️',
    ];
    for (const text of plain)
      expect(htmlOf(renderRichText(text, [], null)), text).to.equal(htmlOf(renderMarkdown(text, [], null)));
    // Not plain: a bare domain becomes a link, markdown becomes markup, leading spaces a code block, a tag stays text.
    expect(htmlOf(renderRichText('see example.com', [], null))).to.contain('<a href="http://example.com"');
    expect(htmlOf(renderRichText('**bold**', [], null))).to.equal('<p><strong>bold</strong></p>');
    expect(htmlOf(renderRichText('    indented', [], null))).to.contain('<pre>');
    expect(htmlOf(renderRichText('a <b>tag</b>', [], null))).to.equal('<p>a &lt;b&gt;tag&lt;/b&gt;</p>');
    expect(htmlOf(renderRichText('hi @bob', [{ type: 'user', id: 'bob', name: 'Bob' }], 'bob'))).to.contain(
      'class="mention"',
    );
  });

  it('sanitises what markdown writes alike with the browser’s sanitiser and DOMPurify, and hostile markup safely', () => {
    // What marked writes for this chat's markdown: the two must agree on it to the character.
    const written = [
      '<p><strong>Bold</strong> and <em>italic</em> and <code>code</code> and <del>gone</del><br>next</p>',
      '<ul>\n<li>one</li>\n<li><input checked="" disabled="" type="checkbox"> done</li>\n</ul>',
      '<ol start="3">\n<li>three</li>\n</ol>\n<blockquote>\n<p>quoted</p>\n</blockquote>',
      '<pre><code class="language-js">const a = 1 &lt; 2;\n</code></pre>',
      '<p><a href="https://example.com/x" title="t">link</a> <a href="javascript:alert(1)">bad</a></p>',
      '<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>b</td>\n</tr>\n</tbody></table>\n<hr>',
    ];
    for (const html of written) expect(htmlOf(sanitise(html)), html).to.equal(htmlOf(sanitise(html, false)));
    const hostile = [
      '<script>window.__pwned()</script><img src=x onerror="window.__pwned()"><svg onload="window.__pwned()"></svg>',
      '<a href="javascript:window.__pwned()" onclick="window.__pwned()">a</a><iframe src="https://x"></iframe>',
      '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned()>',
      '<p style="color:red" class="x" id="y">styled</p><form><button formaction="javascript:1">go</button></form>',
    ];
    for (const useNative of [true, false]) {
      for (const html of hostile) {
        const box = document.createElement('div');
        box.append(sanitise(html, useNative));
        for (const element of box.querySelectorAll('*')) {
          expect(ALLOWED_TAGS, `${html} (${useNative})`).to.include(element.localName);
          expect(
            element.getAttributeNames().filter((name) => name !== 'href'),
            html,
          ).to.deep.equal([]);
          expect(element.getAttribute('href') ?? '', html).not.to.match(/^\s*javascript:/i);
        }
      }
    }
  });
});
