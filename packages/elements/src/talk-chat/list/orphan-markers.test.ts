import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { sweepOrphanMarkers } from './orphan-markers.js';

const comments = (host: Element) => [...host.childNodes].filter((node) => node.nodeType === Node.COMMENT_NODE).length;
/** The comments a fresh render of `keys` has: the markers of live parts only. */
function freshComments(keys: number[]): number {
  const host = document.createElement('div');
  render(list(keys), host);
  return comments(host);
}
const list = (keys: number[]) =>
  html`${repeat(
    keys,
    (key) => key,
    (key) => html`<div data-key=${key}>${key}</div>`,
  )}`;

describe('sweepOrphanMarkers', () => {
  it('removes what a keyed repeat leaves behind and keeps the rows it still updates', () => {
    const host = document.createElement('div');
    render(list([1, 2, 3, 4, 5, 6]), host);
    const before = comments(host);
    // A window sliding down by three, as the virtualizer's range does while scrolling.
    render(list([4, 5, 6, 7, 8, 9]), host);
    const left = comments(host) - before;
    expect(left).to.be.above(0);
    expect(sweepOrphanMarkers(host)).to.equal(left);
    expect(comments(host)).to.equal(before);
    // The parts are intact: moving, dropping and adding rows after the sweep still renders exactly the keys.
    render(list([9, 4, 10]), host);
    sweepOrphanMarkers(host);
    expect([...host.querySelectorAll('div')].map((div) => div.dataset.key)).to.deep.equal(['9', '4', '10']);
    expect(comments(host)).to.equal(freshComments([9, 4, 10]));
    render(list([]), host);
    sweepOrphanMarkers(host);
    expect(host.querySelectorAll('div')).to.have.length(0);
    expect(comments(host)).to.equal(freshComments([]));
  });

  it('finds orphans to remove with this lit (when it stops, lit/lit#5298 is fixed and the sweep can go)', () => {
    const host = document.createElement('div');
    render(list([1, 2, 3]), host);
    render(list([3]), host);
    expect(sweepOrphanMarkers(host)).to.equal(2);
  });
});
