import type { SignalPayload } from '@talk/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeTrack, FakeTransport, SETTINGS } from '../../../test/fakes/transport.js';
import type { TalkClient } from '../../client/TalkClient.js';
import { TalkError, TalkErrorCode } from '../../errors.js';
import { CallEvent } from '../events.js';
import { Roster } from '../Roster.js';
import { TrackSource } from '../track.js';
import type { Topology } from '../transport/CallTransport.js';
import { EngineEvent, MediaEngine } from './MediaEngine.js';

const TIMINGS = { trackReadyTimeoutMs: 5_000, switchTimeoutMs: 20_000, pollMs: 50 };

/**
 * An engine over fake transports (made through the `createTransport` seam, as `CallOptions.createTransport`
 * does), with a real Roster as its directory; what the call would see is recorded as lines of text.
 */
function setUp() {
  const transports: FakeTransport[] = [];
  const signals: string[] = [];
  const seen: string[] = [];
  let roster: Roster | undefined;
  const engine = new MediaEngine({
    client: {} as TalkClient,
    conversation: 'c',
    directory: { participant: (id) => roster!.participant(id), participants: () => roster!.participants() },
    sendSignal: (to: string, payload: SignalPayload) =>
      signals.push(`${to}:${payload.kind}${payload.kind === 'switched' ? `:${payload.topology}` : ''}`),
    createTransport: (topology: Topology, context) => {
      const transport = new FakeTransport(topology, context);
      transports.push(transport);
      return transport;
    },
    switchTimings: TIMINGS,
  });
  roster = new Roster({
    engine,
    lookup: () => undefined,
    emit: (event, ...args) => {
      if (event === CallEvent.TrackSubscribed || event === CallEvent.TrackUnsubscribed) {
        const track = args[0] as unknown as FakeTrack;
        seen.push(`${event}:${track.source}:${transports.findIndex((t) => t.delivered.has(track))}`);
      }
    },
  });
  const events: string[] = [];
  engine.on(EngineEvent.SwitchStarted, (from, to) => events.push(`started:${from}->${to}`));
  engine.on(EngineEvent.SwitchFinished, (topology) => events.push(`finished:${topology}`));
  engine.on(EngineEvent.Error, (error) => events.push(`error:${error.code}`));
  return { engine, roster, transports, signals, seen, events };
}

/** Starts on mesh with participant `b` showing a camera delivered over it. */
async function inMesh() {
  const setup = setUp();
  const { engine, transports } = setup;
  const started = engine.start('mesh', { sessionId: 'me', settings: SETTINGS }, [new FakeTrack(TrackSource.Camera)]);
  transports[0]!.connected();
  await started;
  const camera = new FakeTrack(TrackSource.Camera);
  transports[0]!.deliver('b', camera);
  return { ...setup, mesh: transports[0]!, meshCamera: camera };
}

describe('MediaEngine', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts on one transport, sending the local tracks, and shows what it delivers', async () => {
    const { mesh, roster, seen } = await inMesh();
    expect(mesh.connectedWith.map((track) => track.source)).toEqual([TrackSource.Camera]);
    expect(mesh.log).toContain('addPeer:b');
    expect(roster.remotes.get('b')?.videoTrack).toBeDefined();
    expect(seen).toEqual(['trackSubscribed:camera:0']);
  });

  it('publishes, replaces, enables and unpublishes on every live transport mid-switch', async () => {
    const { engine, transports } = await inMesh();
    engine.switchTo('sfu', []);
    const screen = new FakeTrack(TrackSource.ScreenShare);
    const camera = new FakeTrack(TrackSource.Camera);
    await engine.publish(screen);
    await engine.replace(camera, camera);
    await engine.setEnabled(camera, false);
    await engine.unpublish(screen);
    engine.sendData('hi');
    const expected = ['publish:screen', 'replace:camera->camera', 'enable:camera:false', 'unpublish:screen', 'data:hi'];
    for (const transport of transports) {
      expect(transport.log.filter((line) => !line.startsWith('addPeer'))).toEqual(expected);
    }
  });

  it('swaps a track of the new transport in only after it decodes', async () => {
    const { engine, transports, roster, seen, meshCamera } = await inMesh();
    engine.switchTo('sfu', []);
    const sfu = transports[1]!;
    expect(sfu.context.switching).toBe(true);
    sfu.connected();
    const camera = new FakeTrack(TrackSource.Camera);
    sfu.deliver('b', camera);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(roster.remotes.get('b')?.videoTrack).toBe(meshCamera);
    camera.decoding = true;
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(roster.remotes.get('b')?.videoTrack).toBe(camera);
    // The new track is announced before the old one goes, so a tile never shows nothing.
    expect(seen).toEqual(['trackSubscribed:camera:0', 'trackSubscribed:camera:1', 'trackUnsubscribed:camera:0']);
  });

  it('closes the old transport only after both ends said switched', async () => {
    const { engine, transports, events, signals, mesh, roster } = await inMesh();
    // `b` announced video only, so one new camera track is all this end waits for.
    roster.remotes.get('b')!.media = { audio: false, video: true };
    engine.switchTo('sfu', []);
    const sfu = transports[1]!;
    sfu.connected();
    const camera = new FakeTrack(TrackSource.Camera);
    camera.decoding = true;
    sfu.deliver('b', camera);
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(signals).toEqual(['b:switched:sfu']);
    expect(mesh.log).not.toContain('removePeer:b');
    expect(mesh.closed).toBe(false);
    expect(engine.topology).toBe('mesh');
    engine.handleSignal('b', { kind: 'switched', topology: 'sfu' });
    expect(mesh.log).toContain('removePeer:b');
    expect(mesh.closed).toBe(true);
    expect(engine.topology).toBe('sfu');
    expect(engine.switchingTo).toBeNull();
    expect(events).toEqual(['started:mesh->sfu', 'finished:sfu']);
  });

  it('finishes a running switch when a second one is asked for, and switches back from where it got', async () => {
    const { engine, transports, events, mesh, roster } = await inMesh();
    engine.switchTo('sfu', []);
    // Asking again for where the switch already goes starts nothing.
    engine.switchTo('sfu', []);
    expect(transports).toHaveLength(2);
    const sfu = transports[1]!;
    sfu.connected();
    engine.switchTo('mesh', []);
    expect(transports).toHaveLength(3);
    expect(mesh.closed).toBe(true);
    expect(sfu.closed).toBe(false);
    // The old mesh's tracks are gone with it; nothing new has arrived to replace them yet.
    expect(roster.remotes.get('b')?.videoTrack).toBeUndefined();
    expect(engine.topology).toBe('sfu');
    expect(engine.switchingTo).toBe('mesh');
    expect(transports[2]!.log).toContain('addPeer:b');
    expect(events).toEqual(['started:mesh->sfu', 'finished:sfu', 'started:sfu->mesh']);
  });

  it('stays on the old transport when the new one fails to connect, and says why', async () => {
    const { engine, transports, events, roster, meshCamera, mesh } = await inMesh();
    engine.switchTo('sfu', []);
    const sfu = transports[1]!;
    // A participant who joined mid-switch is met on the new transport, and shown at once over it.
    const late = new FakeTrack(TrackSource.Camera);
    sfu.deliver('c', late);
    expect(roster.remotes.get('c')?.videoTrack).toBe(late);
    sfu.fail(new Error('no SFU'));
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['started:mesh->sfu', 'error:transport']);
    expect(sfu.closed).toBe(true);
    expect(engine.topology).toBe('mesh');
    expect(engine.switchingTo).toBeNull();
    expect(roster.remotes.get('b')?.videoTrack).toBe(meshCamera);
    expect(roster.remotes.get('c')?.videoTrack).toBeUndefined();
    // Later work goes to the transport that is left, and the failed one's events no longer count.
    await engine.publish(new FakeTrack(TrackSource.ScreenShare));
    expect(mesh.log).toContain('publish:screen');
    expect(sfu.log).not.toContain('publish:screen');
    sfu.deliver('b', new FakeTrack(TrackSource.Camera));
    expect(roster.remotes.get('b')?.videoTrack).toBe(meshCamera);
  });

  it('joins over the mesh when the SFU the server asked for cannot be reached, and says so', async () => {
    const { engine, transports } = setUp();
    const unreachable: string[] = [];
    engine.on(EngineEvent.SfuUnreachable, (error) => unreachable.push(error.message));
    const camera = new FakeTrack(TrackSource.Camera);
    const started = engine.start('sfu', { sessionId: 'me', settings: SETTINGS }, [camera]);
    transports[0]!.fail(new Error('connection refused'));
    await vi.advanceTimersByTimeAsync(0);
    // The SFU transport is given up, and a mesh one starts with the same tracks.
    expect(transports.map((transport) => transport.topology)).toEqual(['sfu', 'mesh']);
    expect(transports[0]!.closed).toBe(true);
    expect(unreachable).toEqual([expect.stringContaining('connection refused')]);
    transports[1]!.connected();
    await expect(started).resolves.toBeUndefined();
    expect(engine.topology).toBe('mesh');
    expect(transports[1]!.connectedWith).toEqual([camera]);
  });

  it('fails the start when the mesh itself fails, with nothing to fall back to', async () => {
    const { engine, transports } = setUp();
    const unreachable: unknown[] = [];
    engine.on(EngineEvent.SfuUnreachable, (error) => unreachable.push(error));
    const started = engine.start('mesh', { sessionId: 'me', settings: SETTINGS }, []);
    transports[0]!.fail(new Error('no ICE'));
    await expect(started).rejects.toThrow('no ICE');
    expect(transports).toHaveLength(1);
    expect(unreachable).toEqual([]);
  });

  it('says the SFU is unreachable when a switch to it fails, and stays on the mesh', async () => {
    const { engine, transports } = await inMesh();
    const unreachable: unknown[] = [];
    engine.on(EngineEvent.SfuUnreachable, (error) => unreachable.push(error));
    engine.switchTo('sfu', []);
    transports[1]!.fail(new Error('no SFU'));
    await vi.advanceTimersByTimeAsync(0);
    expect(unreachable).toHaveLength(1);
    expect(engine.topology).toBe('mesh');
  });

  it('wraps what a failed transport threw into a TalkError', async () => {
    const { engine, transports } = await inMesh();
    const errors: unknown[] = [];
    engine.on(EngineEvent.Error, (error) => errors.push(error));
    engine.switchTo('sfu', []);
    transports[1]!.fail(new Error('no SFU'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors[0]).toBeInstanceOf(TalkError);
    expect((errors[0] as TalkError).message).toContain('no SFU');
  });

  it('passes negotiation signals to the mesh transports only', async () => {
    const { engine, transports, mesh } = await inMesh();
    engine.switchTo('sfu', []);
    engine.handleSignal('b', { kind: 'candidate', candidate: null });
    expect(mesh.log).toContain('signal:b:candidate');
    expect(transports[1]!.log).not.toContain('signal:b:candidate');
  });

  it('closes every transport and abandons the switch on close', async () => {
    const { engine, transports } = await inMesh();
    engine.switchTo('sfu', []);
    engine.close();
    expect(transports.map((transport) => transport.closed)).toEqual([true, true]);
    expect(engine.topology).toBeNull();
    expect(engine.switchingTo).toBeNull();
  });

  it('takes over the transport prepared ahead, so the switch connects nothing and only meets the participants', async () => {
    const { engine, transports, roster, meshCamera } = await inMesh();
    const tracks = [new FakeTrack(TrackSource.Camera)];
    engine.prepare('sfu', tracks);
    const prepared = transports[1]!;
    expect(prepared.context.ahead).toBe(true);
    expect(prepared.connectedWith).toBe(tracks);
    // Nobody is received on it before the switch.
    expect(prepared.log).toEqual([]);
    prepared.connected();
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.preparedFor).toBe('sfu');
    const marks: string[] = [];
    engine.on(EngineEvent.SwitchProgress, (mark) => marks.push(mark.phase));
    engine.switchTo('sfu', tracks);
    expect(transports).toHaveLength(2);
    expect(engine.switchingTo).toBe('sfu');
    expect(engine.preparedFor).toBeNull();
    expect(prepared.log).toEqual(['addPeer:b']);
    await vi.advanceTimersByTimeAsync(0);
    const camera = new FakeTrack(TrackSource.Camera);
    camera.decoding = true;
    prepared.deliver('b', camera);
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(roster.remotes.get('b')?.videoTrack).toBe(camera);
    expect(roster.remotes.get('b')?.videoTrack).not.toBe(meshCamera);
    expect(marks).toEqual(['decided', 'published', 'subscribed', 'firstFrame', 'swapped']);
  });

  it('shows nothing a prepared transport delivers before the switch takes it over', async () => {
    const { engine, transports, roster, meshCamera } = await inMesh();
    engine.prepare('sfu', []);
    transports[1]!.deliver('b', new FakeTrack(TrackSource.Camera));
    expect(roster.remotes.get('b')?.videoTrack).toBe(meshCamera);
  });

  it('sends local media changes to a prepared transport once it is connected, without waiting for it', async () => {
    const { engine, transports, mesh } = await inMesh();
    engine.prepare('sfu', []);
    const prepared = transports[1]!;
    const screen = new FakeTrack(TrackSource.ScreenShare);
    await engine.publish(screen);
    await engine.setEnabled(screen, false);
    expect(mesh.log).toContain('publish:screen');
    expect(prepared.log).toEqual([]);
    prepared.connected();
    await vi.advanceTimersByTimeAsync(0);
    expect(prepared.log).toEqual(['publish:screen', 'enable:screen:false']);
  });

  it('drops a prepared transport when asked, on a switch elsewhere, on close, and when it fails', async () => {
    const { engine, transports } = await inMesh();
    engine.prepare('sfu', []);
    engine.unprepare();
    expect(transports[1]!.closed).toBe(true);
    engine.prepare('sfu', []);
    engine.prepare('sfu', []);
    expect(transports).toHaveLength(3);
    transports[2]!.fail(new TalkError(TalkErrorCode.Transport, 'no SFU'));
    await vi.advanceTimersByTimeAsync(0);
    expect(transports[2]!.closed).toBe(true);
    expect(engine.preparedFor).toBeNull();
    // A switch after a failed preparation connects anew.
    engine.switchTo('sfu', []);
    expect(transports).toHaveLength(4);
    engine.prepare('mesh', []);
    engine.close();
    expect(transports.every((transport) => transport.closed)).toBe(true);
  });
});
