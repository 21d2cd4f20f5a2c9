import { expect } from '@open-wc/testing';
import { renderMarkdown, renderRichText } from './rich-text.js';

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
});
