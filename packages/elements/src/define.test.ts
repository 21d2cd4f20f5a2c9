import { expect } from '@open-wc/testing';
import { LitElement } from 'lit';
import { defineElement } from './define.js';

function versioned(version: string) {
  return class extends LitElement {
    static readonly version = version;
  };
}

function captureWarnings(run: () => void): string[] {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
  try {
    run();
  } finally {
    console.warn = original;
  }
  return warnings;
}

describe('defineElement', () => {
  it('keeps the first class when a second bundle registers the same tag, and warns only for another version', () => {
    const first = versioned('1.0.0');
    const sameVersion = versioned('1.0.0');
    const otherVersion = versioned('2.0.0');
    const quiet = captureWarnings(() => {
      defineElement('talk-define-probe', first);
      defineElement('talk-define-probe', sameVersion);
    });
    const loud = captureWarnings(() => defineElement('talk-define-probe', otherVersion));

    expect(customElements.get('talk-define-probe')).to.equal(first);
    expect(quiet).to.deep.equal([]);
    expect(loud).to.have.length(1);
    expect(loud[0]).to.contain('1.0.0').and.contain('2.0.0');
  });

  it('lets the page load the element modules twice without an error', async () => {
    const chat = await import('./talk-chat/talk-chat.js');
    // Another URL is another module instance to the browser, as a second bundle would be (the test server
    // serves the TypeScript source itself).
    const secondBundle = './talk-chat/talk-chat.ts?second-bundle';
    const again: typeof chat = await import(/* @vite-ignore */ secondBundle);
    expect(customElements.get('talk-chat')).to.equal(chat.TalkChat);
    expect(again.TalkChat).to.not.equal(undefined);
  });
});
