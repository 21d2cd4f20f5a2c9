// Files: the host's file list (seeded files and the user's uploads); a selected file's sidebar holds its
// conversation, bound to the object `file:<id>`, and shares the file into any of the user's Talk conversations.
import type { TalkClient, TopologyMode } from '@talk/call-core';
import type { TalkChat } from '@talk/elements';
import { callOnRequest } from '../host/call.js';
import { t } from '../host/strings.js';
import { type HostFile, seededFiles } from './files-seed.js';
import { shareButton } from './files-share.js';

/** The Files app, and how the shell opens one of its files (from the bell). */
export interface FilesApp {
  element: HTMLElement;
  /** Selects the file and opens its sidebar; false when the list has no such file. */
  openFile(id: string): boolean;
}

/** Builds the Files app. */
export async function filesApp(client: TalkClient, topology: TopologyMode): Promise<FilesApp> {
  const files: HostFile[] = await seededFiles();
  const app = document.createElement('section');
  app.className = 'files-app app-split';
  const list = document.createElement('ul');
  list.className = 'file-list plain-list';
  list.setAttribute('aria-label', t('Files'));
  const sidebar = document.createElement('aside');
  sidebar.className = 'file-sidebar detail-panel';
  sidebar.hidden = true;

  const openFile = (id: string): boolean => {
    const file = files.find((candidate) => candidate.id === id);
    if (!file) return false;
    for (const button of list.querySelectorAll<HTMLElement>('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.fileId === id));
    }
    openSidebar(client, topology, file, sidebar).catch((error: unknown) => showError(sidebar, error));
    return true;
  };
  const addRow = (file: HostFile) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'row-button';
    button.dataset.fileId = file.id;
    button.innerHTML = '<span class="file-name"></span><span class="file-size"></span>';
    button.querySelector('.file-name')!.textContent = file.name;
    button.querySelector('.file-size')!.textContent = formatSize(file.content.size);
    button.addEventListener('click', () => openFile(file.id));
    const item = document.createElement('li');
    item.append(button);
    list.append(item);
  };
  for (const file of files) addRow(file);

  // Uploads are the host's too: kept in this page's memory, listed after the seeded files. A random id, since
  // the id names the file's conversation for everyone (two users' "upload 1" must not share one).
  const upload = (chosen: Iterable<File>) => {
    for (const content of chosen) {
      const file = { id: `upload-${crypto.randomUUID()}`, name: content.name, content };
      files.push(file);
      addRow(file);
    }
  };
  const toolbar = document.createElement('div');
  toolbar.className = 'files-toolbar';
  const picker = document.createElement('label');
  picker.className = 'upload-button accent-button';
  picker.textContent = t('Upload');
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.addEventListener('change', () => {
    upload(input.files ?? []);
    input.value = '';
  });
  picker.append(input);
  const hint = document.createElement('span');
  hint.className = 'drop-hint';
  hint.textContent = t('or drop files on the list');
  toolbar.append(picker, hint);

  const pane = document.createElement('div');
  pane.className = 'file-pane';
  pane.append(toolbar, list);
  pane.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault(); // accepts the drop
    pane.dataset.dropping = 'true';
  });
  pane.addEventListener('dragleave', () => delete pane.dataset.dropping);
  pane.addEventListener('drop', (event) => {
    event.preventDefault();
    delete pane.dataset.dropping;
    upload(event.dataTransfer?.files ?? []);
  });
  app.append(pane, sidebar);
  return { element: app, openFile };
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
  callButton.className = 'call-about accent-button';
  callButton.textContent = t('Call about this file');
  callOnRequest(callButton, { client, conversation: conversation.token, topology });
  const actions = document.createElement('div');
  actions.className = 'file-actions';
  actions.append(callButton, shareButton(client, file, conversation.token));
  sidebar.replaceChildren(title, actions, chat);
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

/** A size as people read it, in the page's language. */
function formatSize(bytes: number): string {
  const [value, unit] =
    bytes < 1000 ? [bytes, 'byte'] : bytes < 1e6 ? [bytes / 1e3, 'kilobyte'] : [bytes / 1e6, 'megabyte'];
  return new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value);
}
