import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { type LocalLivekit, livekitAvailable, startLocalLivekit } from '../livekit/local-server.js';
import { conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

// A call that the policy puts on the SFU as soon as two are in it, so that two sockets make an SFU call.
const topology = { sfuFrom: 2, meshAtMost: 1, downgradeDelayMs: 60_000 };

describe.runIf(livekitAvailable())('livekit-server killed mid-call', () => {
  let livekit: LocalLivekit;
  let server: TalkServer;
  beforeAll(async () => {
    livekit = await startLocalLivekit();
    const { url, apiKey, apiSecret } = livekit;
    server = await startTestServer({ livekit: { url, apiKey, apiSecret }, topology });
  });
  afterAll(async () => {
    await server?.close();
    await livekit?.stop();
  });

  it('returns the call to the mesh within a few seconds, telling every session', async () => {
    const [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
    const conversation = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const a = await TestSocket.connect(server, alice);
    const b = await TestSocket.connect(server, bob);
    for (const socket of [a, b]) await socket.join(conversation);
    for (const socket of [a, b]) socket.send({ type: 'call-join', conversation, media: { audio: true, video: true } });
    for (const socket of [a, b]) await socket.nextWhere('call-topology', (m) => m.topology === 'sfu', 10_000);

    const killedAt = performance.now();
    livekit.process.kill('SIGKILL');
    const back = await Promise.all(
      [a, b].map((socket) => socket.nextWhere('call-topology', (m) => m.topology === 'mesh', 10_000)),
    );
    const seconds = (performance.now() - killedAt) / 1_000;
    console.info(`livekit-server killed: the call was back on the mesh after ${seconds.toFixed(2)} s`);
    for (const message of back) expect(message).toMatchObject({ conversation, reason: 'no-sfu', inCall: 2 });
    expect(seconds).toBeLessThan(5);
    await Promise.all([a.close(), b.close()]);
  });
});
