import { expect, fixture, html } from '@open-wc/testing';
import { CallState, TalkClient as Client, type TalkClient } from '@talk/call-core';
import { freshConversation, tokenFor, until } from '../test-support/talk.js';
import type { TalkCall } from './talk-call.js';
import './talk-call.js';

const part = <T extends Element = HTMLElement>(el: TalkCall, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part="${name}"]`);
const tiles = (el: TalkCall) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="tile"]')];

/** True once a video element shows decoded frames of the fake camera. */
const playing = (video: HTMLVideoElement | null | undefined) =>
  !!video && !video.paused && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0;

describe('talk-call', () => {
  let client: TalkClient;
  let conversation: string;
  beforeEach(async () => {
    ({ client, conversation } = await freshConversation());
  });
  afterEach(() => client.close());

  it('shows a local tile playing the camera after join, and removes it after leave', async () => {
    const el = await fixture<TalkCall>(html`<talk-call .client=${client} conversation=${conversation}></talk-call>`);
    expect(tiles(el)).to.have.length(0);
    part<HTMLButtonElement>(el, 'join')!.click();
    await until(() => el.call?.state === CallState.Joined, 'the call to be joined');
    await el.updateComplete;

    const [tile] = tiles(el);
    expect(tile).to.exist;
    expect(tile!.hasAttribute('data-local')).to.equal(true);
    expect(tile!.dataset.sessionId).to.equal(client.sessionId);
    const video = tile!.querySelector('video');
    await until(() => playing(video), 'the local video to play');
    expect(part(el, 'join')).to.equal(null);

    part<HTMLButtonElement>(el, 'leave')!.click();
    await until(() => el.call?.state === CallState.Idle, 'the call to be left');
    await el.updateComplete;
    expect(tiles(el)).to.have.length(0);
    expect(part(el, 'join')).to.exist;
    // Leaving releases the camera.
    expect(video!.srcObject === null || (video!.srcObject as MediaStream).getVideoTracks()[0]?.readyState === 'ended')
      .to.be.true;
  });

  it('switches the camera off and on while in the call', async () => {
    const el = await fixture<TalkCall>(html`<talk-call .client=${client} conversation=${conversation}></talk-call>`);
    await el.join();
    await el.updateComplete;
    const camera = part<HTMLButtonElement>(el, 'camera')!;
    expect(camera.getAttribute('aria-pressed')).to.equal('true');
    camera.click();
    await until(() => camera.getAttribute('aria-pressed') === 'false', 'the camera to be off');
    expect(el.call!.localParticipant!.videoTrack!.mediaStreamTrack.enabled).to.equal(false);
    expect(tiles(el)[0]!.hasAttribute('data-video-off')).to.equal(true);
    camera.click();
    await until(() => camera.getAttribute('aria-pressed') === 'true', 'the camera to be on');
    expect(el.call!.localParticipant!.videoTrack!.mediaStreamTrack.enabled).to.equal(true);
    await el.leave();
  });

  it('offers the cameras and microphones, and sends the camera picked', async () => {
    const el = await fixture<TalkCall>(html`<talk-call .client=${client} conversation=${conversation}></talk-call>`);
    await el.join();
    const picker = (kind: string) =>
      el.shadowRoot!.querySelector<HTMLSelectElement>(`[part="device-picker"][data-kind="${kind}"]`);
    await until(() => !!picker('camera') && !!picker('microphone'), 'both pickers');
    const cameras = [...picker('camera')!.options].map((option) => option.value);
    expect(cameras.length).to.be.greaterThan(0);
    expect(cameras).to.include(picker('camera')!.value);

    const before = el.call!.localParticipant!.videoTrack!;
    const chosen = cameras.at(-1)!;
    picker('camera')!.value = chosen;
    picker('camera')!.dispatchEvent(new Event('change'));
    await until(() => el.call!.localParticipant!.videoTrack !== before, 'the new camera track');
    expect(before.mediaStreamTrack.readyState).to.equal('ended');
    expect(el.call!.deviceId('camera')).to.equal(chosen);
    await el.updateComplete;
    expect(picker('camera')!.value).to.equal(chosen);
    // The tile plays the new track.
    await until(() => {
      const video = tiles(el)[0]?.querySelector('video');
      return (
        playing(video) &&
        (video!.srcObject as MediaStream).getVideoTracks()[0] ===
          el.call!.localParticipant!.videoTrack!.mediaStreamTrack
      );
    }, 'the local tile to play the new camera');
    await el.leave();
  });

  it('connects two participants peer to peer and decodes frames from each other', async () => {
    const bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    const alice = await fixture<TalkCall>(html`<talk-call .client=${client} conversation=${conversation}></talk-call>`);
    const bobCall = await fixture<TalkCall>(html`<talk-call .client=${bob} conversation=${conversation}></talk-call>`);
    await alice.join();
    await bobCall.join();

    const remoteVideo = (el: TalkCall) =>
      tiles(el)
        .find((t) => !t.hasAttribute('data-local'))
        ?.querySelector('video');
    await until(() => playing(remoteVideo(alice)) && playing(remoteVideo(bobCall)), 'both remote videos to play');
    expect(tiles(alice).find((t) => !t.hasAttribute('data-local'))!.dataset.sessionId).to.equal(bob.sessionId);

    // The remote tile's badge shows call-core's verdict once a second of statistics is in; no badge on one's own.
    const badge = () =>
      tiles(alice)
        .find((t) => !t.hasAttribute('data-local'))
        ?.querySelector('[part="quality"]');
    await until(() => ['excellent', 'good'].includes(badge()?.getAttribute('data-quality') ?? ''), 'a quality badge');
    expect(badge()!.textContent!.trim()).to.match(/^(Excellent|Good)$/);
    expect(
      tiles(alice)
        .find((t) => t.hasAttribute('data-local'))!
        .querySelector('[part="quality"]'),
    ).to.equal(null);

    // A reaction shows on the reacting participant's tile at both ends.
    bobCall.shadowRoot!.querySelector<HTMLButtonElement>('[part="reactions"] [data-emoji="🎉"]')!.click();
    const reactionOn = (el: TalkCall, sessionId: string) =>
      tiles(el)
        .find((t) => t.dataset.sessionId === sessionId)
        ?.querySelector('[part="reaction"]')
        ?.textContent?.trim();
    await until(() => reactionOn(alice, bob.sessionId!) === '🎉', "bob's reaction on his tile at alice's");
    expect(reactionOn(bobCall, bob.sessionId!)).to.equal('🎉');
    expect(reactionOn(alice, client.sessionId!)).to.equal(undefined);

    const stats = await alice.call!.getStats();
    const fromBob = stats.remote.find((r) => r.sessionId === bob.sessionId);
    const video = fromBob?.tracks.find((t) => t.kind === 'video');
    expect(video?.framesDecoded).to.be.greaterThan(0);
    expect(stats.local.find((t) => t.kind === 'video')?.framesEncoded).to.be.greaterThan(0);

    await bobCall.leave();
    await until(() => tiles(alice).length === 1, "bob's tile to go");
    await alice.leave();
    bob.close();
  });
});
