import { ALL_PERMISSIONS, type Conversation, ErrorCode, type ParticipantRole, Permission } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import { TalkServerError } from '../errors.js';
import {
  type Action,
  effectivePermissions,
  heldByLobby,
  type Membership,
  reaches,
  refusal,
  requireCallJoin,
} from './rules.js';

const ROLES: ParticipantRole[] = ['owner', 'moderator', 'user', 'guest'];
const ACTIONS: Action[] = [
  'read',
  'chat',
  'share-files',
  'call',
  'start-call',
  'join-call',
  'publish-audio',
  'publish-video',
  'publish-screen',
  'moderate',
];

const conversation = (lobby: boolean, callActive = false): Conversation => ({
  token: 'c',
  type: 'group',
  name: 'Group',
  object: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivity: '2026-01-01T00:00:00.000Z',
  description: '',
  hasPassword: false,
  lobby,
  defaultPermissions: ALL_PERMISSIONS,
  sfuFrom: null,
  meshAtMost: null,
  callActive,
});

/** A participant of `role` whose override is `override`, in a conversation whose defaults allow everything. */
function member(role: ParticipantRole, override: number | null, lobby: boolean, callActive = false): Membership {
  return {
    participant: {
      userId: role,
      displayName: role,
      role,
      permissions: effectivePermissions(role, override, ALL_PERMISSIONS),
      permissionOverride: override,
    },
    conversation: conversation(lobby, callActive),
  };
}

/** Each action's outcome, `ok` or the refusal's error code. */
function outcomes(membership: Membership): Record<Action, string> {
  return Object.fromEntries(ACTIONS.map((a) => [a, refusal(membership, a)?.code ?? 'ok'])) as Record<Action, string>;
}

const ok = 'ok';
const no = ErrorCode.Forbidden;
const lobby = ErrorCode.InLobby;
const everything = { read: ok, chat: ok, 'share-files': ok, call: ok, 'start-call': ok, 'join-call': ok };
const media = { 'publish-audio': ok, 'publish-video': ok, 'publish-screen': ok };

describe('access rules', () => {
  it('lets moderators do everything, whatever their override and the lobby', () => {
    for (const role of ['owner', 'moderator'] as const) {
      for (const closed of [false, true]) {
        expect(outcomes(member(role, 0, closed)), `${role}, lobby ${closed}`).toEqual({
          ...everything,
          ...media,
          moderate: ok,
        });
      }
    }
  });

  it('lets users and guests do all but moderate while the lobby is open and nothing is overridden', () => {
    for (const role of ['user', 'guest'] as const) {
      expect(outcomes(member(role, null, false)), role).toEqual({ ...everything, ...media, moderate: no });
    }
  });

  it('holds users and guests in a closed lobby, which says so before any missing permission', () => {
    for (const role of ['user', 'guest'] as const) {
      for (const override of [null, 0]) {
        expect(outcomes(member(role, override, true)), `${role}, override ${override}`).toEqual({
          read: lobby,
          chat: lobby,
          'share-files': lobby,
          call: lobby,
          'start-call': lobby,
          'join-call': lobby,
          'publish-audio': lobby,
          'publish-video': lobby,
          'publish-screen': lobby,
          moderate: no,
        });
      }
    }
  });

  it('gives a user with an override exactly the actions its bits allow', () => {
    const table: Array<[number, Partial<Record<Action, string>>]> = [
      [0, { chat: no, 'share-files': no, call: no, 'start-call': no, 'join-call': no }],
      [Permission.Chat, { call: no, 'start-call': no, 'join-call': no }],
      [Permission.StartCall, { chat: no, 'share-files': no, 'join-call': no }],
      [Permission.JoinCall, { chat: no, 'share-files': no, 'start-call': no }],
      [Permission.JoinCall | Permission.PublishAudio, { chat: no, 'share-files': no, 'start-call': no }],
    ];
    for (const [bits, refused] of table) {
      const expected = { ...everything, moderate: no, ...refused };
      const allowed = outcomes(member('user', bits, false));
      const { 'publish-audio': audio, 'publish-video': video, 'publish-screen': screen, ...rest } = allowed;
      expect(rest, `bits ${bits}`).toEqual(expected);
      expect([audio, video, screen], `media of bits ${bits}`).toEqual([
        bits & Permission.PublishAudio ? ok : no,
        no,
        no,
      ]);
    }
  });

  it('names what was refused', () => {
    expect(refusal(member('user', 0, false), 'share-files')?.message).toBe('You may not share files here');
    expect(refusal(member('user', 0, false), 'call')?.message).toBe('You may not join calls here');
    expect(refusal(member('guest', null, false), 'moderate')?.message).toBe('Only moderators may do this');
  });

  it('holds everyone but moderators while a lobby is closed', () => {
    expect(ROLES.map((role) => [role, heldByLobby(true, role), heldByLobby(false, role)])).toEqual([
      ['owner', false, false],
      ['moderator', false, false],
      ['user', true, false],
      ['guest', true, false],
    ]);
  });

  it('keeps a guest token to its own conversation', () => {
    expect(reaches({ userId: 'u', displayName: 'U' }, 'any')).toBe(true);
    expect(reaches({ userId: 'g', displayName: 'G', guestOf: 'mine' }, 'mine')).toBe(true);
    expect(reaches({ userId: 'g', displayName: 'G', guestOf: 'mine' }, 'other')).toBe(false);
  });
});

describe('call-join rules', () => {
  const codeOf = (fn: () => void) => {
    try {
      fn();
      return ok;
    } catch (error) {
      return error instanceof TalkServerError ? error.code : String(error);
    }
  };
  const quiet = { audio: false, video: false };

  it('needs StartCall to start a call and JoinCall to join a running one', () => {
    const starter = Permission.StartCall;
    const joiner = Permission.JoinCall;
    expect(codeOf(() => requireCallJoin(member('user', starter, false), { inCall: false, media: quiet }))).toBe(ok);
    expect(codeOf(() => requireCallJoin(member('user', starter, false, true), { inCall: false, media: quiet }))).toBe(
      no,
    );
    expect(codeOf(() => requireCallJoin(member('user', joiner, false, true), { inCall: false, media: quiet }))).toBe(
      ok,
    );
    expect(codeOf(() => requireCallJoin(member('user', joiner, false), { inCall: false, media: quiet }))).toBe(no);
  });

  it('needs a publish bit per medium, also for a session already in the call', () => {
    const joiner = member('user', Permission.JoinCall | Permission.PublishAudio, false, true);
    expect(codeOf(() => requireCallJoin(joiner, { inCall: true, media: { audio: true, video: false } }))).toBe(ok);
    expect(codeOf(() => requireCallJoin(joiner, { inCall: true, media: { audio: true, video: true } }))).toBe(no);
    expect(codeOf(() => requireCallJoin(joiner, { inCall: true, media: { ...quiet, screen: true } }))).toBe(no);
    // Being in the call already needs no join permission: only the media are checked.
    const muted = member('user', 0, false, true);
    expect(codeOf(() => requireCallJoin(muted, { inCall: true, media: quiet }))).toBe(ok);
  });

  it('refuses a call-join in a closed lobby, even from a session that was in the call', () => {
    expect(codeOf(() => requireCallJoin(member('user', null, true, true), { inCall: true, media: quiet }))).toBe(lobby);
    expect(codeOf(() => requireCallJoin(member('moderator', null, true, true), { inCall: true, media: quiet }))).toBe(
      ok,
    );
  });
});
