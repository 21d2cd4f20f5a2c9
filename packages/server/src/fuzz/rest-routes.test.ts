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
 * Runs per operation, each a batch of up to {@link BATCH} requests: about 150 requests per operation on PGlite
 * (which runs in this process, so it is the bottleneck) and 80 on PostgreSQL, about 7,000 in all, to keep the
 * suite's time on a shared two-core machine. FUZZ_SCALE multiplies both: FUZZ_SCALE=7 gives about a thousand
 * requests per operation.
 */
const RUNS = Math.ceil((testStorageKind === 'pglite' ? 20 : 10) * Number(process.env.FUZZ_SCALE ?? 1));
/** Requests sent at once in one run (so a run is a batch, and races get a chance). */
const BATCH = 16;
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

beforeAll(async () => {
  await world.build();
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
  return [...text]
    .map((char) => (char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) <= 0xff && char !== '\x7f' ? char : '%'))
    .join('')
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
async function send(request: FuzzRequest): Promise<string | undefined> {
  if (request.signed && typeof request.body === 'string') {
    request.headers.authorization = await webhookToken(request.body);
  }
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(server.url + request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
  } catch (error) {
    const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return `no answer within ${DEADLINE_MS} ms (${cause}) after ${Date.now() - started} ms`;
  }
  const text = await response.text();
  const { status } = response;
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

/** The signature LiveKit puts in a webhook's Authorization header: a JWT over the body's SHA-256. */
function webhookToken(body: string): Promise<string> {
  const token = new AccessToken(FUZZ_LIVEKIT.apiKey, FUZZ_LIVEKIT.apiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

/** Sends a batch at once and collects what went wrong. */
async function sendAll(batch: FuzzRequest[]): Promise<Finding[]> {
  if (++runs % 40 === 0) await world.build(); // fuzzed deletes and leaves wear the world down
  const problems = await Promise.all(batch.map(send));
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
      const arbitrary = fc.array(requests(method, route, operation), { minLength: 1, maxLength: BATCH });
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
      expect(sent).toBeGreaterThanOrEqual(RUNS);
    },
  );
});
