// Files' "Share to a conversation": the host posts one of its files into a Talk conversation the user picks.
import type { TalkClient } from '@talk/call-core';
import { t } from '../host/strings.js';
import type { HostFile } from './files-seed.js';

/**
 * "Share to a conversation", as Talk's share from Files: pick one of the user's conversations, upload the file
 * there as an attachment (call-core's upload) and post it as a file message.
 */
export function shareButton(client: TalkClient, file: HostFile, ownConversation: string): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'share-file accent-button';
  button.textContent = t('Share to a conversation');
  const dialog = document.createElement('dialog');
  dialog.className = 'share-dialog';
  const heading = document.createElement('h2');
  heading.textContent = t('Share “{name}” to…', { name: file.name });
  const choices = document.createElement('ul');
  choices.className = 'plain-list';
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
        choice.className = 'share-choice row-button';
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
