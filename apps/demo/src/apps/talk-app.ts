// Talk: the user's conversations beside the selected one's chat and call.
import type { TalkClient, TopologyMode } from '@talk/call-core';
import type { TalkCall, TalkChat, TalkConversationList, TalkScreenShare } from '@talk/elements';
import { releaseCameraWhileHidden } from '../host/call.js';
import { DEMO_USERS } from '../host/session.js';

/** Builds the Talk app and opens the shared demo room, which every demo user lands in. */
export async function talkApp(client: TalkClient, topology: TopologyMode): Promise<HTMLElement> {
  // Get-or-create: the first user makes the room, the others join it (the token's grant allows it as public).
  const room = await client.createConversation({
    type: 'public',
    name: 'Demo room',
    object: { type: 'demo', id: 'lobby' },
  });

  const list = document.createElement('talk-conversation-list') as TalkConversationList;
  const chat = document.createElement('talk-chat') as TalkChat;
  const call = document.createElement('talk-call') as TalkCall;
  const stage = document.createElement('talk-screenshare') as TalkScreenShare;
  list.client = chat.client = call.client = client;
  // The server keeps no user directory: the host offers its own people for one-to-one conversations.
  list.users = DEMO_USERS.filter((user) => user.userId !== client.userId);
  call.topology = topology;
  call.id = 'talk-call';
  releaseCameraWhileHidden(call);
  stage.for = call.id;

  const open = (token: string) => {
    list.selected = chat.conversation = call.conversation = token;
    document.body.dataset.conversation = token;
  };
  list.addEventListener('talk-conversation-select', (event) => {
    open(event.token);
    // Picked from the list's message search: the chat opens at that message.
    if (event.messageId !== undefined) void chat.showMessage(event.messageId);
  });
  open(room.token);

  const column = document.createElement('div');
  column.className = 'call-column';
  column.append(stage, call);
  const app = document.createElement('section');
  app.className = 'talk-app';
  app.append(list, chat, column);
  return app;
}
