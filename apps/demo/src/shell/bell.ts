// The notifications bell: fed by the events the chats on the page fire, wherever they sit in the workspace, and by
// the user's conversation list for mentions in conversations no chat on the page shows (a card nobody opened here).
import { ConversationListEvent, ConversationListStore, type TalkClient } from '@talk/call-core';
import type { TalkChat } from '@talk/elements';
import { t } from '../host/strings.js';

/** What the bell needs of its page. */
export interface BellOptions {
  client: TalkClient;
  /** Opens the conversation a mention was made in (the card, file or Talk conversation it belongs to). */
  onOpen(conversation: string): void;
}

/** A button with a count of unread messages and a panel of the mentions that arrived. */
export function bell({ client, onOpen }: BellOptions): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = 'bell';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'bell-button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'bell-panel');
  const panel = document.createElement('ul');
  panel.id = 'bell-panel';
  panel.className = 'bell-panel';
  panel.hidden = true;
  wrapper.append(button, panel);

  // One count per chat element: each reports the unread of its own conversation.
  const unread = new Map<EventTarget, number>();
  let mentions = 0;
  const render = () => {
    const total = [...unread.values()].reduce((sum, count) => sum + count, 0);
    button.textContent = total + mentions > 0 ? `🔔 ${total + mentions}` : '🔔';
    button.dataset.count = String(total + mentions);
    button.setAttribute('aria-label', `Notifications: ${mentions} mentions, ${total} unread messages`);
    if (panel.childElementCount === 0) panel.append(emptyNote());
  };
  const notify = (text: string, conversation: string | undefined) => {
    mentions += 1;
    panel.querySelector('.bell-empty')?.remove();
    const item = document.createElement('li');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'bell-item';
    open.textContent = text;
    open.dir = 'auto';
    if (conversation) {
      item.dataset.conversation = conversation;
      open.addEventListener('click', () => {
        close();
        onOpen(conversation);
      });
    }
    item.append(open);
    panel.prepend(item);
    render();
  };
  document.addEventListener('talk-unread-change', (event) => {
    unread.set(event.target!, event.unread);
    render();
  });
  document.addEventListener('talk-mention', (event) => {
    const chat = event.target as TalkChat;
    notify(
      t('{name} mentioned you: {text}', { name: event.message.actorDisplayName, text: event.message.message }),
      chat.conversation,
    );
  });

  // A conversation no chat here shows raises no talk-mention: its list entry's mention count does instead.
  const shown = (token: string) =>
    [...document.querySelectorAll<TalkChat>('talk-chat')].some((chat) => chat.conversation === token);
  const seen = new Map<string, number>();
  const conversations = new ConversationListStore(client);
  conversations.on(ConversationListEvent.EntriesChanged, (entries) => {
    for (const entry of entries) {
      const before = seen.get(entry.token) ?? 0;
      seen.set(entry.token, entry.mentions);
      const last = entry.lastMessage;
      if (entry.mentions > before && last && !shown(entry.token)) {
        notify(t('{name} mentioned you: {text}', { name: last.actorDisplayName, text: last.message }), entry.token);
      }
    }
  });
  conversations.start().catch(console.error);

  const close = () => {
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  };
  button.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    // Opening the panel counts as having seen the mentions; unread counts fall as the chats are read.
    if (!panel.hidden) mentions = 0;
    render();
  });
  render();
  return wrapper;
}

function emptyNote(): HTMLElement {
  const item = document.createElement('li');
  item.className = 'bell-empty';
  item.textContent = t('No mentions yet');
  return item;
}
