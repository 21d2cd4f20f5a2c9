// React wrappers of the Talk elements, made by @lit/react: properties are set as properties (so `client` takes a
// TalkClient object), and each event has a typed `on…` prop. Importing this module registers the elements.
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type { TalkCallStateChangeEvent } from '../events/talk-call-state-change.js';
import type { TalkErrorEvent } from '../events/talk-error.js';
import type { TalkJoinChangeEvent } from '../events/talk-join-change.js';
import type { TalkMentionEvent } from '../events/talk-mention.js';
import type { TalkMessageReceivedEvent } from '../events/talk-message-received.js';
import type { TalkMessageSentEvent } from '../events/talk-message-sent.js';
import type { TalkModerationEvent } from '../events/talk-moderation.js';
import type { TalkScreenShareChangeEvent } from '../events/talk-screenshare-change.js';
import type { TalkTokenExpiringEvent } from '../events/talk-token-expiring.js';
import type { TalkUnreadChangeEvent } from '../events/talk-unread-change.js';
import { TalkCall as TalkCallElement } from '../talk-call/talk-call.js';
import { TalkChat as TalkChatElement } from '../talk-chat/talk-chat.js';
import { TalkJoin as TalkJoinElement } from '../talk-join/talk-join.js';
import { TalkParticipants as TalkParticipantsElement } from '../talk-participants/talk-participants.js';
import { TalkProvider as TalkProviderElement } from '../talk-provider/talk-provider.js';
import { TalkScreenShare as TalkScreenShareElement } from '../talk-screenshare/talk-screenshare.js';

/** `<talk-provider>`: shares one client with the Talk components inside it. */
export const TalkProvider = createComponent({
  react: React,
  tagName: 'talk-provider',
  elementClass: TalkProviderElement,
  displayName: 'TalkProvider',
  events: { onTalkTokenExpiring: 'talk-token-expiring' as EventName<TalkTokenExpiringEvent> },
});

/** `<talk-chat>`: a conversation's messages and a composer. */
export const TalkChat = createComponent({
  react: React,
  tagName: 'talk-chat',
  elementClass: TalkChatElement,
  displayName: 'TalkChat',
  events: {
    onTalkMessageSent: 'talk-message-sent' as EventName<TalkMessageSentEvent>,
    onTalkMessageReceived: 'talk-message-received' as EventName<TalkMessageReceivedEvent>,
    onTalkMention: 'talk-mention' as EventName<TalkMentionEvent>,
    onTalkUnreadChange: 'talk-unread-change' as EventName<TalkUnreadChangeEvent>,
    onTalkError: 'talk-error' as EventName<TalkErrorEvent>,
    onTalkTokenExpiring: 'talk-token-expiring' as EventName<TalkTokenExpiringEvent>,
  },
});

/** `<talk-call>`: a conversation's video call. */
export const TalkCall = createComponent({
  react: React,
  tagName: 'talk-call',
  elementClass: TalkCallElement,
  displayName: 'TalkCall',
  events: {
    onTalkCallStateChange: 'talk-call-state-change' as EventName<TalkCallStateChangeEvent>,
    onTalkError: 'talk-error' as EventName<TalkErrorEvent>,
    onTalkTokenExpiring: 'talk-token-expiring' as EventName<TalkTokenExpiringEvent>,
  },
});

/** `<talk-screenshare>`: a call's shared screen, large, with a share button. */
export const TalkScreenShare = createComponent({
  react: React,
  tagName: 'talk-screenshare',
  elementClass: TalkScreenShareElement,
  displayName: 'TalkScreenShare',
  events: {
    onTalkScreenShareChange: 'talk-screenshare-change' as EventName<TalkScreenShareChangeEvent>,
    onTalkError: 'talk-error' as EventName<TalkErrorEvent>,
  },
});

/** `<talk-join>`: guest name, password and lobby before a public conversation. */
export const TalkJoin = createComponent({
  react: React,
  tagName: 'talk-join',
  elementClass: TalkJoinElement,
  displayName: 'TalkJoin',
  events: {
    onTalkJoinChange: 'talk-join-change' as EventName<TalkJoinChangeEvent>,
    onTalkTokenExpiring: 'talk-token-expiring' as EventName<TalkTokenExpiringEvent>,
  },
});

/** `<talk-participants>`: who is in a conversation and its call, with moderation and settings. */
export const TalkParticipants = createComponent({
  react: React,
  tagName: 'talk-participants',
  elementClass: TalkParticipantsElement,
  displayName: 'TalkParticipants',
  events: {
    onTalkModeration: 'talk-moderation' as EventName<TalkModerationEvent>,
    onTalkError: 'talk-error' as EventName<TalkErrorEvent>,
    onTalkTokenExpiring: 'talk-token-expiring' as EventName<TalkTokenExpiringEvent>,
  },
});
