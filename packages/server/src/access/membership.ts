import { ErrorCode } from '@talk/protocol';
import type { Identity } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import type { Store } from '../store/store.js';
import { type Membership, reaches } from './rules.js';

/** The caller's membership of a conversation, or undefined when it is not a participant or may not reach it. */
export async function findMembership(store: Store, token: string, identity: Identity): Promise<Membership | undefined> {
  return reaches(identity, token) ? store.participants.membership(token, identity.userId) : undefined;
}

/** The caller's membership of a conversation; to anyone else the conversation does not exist (404). */
export async function membershipOf(store: Store, token: string, identity: Identity): Promise<Membership> {
  const membership = await findMembership(store, token, identity);
  if (!membership) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
  return membership;
}
