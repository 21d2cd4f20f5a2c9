// Test support: users and conversations on the Talk server that web-test-runner proxies at /api.
import { TalkClient } from '@talk/call-core';

/** The object grant of test users: the host vouches for every `test` object, which may be a public conversation. */
export const TEST_OBJECTS = [{ pattern: 'test:*', types: ['public'] }];

/** A dev token for `userId`, with the grant for test objects. */
export async function tokenFor(
  userId: string,
  displayName = userId[0]!.toUpperCase() + userId.slice(1),
): Promise<string> {
  const response = await fetch('/api/v1/dev/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, displayName, objects: TEST_OBJECTS }),
  });
  if (!response.ok) throw new Error(`dev token: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** A fresh conversation for one test, and a logged-in client that owns it. */
export async function freshConversation(userId = 'alice'): Promise<{ client: TalkClient; conversation: string }> {
  const client = new TalkClient({ serverUrl: location.origin, token: await tokenFor(userId) });
  const id = `test-${Math.random().toString(36).slice(2)}`;
  const { token } = await client.createConversation({ type: 'public', name: id, object: { type: 'test', id } });
  return { client, conversation: token };
}

/** Resolves once `check` holds, polling every animation frame; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
