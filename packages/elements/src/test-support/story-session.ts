// Stories talk to a real server when one answers at `serverUrl` (e.g. Storybook proxying /api to a dev server);
// without one they still render the element, empty.

/** Args every Talk story takes. */
export interface StoryArgs {
  /** Base URL of a Talk server in development mode; empty means Storybook's own origin. */
  serverUrl: string;
  /** Demo user to sign in as. */
  user: string;
}

/** A dev token and the demo conversation for `user`, or nulls when no server answers. */
export async function storySession({ serverUrl, user }: StoryArgs): Promise<{ token?: string; conversation?: string }> {
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(serverUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    };
    const { token } = await post('/api/v1/dev/tokens', { userId: user, displayName: user });
    const conversation = await post(
      '/api/v1/conversations',
      { type: 'public', name: 'Storybook room', object: { type: 'storybook', id: 'lobby' } },
      token,
    );
    return { token, conversation: conversation.token };
  } catch {
    return {};
  }
}
