import { describe, expect, it } from 'vitest';
import { type DemoUser, signedInPages } from './stack.js';

/** Keeps the track of the Talk app's camera preview on the page as `previewTrack`, once the preview shows one. */
async function holdPreviewTrack(user: DemoUser): Promise<string> {
  const handle = await user.page.waitForFunction(
    () => {
      const video = document
        .querySelector('#talk talk-call')
        ?.shadowRoot?.querySelector<HTMLVideoElement>('[part="preview"]');
      const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
      if (track?.readyState !== 'live') return false;
      (window as unknown as { previewTrack: MediaStreamTrack }).previewTrack = track;
      return track.id;
    },
    { timeout: 15_000 },
  );
  return (await handle.jsonValue()) as string;
}

/** The state of the track kept by {@link holdPreviewTrack}. */
const heldTrackState = (user: DemoUser) =>
  user.page.evaluate(() => (window as unknown as { previewTrack: MediaStreamTrack }).previewTrack.readyState);

describe('the Talk app', () => {
  const demo = signedInPages(['alice']);

  it("releases the camera of its call's preview while another app is shown, and previews again when back", async () => {
    const { page } = demo.alice;
    const first = await holdPreviewTrack(demo.alice);
    await (await page.waitForSelector('.top-bar [data-app="files"]'))!.click();
    await page.waitForFunction(
      () => (window as unknown as { previewTrack: MediaStreamTrack }).previewTrack.readyState === 'ended',
      { timeout: 15_000 },
    );
    // Nothing captures in its place while hidden: the element holds no call, so no new preview.
    expect(await page.$eval('#talk talk-call', (call) => (call as HTMLElement & { call: unknown }).call)).toBeNull();

    await (await page.waitForSelector('.top-bar [data-app="talk"]'))!.click();
    const again = await holdPreviewTrack(demo.alice);
    expect(again).not.toBe(first);
    expect(await heldTrackState(demo.alice)).toBe('live');
  });
});
