import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient } from '@talk/call-core';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../talk-chat/talk-chat.js';
import { formatNumber } from '../i18n/format.js';
import type { TalkChat } from '../talk-chat/talk-chat.js';
import { tokenFor, until } from '../test-support/talk.js';
import type { TalkConversationList } from './talk-conversation-list.js';
import './talk-conversation-list.js';

const rows = (el: TalkConversationList) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="conversation"]')];
const tokens = (el: TalkConversationList) => rows(el).map((row) => row.dataset.token);
const rowOf = (el: TalkConversationList, token: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part="conversation"][data-token="${token}"]`);
const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;
const focusedToken = (el: TalkConversationList) => (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.token;

/** The next event of a type, typed through GlobalEventHandlersEventMap. */
const next = <K extends keyof GlobalEventHandlersEventMap>(el: HTMLElement, type: K) =>
  new Promise<GlobalEventHandlersEventMap[K]>((resolve) => el.addEventListener(type, resolve, { once: true }));

/** A real mouse click in the middle of an element. */
async function click(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'nearest' });
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/** A user with a name of their own, so that runs do not see each other's conversations. */
async function user(prefix: string): Promise<{ id: string; client: TalkClient }> {
  const id = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  const name = `${prefix[0]!.toUpperCase()}${prefix.slice(1)}`;
  return { id, client: new TalkClient({ serverUrl: location.origin, token: await tokenFor(id, name) }) };
}

describe('talk-conversation-list', () => {
  let alice: { id: string; client: TalkClient };
  let bob: { id: string; client: TalkClient };
  beforeEach(async () => {
    alice = await user('alice');
    bob = await user('bob');
  });
  afterEach(() => {
    alice.client.close();
    bob.client.close();
  });

  /** Bob makes a group with alice in it; resolves with its token. */
  const groupOfBob = async (name: string) =>
    (await bob.client.createConversation({ type: 'group', name, participants: [{ userId: alice.id }] })).token;

  it('raises the badges and moves the row to the top when bob writes, and clears them when alice reads elsewhere', async () => {
    const older = await groupOfBob('Budget');
    const newer = await groupOfBob('Offsite');
    const el = await fixture<TalkConversationList>(
      html`<talk-conversation-list style="block-size: 400px" server-url=${location.origin} token=${alice.client.token}></talk-conversation-list>`,
    );
    await until(() => rows(el).length === 2, 'two rows');
    expect(tokens(el)).to.deep.equal([newer, older]);
    await expect(el).to.be.accessible();

    await bob.client.postMessage(older, { message: `@${alice.id} can you check the numbers?`, referenceId: 'q' });
    await until(() => tokens(el)[0] === older, 'the row that got a message at the top');
    const row = rowOf(el, older)!;
    await until(
      () => row.querySelector('[part="unread"] [aria-hidden]')?.textContent?.trim() === '1',
      'the unread badge',
    );
    expect(row.querySelector('[part="mention"]')).to.exist;
    expect(row.hasAttribute('data-unread')).to.equal(true);
    expect(row.querySelector('[part="preview"]')!.textContent).to.equal(
      '\u2068Bob\u2069: \u2068@Alice can you check the numbers?\u2069',
    );
    // What a screen reader says of the badges.
    expect(row.textContent).to.include('1 unread message');
    expect(row.textContent).to.include('1 mention of you');
    await expect(el).to.be.accessible();

    // Alice opens it in another tab: its chat marks it read, and this list hears of it.
    const elsewhere = new TalkClient({ serverUrl: location.origin, token: alice.client.token });
    const chat = await fixture<TalkChat>(
      html`<talk-chat style="block-size: 300px" .client=${elsewhere} conversation=${older}></talk-chat>`,
    );
    await until(() => !rowOf(el, older)!.querySelector('[part="unread"]'), 'the unread badge to go', 15_000);
    expect(rowOf(el, older)!.querySelector('[part="mention"]')).to.equal(null);
    chat.remove();
    elsewhere.close();
  });

  it('filters by name and picks a conversation by keyboard: arrows, Home, End and Enter', async () => {
    const budget = await groupOfBob('Budget 2027');
    const offsite = await groupOfBob('Offsite planning');
    const retro = await groupOfBob('Retro');
    const el = await fixture<TalkConversationList>(
      html`<talk-conversation-list .client=${alice.client}></talk-conversation-list>`,
    );
    await until(() => rows(el).length === 3, 'three rows');
    expect(tokens(el)).to.deep.equal([retro, offsite, budget]);

    part(el, 'filter').focus();
    await sendKeys({ type: 'plan' });
    await until(() => rows(el).length === 1, 'the filter to leave one');
    expect(tokens(el)).to.deep.equal([offsite]);
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim()).to.equal('1 conversation');
    await sendKeys({ type: 'xyz' });
    await until(() => !!el.shadowRoot!.querySelector('[part="empty"]'), 'nothing to match');
    await expect(el).to.be.accessible();
    for (let i = 0; i < 7; i++) await sendKeys({ press: 'Backspace' });
    await until(() => rows(el).length === 3, 'all three back');

    await sendKeys({ press: 'ArrowDown' });
    expect(focusedToken(el)).to.equal(retro);
    await sendKeys({ press: 'ArrowDown' });
    expect(focusedToken(el)).to.equal(offsite);
    await sendKeys({ press: 'End' });
    expect(focusedToken(el)).to.equal(budget);
    await sendKeys({ press: 'ArrowDown' });
    expect(focusedToken(el)).to.equal(budget);
    await sendKeys({ press: 'Home' });
    expect(focusedToken(el)).to.equal(retro);
    await sendKeys({ press: 'ArrowDown' });
    // Only the focused row is in the tab order.
    expect(rows(el).map((row) => row.tabIndex)).to.deep.equal([-1, 0, -1]);
    const picked = next(el, 'talk-conversation-select');
    await sendKeys({ press: 'Enter' });
    const event = await picked;
    expect(event.token).to.equal(offsite);
    expect(event.conversation.name).to.equal('Offsite planning');
    expect(rowOf(el, offsite)!.getAttribute('aria-selected')).to.equal('true');
    await expect(el).to.be.accessible();

    // A message arriving moves the focused row; focus stays on it.
    await bob.client.postMessage(offsite, { message: 'moved', referenceId: 'm' });
    await until(() => tokens(el)[0] === offsite, 'the row at the top');
    await until(() => focusedToken(el) === offsite, 'focus kept on the moved row');
  });

  it('picks a conversation with the mouse', async () => {
    const budget = await groupOfBob('Budget');
    await groupOfBob('Offsite');
    const el = await fixture<TalkConversationList>(
      html`<talk-conversation-list .client=${alice.client}></talk-conversation-list>`,
    );
    await until(() => rows(el).length === 2, 'two rows');
    const picked = next(el, 'talk-conversation-select');
    await click(rowOf(el, budget)!);
    expect((await picked).token).to.equal(budget);
    expect(rowOf(el, budget)!.getAttribute('aria-selected')).to.equal('true');
  });

  it('creates a public conversation with a password, by keyboard, and shows and selects it', async () => {
    const el = await fixture<TalkConversationList>(
      html`<talk-conversation-list .client=${alice.client}></talk-conversation-list>`,
    );
    await until(() => !!el.shadowRoot!.querySelector('[part="empty"]'), 'the empty list');
    await until(() => part(el, 'empty').textContent!.includes('No conversations yet'), 'loaded');
    await expect(el).to.be.accessible();
    part(el, 'create-button').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => !!el.shadowRoot!.querySelector('[part="create"]'), 'the form');
    expect(part(el, 'create-button').getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
    // Focus starts on the checked kind (Group); the arrow moves the radio to Public.
    await sendKeys({ press: 'ArrowDown' });
    await until(() => !!el.shadowRoot!.querySelector('input[name="password"]'), 'the password field');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Open house' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'let me in' });
    const picked = next(el, 'talk-conversation-select');
    await sendKeys({ press: 'Enter' });
    const { token, conversation } = await picked;
    expect(conversation.name).to.equal('Open house');
    expect(conversation.type).to.equal('public');
    await until(() => tokens(el).includes(token), 'the new row');
    expect(el.shadowRoot!.querySelector('[part="create"]')).to.equal(null);
    expect(focusedToken(el)).to.equal(token);
    const onServer = await alice.client.getConversation(token);
    expect(onServer.hasPassword).to.equal(true);
  });

  it('starts a one-to-one with a person the host offers, or finds through talk-user-search; Escape closes the form', async () => {
    const carol = await user('carol');
    const el = await fixture<TalkConversationList>(
      html`<talk-conversation-list
        .client=${alice.client}
        .users=${[{ userId: bob.id, displayName: 'Bob Stone' }]}
      ></talk-conversation-list>`,
    );
    el.addEventListener('talk-user-search', (event) => {
      // The host's directory: carol, for anything that starts like her name.
      const found = 'carol'.startsWith(event.query.toLowerCase()) ? [{ userId: carol.id, displayName: 'Carol' }] : [];
      setTimeout(() => event.respond(found), 10);
    });
    await until(() => !!el.shadowRoot!.querySelector('[part="empty"]'), 'loaded');
    await click(part(el, 'create-button'));
    // Escape closes the form and gives focus back to its button.
    await sendKeys({ press: 'Escape' });
    await until(() => !el.shadowRoot!.querySelector('[part="create"]'), 'the form to close');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'create-button'));

    await click(part(el, 'create-button'));
    await click(el.shadowRoot!.querySelector('input[value="one-to-one"]')!);
    await until(() => !!el.shadowRoot!.querySelector('input[name="person"]'), 'the person field');
    expect(el.shadowRoot!.querySelector(`input[name="user"][value="${bob.id}"]`)).to.exist;
    el.shadowRoot!.querySelector<HTMLInputElement>('input[name="person"]')!.focus();
    await sendKeys({ type: 'car' });
    await until(() => !!el.shadowRoot!.querySelector(`input[name="user"][value="${carol.id}"]`), 'carol found');
    expect(el.shadowRoot!.querySelector(`input[name="user"][value="${bob.id}"]`)).to.equal(null);
    await expect(el).to.be.accessible();
    await click(el.shadowRoot!.querySelector(`input[name="user"][value="${carol.id}"]`)!.closest('label')!);
    const picked = next(el, 'talk-conversation-select');
    await click(part(el, 'create-submit'));
    const { token, conversation } = await picked;
    expect(conversation.type).to.equal('one-to-one');
    await until(() => tokens(el).includes(token), 'the new row');
    // Carol has it too.
    expect((await carol.client.listConversations()).map((c) => c.token)).to.include(token);
    carol.client.close();
  });

  it('is in Arabic and mirrored with lang="ar" dir="rtl"', async () => {
    const budget = await groupOfBob('Budget');
    await bob.client.postMessage(budget, { message: 'hello', referenceId: 'h' });
    const el = await fixture<TalkConversationList>(
      html`<div lang="ar" dir="rtl"><talk-conversation-list .client=${alice.client}></talk-conversation-list></div>`,
    ).then((wrapper) => wrapper.querySelector('talk-conversation-list')!);
    await until(() => rows(el).length === 1 && !!rows(el)[0]!.querySelector('[part="unread"]'), 'the row');
    await until(() => part(el, 'filter').getAttribute('aria-label') !== 'Filter conversations', 'Arabic strings');
    const row = rows(el)[0]!;
    const avatar = row.querySelector('[part="avatar"]')!.getBoundingClientRect();
    const name = row.querySelector('[part="name"]')!.getBoundingClientRect();
    // The avatar leads the row: on the right in right-to-left.
    expect(avatar.left).to.be.greaterThan(name.left);
    expect(row.querySelector('[part="unread"] [aria-hidden]')!.textContent!.trim()).to.equal(formatNumber('ar', 1));
    await expect(el).to.be.accessible();
  });
});
