import type { ParticipantRole, ServerMessage } from '@talk/protocol';

/** A change every instance applies to its own sessions of a conversation. */
export type Control =
  /** Takes the user's sessions (or everyone's, without `userId`) out of the conversation. */
  | { kind: 'evict'; userId?: string; reason: string }
  /** The lobby closed or opened. */
  | { kind: 'lobby'; enabled: boolean }
  /** A participant's role changed. */
  | { kind: 'role'; userId: string; role: ParticipantRole };

/** Something for the sessions of a conversation (or one session), on its way through the bus. */
export type Delivery =
  /** A message to send; `except` names a session that is left out. */
  | { kind: 'message'; message: ServerMessage; except?: string }
  /** A control change for the conversation's sessions. */
  | { kind: 'control'; control: Control }
  /** On a session's topic: another instance took the session over; the one that held it forgets it quietly. */
  | { kind: 'moved'; instance: string };

/** The bus topic of a conversation's sessions. */
export const conversationTopic = (token: string): string => `conversation/${token}`;

/** The bus topic of every session of one user, joined anywhere or not: what their conversation list needs. */
export const userTopic = (userId: string): string => `user/${userId}`;

/** The bus topic of one session, for signals addressed to it. */
export const sessionTopic = (sessionId: string): string => `session/${sessionId}`;
