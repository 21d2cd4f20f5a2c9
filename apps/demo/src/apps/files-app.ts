// Files: the host's file list (seeded files and the user's uploads); a selected file's sidebar holds its
// conversation, bound to the object `file:<id>`, and shares the file into any of the user's Talk conversations.
import type { TalkClient, TopologyMode } from '@talk/call-core';
import type { TalkCall, TalkChat } from '@talk/elements';
import { t } from '../host/strings.js';

/** A file of the host app: its bytes stay with the host; Talk knows nothing of it but the object id. */
interface HostFile {
  id: string;
  name: string;
  content: Blob;
}

/** The Files app, and how the shell opens one of its files (from the bell). */
export interface FilesApp {
  element: HTMLElement;
  /** Selects the file and opens its sidebar; false when the list has no such file. */
  openFile(id: string): boolean;
}

/** The seeded files, made in the page: small but real, so that sharing one posts real bytes. */
async function seededFiles(): Promise<HostFile[]> {
  const text = (body: string, type: string) => new Blob([body], { type });
  return [
    {
      id: '42',
      name: 'Quarterly report.pdf',
      content: text(pdf('Quarterly report: revenue up 12%'), 'application/pdf'),
    },
    { id: '43', name: 'Team photo.jpg', content: await teamPhoto() },
    { id: '44', name: 'Roadmap 2027.md', content: text(ROADMAP, 'text/markdown') },
    { id: '45', name: 'Budget.csv', content: text('item,amount\nhosting,1200\ndesign,800\nevents,450\n', 'text/csv') },
  ];
}

/** Builds the Files app. */
export async function filesApp(client: TalkClient, topology: TopologyMode): Promise<FilesApp> {
  const files: HostFile[] = await seededFiles();
  const app = document.createElement('section');
  app.className = 'files-app';
  const list = document.createElement('ul');
  list.className = 'file-list';
  list.setAttribute('aria-label', t('Files'));
  const sidebar = document.createElement('aside');
  sidebar.className = 'file-sidebar';
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
  picker.className = 'upload-button';
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
  callButton.className = 'call-about';
  callButton.textContent = t('Call about this file');
  callButton.addEventListener('click', () => {
    const call = document.createElement('talk-call') as TalkCall;
    call.client = client;
    call.conversation = conversation.token;
    call.topology = topology;
    callButton.replaceWith(call);
  });
  const actions = document.createElement('div');
  actions.className = 'file-actions';
  actions.append(callButton, shareButton(client, file, conversation.token));
  sidebar.replaceChildren(title, actions, chat);
  sidebar.dataset.conversation = conversation.token;
  sidebar.hidden = false;
}

/**
 * "Share to a conversation", as Talk's share from Files: pick one of the user's conversations, upload the file
 * there as an attachment (call-core's upload) and post it as a file message.
 */
function shareButton(client: TalkClient, file: HostFile, ownConversation: string): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'share-file';
  button.textContent = t('Share to a conversation');
  const dialog = document.createElement('dialog');
  dialog.className = 'share-dialog';
  const heading = document.createElement('h2');
  heading.textContent = t('Share “{name}” to…', { name: file.name });
  const choices = document.createElement('ul');
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.textContent = t('Cancel');
  cancel.addEventListener('click', () => dialog.close());
  dialog.append(heading, choices, status, cancel);

  const share = async (token: string, name: string) => {
    status.textContent = t('Uploading to {name}…', { name });
    const attachment = await client.uploadAttachment(token, file.content, {
      name: file.name,
      onProgress: ({ loaded, total }) => {
        const percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'percent' });
        status.textContent = `${t('Uploading to {name}…', { name })} ${percent.format(loaded / Math.max(total, 1))}`;
      },
    });
    await client.postMessage(token, {
      message: file.name,
      referenceId: crypto.randomUUID(),
      attachmentId: attachment.id,
    });
    status.textContent = t('Shared to {name}', { name });
    dialog.close();
    button.dataset.sharedTo = token;
  };
  button.addEventListener('click', async () => {
    status.textContent = '';
    choices.replaceChildren();
    dialog.showModal();
    try {
      const conversations = await client.listConversations();
      for (const conversation of conversations.filter((candidate) => candidate.token !== ownConversation)) {
        const choice = document.createElement('button');
        choice.type = 'button';
        choice.className = 'share-choice';
        choice.dataset.token = conversation.token;
        choice.textContent = conversation.name;
        choice.addEventListener('click', () =>
          share(conversation.token, conversation.name).catch((error: unknown) => {
            status.textContent = `Could not share: ${error instanceof Error ? error.message : String(error)}`;
          }),
        );
        const item = document.createElement('li');
        item.append(choice);
        choices.append(item);
      }
    } catch (error) {
      status.textContent = `Could not list your conversations: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
  const wrapper = document.createElement('span');
  wrapper.append(button, dialog);
  return wrapper;
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

const ROADMAP = `# Roadmap 2027

1. Embeddable chat and calls in every app
2. Calendar meetings that grow into the SFU
3. Section 3: dates to come
`;

/** A one-page PDF with one line of text: enough for a viewer to open. */
function pdf(line: string): string {
  const stream = `BT /F1 18 Tf 72 720 Td (${line}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = body.length;
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  return `${body}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}

/** A picture drawn in the page (a sky, a hill and five round heads), so the seeded photo previews in a chat. */
async function teamPhoto(): Promise<Blob> {
  const canvas = new OffscreenCanvas(480, 300);
  const g = canvas.getContext('2d')!;
  const sky = g.createLinearGradient(0, 0, 0, 300);
  sky.addColorStop(0, '#7cc4f0');
  sky.addColorStop(1, '#d8f0ff');
  g.fillStyle = sky;
  g.fillRect(0, 0, 480, 300);
  g.fillStyle = '#5aa05a';
  g.beginPath();
  g.ellipse(240, 330, 320, 120, 0, 0, Math.PI * 2);
  g.fill();
  const colours = ['#e07a5f', '#3d405b', '#f2cc8f', '#81b29a', '#b56576'];
  colours.forEach((colour, index) => {
    const x = 80 + index * 80;
    g.fillStyle = colour;
    g.fillRect(x - 24, 170, 48, 70);
    g.fillStyle = '#f4d7b8';
    g.beginPath();
    g.arc(x, 150, 22, 0, Math.PI * 2);
    g.fill();
  });
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}
