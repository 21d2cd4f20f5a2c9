import { expect, fixture, html } from '@open-wc/testing';
import { CallState, ConnectionState, type TalkClient } from '@talk/call-core';
import type { TalkCall } from '../talk-call/talk-call.js';
import type { TalkChat } from '../talk-chat/talk-chat.js';
import { freshConversation, TEST_OBJECTS, until } from '../test-support/talk.js';
import { TalkProvider } from './talk-provider.js';
import '../talk-chat/talk-chat.js';
import '../talk-call/talk-call.js';

/** Every signaling socket this page opens, and the token of each hello sent on them, in order. */
const sockets: WebSocket[] = [];
const hellos: string[] = [];
const PageWebSocket = window.WebSocket;
window.WebSocket = class CountingWebSocket extends PageWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }

  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (typeof data === 'string' && data.includes('"hello"')) {
      hellos.push((JSON.parse(data) as { token: string }).token);
    }
    super.send(data);
  }
};

const texts = (el: TalkChat) =>
  [...el.shadowRoot!.querySelectorAll('[part="message"] [part="text"]')].map((node) => node.textContent);
const ready = (el: TalkChat) => !el.shadowRoot!.querySelector<HTMLButtonElement>('[part="send"]')!.disabled;
const next = <K extends keyof GlobalEventHandlersEventMap>(el: EventTarget, type: K) =>
  new Promise<GlobalEventHandlersEventMap[K]>((resolve) =>
    el.addEventListener(type, (event) => resolve(event as GlobalEventHandlersEventMap[K]), { once: true }),
  );

/** A dev token for Alice under a display name of the test's choosing; messages show which token posted them. */
async function aliceToken(displayName: string): Promise<string> {
  const response = await fetch('/api/v1/dev/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'alice', displayName, objects: TEST_OBJECTS }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe('talk-provider', () => {
  let client: TalkClient;
  let conversation: string;
  beforeEach(async () => {
    ({ client, conversation } = await freshConversation('alice'));
  });
  afterEach(() => client.close());

  it('shares one signaling connection between two chats and a call inside it', async () => {
    const other = await client.createConversation({
      type: 'public',
      name: 'second',
      object: { type: 'test', id: `second-${conversation}` },
    });
    await client.postMessage(conversation, { message: 'in the first', referenceId: 'p1' });
    await client.postMessage(other.token, { message: 'in the second', referenceId: 'p2' });
    const before = sockets.length;
    const provider =
      await fixture<TalkProvider>(html`<talk-provider server-url=${location.origin} token=${client.token}>
      <talk-chat conversation=${conversation}></talk-chat>
      <talk-chat conversation=${other.token}></talk-chat>
      <talk-call conversation=${conversation}></talk-call>
    </talk-provider>`);
    const [first, second] = [...provider.querySelectorAll('talk-chat')] as [TalkChat, TalkChat];
    const call = provider.querySelector('talk-call') as TalkCall;
    await until(() => texts(first).length === 1 && texts(second).length === 1, 'both chats to load');
    expect(texts(first)).to.deep.equal(['in the first']);
    expect(texts(second)).to.deep.equal(['in the second']);
    await call.join();
    expect(call.call!.state).to.equal(CallState.Joined);
    expect(sockets.length - before).to.equal(1);
    await call.leave();
  });

  it('shares a client the host hands in, and leaves it open when it goes', async () => {
    await client.postMessage(conversation, { message: 'through the host’s client', referenceId: 'h1' });
    const before = sockets.length;
    const provider = await fixture<TalkProvider>(html`<talk-provider .client=${client}>
      <talk-chat conversation=${conversation}></talk-chat>
    </talk-provider>`);
    const chat = provider.querySelector('talk-chat') as TalkChat;
    await until(() => texts(chat).length === 1, 'the chat to load');
    expect(provider.sharedClient).to.equal(client);
    expect(client.sessionId).to.be.a('string'); // the chat joined over the host's own client
    expect(sockets.length - before).to.equal(1);
    provider.remove();
    expect(client.connectionState).to.equal(ConnectionState.Connected);
  });

  it('hands a new token to the shared client: no reconnect, and the next request and reconnect carry it', async () => {
    const first = await aliceToken('Alice');
    const renewed = await aliceToken('Alice Renewed');
    const before = sockets.length;
    const helloBefore = hellos.length;
    const provider = await fixture<TalkProvider>(html`<talk-provider token=${first}>
      <talk-chat conversation=${conversation}></talk-chat>
    </talk-provider>`);
    const chat = provider.querySelector('talk-chat') as TalkChat;
    await until(() => ready(chat) && hellos.length > helloBefore, 'the chat to say hello');
    const shared = provider.sharedClient;

    provider.token = renewed;
    await provider.updateComplete;
    expect(provider.sharedClient).to.equal(shared);
    const sent = next(chat, 'talk-message-sent');
    await chat.send('after the refresh');
    expect((await sent).message.actorDisplayName).to.equal('Alice Renewed');
    expect(sockets.length - before).to.equal(1);

    sockets.at(-1)!.close(); // as a network drop would
    await until(() => sockets.length - before === 2 && hellos.length - helloBefore === 2, 'the reconnect');
    expect(hellos.slice(helloBefore)).to.deep.equal([first, renewed]);
    expect(texts(chat)).to.deep.equal(['after the refresh']);
  });

  it('fires talk-token-expiring before an element’s own token expires, and keeps its connection on the answer', async () => {
    const response = await fetch('/test/short-token?user=alice&name=Alice&seconds=62');
    const { token: shortLived } = (await response.json()) as { token: string };
    const renewed = await aliceToken('Alice Renewed');
    const before = sockets.length;
    let expiresAt: Date | undefined;
    const chat = await fixture<TalkChat>(html`<talk-chat
      token=${shortLived}
      conversation=${conversation}
      @talk-token-expiring=${(event: GlobalEventHandlersEventMap['talk-token-expiring']) => {
        expiresAt = event.expiresAt;
        event.setToken(renewed);
      }}
    ></talk-chat>`);
    await until(() => ready(chat), 'the chat to load');
    // The token has 62 s to live and the client asks a minute ahead, so within about two seconds.
    await until(() => expiresAt !== undefined, 'talk-token-expiring', 5_000);
    expect(expiresAt!.getTime() - Date.now()).to.be.within(55_000, 62_000);
    expect(chat.token).to.equal(renewed);
    const sent = next(chat, 'talk-message-sent');
    await chat.send('with the renewed token');
    expect((await sent).message.actorDisplayName).to.equal('Alice Renewed');
    expect(sockets.length - before).to.equal(1);
  });

  it('serves elements that asked for a client before the provider was defined', async () => {
    await client.postMessage(conversation, { message: 'waiting for a provider', referenceId: 'w1' });
    const provider = await fixture(html`<late-talk-provider token=${client.token}>
      <talk-chat conversation=${conversation}></talk-chat>
    </late-talk-provider>`);
    const chat = provider.querySelector('talk-chat') as TalkChat;
    await chat.updateComplete;
    expect(ready(chat)).to.equal(false);
    customElements.define('late-talk-provider', class extends TalkProvider {});
    await until(() => texts(chat).length === 1, 'the chat to load through the late provider');
    expect(texts(chat)).to.deep.equal(['waiting for a provider']);
  });
});
