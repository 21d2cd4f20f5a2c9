import { expect, fixture, html } from '@open-wc/testing';
import { CallState, TalkClient, type TalkError } from '@talk/call-core';
import { Permission } from '@talk/protocol';
import type { TalkCall } from '../talk-call/talk-call.js';
import '../talk-call/talk-call.js';
import { tokenFor, until } from '../test-support/talk.js';
import type { TalkParticipants } from './talk-participants.js';
import './talk-participants.js';

const clientOf = async (userId: string) =>
  new TalkClient({ serverUrl: location.origin, token: await tokenFor(userId) });

/** The HTTP status a request was refused with, or 0 when it went through. */
const statusOf = (request: Promise<unknown>) =>
  request.then(
    () => 0,
    (error: TalkError) => error.status ?? -1,
  );

const rowOf = (el: TalkParticipants, userId: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part="participant"][data-user-id="${userId}"]`);

describe('talk-participants', () => {
  const clients: TalkClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  /** Alice's public conversation with Bob in it, and each one's client. */
  async function twoPeople() {
    const alice = await clientOf('alice');
    const bob = await clientOf('bob');
    clients.push(alice, bob);
    const { token } = await alice.createConversation({ type: 'public', name: 'Standup' });
    await bob.joinConversation(token);
    return { alice, bob, token };
  }

  it('shows a promotion on the other page at once, and never offers acting on the owner', async () => {
    const { alice, bob, token } = await twoPeople();
    const page = await fixture<HTMLDivElement>(html`<div>
      <talk-participants id="alice" .client=${alice} conversation=${token}></talk-participants>
      <talk-participants id="bob" .client=${bob} conversation=${token}></talk-participants>
    </div>`);
    const alicePage = page.querySelector<TalkParticipants>('#alice')!;
    const bobPage = page.querySelector<TalkParticipants>('#bob')!;
    await until(() => !!rowOf(alicePage, 'bob') && !!rowOf(bobPage, 'alice'), 'both lists');
    // A plain user gets no moderation: no lobby button, no actions, no settings.
    expect(bobPage.shadowRoot!.querySelector('[part="lobby"], [part="actions"], [part="settings"]')).to.equal(null);
    await expect(bobPage).to.be.accessible();
    await expect(alicePage).to.be.accessible();

    rowOf(alicePage, 'bob')!.querySelector<HTMLButtonElement>('[part="promote"]')!.click();
    await until(() => rowOf(bobPage, 'bob')?.dataset.role === 'moderator', 'bob a moderator on his own page');
    await until(() => !!bobPage.shadowRoot!.querySelector('[part="settings"]'), 'bob’s settings panel');
    expect(rowOf(bobPage, 'bob')!.querySelector('[part="role"]')!.textContent).to.contain('Moderator');
    // The owner's row offers nothing, even to a moderator, and the server refuses it anyway.
    expect(rowOf(bobPage, 'alice')!.querySelector('[part="actions"]')).to.equal(null);
    expect(await statusOf(bob.removeParticipant(token, 'alice'))).to.equal(403);
    expect(await statusOf(bob.updateParticipant(token, 'alice', { role: 'user' }))).to.equal(403);
    await expect(bobPage).to.be.accessible();
  });

  it('stops a publication on every page when a moderator revokes its permission mid-call', async () => {
    const { alice, bob, token } = await twoPeople();
    const page = await fixture<HTMLDivElement>(html`<div>
      <talk-participants .client=${alice} conversation=${token}></talk-participants>
      <talk-call id="alice-call" .client=${alice} conversation=${token} topology="mesh"></talk-call>
      <talk-call id="bob-call" .client=${bob} conversation=${token} topology="mesh"></talk-call>
    </div>`);
    const moderation = page.querySelector<TalkParticipants>('talk-participants')!;
    const aliceCall = page.querySelector<TalkCall>('#alice-call')!;
    const bobCall = page.querySelector<TalkCall>('#bob-call')!;
    await until(() => !!aliceCall.call && !!bobCall.call, 'both calls');
    await aliceCall.join();
    await bobCall.join();
    const bobSeenByAlice = () =>
      [...aliceCall.call!.remoteParticipants.values()].find((participant) => participant.userId === 'bob');
    await until(() => bobSeenByAlice()?.media.audio === true, 'bob’s microphone, as alice’s call sees it');
    await until(() => rowOf(moderation, 'bob')?.hasAttribute('data-in-call') === true, 'bob in the call');

    const details = rowOf(moderation, 'bob')!.querySelector<HTMLDetailsElement>('[part="permissions"]')!;
    details.querySelector('summary')!.click();
    await expect(moderation).to.be.accessible();
    const microphone = details.querySelector<HTMLInputElement>(`input[data-bit="${Permission.PublishAudio}"]`)!;
    expect(microphone.checked).to.equal(true);
    microphone.click();

    // Bob's own call switches the microphone off, and alice's call and list see it go.
    await until(() => bobCall.call!.media.audio === false, 'bob’s microphone off on his page');
    expect(bobCall.call!.localParticipant!.audioTrack?.mediaStreamTrack.enabled ?? false).to.equal(false);
    await until(() => bobSeenByAlice()?.media.audio === false, 'bob muted in alice’s call');
    await until(
      () => rowOf(moderation, 'bob')!.querySelector('[part="call-state"]')!.textContent!.includes('muted'),
      'bob muted in the list',
    );
    // The camera, still allowed, keeps going.
    expect(bobCall.call!.media.video).to.equal(true);
    expect(bobCall.call!.state).to.equal(CallState.Joined);
    await expect(moderation).to.be.accessible();
    await aliceCall.leave();
    await bobCall.leave();
  });
});
