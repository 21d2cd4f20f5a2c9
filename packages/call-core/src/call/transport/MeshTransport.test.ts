import type { SignalPayload } from '@talk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS } from '../../../test/fakes/transport.js';
import type { TalkClient } from '../../client/TalkClient.js';
import { MeshTransport } from './MeshTransport.js';

/** The part of RTCPeerConnection a MeshPeer uses, recording the remote descriptions and candidates it is given. */
class FakePeerConnection {
  static created: FakePeerConnection[] = [];
  readonly remoteDescriptions: RTCSessionDescriptionInit[] = [];
  readonly candidates: Array<RTCIceCandidateInit | undefined> = [];
  signalingState: RTCSignalingState = 'stable';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  connectionState: RTCPeerConnectionState = 'new';
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: unknown = null;
  ontrack: unknown = null;
  onconnectionstatechange: unknown = null;
  oniceconnectionstatechange: unknown = null;

  constructor() {
    FakePeerConnection.created.push(this);
  }
  addTransceiver(): void {}
  addTrack(): void {}
  createDataChannel(): object {
    return { readyState: 'connecting', onmessage: null };
  }
  getSenders(): RTCRtpSender[] {
    return [];
  }
  getTransceivers(): RTCRtpTransceiver[] {
    return [];
  }
  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescriptions.push(description);
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  async setLocalDescription(): Promise<void> {
    this.localDescription = { type: this.signalingState === 'have-remote-offer' ? 'answer' : 'offer', sdp: 'v=0' };
    this.signalingState = this.localDescription.type === 'answer' ? 'stable' : 'have-local-offer';
  }
  async addIceCandidate(candidate?: RTCIceCandidateInit): Promise<void> {
    this.candidates.push(candidate);
  }
  close(): void {}
}

const offer: SignalPayload = { kind: 'description', description: { type: 'offer', sdp: 'v=0 offer' } };
const candidate: SignalPayload = {
  kind: 'candidate',
  candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.7 5000 typ host' },
};

describe('MeshTransport', () => {
  let sent: Array<{ to: string; payload: SignalPayload }>;
  let transport: MeshTransport;

  beforeEach(() => {
    FakePeerConnection.created = [];
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    vi.stubGlobal('MediaStream', class {});
    sent = [];
    transport = new MeshTransport({
      client: {} as TalkClient,
      conversation: 'c',
      // Larger than both remote ids, so this side is impolite and answers at once.
      sessionId: 'zz-local',
      settings: SETTINGS,
      sendSignal: (to, payload) => sent.push({ to, payload }),
    });
  });
  afterEach(() => {
    transport.close();
    vi.unstubAllGlobals();
  });

  it('answers an offer only from a session it knows is in the call, holding an early one until it is', async () => {
    transport.handleSignal('outsider', offer);
    transport.handleSignal('outsider', candidate);
    transport.handleSignal('early', offer);
    transport.handleSignal('early', candidate);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Nobody was answered: an answer would carry this browser's camera, microphone and addresses.
    expect(FakePeerConnection.created).toHaveLength(0);
    expect(sent).toEqual([]);

    transport.addPeer('early');
    await vi.waitFor(() =>
      expect(sent.map(({ to, payload }) => [to, payload.kind])).toEqual([['early', 'description']]),
    );
    const [connection] = FakePeerConnection.created;
    expect(FakePeerConnection.created).toHaveLength(1);
    expect(connection!.remoteDescriptions).toEqual([offer.kind === 'description' && offer.description]);
    expect(connection!.candidates).toHaveLength(1);
    expect(sent[0]!.payload).toMatchObject({ description: { type: 'answer' } });

    // The outsider's offer is dropped when it leaves, and never answered.
    transport.removePeer('outsider');
    transport.addPeer('outsider');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(FakePeerConnection.created[1]!.remoteDescriptions).toEqual([]);
  });
});
