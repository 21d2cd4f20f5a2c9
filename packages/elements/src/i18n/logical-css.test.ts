import { expect } from '@open-wc/testing';
import type { CSSResult } from 'lit';
import { styles as callStyles } from '../talk-call/talk-call.styles.js';
import { styles as chatStyles } from '../talk-chat/talk-chat.styles.js';
import { styles as listStyles } from '../talk-conversation-list/talk-conversation-list.styles.js';
import { styles as shareStyles } from '../talk-screenshare/talk-screenshare.styles.js';

/** Declarations that do not flip with `dir`: physical sides, offsets and sizes, and left/right alignment. */
const PHYSICAL =
  /(^|[\s;{])((margin|padding|border|inset|scroll-margin|scroll-padding)-(left|right|top|bottom)[\w-]*|left|right|top|bottom|(min-|max-)?(width|height))\s*:|(text-align|float|clear)\s*:\s*(left|right)/gm;

describe('right-to-left styles', () => {
  for (const [element, sheet] of [
    ['talk-chat', chatStyles],
    ['talk-call', callStyles],
    ['talk-screenshare', shareStyles],
    ['talk-conversation-list', listStyles],
  ] as [string, CSSResult][]) {
    it(`${element} uses logical properties only`, () => {
      const css = sheet.cssText.replace(/\/\*[\s\S]*?\*\//g, '');
      expect([...css.matchAll(PHYSICAL)].map((match) => match[0].trim())).to.deep.equal([]);
    });
  }

  it('would notice a physical property', () => {
    expect([...'a { left: 8px; margin-right: 2px; text-align: left }'.matchAll(PHYSICAL)]).to.have.length(3);
    expect([...'a { inset-inline-start: 8px; margin-inline-end: 2px }'.matchAll(PHYSICAL)]).to.have.length(0);
  });
});
