// What needs a user's click: sound the browser refused to autoplay, and the speaker's picture-in-picture window.
// Chromium lets a page that captures a camera or microphone autoplay sound, and every participant of these tests
// captures the fake devices, so the refusal a listener without devices meets is played by `play()` below: it refuses
// as Chromium's "document user activation required" policy does, until the page has had a click.
import { expect, fixture, html } from '@open-wc/testing';
import { CallState, TalkClient as Client, type TalkClient } from '@talk/call-core';
import { sendMouse } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../test-support/talk.js';
import type { TalkCall } from './talk-call.js';
import './talk-call.js';

const part = <T extends Element = HTMLElement>(el: TalkCall, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part="${name}"]`);
const remoteTile = (el: TalkCall) =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="tile"]')].find((tile) => !tile.hasAttribute('data-local'));

/** A real click, through the browser's input pipeline: it gives the page the user activation a script cannot. */
async function click(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/** Makes media elements refuse to play before the page's first user activation, as the autoplay policy does. */
const playedAfterClick: HTMLMediaElement[] = [];

function refuseAutoplayBeforeActivation(): () => void {
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (this.muted) return play.call(this);
    if (navigator.userActivation.hasBeenActive) {
      playedAfterClick.push(this);
      return play.call(this);
    }
    return Promise.reject(new DOMException("play() failed because the user didn't interact", 'NotAllowedError'));
  };
  return () => {
    HTMLMediaElement.prototype.play = play;
  };
}

describe('talk-call, where the browser wants a click', () => {
  let restorePlay: () => void;
  before(() => {
    restorePlay = refuseAutoplayBeforeActivation();
  });
  after(() => restorePlay());

  let alice: TalkClient;
  let bob: TalkClient;
  let conversation: string;
  let aliceCall: TalkCall;
  let bobCall: TalkCall;
  beforeEach(async () => {
    ({ client: alice, conversation } = await freshConversation());
    bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    aliceCall = await fixture<TalkCall>(html`<talk-call .client=${alice} conversation=${conversation}></talk-call>`);
    bobCall = await fixture<TalkCall>(html`<talk-call .client=${bob} conversation=${conversation}></talk-call>`);
    // Joined from script, as a host that joins for the user does: no click has reached the page yet.
    await aliceCall.join();
    await bobCall.join();
    await until(() => !!remoteTile(aliceCall)?.querySelector('audio')?.srcObject, "bob's audio at alice's");
  });
  afterEach(async () => {
    await aliceCall.leave();
    await bobCall.leave();
    alice.close();
    bob.close();
  });

  it('offers "click to enable audio" when autoplay is refused, and plays every remote once clicked', async () => {
    const audio = remoteTile(aliceCall)!.querySelector('audio')!;
    await until(() => !!part(aliceCall, 'enable-audio'), 'the enable-audio button');
    expect(navigator.userActivation.hasBeenActive).to.equal(false);
    expect(playedAfterClick).to.deep.equal([]);
    await expect(aliceCall).to.be.accessible();

    // (The element's `autoplay` attribute is not refused here as it would be, so the sound may already play: what
    // is checked is that the click plays it again, now allowed.)
    await click(part(aliceCall, 'enable-audio')!);
    await until(() => playedAfterClick.includes(audio) && !audio.paused, "bob's audio played on the click");
    await aliceCall.updateComplete;
    expect(part(aliceCall, 'enable-audio')).to.equal(null);
    expect(aliceCall.call?.state).to.equal(CallState.Joined);
  });

  it('opens the speaker in a picture-in-picture window on a click, and closes it again', async () => {
    const button = part<HTMLButtonElement>(aliceCall, 'pip');
    expect(button, 'the picture-in-picture button (Chromium has Document Picture-in-Picture)').to.exist;
    expect(button!.getAttribute('aria-pressed')).to.equal('false');
    const bobVideo = () => remoteTile(aliceCall)?.querySelector('video');
    await until(() => (bobVideo()?.videoWidth ?? 0) > 0, "bob's video at alice's");

    await click(button!);
    const pip = (window as unknown as { documentPictureInPicture: { window: Window | null } }).documentPictureInPicture;
    await until(() => !!pip.window, 'the floating window');
    const floating = pip.window!.document.querySelector('video')!;
    // The window shows bob, the only other participant, with his name for assistive technology.
    await until(() => floating.videoWidth > 0 && !floating.paused, 'the speaker playing in the floating window');
    const shown = (floating.srcObject as MediaStream).getVideoTracks()[0]!;
    const bobTrack = (bobVideo()!.srcObject as MediaStream).getVideoTracks()[0]!;
    expect(shown.id).to.equal(bobTrack.id);
    expect(floating.getAttribute('aria-label')).to.contain('Bob');
    await aliceCall.updateComplete;
    expect(part(aliceCall, 'pip')!.getAttribute('aria-pressed')).to.equal('true');

    await click(part(aliceCall, 'pip')!);
    await until(() => pip.window === null, 'the floating window to close');
    await aliceCall.updateComplete;
    expect(part(aliceCall, 'pip')!.getAttribute('aria-pressed')).to.equal('false');
  });
});
