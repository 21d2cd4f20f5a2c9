import {
  ALL_PERMISSIONS,
  type Conversation,
  type ConversationObject,
  ErrorCode,
  type Participant,
  type ParticipantRole,
  Permission,
} from '@talk/protocol';
import { grantFor, type ObjectGrant } from '../auth/object-grants.js';
import type { Identity } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';

/**
 * Who may do what in a conversation: roles, permission bits and the lobby. Every REST route and every signaling
 * message asks these functions; none of them writes a rule of its own. They are pure, so the whole table is
 * unit-tested in `rules.test.ts`.
 */

/** A caller's place in a conversation. */
export interface Membership {
  /** The caller's participant record, with its effective permissions. */
  participant: Participant;
  /** The conversation, as anyone in it sees it. */
  conversation: Conversation;
}

/**
 * What a participant asks to do. Everything but `moderate` is held back by a closed lobby; the call and chat
 * actions also need their permission bit.
 */
export type Action =
  | 'read'
  | 'chat'
  | 'share-files'
  | 'call'
  | 'start-call'
  | 'join-call'
  | 'publish-audio'
  | 'publish-video'
  | 'publish-screen'
  | 'moderate';

/** Each permission-gated action's bits (any one suffices) and how a refusal names it. */
const GATED: Partial<Record<Action, { bits: number; what: string }>> = {
  chat: { bits: Permission.Chat, what: 'chat' },
  'share-files': { bits: Permission.Chat, what: 'share files' },
  // The SFU token is good for either: which one applies depends on whether the call runs when it is used.
  call: { bits: Permission.JoinCall | Permission.StartCall, what: 'join calls' },
  'start-call': { bits: Permission.StartCall, what: 'start a call' },
  'join-call': { bits: Permission.JoinCall, what: 'join the call' },
  'publish-audio': { bits: Permission.PublishAudio, what: 'send audio' },
  'publish-video': { bits: Permission.PublishVideo, what: 'send video' },
  'publish-screen': { bits: Permission.PublishScreen, what: 'share the screen' },
};

/** Whether a role may moderate: change settings, add and remove people, delete others' messages. */
export function isModerator(role: ParticipantRole): boolean {
  return role === 'owner' || role === 'moderator';
}

/** What a participant may do: everything for moderators, else the override or the conversation's defaults. */
export function effectivePermissions(role: ParticipantRole, override: number | null, defaults: number): number {
  return isModerator(role) ? ALL_PERMISSIONS : (override ?? defaults);
}

/** Whether a lobby in this state holds this role out: while it is closed, everyone but moderators waits. */
export function heldByLobby(lobbyClosed: boolean, role: ParticipantRole): boolean {
  return lobbyClosed && !isModerator(role);
}

/** Whether a token may reach a conversation at all: a guest's token is good for its own conversation only. */
export function reaches(identity: Identity, token: string): boolean {
  return identity.guestOf === undefined || identity.guestOf === token;
}

/** Why `membership` may not do `action`, or undefined when it may. */
export function refusal({ participant, conversation }: Membership, action: Action): TalkServerError | undefined {
  if (action === 'moderate') {
    return isModerator(participant.role)
      ? undefined
      : new TalkServerError(ErrorCode.Forbidden, 'Only moderators may do this');
  }
  if (heldByLobby(conversation.lobby === true, participant.role)) return lobbyClosed();
  const gate = GATED[action];
  if (gate && ((participant.permissions ?? 0) & gate.bits) === 0) {
    return new TalkServerError(ErrorCode.Forbidden, `You may not ${gate.what} here`);
  }
  return undefined;
}

/** Refuses `action` to a membership that may not do it. */
export function requireAllowed(membership: Membership, action: Action): void {
  const error = refusal(membership, action);
  if (error) throw error;
}

/** The refusal of someone a closed lobby holds out. */
export function lobbyClosed(): TalkServerError {
  return new TalkServerError(ErrorCode.InLobby, 'The lobby is closed; wait for a moderator to open it');
}

/** What a `call-join` asks for: to be in the call, with these media. */
export interface CallJoinRequest {
  /** Whether the session is in the call already (then only its media change). */
  inCall: boolean;
  /** The media the session will send. */
  media: { audio: boolean; video: boolean; screen?: boolean };
}

/** Refuses a `call-join` the membership lacks a permission for: joining or starting, and each medium sent. */
export function requireCallJoin(membership: Membership, { inCall, media }: CallJoinRequest): void {
  if (!inCall) requireAllowed(membership, membership.conversation.callActive ? 'join-call' : 'start-call');
  else requireAllowed(membership, 'read'); // the lobby may have closed since
  if (media.audio) requireAllowed(membership, 'publish-audio');
  if (media.video) requireAllowed(membership, 'publish-video');
  if (media.screen) requireAllowed(membership, 'publish-screen');
}

/** A signaling session's place in a conversation's call, as one end of a WebRTC signal. */
export interface CallSeat {
  /** Whether the session is in the call. */
  inCall: boolean;
  /** Its participant's membership as it stands now. */
  membership: Membership;
}

/**
 * Refuses a WebRTC signal (offer, answer, ICE candidate) unless both ends sit in the call and may be there: the
 * lobby lets them in and they may join or start calls. Signals carry what media flows and to which addresses,
 * so anyone else — a chat-only member, a guest without the call permission — could otherwise receive the call's
 * camera and microphone, and everyone's IP addresses, without appearing in it. `to` names the recipient.
 */
export function requireSignalPath(sender: CallSeat | undefined, recipient: CallSeat | undefined, to: string): void {
  if (!recipient) throw new TalkServerError(ErrorCode.NotFound, `No session ${to} in this conversation`);
  if (!sender?.inCall) throw new TalkServerError(ErrorCode.Forbidden, 'Join the call before signaling in it');
  const own = refusal(sender.membership, 'call');
  if (own) throw own;
  // Whether another session may not be in the call is its business; to the sender it is simply not there.
  if (!recipient.inCall || refusal(recipient.membership, 'call')) {
    throw new TalkServerError(ErrorCode.NotFound, `No session ${to} in this call`);
  }
}

/** Refuses guests. */
export function requireUser(identity: Identity): void {
  if (identity.guestOf !== undefined) throw new TalkServerError(ErrorCode.Forbidden, 'Guests may not do this');
}

/** Refuses anyone but the author of a message. */
export function requireAuthor(participant: Participant, authorId: string): void {
  if (participant.userId !== authorId) {
    throw new TalkServerError(ErrorCode.Forbidden, 'Only the author may edit a message');
  }
}

/** Refuses anyone but the author of a message or a moderator. */
export function requireAuthorOrModerator(participant: Participant, authorId: string): void {
  if (participant.userId !== authorId && !isModerator(participant.role)) {
    throw new TalkServerError(ErrorCode.Forbidden, 'Only the author or a moderator may delete a message');
  }
}

/** Refuses adding people to a conversation whose type fixes who is in it. */
export function requireOpenToAdditions(conversation: Conversation): void {
  if (conversation.type === 'one-to-one' || conversation.type === 'note-to-self') {
    throw new TalkServerError(ErrorCode.Forbidden, `Nobody can be added to a ${conversation.type} conversation`);
  }
}

/** Refuses joining without an invitation anything but a public conversation. */
export function requireSelfJoinable(conversation: Conversation): void {
  if (conversation.type !== 'public') {
    throw new TalkServerError(ErrorCode.Forbidden, 'Only public conversations can be joined without an invitation');
  }
}

/** Conversations that anyone signed in may join by themselves through their object. */
const JOINABLE_BY_OBJECT = new Set<Conversation['type']>(['public', 'group']);

/** Refuses joining an object's conversation that is not open to everyone signed in. */
export function requireJoinableByObject(conversation: Conversation): void {
  if (!JOINABLE_BY_OBJECT.has(conversation.type) || conversation.hasPassword) {
    throw new TalkServerError(ErrorCode.Forbidden, 'The conversation of this object is not open to you');
  }
}

/** Refuses changing the role of the owner or of a guest. */
export function requireRoleChangeable(target: Participant): void {
  if (target.role === 'owner' || target.role === 'guest') {
    throw new TalkServerError(
      ErrorCode.Forbidden,
      `The role of ${target.role === 'owner' ? 'the owner' : 'a guest'} cannot change`,
    );
  }
}

/** Refuses removing the owner. */
export function requireRemovable(target: Participant): void {
  if (target.role === 'owner') throw new TalkServerError(ErrorCode.Forbidden, 'The owner cannot be removed');
}

/** Whether a membership lets its participant read the conversation now: the lobby may hold them out. */
export function mayRead(membership: Membership): boolean {
  return refusal(membership, 'read') === undefined;
}

/** Refuses closing a poll to anyone but its author or a moderator. */
export function requirePollCloser(participant: Participant, authorId: string): void {
  if (participant.userId !== authorId && !isModerator(participant.role)) {
    throw new TalkServerError(ErrorCode.Forbidden, 'Only the author or a moderator may close a poll');
  }
}

/** Whether `@all` means something here: not between two people, nor in a note to oneself. */
export function allowsMentionAll(conversation: Conversation): boolean {
  return conversation.type === 'group' || conversation.type === 'public';
}

/**
 * Refuses opening an object's conversation unless the caller's token vouches for the object (its `obj` claim):
 * object ids are the host's and often guessable, so only the host can say who may see an object's history.
 * Checked on get-or-create and on get, so a grant the host withdrew stops the user opening it.
 */
export function requireObjectGrant(identity: Identity, object: ConversationObject): ObjectGrant {
  const grant = grantFor(identity.objects, object);
  if (!grant)
    throw new TalkServerError(ErrorCode.Forbidden, `Your token does not vouch for ${object.type}:${object.id}`);
  return grant;
}

/**
 * Refuses opening an existing object's conversation without the host's grant, except to its guests: a guest token
 * is the server's own for this one conversation (`reaches` keeps it there), issued through the public link that
 * the host opened by granting the object as public, so the link is the guest's invitation.
 */
export function requireObjectAccess(identity: Identity, conversation: Pick<Conversation, 'token' | 'object'>): void {
  if (conversation.object && identity.guestOf !== conversation.token) requireObjectGrant(identity, conversation.object);
}

/**
 * Refuses creating an object's conversation as a type its grant does not name (a bare grant names `group`
 * only), so that the first caller cannot squat the object with a public link, a password or a note-to-self.
 */
export function requireObjectCreatable(grant: ObjectGrant, type: Conversation['type']): void {
  if (!grant.types.includes(type)) {
    throw new TalkServerError(
      ErrorCode.Forbidden,
      `The grant for ${grant.pattern} lets you create its conversation as ${grant.types.join(' or ')} only`,
    );
  }
}

/** Refuses a banned user joining by themselves: a moderator removed or banned them, and only one lets them back. */
export function requireNotBanned(banned: boolean): void {
  if (banned) throw new TalkServerError(ErrorCode.Forbidden, 'You were removed from this conversation');
}
