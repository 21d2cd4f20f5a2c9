// Test support: a real Talk server on a free port, and clients logged in to it.
import type { Conversation, ObjectGrant, TokenResponse } from '@talk/protocol';
import { Routes } from '@talk/protocol';
import { createTalkServer, type TalkServer, type TalkServerOptions } from '@talk/server';
import { TalkClient, type TalkClientOptions } from '../src/client/TalkClient.js';

/** Starts a server with in-memory PGlite and dev tokens. */
export function startServer(overrides: Partial<TalkServerOptions> = {}): Promise<TalkServer> {
  return createTalkServer({
    port: 0,
    storage: { kind: 'pglite', dataDir: 'memory://' },
    devMode: true,
    rateLimits: false,
    ...overrides,
  });
}

/** The object grant of test users: every `demo` object, which may be a public conversation. */
export const DEMO_OBJECTS: ObjectGrant[] = [{ pattern: 'demo:*', types: ['public'] }];

/** A client for a dev user; `options` may swap fetch or the socket factory. */
export async function clientFor(
  server: TalkServer,
  userId: string,
  options: Partial<TalkClientOptions> = {},
): Promise<TalkClient> {
  const response = await fetch(server.url + Routes.devTokens, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, displayName: userId.toUpperCase(), objects: DEMO_OBJECTS }),
  });
  const { token } = (await response.json()) as TokenResponse;
  return new TalkClient({ serverUrl: server.url, token, backoff: { initialDelayMs: 20, maxDelayMs: 100 }, ...options });
}

/** The demo conversation, created or fetched by `client`, which also becomes a participant. */
export function demoConversation(client: TalkClient, id = 'lobby'): Promise<Conversation> {
  return client.createConversation({ type: 'public', name: 'Demo room', object: { type: 'demo', id } });
}

/** Resolves once `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
