import type { CallMedia, ChatMessage } from '@talk/protocol';
import { TalkError, TalkErrorCode } from '../errors.js';

/** Someone in the fixture's world. */
export interface FixturePerson {
  /** The user id. */
  userId: string;
  /** The name shown. */
  displayName: string;
  /** The colour of their synthetic camera. */
  color: string;
}

/** Someone already in a conversation's call when the page joins it. */
export interface FixtureMember {
  /** Who it is. */
  person: FixturePerson;
  /** Camera and microphone as they announced them; `screen` starts their share at once. */
  media: CallMedia;
  /** Whether their microphone picks up speech, so that active speaker detection can choose them. */
  speaking?: boolean;
  /** Whether their hand is raised. */
  handRaised?: boolean;
  /** How their media arrives: round trip in milliseconds and the share of packets lost (0–1). */
  network?: { roundTripMs: number; loss: number };
}

/** A conversation as the fixture client serves it. */
export interface FixtureConversation {
  /** The conversation's token. */
  token: string;
  /** Its name. */
  name: string;
  /** Its history, oldest first. */
  messages: ChatMessage[];
  /** When set, loading the history fails with this error. */
  loadError?: TalkError;
  /** The other people in its call. */
  call?: FixtureMember[];
  /** Message id → reaction → the user ids who gave it. */
  reactions?: Record<number, Record<string, string[]>>;
  /** The signed-in user's read marker; the newest message when absent. */
  lastReadId?: number;
}

/** The people of the seeded conversations; `alice` is the one the page signs in as by default. */
export const people = {
  alice: { userId: 'alice', displayName: 'Alice Martin', color: '#0082c9' },
  ben: { userId: 'ben', displayName: 'Ben Carter', color: '#c2410c' },
  chloe: { userId: 'chloe', displayName: 'Chloe Evans', color: '#7c3aed' },
  daniel: { userId: 'daniel', displayName: 'Daniel Wright', color: '#15803d' },
  layla: { userId: 'layla', displayName: 'ليلى حداد', color: '#be185d' },
  emma: { userId: 'emma', displayName: 'Emma Brooks', color: '#0f766e' },
} satisfies Record<string, FixturePerson>;

/** Tokens of the seeded conversations. */
export const conversations = {
  /** A team chat with a day of history: several authors, emoji, Arabic, a long message. */
  design: 'design-team',
  /** A conversation nobody has written in yet. */
  welcome: 'welcome',
  /** A conversation whose history the server fails to send. */
  archive: 'archive',
  /** Two hundred and forty messages of release planning. */
  release: 'release-planning',
  /** A one-to-one call with Ben. */
  ben: 'ben-carter',
  /** A stand-up call with five others, one of them with the camera off. */
  standup: 'daily-standup',
} as const;

type Line = [author: FixturePerson, text: string, minutesAgo: number];

/** Messages from `lines`, ids from 1, dated `minutesAgo` before `now`. */
function thread(conversation: string, lines: Line[], now: number): ChatMessage[] {
  return lines.map(([author, message, minutesAgo], index) => ({
    id: index + 1,
    conversation,
    actorId: author.userId,
    actorDisplayName: author.displayName,
    message,
    referenceId: null,
    createdAt: new Date(now - minutesAgo * 60_000).toISOString(),
  }));
}

const designLines = (): Line[] => [
  [people.ben, 'Morning all! The new icons landed in the shared folder 🎨', 190],
  [people.chloe, 'Lovely, the call button finally looks like a phone again 😄', 184],
  [people.layla, 'صباح الخير! سأراجع الألوان الداكنة بعد الظهر.', 176],
  [people.alice, 'Thanks Layla. Could you check the contrast of the muted text too?', 170],
  [people.layla, 'Sure 👍 I will post the numbers here.', 165],
  [
    people.daniel,
    'Long one, sorry: I went through the feedback from Friday. People like that the chat works inside the ' +
      'ticket page, but three teams asked whether the composer could keep a draft when they switch tabs, two asked ' +
      'for a way to pin the call above the chat on small screens, and one wondered whether the reactions could be ' +
      'larger on tablets. None of it blocks the release; I have put all of it on the board under "after 1.0" so we ' +
      'can pick it up in the next planning.',
    120,
  ],
  [people.emma, 'Great summary, Daniel 🙏', 118],
  [people.ben, 'Pinned call on small screens gets my vote 📌', 95],
  [people.chloe, 'Contrast report: muted text is 4.8:1 on white, 7.1:1 on dark. We pass AA ✅', 40],
  [people.alice, 'Perfect. Let us ship it 🚀', 12],
  [people.ben, '@alice the **release notes** are in https://docs.example.com/notes — could you read them?', 9],
  [people.daniel, 'Checklist:\n- icons ✅\n- dark theme ✅\n- `talk-chat` bundle size', 6],
  [people.emma, 'Sounds good to me', 4],
];

/** What the design team's history has besides plain lines: a day before, a reply, an edit, a deletion, reactions. */
function designThread(now: number): ChatMessage[] {
  const messages = thread(conversations.design, designLines(), now);
  const dayBefore = (message: ChatMessage, hours: number) => ({
    ...message,
    createdAt: new Date(Date.parse(message.createdAt) - hours * 3_600_000).toISOString(),
  });
  // The first two lines were written the day before, so the list shows a day separator.
  messages[0] = dayBefore(messages[0]!, 24);
  messages[1] = dayBefore(messages[1]!, 24);
  const quote = (id: number) => {
    const m = messages[id - 1]!;
    return { id, actorId: m.actorId, actorDisplayName: m.actorDisplayName, message: m.message, deleted: false };
  };
  messages[4] = { ...messages[4]!, replyTo: quote(4) };
  messages[8] = { ...messages[8]!, editedAt: messages[8]!.createdAt };
  messages[10] = { ...messages[10]!, mentions: [{ type: 'user', id: 'alice', name: 'Alice Martin' }] };
  messages[7] = { ...messages[7]!, message: '', deletedAt: messages[7]!.createdAt };
  return messages;
}

const releaseTopics = [
  'Can someone double-check the migration on a copy of production?',
  'The staging deploy is green ✅',
  'I am updating the changelog now.',
  'Heads-up: the translations for German arrived.',
  'Load test at 200 participants looks fine, CPU below 40 %.',
  'Who owns the release notes this time?',
  'I can take the release notes 📝',
  'Blocking bug fixed, please re-test the screen share.',
  'Re-tested, works on Firefox and Chromium.',
  'Let us freeze at 15:00 today.',
  'شكراً، سأتحقق من الترجمة العربية.',
  'Rollback plan is in the wiki.',
];

/** The seeded conversations, their history dated relative to `now`. */
export function seedConversations(now = Date.now()): FixtureConversation[] {
  const authors = [people.ben, people.chloe, people.daniel, people.layla, people.emma, people.alice];
  const release: Line[] = Array.from({ length: 240 }, (_, i) => [
    authors[i % authors.length]!,
    `${releaseTopics[i % releaseTopics.length]}${i % 17 === 0 ? ' 🎉' : ''}`,
    (240 - i) * 7,
  ]);
  return [
    {
      token: conversations.design,
      name: 'Design team',
      messages: designThread(now),
      reactions: { 1: { '🎉': ['chloe', 'daniel'], '👍': ['alice'] }, 9: { '✅': ['alice', 'ben', 'emma'] } },
      lastReadId: 10,
    },
    { token: conversations.welcome, name: 'Welcome', messages: [] },
    {
      token: conversations.archive,
      name: 'Archive',
      messages: [],
      loadError: new TalkError(TalkErrorCode.Server, 'The server could not load the messages (503)', { status: 503 }),
    },
    { token: conversations.release, name: 'Release planning', messages: thread(conversations.release, release, now) },
    {
      token: conversations.ben,
      name: 'Ben Carter',
      messages: thread(conversations.ben, [[people.ben, 'Got five minutes for a quick call? 📞', 3]], now),
      call: [{ person: people.ben, media: { audio: true, video: true }, speaking: true }],
    },
    {
      token: conversations.standup,
      name: 'Daily stand-up',
      messages: thread(conversations.standup, [[people.emma, 'Stand-up in two minutes ⏰', 2]], now),
      call: [
        { person: people.ben, media: { audio: true, video: true }, speaking: true },
        { person: people.chloe, media: { audio: true, video: true }, network: { roundTripMs: 250, loss: 0.02 } },
        { person: people.daniel, media: { audio: false, video: false } },
        { person: people.layla, media: { audio: true, video: true }, handRaised: true },
        { person: people.emma, media: { audio: false, video: true }, network: { roundTripMs: 600, loss: 0.08 } },
      ],
    },
  ];
}
