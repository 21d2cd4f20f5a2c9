// The notifications bell: fed by the events the chats on the page fire, wherever they sit in the workspace.

/** A button with a count of unread messages and a panel of the mentions that arrived. */
export function bell(): HTMLElement {
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
  document.addEventListener('talk-unread-change', (event) => {
    unread.set(event.target!, event.unread);
    render();
  });
  document.addEventListener('talk-mention', (event) => {
    mentions += 1;
    panel.querySelector('.bell-empty')?.remove();
    const item = document.createElement('li');
    item.textContent = `${event.message.actorDisplayName} mentioned you: ${event.message.message}`;
    panel.prepend(item);
    render();
  });
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
  item.textContent = 'No mentions yet';
  return item;
}
