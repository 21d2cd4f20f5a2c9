import { expect, fixture, html } from '@open-wc/testing';
import { ChatItemState, type TalkClient } from '@talk/call-core';
import { freshConversation, tokenFor, until } from '../test-support/talk.js';
import type { TalkChat } from './talk-chat.js';
import './talk-chat.js';

const messages = (el: TalkChat) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="message"]')];
const texts = (el: TalkChat) => messages(el).map((m) => m.querySelector('[part="text"]')!.textContent);
const input = (el: TalkChat) => el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part="input"]')!;

/** The next event of a type, typed through GlobalEventHandlersEventMap, which is what the event classes promise. */
const next = <K extends keyof GlobalEventHandlersEventMap>(el: HTMLElement, type: K) =>
  new Promise<GlobalEventHandlersEventMap[K]>((resolve) => el.addEventListener(type, resolve, { once: true }));

function pressEnter(el: TalkChat, text: string): void {
  input(el).value = text;
  input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
}

describe('talk-chat', () => {
  let client: TalkClient;
  let conversation: string;
  beforeEach(async () => {
    ({ client, conversation } = await freshConversation());
  });
  afterEach(() => client.close());

  it('renders the messages already in the conversation, from attributes alone', async () => {
    await client.postMessage(conversation, { message: 'first', referenceId: 'r1' });
    await client.postMessage(conversation, { message: 'second', referenceId: 'r2' });
    const el = await fixture<TalkChat>(
      html`<talk-chat server-url=${location.origin} token=${client.token} conversation=${conversation}></talk-chat>`,
    );
    await until(() => messages(el).length === 2, 'two messages');
    expect(texts(el)).to.deep.equal(['first', 'second']);
    expect(messages(el).every((m) => m.dataset.state === ChatItemState.Sent)).to.equal(true);
    expect(messages(el)[0]!.querySelector('[part="author"]')!.textContent).to.equal('Alice');
  });

  it('sends on Enter and fires talk-message-sent with the stored message', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    await until(() => !el.shadowRoot!.querySelector<HTMLButtonElement>('[part="send"]')!.disabled, 'the store');
    const sent = next(el, 'talk-message-sent');
    pressEnter(el, 'hello from the test');
    expect(input(el).value).to.equal('');
    const { message } = await sent;
    expect(message.message).to.equal('hello from the test');
    expect(message.id).to.be.a('number');
    await until(() => messages(el)[0]?.dataset.state === ChatItemState.Sent, 'the message to be confirmed');
    expect(messages(el)).to.have.length(1);
    expect(messages(el)[0]!.dataset.id).to.equal(String(message.id));
  });

  it('does not send on Shift+Enter', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    input(el).value = 'line one';
    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true }));
    expect(input(el).value).to.equal('line one');
    expect(messages(el)).to.have.length(0);
  });

  it('shows a message the server refuses as failed, with a retry button', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    await until(() => !el.shadowRoot!.querySelector<HTMLButtonElement>('[part="send"]')!.disabled, 'the store');
    const failed = next(el, 'talk-error');
    pressEnter(el, 'x'.repeat(40_000)); // longer than the server's MAX_MESSAGE_LENGTH
    const { error } = await failed;
    expect(error.status).to.equal(413);
    expect(error.serverCode).to.equal('too-large');
    await until(() => messages(el)[0]?.dataset.state === ChatItemState.Failed, 'the failed state');
    expect(messages(el)[0]!.querySelector('[part="retry"]')).to.exist;
  });

  it('shows what another user writes as it arrives', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    await until(() => !el.shadowRoot!.querySelector<HTMLButtonElement>('[part="send"]')!.disabled, 'the store');
    const bob = await tokenFor('bob');
    const asBob = (path: string, body: unknown) =>
      fetch(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await asBob(`/api/v1/conversations/${conversation}/participants/self`, {});
    await asBob(`/api/v1/conversations/${conversation}/messages`, { message: 'hi from bob', referenceId: 'b1' });
    await until(() => texts(el).includes('hi from bob'), "bob's message");
    expect(messages(el)[0]!.querySelector('[part="author"]')!.textContent).to.equal('Bob');
  });
});
