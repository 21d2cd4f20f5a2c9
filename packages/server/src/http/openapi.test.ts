import { Validator } from '@seriousme/openapi-schema-validator';
import { type ChatMessage, conversationPath, ErrorBody, type ReactionsResponse, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer } from '../testing/harness.js';

/** The parts of an OpenAPI 3 document this test reads. */
interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
interface OpenApiDocument {
  [key: string]: unknown;
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** Routes served for machines rather than API clients, which the document leaves out on purpose. */
const hidden = new Set<string>([Routes.signaling, Routes.openapi, Routes.metrics, Routes.health]);

let server: TalkServer;
let document: OpenApiDocument;
beforeAll(async () => {
  server = await startTestServer();
  const answer = await call<OpenApiDocument>(server, 'GET', Routes.openapi);
  expect(answer.status).toBe(200);
  document = answer.body;
});
afterAll(() => server.close());

/** Every operation of the document, as `METHOD path`. */
function operations(): Array<[string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI document', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every REST route of the protocol', () => {
    const documented = Object.keys(document.paths);
    const routes = Object.values(Routes).filter((route) => !hidden.has(route));
    expect(documented.sort()).toEqual([...new Set(routes)].sort());
  });

  it('describes the success answer of every operation with a schema', () => {
    const missing: string[] = [];
    for (const [name, { responses }] of operations()) {
      const successes = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) missing.push(`${name}: no 2xx answer`);
      for (const [status, response] of successes) {
        // A 204 has no body; anything else names the schema of its JSON (or its bytes).
        if (status === '204') continue;
        const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
        if (
          schemas.length === 0 ||
          schemas.some((schema) => schema === undefined || Object.keys(schema).length === 0)
        ) {
          missing.push(`${name}: ${status} without a schema`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes the error body of every operation', () => {
    const errorProperties = Object.keys(ErrorBody.properties).sort();
    for (const [name, { responses }] of operations()) {
      for (const status of ['4XX', '5XX']) {
        const schema = responses[status]?.content?.['application/json']?.schema;
        expect(schema, `${name} ${status}`).toBeDefined();
        expect(Object.keys((schema?.properties ?? {}) as object).sort(), `${name} ${status}`).toEqual(errorProperties);
      }
    }
  });

  it('describes the message list answer down to the fields of a message', () => {
    const schema = document.paths[Routes.messages]?.get?.responses['200']?.content?.['application/json']?.schema as {
      type: string;
      items: { properties: Record<string, unknown>; required: string[] };
    };
    expect(schema.type).toBe('array');
    expect(Object.keys(schema.items.properties)).toEqual(
      expect.arrayContaining(['id', 'actorId', 'message', 'reactions', 'attachment', 'replyTo']),
    );
    expect(schema.items.required).toEqual(expect.arrayContaining(['id', 'conversation', 'message', 'createdAt']));
  });
});

describe('answers serialised with their response schemas', () => {
  it('keep a reaction that is a joined emoji sequence, and refuse one with a line break', async () => {
    const alice = await login(server, 'alice', 'Alice');
    const token = await conversationOf(server, alice, []);
    const path = conversationPath(Routes.messages, token);
    const posted = await call<ChatMessage>(server, 'POST', path, {
      token: alice,
      body: { message: 'm', referenceId: 'r' },
    });
    const reactions = conversationPath(Routes.reactions, token, { messageId: posted.body.id });
    const refused = await call(server, 'POST', reactions, { token: alice, body: { reaction: 'a\nb' } });
    expect(refused.status).toBe(400);
    const reaction = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}';
    const given = await call<ReactionsResponse>(server, 'POST', reactions, { token: alice, body: { reaction } });
    expect(given).toEqual({ status: 201, body: { [reaction]: [{ actorId: 'alice', actorDisplayName: 'Alice' }] } });
    const listed = await call<ChatMessage[]>(server, 'GET', path, { token: alice });
    expect(listed.body[0]?.reactions).toEqual({ [reaction]: 1 });
  });
});
