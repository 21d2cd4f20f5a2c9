import { expect, fixture, html } from '@open-wc/testing';
import { Call, CallState, TalkClient as Client, type TalkClient } from '@talk/call-core';
import { sendKeys } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../test-support/talk.js';
import type { TalkCall } from './talk-call.js';
import './talk-call.js';

const part = <T extends Element = HTMLElement>(el: TalkCall, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part="${name}"]`);
const tiles = (el: TalkCall) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="tile"]')];
const tileOf = (el: TalkCall, sessionId: string | null) => tiles(el).find((t) => t.dataset.sessionId === sessionId);
const pressed = (el: TalkCall, name: string) => part(el, name)?.getAttribute('aria-pressed') === 'true';
const playing = (video: HTMLVideoElement | null | undefined) =>
  !!video && !video.paused && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0;

/** Chromium's fake camera with a 440 Hz tone as the microphone: loud all the time, unlike the fake beep. */
async function toneMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
  const stream = constraints.video
    ? await navigator.mediaDevices.getUserMedia({ video: { width: 160, height: 120, frameRate: 15 } })
    : new MediaStream();
  if (constraints.audio) {
    const context = new AudioContext();
    const oscillator = context.createOscillator();
    const destination = context.createMediaStreamDestination();
    oscillator.connect(destination);
    oscillator.start();
    const track = destination.stream.getAudioTracks()[0]!;
    track.addEventListener('ended', () => void context.close());
    stream.addTrack(track);
  }
  return stream;
}

/** Another user's client and call in the same conversation, driven from the test, with the tone as microphone. */
async function other(userId: string, conversation: string): Promise<{ client: TalkClient; call: Call }> {
  const client = new Client({ serverUrl: location.origin, token: await tokenFor(userId) });
  await client.joinConversation(conversation);
  return { client, call: new Call(client, conversation, { topology: 'mesh', getUserMedia: toneMedia }) };
}

describe('talk-call: the call screen', () => {
  let client: TalkClient;
  let conversation: string;
  const cleanup: (() => unknown)[] = [];
  beforeEach(async () => {
    ({ client, conversation } = await freshConversation());
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    client.close();
  });

  it('previews camera and microphone before joining, tells that a call runs, then joins audio only', async () => {
    const el = await fixture<TalkCall>(html`<talk-call .client=${client} conversation=${conversation}></talk-call>`);
    await until(() => playing(part<HTMLVideoElement>(el, 'preview')), 'the camera preview to play');
    // The fake microphone beeps; the meter follows it.
    await until(() => (part<HTMLMeterElement>(el, 'level')?.value ?? 0) > 0.01, 'the microphone level to move');
    await until(() => part(el, 'call-status')?.dataset.active === 'false', 'the status: no call');
    expect(part(el, 'call-status')!.textContent!.trim()).to.equal('No call is running: joining starts one');
    expect(tiles(el)).to.have.length(0);
    await expect(el).to.be.accessible();

    const bob = await other('bob', conversation);
    cleanup.push(
      () => bob.client.close(),
      () => bob.call.close(),
    );
    await bob.call.join({ video: false });
    await until(() => part(el, 'call-status')?.dataset.active === 'true', 'the status: a call runs');
    expect(part(el, 'call-status')!.textContent!.trim()).to.equal('A call is running with 1 person');
    await expect(el).to.be.accessible();

    const preview = part<HTMLVideoElement>(el, 'preview')!;
    const previewTrack = (preview.srcObject as MediaStream).getVideoTracks()[0]!;
    part<HTMLButtonElement>(el, 'join-audio')!.click();
    await until(() => el.call?.state === CallState.Joined, 'joined');
    // The preview let go of the camera, and the call sends no video.
    expect(previewTrack.readyState).to.equal('ended');
    expect(el.call!.media.video).to.equal(false);
    expect(el.call!.localParticipant!.videoTrack).to.equal(undefined);
    await el.updateComplete;
    expect(pressed(el, 'camera')).to.equal(false);
    expect(pressed(el, 'microphone')).to.equal(true);
    const mine = tileOf(el, client.sessionId)!;
    expect(mine.hasAttribute('data-video-off')).to.equal(true);
    expect(mine.querySelector('[part~="camera-off"]')).to.exist;
    // Bob joined with his camera off too: his tile says so, at both ends of the wire.
    await until(() => !!tileOf(el, bob.client.sessionId)?.querySelector('[part~="camera-off"]'), "bob's mark");
    expect(part(el, 'duration')!.textContent!.trim()).to.match(/^0?0:0\d$/);
    expect(part(el, 'topology')!.dataset.topology).to.equal('mesh');
    expect(part(el, 'topology')!.textContent!.trim()).to.equal('Peer to peer');
    await expect(el).to.be.accessible();
    await el.leave();
    // Back before joining, the preview follows the switches: the camera stays off until switched on.
    await until(() => !!part(el, 'prejoin') && !!part(el, 'level'), 'the audio-only preview after leaving');
    expect(part<HTMLVideoElement>(el, 'preview')!.srcObject).to.equal(null);
    part<HTMLButtonElement>(el, 'camera')!.click();
    await until(() => playing(part<HTMLVideoElement>(el, 'preview')), 'the camera preview once switched on');
  });

  it('promotes the speaker in speaker view and follows when another speaks; caps the grid with +N', async () => {
    const el = await fixture<TalkCall>(
      html`<talk-call .client=${client} conversation=${conversation} topology="mesh"></talk-call>`,
    );
    const [bob, carol] = [await other('bob', conversation), await other('carol', conversation)];
    cleanup.push(
      () => bob.client.close(),
      () => carol.client.close(),
      () => bob.call.close(),
      () => carol.call.close(),
    );
    await el.join();
    // Carol joins muted; Bob's tone is the only sound.
    await bob.call.join();
    await carol.call.join({ audio: false });
    await until(() => tiles(el).length === 3, 'three tiles');

    part<HTMLButtonElement>(el, 'view')!.click();
    await until(() => el.view === 'speaker' && pressed(el, 'view'), 'the speaker view');
    const promoted = () => el.shadowRoot!.querySelector<HTMLElement>('[part="stage"] [data-place="promoted"]');
    await until(
      () => promoted()?.dataset.sessionId === bob.client.sessionId && promoted()!.hasAttribute('data-speaking'),
      'bob promoted as he speaks',
      15_000,
    );
    expect(el.shadowRoot!.querySelector('[part="strip"] [part="tile"]')!.getAttribute('data-session-id')).to.equal(
      carol.client.sessionId,
    );
    // One's own tile floats over the stage, and moves to the next corner on request.
    const self = () => el.shadowRoot!.querySelector<HTMLElement>('[part="stage"] .self');
    expect(self()!.dataset.corner).to.equal('end-end');
    part<HTMLButtonElement>(el, 'self-move')!.click();
    await until(() => self()?.dataset.corner === 'end-start', 'the self view moved');
    await expect(el).to.be.accessible();

    await bob.call.setMicrophoneEnabled(false);
    await carol.call.setMicrophoneEnabled(true);
    await until(
      () => promoted()?.dataset.sessionId === carol.client.sessionId && promoted()!.hasAttribute('data-speaking'),
      'carol promoted as she speaks',
      15_000,
    );
    // Bob's muted microphone shows on his tile.
    await until(() => !!tileOf(el, bob.client.sessionId)?.querySelector('[part~="muted"]'), "bob's muted mark");

    // The grid, capped at two tiles: one's own and "+2".
    el.view = 'grid';
    el.maxTiles = 2;
    await el.updateComplete;
    expect(tiles(el).map((t) => t.dataset.sessionId)).to.deep.equal([client.sessionId]);
    expect(part(el, 'overflow')!.textContent!.trim()).to.equal('+2');
    expect(part(el, 'overflow')!.getAttribute('aria-label')).to.equal('2 more participants');
    // Hiding the self view gives its cell to the others, who now fit, in the order they joined.
    part<HTMLButtonElement>(el, 'self-view')!.click();
    await until(() => tiles(el).length === 2, 'the two others in the cells');
    expect(tiles(el).map((t) => t.dataset.sessionId)).to.deep.equal([bob.client.sessionId, carol.client.sessionId]);
    expect(part(el, 'overflow')).to.equal(null);
    await expect(el).to.be.accessible();
    await el.leave();
  });

  it("shows a hand raised with R on the other page's tile and in its participants panel", async () => {
    const bobClient = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bobClient.joinConversation(conversation);
    cleanup.push(() => bobClient.close());
    const wrapper = await fixture<HTMLElement>(html`<div>
      <talk-call .client=${client} conversation=${conversation}></talk-call>
      <talk-call .client=${bobClient} conversation=${conversation}></talk-call>
    </div>`);
    const [alice, bob] = [...wrapper.querySelectorAll<TalkCall>('talk-call')] as [TalkCall, TalkCall];
    await alice.join();
    await bob.join();
    await until(() => tiles(alice).length === 2 && tiles(bob).length === 2, 'both in the call');

    // R with the focus in Bob's element raises Bob's hand only.
    part(bob, 'leave')!.focus();
    await sendKeys({ press: 'r' });
    await until(() => pressed(bob, 'hand'), "bob's hand button pressed");
    const bobAtAlice = () => tileOf(alice, bobClient.sessionId);
    await until(() => bobAtAlice()?.hasAttribute('data-hand') === true, "bob's hand on his tile at alice's");
    expect(bobAtAlice()!.querySelector('[part~="raised-hand"]')!.getAttribute('aria-label')).to.equal('Hand raised');
    expect(pressed(alice, 'hand')).to.equal(false);
    expect(tileOf(alice, client.sessionId)!.hasAttribute('data-hand')).to.equal(false);

    part<HTMLButtonElement>(alice, 'participants-toggle')!.click();
    await until(() => !!part(alice, 'participants'), 'the participants panel');
    const row = () =>
      part(alice, 'participants')!.querySelector<HTMLElement>(`[data-session-id="${bobClient.sessionId}"]`);
    expect(row()!.hasAttribute('data-hand')).to.equal(true);
    expect(row()!.hasAttribute('data-in-call')).to.equal(true);
    expect(row()!.querySelector('[data-mark="microphone"]')!.getAttribute('aria-label')).to.equal('Microphone on');
    // Hands raised come first.
    expect(part(alice, 'participants')!.querySelector<HTMLElement>('[part="participant"]')!.dataset.sessionId).to.equal(
      bobClient.sessionId,
    );
    await expect(alice).to.be.accessible();

    part(alice, 'participants-toggle')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !part(alice, 'participants'), 'Escape to close the panel');

    part(bob, 'hand')!.click();
    await until(() => bobAtAlice()?.hasAttribute('data-hand') === false, "bob's hand lowered at alice's");
    await alice.leave();
    await bob.leave();
  });

  it('talks while Space is held with the microphone muted, and keeps Space for a focused button', async () => {
    const el = await fixture<TalkCall>(html`<talk-call .client=${client} conversation=${conversation}></talk-call>`);
    await el.join();
    await until(() => !part<HTMLButtonElement>(el, 'microphone')!.disabled, 'the microphone switch');
    part<HTMLButtonElement>(el, 'microphone')!.click();
    await until(() => !pressed(el, 'microphone'), 'muted');
    const track = () => el.call!.localParticipant!.audioTrack!.mediaStreamTrack;
    expect(track().enabled).to.equal(false);

    // On a focused button Space presses it: the camera goes off, the microphone stays muted.
    part(el, 'camera')!.focus();
    await sendKeys({ press: 'Space' });
    await until(() => !pressed(el, 'camera'), 'the camera off by Space');
    expect(pressed(el, 'microphone')).to.equal(false);

    (el.shadowRoot!.activeElement as HTMLElement).blur();
    await sendKeys({ down: 'Space' });
    await until(() => pressed(el, 'microphone') && track().enabled, 'the microphone open while Space is held');
    expect(part(el, 'microphone')!.hasAttribute('data-talking')).to.equal(true);
    await sendKeys({ up: 'Space' });
    await until(() => !pressed(el, 'microphone') && !track().enabled, 'muted again on release');

    // M and V switch the microphone and the camera.
    await sendKeys({ press: 'm' });
    await until(() => pressed(el, 'microphone'), 'M: the microphone on');
    await sendKeys({ press: 'v' });
    await until(() => pressed(el, 'camera'), 'V: the camera on');
    // With the microphone on, Space does not mute it.
    await sendKeys({ down: 'Space' });
    await sendKeys({ up: 'Space' });
    expect(pressed(el, 'microphone')).to.equal(true);
    await el.leave();
  });

  it('shows the SFU in the badge and the statistics of what arrives through it', async () => {
    const bobClient = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bobClient.joinConversation(conversation);
    cleanup.push(() => bobClient.close());
    const wrapper = await fixture<HTMLElement>(html`<div>
      <talk-call .client=${client} conversation=${conversation} topology="sfu"></talk-call>
      <talk-call .client=${bobClient} conversation=${conversation} topology="sfu"></talk-call>
    </div>`);
    const [alice, bob] = [...wrapper.querySelectorAll<TalkCall>('talk-call')] as [TalkCall, TalkCall];
    await alice.join();
    await bob.join();
    expect(part(alice, 'topology')!.dataset.topology).to.equal('sfu');
    expect(part(alice, 'topology')!.textContent!.trim()).to.equal('Via server (SFU)');
    await until(() => playing(tileOf(alice, bobClient.sessionId)?.querySelector('video')), "bob's video via the SFU");

    part<HTMLButtonElement>(alice, 'stats-toggle')!.click();
    const row = () => part(alice, 'stats')?.querySelector<HTMLElement>(`[data-session-id="${bobClient.sessionId}"]`);
    const cell = (stat: string) => row()?.querySelector(`[data-stat="${stat}"]`)?.textContent?.trim() ?? '';
    await until(() => /\d+×\d+/.test(cell('resolution')) && /[1-9]/.test(cell('bitrate')), "bob's row filled");
    expect(cell('bitrate')).to.match(/kb\/s/);
    expect(part(alice, 'stats')!.querySelector('[data-stat="up"]')!.textContent).to.match(/[1-9].*kb\/s/);
    await expect(alice).to.be.accessible();
    await alice.leave();
    await bob.leave();
  });
});
