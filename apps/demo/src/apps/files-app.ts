// Files: a file list; a selected file's sidebar holds its conversation, bound to the object `file:<id>`.
import type { TalkClient, TopologyMode } from '@talk/call-core';
import type { TalkCall, TalkChat } from '@talk/elements';

/** A file of the host app. */
interface HostFile {
  id: string;
  name: string;
  size: string;
}

/** The seeded files: the host's own data, which Talk knows nothing about but the object id. */
const FILES: readonly HostFile[] = [
  { id: '42', name: 'Quarterly report.pdf', size: '2.4 MB' },
  { id: '43', name: 'Team photo.jpg', size: '3.1 MB' },
  { id: '44', name: 'Roadmap 2027.md', size: '12 kB' },
  { id: '45', name: 'Budget.ods', size: '88 kB' },
];

/** Builds the Files app. */
export function filesApp(client: TalkClient, topology: TopologyMode): HTMLElement {
  const app = document.createElement('section');
  app.className = 'files-app';
  const list = document.createElement('ul');
  list.className = 'file-list';
  list.setAttribute('aria-label', 'Files');
  const sidebar = document.createElement('aside');
  sidebar.className = 'file-sidebar';
  sidebar.hidden = true;

  for (const file of FILES) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.fileId = file.id;
    button.innerHTML = '<span class="file-name"></span><span class="file-size"></span>';
    button.querySelector('.file-name')!.textContent = file.name;
    button.querySelector('.file-size')!.textContent = file.size;
    button.addEventListener('click', () => {
      for (const other of list.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === button));
      openSidebar(client, topology, file, sidebar).catch((error: unknown) => showError(sidebar, error));
    });
    const item = document.createElement('li');
    item.append(button);
    list.append(item);
  }
  app.append(list, sidebar);
  return app;
}

/** Shows the file's conversation: get-or-create through the object conversation API, then chat and a call button. */
async function openSidebar(client: TalkClient, topology: TopologyMode, file: HostFile, sidebar: HTMLElement) {
  // The server creates it as a group (the grant `file:*` names no other type) and joins whoever else opens it.
  const conversation = await client.createConversation({
    type: 'group',
    name: file.name,
    object: { type: 'file', id: file.id },
  });
  const title = document.createElement('h2');
  title.textContent = file.name;
  const chat = document.createElement('talk-chat') as TalkChat;
  chat.client = client;
  chat.conversation = conversation.token;
  const callButton = document.createElement('button');
  callButton.type = 'button';
  callButton.className = 'call-about';
  callButton.textContent = 'Call about this file';
  callButton.addEventListener('click', () => {
    const call = document.createElement('talk-call') as TalkCall;
    call.client = client;
    call.conversation = conversation.token;
    call.topology = topology;
    callButton.replaceWith(call);
  });
  sidebar.replaceChildren(title, callButton, chat);
  sidebar.dataset.conversation = conversation.token;
  sidebar.hidden = false;
}

function showError(sidebar: HTMLElement, error: unknown): void {
  const box = document.createElement('p');
  box.setAttribute('role', 'alert');
  box.textContent = `Could not open the file's conversation: ${error instanceof Error ? error.message : String(error)}`;
  sidebar.replaceChildren(box);
  sidebar.hidden = false;
}
