import { createHash } from 'node:crypto';
import { ErrorCode, Routes } from '@talk/protocol';
import fc from 'fast-check';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { testStorageKind } from '../testing/storage.js';
import { deepJsonText, type JsonSchema, mutated, nastyJson, nastyString, valid } from './arbitraries.js';
import { FUZZ_LIVEKIT, startFuzzServer, World } from './world.js';

/**
 * Requests per operation: 1,000 generated and mutated requests per operation on PostgreSQL (about 44,000 in all),
 * 150 on PGlite; FUZZ_SCALE multiplies both. What the fuzzer finds is the server's, the same code on both storages,
 * so the thousands go where they are cheapest. Profiled on the shared two-core machine (a CPU profile of the test
 * worker): on PGlite a third of the worker's CPU is PGlite's WebAssembly, in the very process that sends the
 * requests, while PostgreSQL does the same queries natively in a process of its own; most of the rest was the
 * client's fetch and the socket, so requests go through Fastify's `inject` (the whole routing, parsing,
 * validation and handler path, without a socket) and one batch in {@link HTTP_EVERY} over real HTTP, so that what
 * only a real connection carries (raw header bytes, Node's HTTP parser) stays fuzzed too. App start is once per
 * file, and fast-check shrinks nothing (`endOnFailure`): a failing batch names its bad requests itself.
 */
const PER_OPERATION = Math.ceil((testStorageKind === 'postgres' ? 1_000 : 150) * Number(process.env.FUZZ_SCALE ?? 1));
/** Requests sent at once in one run (so a run is a batch, and races get a chance). */
const BATCH = 20;
/** Runs per operation: every batch is full, so the count per operation is exact. */
const RUNS = Math.ceil(PER_OPERATION / BATCH);
/** Every this many batches goes over real HTTP rather than `inject`. */
const HTTP_EVERY = 8;
/** How long any request may take before it counts as hung. */
const DEADLINE_MS = 5_000;
/** A seed per suite run, printed so that a failure can be replayed with FUZZ_SEED. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** The operation's parts of the served OpenAPI document that the fuzzer reads. */
interface Operation {
  parameters?: Array<{ in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** One generated HTTP request. */
interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Sign the body as LiveKit signs a webhook, when sending. */
  signed?: boolean;
}

/** What a request turned out to be, when it broke a property. */
interface Finding {
  request: FuzzRequest;
  problem: string;
}

// Started while the file loads, so that the document's operations can name the tests.
const server: TalkServer = await startFuzzServer();
const world = new World(server);
const document = (await (await fetch(server.url + Routes.openapi)).json()) as {
  paths: Record<string, Record<string, Operation>>;
};
let runs = 0;

beforeAll(() => {
  console.log(`REST fuzz on ${testStorageKind}: seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
});
afterAll(async () => {
  await world.close();
  await server.close();
});

/** Who calls: the moderator, a member, an outsider, a guest, nobody, or someone with a broken header. */
// Weighted towards the moderator and a member, so that most requests get past authentication to the rules.
const authorization = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('alice', 'alice', 'bob').map((who) => `Bearer ${world.tokens[who]}`) },
  { weight: 3, arbitrary: fc.constantFrom('carol', 'guest').map((who) => `Bearer ${world.tokens[who]}`) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'Bearer',
      'Bearer ',
      'Basic YWxpY2U6c2VjcmV0',
      'bearer x.y.z',
      'Bearer eyJhbGciOiJub25lIn0.e30.',
    ),
  },
  { weight: 1, arbitrary: nastyString.map((text) => `Bearer ${latin1(text)}`) },
);

/** A header value fetch will send: Latin-1 without control characters, as HTTP allows. */
function latin1(text: string): string {
  // One regular expression rather than a map over code points: this runs for thousands of headers per operation.
  return text
    .slice(0, 8000)
    .replace(/[^\x20-\x7e\x80-\xff]/g, '%')
    .trim()
    .slice(0, 4000);
}

/** `text` percent-encoded as UTF-8; a lone surrogate (which UTF-8 cannot carry) goes as U+FFFD. */
function percentEncoded(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}

/** A path segment: a real value, a valid one, or something strange, percent-encoded or raw. */
function segment(schema: JsonSchema, name: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 16, arbitrary: valid(schema, world.hints(), name).map((value) => percentEncoded(String(value))) },
    { weight: 1, arbitrary: nastyString.map((text) => percentEncoded(text.slice(0, 2000))) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%2F', '%2e%2e', '..', '.', '%C0%AF', '%ED%A0%80') },
  );
}

/** A query string: each parameter valid, strange, repeated or missing. */
function query(parameters: NonNullable<Operation['parameters']>): fc.Arbitrary<string> {
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  if (queryParameters.length === 0) return fc.constantFrom('', '?', '?x=1');
  const pairs = queryParameters.map((parameter) =>
    fc.option(
      fc.oneof(
        {
          weight: 8,
          arbitrary: valid(parameter.schema, world.hints(), parameter.name).map((value) => [String(value)]),
        },
        { weight: 1, arbitrary: nastyString.map((text) => [text.slice(0, 3000)]) },
        {
          weight: 1,
          arbitrary: fc.array(fc.oneof(fc.integer().map(String), nastyString), { minLength: 2, maxLength: 3 }),
        },
      ),
      { nil: undefined },
    ),
  );
  return fc.tuple(...pairs).map((values) => {
    const search = new URLSearchParams();
    values.forEach((list, index) => {
      for (const value of list ?? []) search.append(queryParameters[index]?.name ?? '', value);
    });
    const text = search.toString();
    return text ? `?${text}` : '';
  });
}

/** A JSON body: valid, almost valid, another shape, not JSON at all, or absent; with a fitting or wrong type. */
function jsonBody(schema: JsonSchema | undefined): fc.Arbitrary<{ body?: string; type?: string }> {
  const json = schema
    ? fc.oneof(
        { weight: 6, arbitrary: valid(schema, world.hints()) },
        { weight: 5, arbitrary: mutated(schema, world.hints()) },
      )
    : nastyJson;
  const text = fc.oneof(
    { weight: 8, arbitrary: json.map((value) => JSON.stringify(value) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.oneof(
        nastyString,
        deepJsonText,
        fc.constantFrom('{', '[', '{"a":', '{"__proto__":{"x":1}}', 'nul', '\ufeff{}', '{}garbage', '"\\ud800"'),
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const type = fc.oneof(
    { weight: 16, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        undefined,
        'text/plain',
        'application/json; charset=utf-16',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/merge-patch+json',
      ),
    },
  );
  return fc.record({ body: text, type });
}

/** The bytes of an upload: empty, small, binary, or looking like a type it is not. */
const uploadBody: fc.Arbitrary<{ body?: Uint8Array; type?: string }> = fc.record({
  body: fc.oneof(
    fc.uint8Array({ maxLength: 2048 }),
    fc
      .constantFrom('<html><script>1</script>', '%PDF-1.4', '\x89PNG\r\n\x1a\n', 'GIF89a')
      .map((head) => new TextEncoder().encode(head)),
  ),
  type: fc.constantFrom(undefined, 'image/png', 'text/html', 'application/json', 'application/octet-stream'),
});

/** A LiveKit webhook: signed with the server's secret (so it reaches the handler) or not, about real things. */
const webhookBody: fc.Arbitrary<{ body?: string; type?: string; signed: boolean }> = fc
  .record({
    event: fc.oneof(
      fc.constantFrom('participant_joined', 'participant_left', 'room_finished', 'room_started', 'track_published'),
      nastyString,
    ),
    room: fc.option(
      fc.record(
        {
          name: fc.oneof(
            world.pick(() => world.conversations),
            nastyString,
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    participant: fc.option(
      fc.record({
        identity: fc.oneof(
          world.pick(() => world.sessionIds),
          nastyString,
        ),
      }),
    ),
    id: fc.string({ maxLength: 10 }),
    createdAt: fc.oneof(fc.integer().map(String), nastyString),
  })
  .chain((event) =>
    fc.record({
      body: fc.oneof(
        fc.constant(JSON.stringify(event)),
        mutated({ type: 'object' }).map((mutation) => JSON.stringify({ ...event, ...(mutation as object) })),
      ),
      type: fc.constantFrom('application/webhook+json', 'application/json'),
      signed: fc.boolean(),
    }),
  );

/** Requests for one operation of the document. */
function requests(method: string, template: string, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? [];
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
  const segments = names.map((name) =>
    segment(parameters.find((parameter) => parameter.name === name)?.schema ?? { type: 'string' }, name),
  );
  const schema =
    operation.requestBody?.content['application/json']?.schema ??
    // Joining takes an optional body that the route checks itself, so the document names none.
    (template === Routes.participantSelf && method === 'POST'
      ? { type: 'object', properties: { password: { type: 'string', maxLength: 200 } } }
      : undefined);
  const body: fc.Arbitrary<{ body?: string | Uint8Array; type?: string; signed?: boolean }> =
    template === Routes.attachments
      ? uploadBody
      : template === Routes.livekitWebhook
        ? webhookBody
        : method === 'GET'
          ? fc.constant({}) // fetch sends no body with a GET
          : method === 'DELETE' && !schema
            ? fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: jsonBody(undefined) })
            : jsonBody(schema);
  const fileName = fc.option(fc.oneof(nastyString.map(latin1), nastyString.map(percentEncoded)), {
    nil: undefined,
  });
  return fc
    .record({ segments: fc.tuple(...segments), query: query(parameters), authorization, body, fileName })
    .map(({ segments: values, query: search, authorization: auth, body: content, fileName: name }) => {
      let index = 0;
      const path = template.replace(/\{\w+\}/g, () => values[index++] ?? '') + search;
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      if (content.type !== undefined) headers['content-type'] = content.type;
      if (name !== undefined && template === Routes.attachments) headers['x-file-name'] = name;
      return { method, path, headers, body: content.body, signed: content.signed };
    });
}

/** Answers by status class (`2xx`, `4xx`, …) since the last reset, so each test can say what it reached. */
const statuses = new Map<string, number>();

/** Sends one request with a deadline and says what, if anything, is wrong with the answer. */
async function send(request: FuzzRequest, overHttp: boolean): Promise<string | undefined> {
  if (request.signed && typeof request.body === 'string') {
    request.headers.authorization = await webhookToken(request.body);
  }
  const started = Date.now();
  let response: { status: number; text: string };
  try {
    response = overHttp ? await fetched(request) : await injected(request);
  } catch (error) {
    const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return `no answer within ${DEADLINE_MS} ms (${cause}) after ${Date.now() - started} ms`;
  }
  const { status, text } = response;
  const kind = `${String(status)[0]}xx`;
  statuses.set(kind, (statuses.get(kind) ?? 0) + 1);
  if (status >= 500) {
    return `answered ${status}: ${text.slice(0, 500)}`;
  }
  if (status >= 400) {
    // Every failure is the one error body, with its own status in it.
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`;
    }
    const body = parsed as { status?: unknown; code?: unknown; message?: unknown };
    if (body.status !== status || typeof body.code !== 'string' || typeof body.message !== 'string') {
      return `answered ${status} with a body that is not an ErrorBody: ${shorter(text)}`;
    }
    if (!Object.values(ErrorCode).includes(body.code as ErrorCode)) return `unknown error code ${body.code}`;
  }
  return undefined;
}

/** `request` over a real connection. */
async function fetched(request: FuzzRequest): Promise<{ status: number; text: string }> {
  const response = await fetch(server.url + request.path, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  return { status: response.status, text: await response.text() };
}

/** `request` through Fastify's `inject`: the same routing and handlers, no socket. */
async function injected(request: FuzzRequest): Promise<{ status: number; text: string }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('TimeoutError: no answer')), DEADLINE_MS);
  });
  // As fetch does: a text body without a type goes as text/plain.
  const headers =
    typeof request.body === 'string' && request.headers['content-type'] === undefined
      ? { ...request.headers, 'content-type': 'text/plain;charset=UTF-8' }
      : request.headers;
  try {
    const response = await Promise.race([
      server.app.inject({
        // Fuzzed methods are the document's own, which Fastify's method type lists.
        method: request.method as 'GET',
        url: request.path,
        headers,
        ...(request.body === undefined ? {} : { payload: Buffer.from(request.body) }),
      }),
      deadline,
    ]);
    return { status: response.statusCode, text: response.body };
  } finally {
    clearTimeout(timer);
  }
}

/** The signature LiveKit puts in a webhook's Authorization header: a JWT over the body's SHA-256. */
function webhookToken(body: string): Promise<string> {
  const token = new AccessToken(FUZZ_LIVEKIT.apiKey, FUZZ_LIVEKIT.apiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

/** Sends a batch at once and collects what went wrong. */
async function sendAll(batch: FuzzRequest[]): Promise<Finding[]> {
  if (++runs % 40 === 0) await world.build(); // fuzzed deletes and leaves wear the world down
  const overHttp = runs % HTTP_EVERY === 0;
  const problems = await Promise.all(batch.map((request) => send(request, overHttp)));
  return batch.flatMap((request, index) => {
    const problem = problems[index];
    if (!problem) return [];
    return [{ request: { ...request, path: shorter(request.path), body: preview(request.body) }, problem }];
  });
}

function preview(body: FuzzRequest['body']): FuzzRequest['body'] {
  if (body === undefined) return undefined;
  return shorter(typeof body === 'string' ? body : `<${body.byteLength} bytes>`);
}

/** A long text cut to what a failure report can show. */
function shorter(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/** Every operation of the served document, as [METHOD, path template, operation]. */
const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
  Object.entries(methods).map(([method, operation]): [string, string, Operation] => [
    method.toUpperCase(),
    route,
    operation,
  ]),
);

describe('every REST route under generated and mutated input', () => {
  it('drives every operation of the OpenAPI document', () => {
    // The document lists 26 operations today; fewer means routes went missing from it, and from the fuzzing.
    expect(operations.length).toBeGreaterThanOrEqual(26);
  });

  it.each(operations)(
    '%s %s answers every input without a 5xx, a crash or a hang',
    async (method, route, operation) => {
      statuses.clear();
      await world.build(); // what the operation before deleted or changed is back for this one
      const arbitrary = fc.array(requests(method, route, operation), { minLength: BATCH, maxLength: BATCH });
      await fc.assert(
        fc.asyncProperty(arbitrary, async (batch) => {
          const findings = await sendAll(batch);
          if (findings.length > 0) throw new Error(JSON.stringify(findings, null, 1));
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      const health = await fetch(server.url + Routes.health, { signal: AbortSignal.timeout(DEADLINE_MS) });
      expect(health.status).toBe(200);
      const sent = [...statuses.values()].reduce((sum, count) => sum + count, 0);
      console.log(`${method} ${route}: ${sent} requests, ${JSON.stringify(Object.fromEntries(statuses))}`);
      expect(sent).toBeGreaterThanOrEqual(PER_OPERATION);
    },
  );
});
