// Deck: a board of three lists of cards; a card's detail shows its description and its comments, a <talk-chat>
// bound to the object `card:<id>`, where an @mention reaches the mentioned member's bell.
import type { TalkClient } from '@talk/call-core';
import type { TalkChat } from '@talk/elements';
import { DEMO_USERS } from '../host/session.js';
import { t } from '../host/strings.js';

/** A card of the board: the host's own data, which Talk knows only by its object id. */
interface Card {
  id: string;
  title: string;
  description: string;
  /** Who works on it: they are in the card's conversation from the start, so a mention reaches them. */
  members: readonly string[];
}

/** One list (column) of the board. */
interface CardList {
  title: string;
  cards: readonly Card[];
}

/** The seeded board. */
const BOARD: readonly CardList[] = [
  {
    title: 'To do',
    cards: [
      {
        id: 'c1',
        title: 'Landing page copy',
        description: 'Write the hero text and the three feature blurbs for the new landing page.',
        members: ['alice', 'bob'],
      },
      {
        id: 'c2',
        title: 'Pick the launch date',
        description: 'Check the calendar with marketing and support; avoid the week of the all-hands.',
        members: ['carol', 'dave'],
      },
    ],
  },
  {
    title: 'In progress',
    cards: [
      {
        id: 'c3',
        title: 'Pricing table',
        description: 'Three plans side by side; the middle one highlighted. Numbers from the budget sheet.',
        members: ['alice', 'erin'],
      },
      {
        id: 'c4',
        title: 'Screenshots for the docs',
        description: 'Light, dark and right-to-left, at 1440 × 860.',
        members: ['bob', 'frank'],
      },
    ],
  },
  {
    title: 'Done',
    cards: [
      {
        id: 'c5',
        title: 'Choose the name',
        description: 'Shortlist voted on in the team chat.',
        members: ['alice', 'bob', 'carol'],
      },
    ],
  },
];

const CARDS = new Map(BOARD.flatMap((list) => list.cards.map((card) => [card.id, card] as const)));

/** The Deck app, and how the shell opens one of its cards (from the bell). */
export interface DeckApp {
  element: HTMLElement;
  /** Shows the card's detail; false when the board has no such card. */
  openCard(id: string): boolean;
}

/** Builds the Deck app. */
export function deckApp(client: TalkClient): DeckApp {
  const app = document.createElement('section');
  app.className = 'deck-app app-split';
  const board = document.createElement('div');
  board.className = 'deck-board';
  const detail = document.createElement('aside');
  detail.className = 'card-detail detail-panel';
  detail.hidden = true;

  const buttons = new Map<string, HTMLButtonElement>();
  const openCard = (id: string): boolean => {
    const card = CARDS.get(id);
    if (!card) return false;
    for (const [other, button] of buttons) button.setAttribute('aria-pressed', String(other === id));
    showCard(client, card, detail).catch((error: unknown) => showError(detail, error));
    return true;
  };

  for (const list of BOARD) {
    const column = document.createElement('section');
    column.className = 'card-list';
    const heading = document.createElement('h2');
    heading.textContent = t(list.title);
    const cards = document.createElement('ul');
    cards.className = 'plain-list';
    cards.setAttribute('aria-label', t(list.title));
    for (const card of list.cards) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'card';
      button.dataset.cardId = card.id;
      button.setAttribute('aria-pressed', 'false');
      const title = document.createElement('span');
      title.className = 'card-title';
      title.textContent = card.title;
      title.dir = 'auto';
      button.append(title, membersLine(card));
      button.addEventListener('click', () => openCard(card.id));
      buttons.set(card.id, button);
      const item = document.createElement('li');
      item.append(button);
      cards.append(item);
    }
    column.append(heading, cards);
    board.append(column);
  }
  app.append(board, detail);
  return { element: app, openCard };
}

/**
 * Shows the card: its description, then its comments. Get-or-create on `card:<id>`: the first to open the card
 * creates the conversation with the card's members in it (the host vouches for them); later openers join it.
 */
async function showCard(client: TalkClient, card: Card, detail: HTMLElement): Promise<void> {
  const others = card.members.filter((member) => member !== client.userId);
  const conversation = await client.createConversation({
    type: 'group',
    name: card.title,
    object: { type: 'card', id: card.id },
    participants: others.map((userId) => ({ userId })),
  });
  const title = document.createElement('h2');
  title.textContent = card.title;
  title.dir = 'auto';
  const description = document.createElement('p');
  description.className = 'card-description';
  description.textContent = card.description;
  // The host's data is in whatever language its author wrote: each text finds its own direction.
  description.dir = 'auto';
  const comments = document.createElement('h3');
  comments.textContent = t('Comments');
  const chat = document.createElement('talk-chat') as TalkChat;
  chat.client = client;
  chat.conversation = conversation.token;
  detail.replaceChildren(title, membersLine(card), description, comments, chat);
  detail.dataset.cardId = card.id;
  detail.dataset.conversation = conversation.token;
  detail.hidden = false;
}

/** The card's members by name. */
function membersLine(card: Card): HTMLElement {
  const line = document.createElement('span');
  line.className = 'card-members';
  line.textContent = card.members
    .map((member) => DEMO_USERS.find((user) => user.userId === member)?.displayName ?? member)
    .join(', ');
  return line;
}

function showError(detail: HTMLElement, error: unknown): void {
  const box = document.createElement('p');
  box.setAttribute('role', 'alert');
  box.textContent = `Could not open the card's comments: ${error instanceof Error ? error.message : String(error)}`;
  detail.replaceChildren(box);
  detail.hidden = false;
}
