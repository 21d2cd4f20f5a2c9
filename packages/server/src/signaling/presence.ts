import { type ClientMessageOf, ErrorCode, type ServerMessage, type ServerMessageOf } from '@talk/protocol';
import { findMembership } from '../access/membership.js';
import { heldByLobby, type Membership, requireCallJoin, requireObjectAccess } from '../access/rules.js';
import type { CallCoordinator } from '../calls/call-coordinator.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Control } from './delivery.js';
import type { LocalRooms } from './local-rooms.js';
import type { Session } from './session.js';

/** The refusal of a join by someone who is not (or no longer) a participant. */
const notParticipant = () => new TalkServerError(ErrorCode.Forbidden, 'Only participants may join this conversation');

/** What presence needs from the hub. */
export interface PresenceDeps {
  store: Store;
  rooms: LocalRooms;
  calls: CallCoordinator;
  /** This instance's name in the presence table. */
  instance: string;
  /** Sends a message to a conversation's sessions on every instance, except the one named. */
  broadcast: (conversation: string, message: ServerMessage, except?: string) => Promise<void>;
}

/**
 * A session's way into and out of conversations and their calls: the presence rows every instance reads, this
 * instance's rooms, and the news the others get. Who may do each is the access module's to say.
 */
export class Presence {
  constructor(private readonly deps: PresenceDeps) {}

  /** Joins a conversation (again, after a resume: then only the answer is repeated). */
  async join(session: Session, message: ClientMessageOf<'join'>): Promise<void> {
    const { store, rooms } = this.deps;
    const { conversation } = message;
    const identity = session.identity!;
    let membership = await findMembership(store, conversation, identity);
    if (!membership) throw notParticipant();
    // As on REST: an object's conversation is open only to a token the host vouched for it in.
    requireObjectAccess(identity, membership.conversation);
    if (session.closed && !session.buffer) return;
    const rejoin = session.memberships.has(conversation);
    if (!rejoin) {
      // Remembered first, so that the lobby filters what the room delivers from its first message on.
      const remembered = { participant: membership.participant, inLobby: this.#held(membership) };
      session.memberships.set(conversation, remembered);
      const undo = () => {
        session.memberships.delete(conversation);
        rooms.remove(conversation, session.id);
      };
      await rooms.add(conversation, session).catch((error: unknown) => {
        undo();
        throw error;
      });
      // Read again now that the room hears the conversation: a removal (or a lobby or role change) published
      // between the first read and the subscription reached nobody here, but the database has it.
      membership = await findMembership(store, conversation, identity).catch((error: unknown) => {
        undo();
        throw error;
      });
      if (!membership) {
        undo();
        throw notParticipant();
      }
      remembered.participant = membership.participant;
      remembered.inLobby = this.#held(membership);
    }
    const inLobby = this.#held(membership);
    // A first join writes its row and reads the others in one round trip; a rejoin (after a resume) only reads.
    const written = rejoin
      ? undefined
      : await store.presence.addAndList(session.id, conversation, membership.participant, this.deps.instance);
    const call = membership.conversation.callActive ? await store.calls.get(conversation) : undefined;
    const everyone = inLobby ? [] : (written?.others ?? (await store.presence.list(conversation)));
    const others = everyone.filter((s) => s.sessionId !== session.id);
    const joined: ServerMessageOf<'joined'> = { type: 'joined', id: message.id, conversation, sessions: others };
    if (call?.startedAt && !inLobby) joined.topology = call.topology;
    session.send(joined);
    if (written) {
      this.deps.broadcast(conversation, { type: 'session-joined', conversation, session: written.added }, session.id);
    }
  }

  /** Whether the lobby holds this member out. */
  #held(membership: Membership): boolean {
    return heldByLobby(membership.conversation.lobby === true, membership.participant.role);
  }

  /** Leaves a conversation, and its call if the session was in it. */
  async leave(session: Session, conversation: string): Promise<void> {
    session.memberships.delete(conversation);
    this.deps.rooms.remove(conversation, session.id);
    const removed = await this.deps.store.presence.remove(session.id, conversation);
    this.deps.broadcast(conversation, { type: 'session-left', conversation, sessionId: session.id }, session.id);
    if (removed.some((info) => info.inCall) && session.identity)
      await this.deps.calls.update(conversation, session.identity, session.id);
  }

  /** Joins the call (or changes the media sent in it), as far as the participant's permissions allow. */
  async callJoin(session: Session, message: ClientMessageOf<'call-join'>): Promise<void> {
    const { store, calls } = this.deps;
    const { conversation, media } = message;
    session.activeMembership(conversation);
    const identity = session.identity!;
    // Permissions and the lobby are read afresh: a moderator may have changed them since the join.
    const fresh = await findMembership(store, conversation, identity);
    if (!fresh) throw new TalkServerError(ErrorCode.Forbidden, 'You are no longer a participant');
    const presence = await store.presence.get(session.id, conversation);
    requireCallJoin(fresh, { inCall: presence?.inCall === true, media });
    const info = await store.presence.update(session.id, conversation, { inCall: true, media });
    if (!info) return;
    // The call's new topology goes out before the newcomer does: the others meet it on that topology only, rather
    // than building a mesh path to it that their switch would tear down at once.
    await calls.update(conversation, identity, session.id);
    this.deps.broadcast(conversation, { type: 'session-updated', conversation, session: info });
    if (presence?.inCall) return;
    // A session joining a running call learns its topology; the others already know it.
    const call = await store.calls.get(conversation);
    if (call?.startedAt) {
      const inCall = await store.presence.countInCall(conversation);
      session.send({
        type: 'call-topology',
        conversation,
        topology: call.topology,
        reason: call.reason,
        inCall,
      });
    }
  }

  /** Leaves the call, lowering the hand and stopping the media. */
  async callLeave(session: Session, conversation: string): Promise<void> {
    const info = await this.deps.store.presence.update(session.id, conversation, {
      inCall: false,
      media: { audio: false, video: false },
      handRaised: false,
    });
    if (!info) return;
    this.deps.broadcast(conversation, { type: 'session-updated', conversation, session: info });
    await this.deps.calls.update(conversation, session.identity!, session.id);
  }

  /** Raises or lowers the session's hand in the call. */
  async raiseHand(session: Session, message: ClientMessageOf<'raise-hand'>): Promise<void> {
    const { conversation } = message;
    session.activeMembership(conversation);
    const presence = await this.deps.store.presence.get(session.id, conversation);
    if (!presence?.inCall) throw new TalkServerError(ErrorCode.InvalidRequest, 'Join the call to raise a hand');
    const info = await this.deps.store.presence.update(session.id, conversation, { handRaised: message.raised });
    if (info) this.deps.broadcast(conversation, { type: 'session-updated', conversation, session: info });
  }

  /**
   * Re-reads what control changes would have told these sessions, after the bus may have lost some (Redis was
   * away): a member removed meanwhile leaves (told `removed`, or `deleted` with the conversation), a lobby that
   * closed holds its members out, a role change applies. Each runs in its session's queue.
   */
  async revalidate(sessions: Iterable<Session>, onError: (error: unknown) => void): Promise<void> {
    const checks = [...sessions].flatMap((session) =>
      [...session.memberships.keys()].map((conversation) =>
        session.queue.run(() => this.#revalidate(session, conversation)).catch(onError),
      ),
    );
    await Promise.all(checks);
  }

  async #revalidate(session: Session, conversation: string): Promise<void> {
    const membership = session.memberships.get(conversation);
    if (!membership || !session.identity) return;
    const fresh = await findMembership(this.deps.store, conversation, session.identity);
    if (!fresh) {
      const gone = !(await this.deps.store.conversations.get(conversation));
      await this.leave(session, conversation);
      session.send({ type: 'left', conversation, reason: gone ? 'deleted' : 'removed' });
      return;
    }
    const held = this.#held(fresh);
    if (held && !membership.inLobby) await this.callLeave(session, conversation);
    membership.participant = fresh.participant;
    membership.inLobby = held;
  }

  /** Applies a control change to this instance's sessions of a conversation. */
  async apply(conversation: string, sessions: Session[], control: Control): Promise<void> {
    for (const session of sessions) {
      const membership = session.memberships.get(conversation);
      if (!membership) continue;
      const userId = membership.participant.userId;
      if (control.kind === 'evict') {
        if (control.userId !== undefined && control.userId !== userId) continue;
        void session.queue.run(async () => {
          if (!session.memberships.has(conversation)) return;
          await this.leave(session, conversation).catch(() => {});
          session.send({ type: 'left', conversation, reason: control.reason });
        });
      } else if (control.kind === 'role') {
        if (control.userId !== userId) continue;
        membership.participant = { ...membership.participant, role: control.role };
        await this.deps.store.presence.update(session.id, conversation, { role: control.role });
      } else {
        const held = heldByLobby(control.enabled, membership.participant.role);
        if (held && !membership.inLobby) {
          void session.queue.run(() => this.callLeave(session, conversation).catch(() => {}));
        }
        membership.inLobby = held;
      }
    }
  }
}
