import { asTalkError, ClientEvent, type TalkClient, type TalkClientLike, type TalkError } from '@talk/call-core';
import type {
  Conversation,
  Participant,
  SessionInfo,
  UpdateConversationRequest,
  UpdateParticipantRequest,
} from '@talk/protocol';
import type { ReactiveController } from 'lit';
import { type ClientHost, ClientResolver } from '../controllers/client-resolver.js';
import { TalkErrorEvent } from '../events/talk-error.js';
import { type ModerationAction, TalkModerationEvent } from '../events/talk-moderation.js';

/** What the participants controller needs from its element. */
export interface ParticipantsHost extends ClientHost {
  /** The conversation's token. */
  conversation?: string;
}

/** The members of a client that moderation uses beyond TalkClientLike; a TalkClient has them all. */
export type ModerationClient = TalkClientLike &
  Pick<
    TalkClient,
    'updateConversation' | 'listParticipants' | 'updateParticipant' | 'removeParticipant' | 'banParticipant'
  >;

/**
 * Who is in a conversation and in its call, and what a moderator changes about them and about the conversation,
 * as a ReactiveController. It joins the conversation on signaling, reads conversation and participants again
 * whenever the server says they changed (so every change shows on every page), and knows who is in the call from
 * the sessions signaling announces.
 */
export class ParticipantsController implements ReactiveController {
  /** The conversation as this user sees it (their role, the lobby, the defaults), once loaded. */
  conversation: Conversation | null = null;
  /** Everyone in the conversation, in the order they joined. */
  participants: Participant[] = [];
  /** The last failure, until the next change succeeds. */
  error: TalkError | null = null;
  /** A change is on its way to the server. */
  busy = false;
  /** The server took this user out (`removed`, `banned`, `deleted`, …), or null. */
  out: string | null = null;
  readonly #host: ParticipantsHost;
  readonly #clients: ClientResolver;
  #client: ModerationClient | null = null;
  #key = '';
  #unsubscribe: (() => void)[] = [];
  #loading: Promise<void> | null = null;
  #again = false;

  constructor(host: ParticipantsHost) {
    this.#host = host;
    this.#clients = new ClientResolver(host);
    host.addController(this);
  }

  /** Whether this user may moderate here. */
  get moderator(): boolean {
    const role = this.conversation?.role;
    return role === 'owner' || role === 'moderator';
  }

  /** This user's id, once connected. */
  get selfId(): string | null {
    return this.#client?.userId ?? null;
  }

  /** The sessions of a user that are in the call now, with their media and hands. */
  callSessionsOf(userId: string): SessionInfo[] {
    const token = this.#host.conversation;
    if (!this.#client || !token) return [];
    return this.#client.sessions(token).filter((session) => session.participant.userId === userId && session.inCall);
  }

  hostConnected(): void {
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    const client = this.#clients.resolve() as ModerationClient | null;
    const token = this.#host.conversation;
    const key = client && token ? token : '';
    if (client === this.#client && key === this.#key) return;
    this.#stop();
    this.#client = client;
    this.#key = key;
    if (client && token) this.#start(client, token);
  }

  hostDisconnected(): void {
    this.#stop();
    this.#clients.release();
    this.#client = null;
    this.#key = '';
  }

  /** Opens (false) or closes (true) the lobby. */
  setLobby(closed: boolean): Promise<void> {
    return this.#updateConversation('lobby', { lobby: closed });
  }

  /** Renames the conversation. */
  rename(name: string): Promise<void> {
    return this.#updateConversation('rename', { name });
  }

  /** Replaces the description. */
  describe(description: string): Promise<void> {
    return this.#updateConversation('description', { description });
  }

  /** Sets a password, or with null removes it. */
  setPassword(password: string | null): Promise<void> {
    return this.#updateConversation('password', { password });
  }

  /** Replaces the permissions of participants without an override. */
  setDefaultPermissions(permissions: number): Promise<void> {
    return this.#updateConversation('default-permissions', { defaultPermissions: permissions });
  }

  /** Makes a participant a moderator, or a user again. */
  setRole(userId: string, role: 'moderator' | 'user'): Promise<void> {
    return this.#updateParticipant(role === 'moderator' ? 'promote' : 'demote', userId, { role });
  }

  /** Gives a participant their own permissions, or with null the conversation's defaults. */
  setPermissions(userId: string, permissions: number | null): Promise<void> {
    return this.#updateParticipant('permissions', userId, { permissions });
  }

  /** Removes a participant (from a public conversation that bans them too). */
  remove(userId: string): Promise<void> {
    return this.#change('remove', userId, (client, token) => client.removeParticipant(token, userId));
  }

  /** Bans a user: removed if present, and kept from joining by themselves. */
  ban(userId: string): Promise<void> {
    return this.#change('ban', userId, async (client, token) => {
      await client.banParticipant(token, userId);
    });
  }

  /** Reports a change that happened outside the server, such as copying the link. */
  done(action: ModerationAction): void {
    this.#host.dispatchEvent(new TalkModerationEvent(action));
  }

  #updateConversation(action: ModerationAction, changes: UpdateConversationRequest): Promise<void> {
    return this.#change(action, null, async (client, token) => {
      this.conversation = await client.updateConversation(token, changes);
    });
  }

  #updateParticipant(action: ModerationAction, userId: string, changes: UpdateParticipantRequest): Promise<void> {
    return this.#change(action, userId, async (client, token) => {
      const updated = await client.updateParticipant(token, userId, changes);
      this.participants = this.participants.map((p) => (p.userId === userId ? updated : p));
    });
  }

  async #change(
    action: ModerationAction,
    userId: string | null,
    run: (client: ModerationClient, token: string) => Promise<void>,
  ): Promise<void> {
    const client = this.#client;
    const token = this.#host.conversation;
    if (!client || !token) return;
    this.busy = true;
    this.error = null;
    this.#host.requestUpdate();
    try {
      await run(client, token);
      this.#host.dispatchEvent(new TalkModerationEvent(action, userId));
      // The server says `conversation-updated` too; reading now shows the change without waiting for it.
      this.#reload();
    } catch (cause) {
      this.#fail(cause);
    } finally {
      this.busy = false;
      this.#host.requestUpdate();
    }
  }

  #start(client: ModerationClient, token: string): void {
    const mine = (conversation: string) => conversation === token;
    const update = () => this.#host.requestUpdate();
    this.#unsubscribe.push(
      client.on(ClientEvent.ConversationUpdated, (c) => mine(c) && this.#reload()),
      client.on(ClientEvent.ConversationLeft, (c, reason) => {
        if (!mine(c)) return;
        this.out = reason;
        update();
      }),
      // Someone joining by themselves (a guest through the link) says so by a session only: read the list again.
      client.on(ClientEvent.SessionJoined, (c, session) => {
        if (!mine(c)) return;
        if (this.participants.some((p) => p.userId === session.participant.userId)) update();
        else this.#reload();
      }),
      client.on(ClientEvent.SessionUpdated, (c) => mine(c) && update()),
      client.on(ClientEvent.SessionLeft, (c) => mine(c) && update()),
      client.on(ClientEvent.ConversationJoined, (c) => mine(c) && this.#reload()),
    );
    client.join(token).then(
      () => {
        if (this.#client === client) this.#unsubscribe.push(() => client.leave(token));
        else client.leave(token);
      },
      (cause) => this.#fail(cause),
    );
    this.#reload();
  }

  /** Reads conversation and participants again; reads asked for meanwhile fold into one more. */
  #reload(): void {
    if (this.#loading) {
      this.#again = true;
      return;
    }
    const client = this.#client;
    const token = this.#host.conversation;
    // Out, the conversation is not this user's to read any more.
    if (!client || !token || this.out) return;
    this.#loading = Promise.all([client.getConversation(token), client.listParticipants(token)])
      .then(([conversation, participants]) => {
        if (client !== this.#client) return;
        this.conversation = conversation;
        this.participants = participants;
      })
      .catch((cause) => {
        if (client === this.#client) this.#fail(cause);
      })
      .finally(() => {
        this.#loading = null;
        this.#host.requestUpdate();
        if (this.#again) {
          this.#again = false;
          this.#reload();
        }
      });
  }

  #fail(cause: unknown): void {
    this.error = asTalkError(cause);
    this.#host.dispatchEvent(new TalkErrorEvent(this.error));
    this.#host.requestUpdate();
  }

  #stop(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.conversation = null;
    this.participants = [];
    this.error = null;
    this.out = null;
  }
}
