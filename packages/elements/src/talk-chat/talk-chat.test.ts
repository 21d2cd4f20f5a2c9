import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { ChatItemState, TalkClient as Client, type Conversation, type TalkClient } from '@talk/call-core';
import { sendKeys } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../test-support/talk.js';
import type { TalkChat } from './talk-chat.js';
import './talk-chat.js';

// The chat's virtualizer measures rows in a ResizeObserver that may resize them again in the same frame; Chromium
// reports that as a window error, which the virtualizer's authors call benign and ship this helper for.
setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

const messages = (el: TalkChat) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="message"]')];
const texts = (el: TalkChat) => messages(el).map((m) => m.querySelector('[part="text"]')!.textContent);
const input = (el: TalkChat) => el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part="input"]')!;
const sendButton = (el: TalkChat) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="send"]')!;
const announced = (el: TalkChat) => el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();
const systemTexts = (el: TalkChat) =>
  [...el.shadowRoot!.querySelectorAll('[part="system"] > span')].map((node) => node.textContent!.trim());

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
    await expect(el).to.be.accessible();
    expect(texts(el)).to.deep.equal(['first', 'second']);
    expect(messages(el).every((m) => m.dataset.state === ChatItemState.Sent)).to.equal(true);
    expect(messages(el)[0]!.querySelector('[part="author"]')!.textContent).to.equal('Alice');
  });

  it('sends on Enter and fires talk-message-sent with the stored message', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    await until(() => !el.shadowRoot!.querySelector<HTMLButtonElement>('[part="send"]')!.disabled, 'the store');
    await expect(el).to.be.accessible();
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
    await expect(el).to.be.accessible();
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

  it('announces what arrives after the history loaded, and not the history', async () => {
    await client.postMessage(conversation, { message: 'old news', referenceId: 'o1' });
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    await until(() => texts(el).includes('old news'), 'the history');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(announced(el)).to.equal('');
    // The list itself is no live region, or loading the history would read it all out.
    expect(el.shadowRoot!.querySelector('[part="messages"]')!.hasAttribute('aria-live')).to.equal(false);

    const bob = await tokenFor('bob');
    const asBob = (path: string, body: unknown) =>
      fetch(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await asBob(`/api/v1/conversations/${conversation}/participants/self`, {});
    await until(() => announced(el) === 'Bob joined the conversation', "bob's joining announced");
    await asBob(`/api/v1/conversations/${conversation}/messages`, { message: 'hi from bob', referenceId: 'b1' });
    await until(() => announced(el) === 'Bob wrote: hi from bob', "bob's message announced");

    // What the user writes is not read back to them.
    await el.send('my own words');
    await until(() => texts(el).includes('my own words'), 'my message');
    expect(announced(el)).to.equal('Bob wrote: hi from bob');
    await expect(el).to.be.accessible();
  });

  it('renders system messages from their type in the language of the page, and keeps the rest', async () => {
    const el = await fixture<TalkChat>(
      html`<talk-chat lang="de" .client=${client} conversation=${conversation}></talk-chat>`,
    );
    await until(() => systemTexts(el)[0] === 'Alice hat die Unterhaltung erstellt', 'the German system message');
    expect(systemTexts(el)).to.have.length(1);
    const system = el.shadowRoot!.querySelector<HTMLElement>('[part="system"]')!;
    expect(system.dataset.type).to.equal('conversation-created');
    el.lang = 'ar';
    await until(() => systemTexts(el)[0] === 'أنشأ Alice المحادثة', 'the Arabic wording');
  });

  it('words the second person and the old and new name from the parameters the server sends', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    await until(() => systemTexts(el).length === 1, 'the history');
    const path = `/api/v1/conversations/${conversation}`;
    const { name } = await client.request<Conversation>('GET', path);
    await client.request('POST', `${path}/participants`, { userId: 'bob', displayName: 'Bob' });
    await client.request('PATCH', `${path}/participants/bob`, { role: 'moderator' });
    await client.request('PATCH', path, { name: 'Planning' });
    await client.request('DELETE', `${path}/participants/bob`);
    await until(() => systemTexts(el).length === 5, 'the pushed system messages');
    expect(systemTexts(el).slice(1)).to.deep.equal([
      'Alice added Bob',
      'Alice promoted Bob to moderator',
      `Alice renamed the conversation from “${name}” to “Planning”`,
      'Alice removed Bob',
    ]);
    el.lang = 'de';
    await until(() => systemTexts(el)[1] === 'Alice hat Bob hinzugefügt', 'the German wording');
    expect(systemTexts(el).slice(2)).to.deep.equal([
      'Alice hat Bob zum Moderator ernannt',
      `Alice hat die Unterhaltung von „${name}“ in „Planning“ umbenannt`,
      'Alice hat Bob entfernt',
    ]);
    el.lang = 'ar';
    await until(() => systemTexts(el)[1] === 'قام Alice بإضافة Bob', 'the Arabic wording');
    await expect(el).to.be.accessible();
  });

  it('is used with the keyboard alone: Tab to the composer, type, Enter; Tab on to send; Tab to retry', async () => {
    const el = await fixture<TalkChat>(html`<talk-chat .client=${client} conversation=${conversation}></talk-chat>`);
    await until(() => !sendButton(el).disabled, 'the store');
    const focused = () => el.shadowRoot!.activeElement;

    await sendKeys({ press: 'Tab' }); // the header's search button comes first, where it shows
    expect(focused()?.getAttribute('part')).to.equal('search-button');
    await sendKeys({ press: 'Tab' }); // and the shared-items button beside it
    expect(focused()?.getAttribute('part')).to.equal('shared-button');
    await sendKeys({ press: 'Tab' }); // then the message list, scrollable
    expect(focused()?.getAttribute('part')).to.equal('messages');
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(input(el));
    await sendKeys({ type: 'typed, not set' });
    const sent = next(el, 'talk-message-sent');
    await sendKeys({ press: 'Enter' });
    expect((await sent).message.message).to.equal('typed, not set');

    await sendKeys({ type: 'x'.repeat(20) });
    input(el).value = 'y'.repeat(40_000); // too long for the server; typing 40 000 keys would take minutes
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(sendButton(el));
    // Focus reached by the keyboard shows: the send button draws its own outline.
    expect(sendButton(el).matches(':focus-visible')).to.equal(true);
    expect(getComputedStyle(sendButton(el)).outlineStyle).to.equal('solid');
    const failed = next(el, 'talk-error');
    await sendKeys({ press: 'Enter' });
    await failed;
    await until(() => !!el.shadowRoot!.querySelector('[part="retry"]'), 'the retry button');
    const errors = [next(el, 'talk-error')];
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry"]')!.focus();
    await sendKeys({ press: 'Space' });
    await errors[0];
    await until(() => messages(el).at(-1)?.dataset.state === ChatItemState.Failed, 'the retry to fail again');
  });
  it('shows a message on its way as pending, with its status read as text', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = new Client({
      serverUrl: location.origin,
      token: client.token!,
      // The POST waits until the test has looked at the pending state.
      fetch: async (input, init) => {
        if (init?.method === 'POST' && String(input).endsWith('/messages')) await held;
        return fetch(input, init);
      },
    });
    const el = await fixture<TalkChat>(html`<talk-chat .client=${slow} conversation=${conversation}></talk-chat>`);
    await until(() => !sendButton(el).disabled, 'the store');
    const sending = el.send('on its way');
    await until(() => messages(el)[0]?.dataset.state === ChatItemState.Pending, 'the pending state');
    expect(messages(el)[0]!.querySelector('[part="status"]')!.textContent).to.equal('Sending…');
    await expect(el).to.be.accessible();
    release();
    await sending;
    await until(() => messages(el)[0]?.dataset.state === ChatItemState.Sent, 'the message to be stored');
    slow.close();
  });

  it('says why the list could not load, in the language of the page', async () => {
    const el = await fixture<TalkChat>(
      html`<talk-chat lang="es" server-url=${location.origin} token="not-a-token"
        conversation=${conversation}></talk-chat>`,
    );
    const error = () => el.shadowRoot!.querySelector<HTMLElement>('[part="error"]');
    await until(() => error()?.textContent === 'Tu sesión ha caducado. Vuelve a iniciar sesión.', 'the Spanish reason');
    // A REST call refused with 401 and a refused signaling hello read the same to the user.
    expect(['server', 'unauthenticated']).to.include(error()!.dataset.code);
    expect(error()!.getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });
});

describe('talk-chat in other languages', () => {
  let client: TalkClient;
  let conversation: string;
  beforeEach(async () => {
    ({ client, conversation } = await freshConversation());
  });
  afterEach(() => client.close());

  it('follows lang at run time: its own, then an ancestor', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div lang="de"><talk-chat .client=${client} conversation=${conversation}></talk-chat></div>`,
    );
    const el = wrapper.querySelector<TalkChat>('talk-chat')!;
    await until(() => sendButton(el).textContent!.trim() === 'Senden', 'German');
    expect(input(el).placeholder).to.equal('Nachricht schreiben …');
    expect(input(el).getAttribute('aria-label')).to.equal('Nachricht');
    el.lang = 'fr';
    await until(() => sendButton(el).textContent!.trim() === 'Envoyer', 'French from its own lang');
    el.removeAttribute('lang');
    wrapper.lang = 'es';
    await until(() => sendButton(el).textContent!.trim() === 'Enviar', "Spanish from the ancestor's lang");
    wrapper.lang = 'en-GB';
    await until(() => sendButton(el).textContent!.trim() === 'Send', 'English again');
  });

  it('mirrors in Arabic right to left: the send button sits to the left of the composer', async () => {
    await client.postMessage(conversation, { message: 'مرحبا', referenceId: 'a1' });
    const wrapper = await fixture<HTMLElement>(html`<div style="inline-size: 480px">
      <talk-chat dir="ltr" lang="en" .client=${client} conversation=${conversation}></talk-chat>
      <talk-chat dir="rtl" lang="ar" .client=${client} conversation=${conversation}></talk-chat>
    </div>`);
    const [ltr, rtl] = [...wrapper.querySelectorAll<TalkChat>('talk-chat')] as [TalkChat, TalkChat];
    await until(() => sendButton(rtl).textContent!.trim() === 'إرسال', 'the Arabic strings');
    await until(() => messages(rtl).length === 1 && messages(ltr).length === 1, 'the message at both');
    expect(input(rtl).placeholder).to.equal('اكتب رسالة…');
    expect(rtl.shadowRoot!.querySelector('[part="messages"]')!.getAttribute('aria-label')).to.equal('الرسائل');

    const box = (element: Element) => element.getBoundingClientRect();
    expect(box(sendButton(ltr)).left).to.be.at.least(box(input(ltr)).right);
    expect(box(sendButton(rtl)).right).to.be.at.most(box(input(rtl)).left);
    // The time follows the text on the inline-end side: after it in reading order, left of it in Arabic.
    const rtlMessage = messages(rtl)[0]!;
    expect(box(rtlMessage.querySelector('[part="time"]')!).right).to.be.at.most(
      box(rtlMessage.querySelector('[part="text"]')!).left + 1,
    );
    await expect(rtl).to.be.accessible();
  });
});
