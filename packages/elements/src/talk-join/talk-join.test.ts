import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { CallEvent, CallState, TalkClient } from '@talk/call-core';
import type { ChatMessage } from '@talk/protocol';
import { sendKeys } from '@web/test-runner-commands';
import type { TalkCall } from '../talk-call/talk-call.js';
import '../talk-call/talk-call.js';
import type { TalkChat } from '../talk-chat/talk-chat.js';
import '../talk-chat/talk-chat.js';
import type { TalkParticipants } from '../talk-participants/talk-participants.js';
import '../talk-participants/talk-participants.js';
import { tokenFor, until } from '../test-support/talk.js';
import type { TalkJoin } from './talk-join.js';
import './talk-join.js';

// The chat's virtualizer measures rows in a ResizeObserver that may resize them again in the same frame; Chromium
// reports that as a window error, which the virtualizer's authors call benign and ship this helper for.
setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

const part = <T extends Element = HTMLElement>(el: Element, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);

/** Fills a field of an element's shadow root and presses its form's button, as a person would. */
function submit(el: Element, name: string, text: string): void {
  part<HTMLInputElement>(el, name)!.value = text;
  part<HTMLButtonElement>(el, 'submit')!.click();
}

const clientOf = async (userId: string) =>
  new TalkClient({ serverUrl: location.origin, token: await tokenFor(userId) });

describe('talk-join', () => {
  const clients: TalkClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  it('lets a guest in with the password, after a wrong one, once a moderator opens the lobby', async () => {
    const alice = await clientOf('alice');
    clients.push(alice);
    const { token } = await alice.createConversation({ type: 'public', name: 'Open day', password: 'sesame' });
    await alice.updateConversation(token, { lobby: true });
    const page = await fixture<HTMLDivElement>(html`<div>
      <talk-participants .client=${alice} conversation=${token}></talk-participants>
      <talk-join conversation=${token}><p id="inside">The conversation</p></talk-join>
    </div>`);
    const join = page.querySelector<TalkJoin>('talk-join')!;
    const moderation = page.querySelector<TalkParticipants>('talk-participants')!;
    await until(() => !!part(join, 'name'), 'the name prompt');
    await expect(join).to.be.accessible();

    submit(join, 'name', 'Visiting Vera');
    // Asked without a password, the server only said one is needed: the prompt shows no mistake.
    await until(() => join.stage === 'password', 'the password prompt');
    expect(part(join, 'problem')).to.equal(null);
    await expect(join).to.be.accessible();

    submit(join, 'password', 'open up');
    await until(() => part(join, 'problem')?.dataset.kind === 'wrong-password', 'the wrong-password message');
    expect(join.stage).to.equal('password');
    expect(part(join, 'problem')!.textContent).to.contain('not right');
    await expect(join).to.be.accessible();

    submit(join, 'password', 'sesame');
    await until(() => join.stage === 'lobby', 'the lobby');
    expect(part(join, 'lobby')!.textContent).to.contain('Open day');
    // Held in the lobby, the conversation's elements are not shown and get no client.
    expect(join.shadowRoot!.querySelector('slot')).to.equal(null);
    await expect(join).to.be.accessible();

    // The moderator sees the guest arrive and opens the lobby.
    await until(
      () => !!moderation.shadowRoot!.querySelector('[part="participant"][data-role="guest"]'),
      'the guest in the moderator’s list',
    );
    await expect(moderation).to.be.accessible();
    part<HTMLButtonElement>(moderation, 'lobby')!.click();
    await until(() => join.stage === 'joined', 'the guest to be let in');
    expect(join.shadowRoot!.querySelector('slot')!.assignedElements()[0]!.id).to.equal('inside');
    expect(join.joinedClient!.userId).to.match(/^guest-/);
    await expect(join).to.be.accessible();
  });

  it('gives the chat inside the guest’s own client once in, and what the guest writes reaches the others', async () => {
    const alice = await clientOf('alice');
    clients.push(alice);
    const { token } = await alice.createConversation({ type: 'public', name: 'Open day' });
    const page = await fixture<HTMLDivElement>(html`<div style="block-size: 420px">
      <talk-join conversation=${token}><talk-chat conversation=${token}></talk-chat></talk-join>
    </div>`);
    const join = page.querySelector<TalkJoin>('talk-join')!;
    const chat = page.querySelector<TalkChat>('talk-chat')!;
    await until(() => !!part(join, 'name'), 'the name prompt');
    submit(join, 'name', 'Visiting Vera');
    await until(() => join.stage === 'joined', 'the guest to be in');
    const input = part<HTMLTextAreaElement>(chat, 'input')!;
    await until(() => !part<HTMLButtonElement>(chat, 'send')!.disabled, 'the chat ready');
    input.focus();
    await sendKeys({ type: 'Hello from a guest' });
    await sendKeys({ press: 'Enter' });
    // Alice reads the conversation over REST: the message came from the guest's own client, under the guest's name.
    let message: ChatMessage | undefined;
    for (let tries = 0; !message && tries < 100; tries++) {
      message = (await alice.listMessages(token)).find((m) => m.message === 'Hello from a guest');
      if (!message) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(message?.actorDisplayName).to.equal('Visiting Vera');
    expect(message!.actorId).to.equal(join.joinedClient!.userId);
    expect(message!.actorId).to.match(/^guest-/);
    await expect(join).to.be.accessible();
  });

  it('says so when a moderator removes the user, and the call inside releases camera and microphone', async () => {
    const alice = await clientOf('alice');
    const bob = await clientOf('bob');
    clients.push(alice, bob);
    const { token } = await alice.createConversation({ type: 'public', name: 'Drop-in' });
    // Every track the page captures, to check that each one ends.
    const captured: MediaStreamTrack[] = [];
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      captured.push(...stream.getTracks());
      return stream;
    };
    try {
      const page = await fixture<HTMLDivElement>(html`<div>
        <talk-participants .client=${alice} conversation=${token}></talk-participants>
        <talk-join .client=${bob} conversation=${token}><talk-call conversation=${token}></talk-call></talk-join>
      </div>`);
      const join = page.querySelector<TalkJoin>('talk-join')!;
      const call = page.querySelector<TalkCall>('talk-call')!;
      const moderation = page.querySelector<TalkParticipants>('talk-participants')!;
      await until(() => join.stage === 'joined', 'bob to be in');
      await until(() => !!call.call, 'bob’s call');
      await call.join();
      await until(() => captured.some((track) => track.kind === 'video' && track.readyState === 'live'), 'a camera');
      // Out, the page takes the client from the call inside, which then lets its Call go: keep hold of it.
      const bobCall = call.call!;
      const ended: string[] = [];
      bobCall.on(CallEvent.Ended, (reason) => ended.push(reason));
      const bobRow = () =>
        moderation.shadowRoot!.querySelector<HTMLElement>('[part="participant"][data-user-id="bob"]');
      await until(() => bobRow()?.hasAttribute('data-in-call') === true, 'bob in the call, as alice sees it');

      bobRow()!.querySelector<HTMLButtonElement>('[part="remove"]')!.click();
      await until(() => join.stage === 'out', 'bob’s page to be out');
      expect(part(join, 'out')!.dataset.reason).to.equal('removed');
      expect(part(join, 'out')!.textContent).to.contain('removed you');
      await until(() => bobCall.state === CallState.Idle, 'bob’s call to end');
      expect(ended).to.deep.equal(['removed']);
      expect(captured.length).to.be.greaterThan(1);
      expect(captured.map((track) => track.readyState)).to.deep.equal(captured.map(() => 'ended'));
      await until(() => !bobRow(), 'bob gone from alice’s list');
      await expect(join).to.be.accessible();
    } finally {
      navigator.mediaDevices.getUserMedia = getUserMedia;
    }
  });
});
