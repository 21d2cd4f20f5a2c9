// Live stories talk to the real Talk server that `npm run storybook` starts in development mode; Storybook relays
// /api to it, so the server URL is Storybook's own origin. Without that server (a plain `storybook dev`, or the
// static build the catalog test opens) they ask nothing and say that the server is off.
import { html, nothing, type TemplateResult } from 'lit';

/** Replaced at build time by `.storybook/main.ts`: whether a Talk server answers behind Storybook's /api. */
declare const __TALK_LIVE_SERVER__: boolean | undefined;

/** Whether the live stories have a server to talk to. */
export const liveServer = typeof __TALK_LIVE_SERVER__ !== 'undefined' && __TALK_LIVE_SERVER__ === true;

/** Args every live story takes. */
export interface StoryArgs {
  /** Demo user to sign in as. */
  user: string;
}

/** A live story's session: a dev token and the story room, or why there is none. */
export interface StorySession {
  token?: string;
  conversation?: string;
  /** Why the story has no session; absent when it has one. */
  unavailable?: string;
}

/** A dev token and the Storybook room for `user`, or why not. */
export async function storySession({ user }: StoryArgs): Promise<StorySession> {
  if (!liveServer) return { unavailable: 'off' };
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return response.json();
    };
    // The host vouches for the storybook room (see the server README on object grants).
    const objects = [{ pattern: 'storybook:lobby', types: ['public'] }];
    const { token } = await post('/api/v1/dev/tokens', { userId: user, displayName: user, objects });
    const conversation = await post(
      '/api/v1/conversations',
      { type: 'public', name: 'Storybook room', object: { type: 'storybook', id: 'lobby' } },
      token,
    );
    return { token, conversation: conversation.token };
  } catch (error) {
    return { unavailable: String(error) };
  }
}

/** What a live story shows above its element when it has no session. */
export function liveNotice(session: StorySession): TemplateResult | typeof nothing {
  if (!session.unavailable) return nothing;
  const why =
    session.unavailable === 'off'
      ? html`The Talk server is off, so this live story has nobody to talk to. Run <code>npm run storybook</code>,
          which starts the server in development mode beside Storybook, and reload.`
      : html`The Talk server did not answer (${session.unavailable}). Is <code>npm run storybook</code> still running?`;
  return html`<p role="note" style="font: 14px/1.4 sans-serif; margin: 0 0 12px">${why}</p>`;
}
