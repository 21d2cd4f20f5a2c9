import { expect } from '@open-wc/testing';
import { CallTrack, LocalParticipant, type Participant, RemoteParticipant, TrackSource } from '@talk/call-core';
import { layoutCall } from './call-layout.js';

const media = { audio: true, video: true };
const me = new LocalParticipant('me', 'alice', 'Alice', media);
const [ben, chloe, daniel, emma] = ['ben', 'chloe', 'daniel', 'emma'].map(
  (id) => new RemoteParticipant(id, id, id, media),
) as [RemoteParticipant, RemoteParticipant, RemoteParticipant, RemoteParticipant];
const ids = (list: readonly Participant[]) => list.map((p) => p.sessionId);
const everyone = [me, ben, chloe, daniel, emma];

describe('layoutCall', () => {
  it('keeps the grid in join order and counts who does not fit, keeping the own tile and the speaker', () => {
    const all = layoutCall({ participants: everyone, activeSpeaker: emma, view: 'grid', maxTiles: 9, selfView: true });
    expect(ids(all.tiles)).to.deep.equal(['me', 'ben', 'chloe', 'daniel', 'emma']);
    expect(all.hidden).to.equal(0);
    const capped = layoutCall({
      participants: everyone,
      activeSpeaker: emma,
      view: 'grid',
      maxTiles: 3,
      selfView: true,
    });
    // Two cells and "+3": one's own tile, and the speaker rather than whoever joined first.
    expect(ids(capped.tiles)).to.deep.equal(['me', 'emma']);
    expect(capped.hidden).to.equal(3);
  });

  it('promotes a shared screen over the speaker in speaker view, floats the own tile, ranks the strip', () => {
    const screen = new CallTrack(canvasTrack(), TrackSource.ScreenShare);
    chloe.setTrack(TrackSource.ScreenShare, screen);
    try {
      const layout = layoutCall({
        participants: everyone,
        activeSpeaker: emma,
        view: 'speaker',
        maxTiles: 9,
        selfView: true,
      });
      expect(layout.promoted).to.equal(chloe);
      expect(layout.self).to.equal(me);
      expect(ids(layout.tiles)).to.deep.equal(['emma', 'ben', 'daniel']);
      const hidden = layoutCall({
        participants: everyone,
        activeSpeaker: emma,
        view: 'speaker',
        maxTiles: 9,
        selfView: false,
      });
      expect(hidden.self).to.equal(null);
      expect(hidden.tiles).to.not.include(me);
    } finally {
      chloe.setTrack(TrackSource.ScreenShare, undefined);
    }
    const alone = layoutCall({ participants: [me], activeSpeaker: null, view: 'speaker', maxTiles: 9, selfView: true });
    expect(alone.promoted).to.equal(me);
    expect(alone.self).to.equal(null);
  });
});

/** A video track for the screen share: a canvas's, as headless Chromium has no screen. */
function canvasTrack(): MediaStreamTrack {
  return document.createElement('canvas').captureStream().getVideoTracks()[0]!;
}
