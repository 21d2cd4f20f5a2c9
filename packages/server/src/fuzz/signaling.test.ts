import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ClientMessage, ErrorCode, MAX_SIGNALING_FRAME, Routes, ServerMessage } from '@talk/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { TestSocket } from '../testing/harness.js';
import { testStorageKind } from '../testing/storage.js';
import { deepJsonText, type JsonSchema, mutated, nastyJson, nastyString, valid } from './arbitraries.js';
import { startFuzzServer, World } from './world.js';

/**
 * Frames per message type: 1,000 on PostgreSQL, 150 on PGlite (whose WebAssembly runs in the test's own process);
 * FUZZ_SCALE multiplies both. Every batch is full, so the count is exact; see rest-routes.test.ts for the profile.
 */
const PER_TYPE = Math.ceil((testStorageKind === 'postgres' ? 1_000 : 150) * Number(process.env.FUZZ_SCALE ?? 1));
/** Frames sent at once in one run. */
const BATCH = 20;
/** Runs per message type. */
const RUNS = Math.ceil(PER_TYPE / BATCH);
/** How long the server may take to answer the ping that follows a batch. */
const DEADLINE_MS = 5_000;
/** A seed per suite run, printed so that a failure can be replayed with FUZZ_SEED. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

// TypeBox checks a format only once told what it means; the protocol's timestamps are ISO 8601.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)));
const checkServerMessage = TypeCompiler.Compile(ServerMessage);

/** The schema of each client message type, by its `type`. */
const clientTypes = new Map<string, JsonSchema>(
  (ClientMessage.anyOf as JsonSchema[]).map((schema) => [String(schema.properties?.type?.const), schema]),
);

let server: TalkServer;
let world: World;
let sent = 0;
let runs = 0;

beforeAll(async () => {
  server = await startFuzzServer();
  world = new World(server);
  await world.build();
  console.log(`signaling fuzz on ${testStorageKind}: seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
});
afterAll(async () => {
  await world.close();
  await server.close();
});

/** One frame: JSON text or raw bytes. */
type Frame = { text: string } | { bytes: Uint8Array };

/** Frames that are not messages: broken JSON, other shapes, binary, oversized, deeply nested. */
const brokenFrame: fc.Arbitrary<Frame> = fc.oneof(
  nastyString.map((text) => ({ text })),
  nastyJson.map((value) => ({ text: JSON.stringify(value) ?? 'null' })),
  deepJsonText.map((text) => ({ text })),
  fc.constantFrom('{', '{"type":', '{"type":"ping"', '[]', 'null', '{"type":null}', '{"type":"nope"}').map((text) => ({
    text,
  })),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => ({ bytes })),
  fc.integer({ min: MAX_SIGNALING_FRAME - 16, max: MAX_SIGNALING_FRAME + 64 }).map((size) => ({
    text: JSON.stringify({ type: 'ping', id: 'x', pad: 'a'.repeat(size) }),
  })),
);

/** Frames of one message type: valid (about real conversations and sessions), almost valid, or broken. */
function frames(type: string): fc.Arbitrary<Frame> {
  const schema = clientTypes.get(type) ?? {};
  const hints = {
    ...world.hints(),
    // In a hello, `token` is the bearer token rather than a conversation's.
    token: fc.oneof(
      fc.constantFrom('alice', 'bob', 'carol', 'guest').map((who) => world.tokens[who]),
      fc.constantFrom('', 'x.y.z', 'eyJhbGciOiJub25lIn0.e30.'),
    ),
  };
  return fc.oneof(
    { weight: 3, arbitrary: valid(schema, hints).map((value) => ({ text: JSON.stringify(value) })) },
    { weight: 6, arbitrary: mutated(schema, hints).map((value) => ({ text: JSON.stringify(value) ?? 'null' })) },
    { weight: 1, arbitrary: brokenFrame },
  );
}

/** A socket for a batch: alice's, joined to the world's first conversation; a fresh one when it was closed. */
async function aliceSocket(): Promise<TestSocket> {
  const socket = world.sockets[0];
  if (socket && socket.closeCode === undefined) return socket;
  const fresh = await TestSocket.connect(server, world.tokens.alice);
  await fresh.join(world.conversations[0] ?? '');
  world.sockets[0] = fresh;
  return fresh;
}

/** What is wrong with what a socket received and how it ended, if anything. */
async function problemsOf(socket: TestSocket): Promise<string[]> {
  const problems: string[] = [];
  if (socket.closeCode === undefined) {
    try {
      await Promise.race([
        socket.roundTrip(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), DEADLINE_MS)),
      ]);
    } catch (error) {
      // The socket may have been closed for a frame of the batch meanwhile; that is checked below.
      if (socket.closeCode === undefined) problems.push(`no pong within ${DEADLINE_MS} ms (${String(error)})`);
    }
  }
  // 1011 is the WebSocket code for "the server hit an unexpected condition"; none of the protocol's own.
  if (socket.closeCode === 1011) {
    problems.push(`closed with ${socket.closeCode} (internal error)`);
  }
  for (const message of socket.received()) {
    if (message.type === 'error' && message.code === ErrorCode.Internal) {
      problems.push(`internal error: ${message.message}`);
    }
    if (!checkServerMessage.Check(message)) {
      const first = checkServerMessage.Errors(message).First();
      problems.push(
        `sent a message outside the protocol (${first?.path}: ${first?.message}): ${JSON.stringify(message)}`,
      );
    }
  }
  return problems;
}

/**
 * Sends a batch, then asks whether the server is still answering properly. A frame that gets its socket closed
 * (an oversized one, a second hello) is judged with what came before it on that socket, and the rest of the batch
 * goes on a fresh one, so that every frame generated is sent.
 */
async function sendBatch(type: string, batch: Frame[]): Promise<string[]> {
  if (++runs % 40 === 0) await world.build();
  const problems: string[] = [];
  let rest = batch;
  while (rest.length > 0) {
    // A hello is fuzzed on a socket that has not said one; everything else on a session that has.
    const socket = type === 'hello' ? await TestSocket.open(server) : await aliceSocket();
    let index = 0;
    while (index < rest.length && socket.closeCode === undefined) {
      const frame = rest[index++]!;
      socket.ws.send('text' in frame ? frame.text : frame.bytes);
      sent++;
    }
    rest = rest.slice(index);
    problems.push(...(await problemsOf(socket)));
    // Drop what this batch caused, so the next batch on the same socket is judged on its own.
    while (socket.received().length > 0) await socket.next(socket.received()[0]?.type ?? 'pong', 1);
    if (type === 'hello') await socket.close();
  }
  return problems;
}

describe('every signaling message type under generated and mutated frames', () => {
  it('knows every client message type of the protocol', () => {
    expect([...clientTypes.keys()].sort()).toEqual(
      ['call-join', 'call-leave', 'hello', 'join', 'leave', 'ping', 'raise-hand', 'signal', 'token', 'typing'].sort(),
    );
  });

  it.each([...clientTypes.keys()])('%s frames get no internal error, no crash and no hang', async (type) => {
    const before = sent;
    await fc.assert(
      fc.asyncProperty(fc.array(frames(type), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const problems = await sendBatch(type, batch);
        if (problems.length > 0) throw new Error(problems.join('\n').slice(0, 4000));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`${type}: ${sent - before} frames`);
    expect(sent - before).toBeGreaterThanOrEqual(PER_TYPE);
    const health = await fetch(server.url + Routes.health, { signal: AbortSignal.timeout(DEADLINE_MS) });
    expect(health.status).toBe(200);
    // And a new session still gets going.
    const probe = await TestSocket.connect(server, world.tokens.bob);
    await probe.roundTrip();
    await probe.close();
  });
});
