// Which meetings have a call running, as the server says: each event conversation's `callActive`, kept fresh by the
// `conversation-changed` pushes that every member gets, whether or not the page has joined that conversation.
import { ClientEvent, type Conversation, type TalkClient } from '@talk/call-core';

/** The running calls of the user's meetings, by event id. */
export class MeetingCalls {
  readonly #client: TalkClient;
  readonly #onChange: () => void;
  /** The event ids whose conversation has a call running. */
  readonly #running = new Set<string>();
  #unsubscribe: (() => void) | null = null;

  /** `onChange` runs whenever a meeting's call starts or ends. */
  constructor(client: TalkClient, onChange: () => void) {
    this.#client = client;
    this.#onChange = onChange;
  }

  /** Reads the user's conversations once, then follows the pushes. */
  async start(): Promise<void> {
    this.#unsubscribe ??= this.#client.on(ClientEvent.ConversationChanged, (token, change) => {
      // A conversation the page has not seen yet may be a meeting the user was just let into: read it too.
      if (change === 'call' || change === 'updated') this.#client.getConversation(token).then(this.record, () => {});
    });
    for (const conversation of await this.#client.listConversations()) this.record(conversation);
  }

  /** Stops following the pushes. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** Whether the event's call is running, as last heard. */
  isRunning(eventId: string): boolean {
    return this.#running.has(eventId);
  }

  /** Takes the call state of a conversation the page read (here or when an event's detail opened it). */
  readonly record = (conversation: Conversation): void => {
    if (conversation.object?.type !== 'event') return;
    const id = conversation.object.id;
    const running = conversation.callActive === true;
    if (running === this.#running.has(id)) return;
    if (running) this.#running.add(id);
    else this.#running.delete(id);
    this.#onChange();
  };
}
