import { expect, fixture, html } from '@open-wc/testing';
import { CallState, TalkClient as Client, type TalkClient } from '@talk/call-core';
import { sendKeys } from '@web/test-runner-commands';
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
    await until(() => !part<HTMLButtonElement>(el, 'join')!.disabled, 'the call to be ready');
    await expect(el).to.be.accessible();
    part<HTMLButtonElement>(el, 'join')!.click();
    await until(() => el.call?.state === CallState.Joined, 'the call to be joined');
    await el.updateComplete;
    await expect(el).to.be.accessible();

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
    // Tiles and videos have names; the grid says how many take part, in the plural the count needs.
    const remoteTile = tiles(alice).find((t) => !t.hasAttribute('data-local'))!;
    expect(remoteTile.getAttribute('aria-label')).to.equal('Bob');
    expect(remoteTile.querySelector('video')!.getAttribute('aria-label')).to.equal('Camera of Bob');
    expect(part(alice, 'grid')!.getAttribute('aria-label')).to.equal('Call, 2 participants');

    // The remote tile's badge shows call-core's verdict once a second of statistics is in; no badge on one's own.
    const badge = () =>
      tiles(alice)
        .find((t) => !t.hasAttribute('data-local'))
        ?.querySelector('[part="quality"]');
    await until(() => ['excellent', 'good'].includes(badge()?.getAttribute('data-quality') ?? ''), 'a quality badge');
    expect(badge()!.textContent!.trim()).to.match(/^(Excellent|Good)$/);
    await expect(alice).to.be.accessible();
    expect(
      tiles(alice)
        .find((t) => t.hasAttribute('data-local'))!
        .querySelector('[part="quality"]'),
    ).to.equal(null);

    // A reaction shows on the reacting participant's tile at both ends.
    bobCall.shadowRoot!.querySelector<HTMLButtonElement>('[part="react"]')!.click();
    await bobCall.updateComplete;
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

  it('is used with the keyboard alone: Enter joins, Space switches the camera, Escape closes the emoji', async () => {
    const el = await fixture<TalkCall>(html`<talk-call .client=${client} conversation=${conversation}></talk-call>`);
    await until(() => !part<HTMLButtonElement>(el, 'join')!.disabled, 'the call to be ready');
    const focused = () => el.shadowRoot!.activeElement;
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(part(el, 'join'));
    await sendKeys({ press: 'Enter' });
    await until(() => el.call?.state === CallState.Joined && !part<HTMLButtonElement>(el, 'leave')!.disabled, 'joined');

    part(el, 'leave')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(part(el, 'camera'));
    expect(part(el, 'camera')!.matches(':focus-visible')).to.equal(true);
    expect(getComputedStyle(part(el, 'camera')!).outlineStyle).to.equal('solid');
    await sendKeys({ press: 'Space' });
    await until(() => part(el, 'camera')!.getAttribute('aria-pressed') === 'false', 'the camera to be off');

    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    const react = part(el, 'react')!;
    expect(focused()).to.equal(react);
    expect(react.getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'Enter' });
    await until(() => !!part(el, 'reactions'), 'the emoji to open');
    expect(react.getAttribute('aria-expanded')).to.equal('true');
    expect(focused()?.getAttribute('data-emoji')).to.equal('👍');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await until(() => !part(el, 'reactions'), 'the emoji to close');
    expect(focused()).to.equal(react);

    // Picking one with the keyboard sends it, closes the emoji and puts the focus back too.
    await sendKeys({ press: 'Enter' });
    await until(() => !!part(el, 'reactions'), 'the emoji to open again');
    await sendKeys({ press: 'Tab' });
    expect(focused()?.getAttribute('data-emoji')).to.equal('❤️');
    await sendKeys({ press: 'Enter' });
    await until(() => tiles(el)[0]?.querySelector('[part="reaction"]')?.textContent?.trim() === '❤️', 'the reaction');
    expect(part(el, 'reactions')).to.equal(null);
    expect(focused()).to.equal(part(el, 'react'));
    await el.leave();
  });

  it('mirrors in Arabic right to left: the name sits at the right of its tile, and the strings are Arabic', async () => {
    const bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    const wrapper = await fixture<HTMLElement>(html`<div style="inline-size: 640px">
      <talk-call dir="ltr" lang="en" .client=${client} conversation=${conversation}></talk-call>
      <talk-call dir="rtl" lang="ar" .client=${bob} conversation=${conversation}></talk-call>
    </div>`);
    const [ltr, rtl] = [...wrapper.querySelectorAll<TalkCall>('talk-call')] as [TalkCall, TalkCall];
    await until(() => part(rtl, 'join')?.textContent?.trim() === 'الانضمام إلى المكالمة', 'the Arabic join button');
    expect(part(rtl, 'camera')!.textContent!.trim()).to.equal('الكاميرا');
    await ltr.join();
    await rtl.join();
    await until(() => tiles(ltr).length === 2 && tiles(rtl).length === 2, 'both in the call');
    await ltr.updateComplete;
    await rtl.updateComplete;

    const mine = (el: TalkCall) => tiles(el).find((tile) => tile.hasAttribute('data-local'))!;
    const box = (element: Element) => element.getBoundingClientRect();
    const [ltrTile, rtlTile] = [mine(ltr), mine(rtl)];
    const [ltrName, rtlName] = [ltrTile.querySelector('[part="name"]')!, rtlTile.querySelector('[part="name"]')!];
    expect(box(ltrName).left - box(ltrTile).left).to.be.within(6, 10);
    expect(box(rtlTile).right - box(rtlName).right).to.be.within(6, 10);
    expect(rtlName.textContent!.trim()).to.equal('أنت');
    expect(rtlTile.getAttribute('aria-label')).to.equal('أنت');
    expect(rtlTile.querySelector('video')!.getAttribute('aria-label')).to.equal('كاميرتك');
    // Two take part: Arabic has a dual form, which English does not.
    expect(part(rtl, 'grid')!.getAttribute('aria-label')).to.equal('مكالمة، 2 مشاركان');
    expect(part(ltr, 'grid')!.getAttribute('aria-label')).to.equal('Call, 2 participants');
    // The controls run from the right: join/leave first, at the inline start.
    expect(box(part(rtl, 'leave')!).left).to.be.greaterThan(box(part(rtl, 'camera')!).right);
    await expect(rtl).to.be.accessible();
    await ltr.leave();
    await rtl.leave();
    bob.close();
  });
});
