import { expect, fixture, html } from '@open-wc/testing';
import { Call, CallState, type Participant, TalkClient } from '@talk/call-core';
import { sendKeys } from '@web/test-runner-commands';
import type { TalkCall } from '../talk-call/talk-call.js';
import { freshConversation, tokenFor, until } from '../test-support/talk.js';
import type { TalkScreenShare } from './talk-screenshare.js';
import '../talk-call/talk-call.js';
import './talk-screenshare.js';

const part = <T extends Element = HTMLElement>(el: TalkScreenShare, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part="${name}"]`);

/** True once the video element shows decoded frames. */
const playing = (video: HTMLVideoElement | null) =>
  !!video && !video.paused && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0;

/** A moving canvas as the "screen": headless Chromium has no screen to pick. */
function canvasScreen(): Promise<MediaStream> {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${(frame++ * 7) % 360} 60% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
  }, 66);
  const stream = canvas.captureStream(15);
  stream.getVideoTracks()[0]!.addEventListener('ended', () => clearInterval(timer));
  return Promise.resolve(stream);
}

describe('talk-screenshare', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const done of cleanup.splice(0)) done();
  });

  it("shows another participant's share large, started and stopped with the button", async () => {
    const { client: alice, conversation } = await freshConversation();
    const bob = new TalkClient({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    const aliceCall = new Call(alice, conversation, { topology: 'mesh', getDisplayMedia: canvasScreen });
    const bobCall = new Call(bob, conversation, { topology: 'mesh' });
    cleanup.push(
      () => aliceCall.close(),
      () => bobCall.close(),
      () => alice.close(),
      () => bob.close(),
    );
    const mine = await fixture<TalkScreenShare>(html`<talk-screenshare .call=${aliceCall}></talk-screenshare>`);
    const theirs = await fixture<TalkScreenShare>(html`<talk-screenshare .call=${bobCall}></talk-screenshare>`);
    // Not in the call: no button, and the placeholder.
    expect(part(mine, 'toggle')).to.equal(null);
    expect(part(theirs, 'empty')).to.exist;
    await expect(theirs).to.be.accessible();

    await aliceCall.join();
    await bobCall.join();
    await mine.updateComplete;
    const shown: (Participant | null)[] = [];
    theirs.addEventListener('talk-screenshare-change', (event) => shown.push(event.participant));
    const toggle = part<HTMLButtonElement>(mine, 'toggle')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');

    toggle.click();
    await until(() => toggle.getAttribute('aria-pressed') === 'true', 'alice to share');
    expect(toggle.textContent!.trim()).to.equal('Stop sharing');
    await until(() => playing(part<HTMLVideoElement>(theirs, 'video')), "alice's share to play at bob's", 20_000);
    expect(part(theirs, 'presenter')!.textContent).to.equal('Alice is sharing');
    expect(shown.map((p) => p?.sessionId)).to.deep.equal([alice.sessionId]);
    // Her own stage shows her share too.
    expect(part(mine, 'stage')!.hasAttribute('data-local')).to.equal(true);
    expect(part(mine, 'presenter')!.textContent).to.equal('You are sharing');
    expect(part(theirs, 'video')!.getAttribute('aria-label')).to.equal('Screen shared by Alice');
    await expect(mine).to.be.accessible();
    await expect(theirs).to.be.accessible();

    toggle.click();
    await until(() => !!part(theirs, 'empty'), "alice's share to end at bob's", 20_000);
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    expect(shown.map((p) => p?.sessionId ?? null)).to.deep.equal([alice.sessionId, null]);
  });

  it('follows the call of the <talk-call> that `for` names', async () => {
    const { client, conversation } = await freshConversation();
    cleanup.push(() => client.close());
    const root = await fixture<HTMLElement>(html`<div>
      <talk-screenshare for="the-call"></talk-screenshare>
      <talk-call id="the-call" .client=${client} conversation=${conversation}></talk-call>
    </div>`);
    const stage = root.querySelector('talk-screenshare')!;
    const call = root.querySelector<TalkCall>('talk-call')!;
    await call.join();
    await until(() => call.call?.state === CallState.Joined && !!part(stage, 'toggle'), 'the share button');
    expect(part(stage, 'toggle')!.textContent!.trim()).to.equal('Share screen');
    await call.leave();
    await until(() => !part(stage, 'toggle'), 'the button to go with the call');
  });

  it('shares and stops with the keyboard alone, and mirrors in Arabic right to left', async () => {
    const { client: alice, conversation } = await freshConversation();
    const call = new Call(alice, conversation, { topology: 'mesh', getDisplayMedia: canvasScreen });
    cleanup.push(
      () => call.close(),
      () => alice.close(),
    );
    const wrapper = await fixture<HTMLElement>(html`<div dir="rtl" lang="ar" style="inline-size: 480px">
      <talk-screenshare .call=${call}></talk-screenshare>
    </div>`);
    const el = wrapper.querySelector<TalkScreenShare>('talk-screenshare')!;
    await until(() => part(el, 'empty')?.textContent?.trim() === 'لا أحد يشارك شاشته', 'the Arabic placeholder');
    await call.join();
    await until(() => !!part(el, 'toggle'), 'the share button');
    const toggle = part<HTMLButtonElement>(el, 'toggle')!;
    expect(toggle.textContent!.trim()).to.equal('مشاركة الشاشة');

    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(toggle);
    expect(toggle.matches(':focus-visible')).to.equal(true);
    expect(getComputedStyle(toggle).outlineStyle).to.equal('solid');
    await sendKeys({ press: 'Enter' });
    await until(() => toggle.getAttribute('aria-pressed') === 'true', 'sharing');
    expect(toggle.textContent!.trim()).to.equal('إيقاف المشاركة');
    await until(() => !!part(el, 'presenter'), 'the presenter label');
    expect(part(el, 'presenter')!.textContent).to.equal('أنت تشارك شاشتك');
    expect(part(el, 'video')!.getAttribute('aria-label')).to.equal('شاشتك المشتركة');
    // Who shares sits at the inline start: the right edge of the stage in Arabic.
    const stage = part(el, 'stage')!.getBoundingClientRect();
    const presenter = part(el, 'presenter')!.getBoundingClientRect();
    expect(stage.right - presenter.right).to.be.within(6, 10);
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'Space' });
    await until(() => toggle.getAttribute('aria-pressed') === 'false', 'sharing to stop');
    await until(() => !!part(el, 'empty'), 'the placeholder again');
    await call.leave();
  });

  it('says in the language of the page that sharing was refused, and stays usable', async () => {
    const { client: alice, conversation } = await freshConversation();
    const refuse = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    const call = new Call(alice, conversation, { topology: 'mesh', getDisplayMedia: refuse });
    cleanup.push(
      () => call.close(),
      () => alice.close(),
    );
    const el = await fixture<TalkScreenShare>(html`<talk-screenshare lang="fr" .call=${call}></talk-screenshare>`);
    await call.join();
    await until(() => !!part(el, 'toggle'), 'the share button');
    const failed = new Promise((resolve) => el.addEventListener('talk-error', resolve, { once: true }));
    part<HTMLButtonElement>(el, 'toggle')!.click();
    await failed;
    const error = () => part(el, 'error');
    await until(
      () => error()?.textContent === 'L’accès à la caméra, au micro ou à l’écran n’a pas été autorisé.',
      'the French reason',
    );
    expect(error()!.dataset.code).to.equal('media-denied');
    expect(part(el, 'toggle')!.getAttribute('aria-pressed')).to.equal('false');
    await expect(el).to.be.accessible();
    await call.leave();
  });
});
