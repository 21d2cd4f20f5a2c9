import { type PushToTalk, setupPushToTalk } from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallController } from '../controllers/call-controller.js';

/** What the shortcuts do in their element. */
export interface ShortcutActions {
  /** M: the microphone. */
  toggleMicrophone(): void;
  /** V: the camera. */
  toggleCamera(): void;
  /** R: raise or lower the hand. */
  toggleHand(): void;
  /** Escape: close what is open (a panel, the emoji); false when nothing was. */
  closeOpen(): boolean;
}

/** Where typing goes: keys there are text, not shortcuts. */
const typing = (target: EventTarget | undefined) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Where Space already means "press": a focused button or link keeps it. */
const pressable = (target: EventTarget | undefined) =>
  target instanceof HTMLElement && (typing(target) || ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName));

/**
 * The call's keyboard shortcuts while joined, as Nextcloud Talk has them: M microphone, V camera, R hand, Escape
 * closes, and holding Space while muted talks (push-to-talk). They listen on the window, so that they work with the
 * focus anywhere on the page, but a key that another `<talk-call>` holds the focus in is that one's; and never while
 * typing in a field.
 */
export class CallShortcutsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #calls: CallController;
  readonly #actions: ShortcutActions;
  #ptt: PushToTalk | null = null;
  #pttCall: unknown = null;
  #spaceHeld = false;

  constructor(host: ReactiveControllerHost & HTMLElement, calls: CallController, actions: ShortcutActions) {
    this.#host = host;
    this.#calls = calls;
    this.#actions = actions;
    host.addController(this);
  }

  /** Whether Space holds the microphone open now. */
  get talking(): boolean {
    return this.#ptt?.active === true;
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.#keydown);
    window.addEventListener('keyup', this.#keyup);
    window.addEventListener('blur', this.#blur);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.#keydown);
    window.removeEventListener('keyup', this.#keyup);
    window.removeEventListener('blur', this.#blur);
    this.#ptt?.dispose();
    this.#ptt = null;
  }

  /** The push-to-talk of the current call, made again when the element's call changes. */
  #pushToTalk(): PushToTalk | null {
    const call = this.#calls.call;
    if (call !== this.#pttCall) {
      this.#ptt?.dispose();
      this.#ptt = call ? setupPushToTalk(call) : null;
      this.#pttCall = call;
    }
    return this.#ptt;
  }

  /** Whether a key event is this element's: the focus is in it, or in no other call. */
  #mine(event: KeyboardEvent): boolean {
    if (this.#calls.call?.state !== 'joined') return false;
    const path = event.composedPath();
    if (path.includes(this.#host)) return true;
    return !path.some((target) => target instanceof HTMLElement && target.localName === 'talk-call');
  }

  readonly #keydown = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !this.#mine(event)) return;
    const target = event.composedPath()[0];
    if (event.key === 'Escape') {
      if (this.#actions.closeOpen()) event.preventDefault();
      return;
    }
    if (typing(target)) return;
    if (event.code === 'Space') {
      if (pressable(target)) return;
      event.preventDefault();
      if (event.repeat || this.#spaceHeld) return;
      this.#spaceHeld = true;
      void this.#pushToTalk()
        ?.press()
        .then(() => this.#host.requestUpdate())
        .catch(() => undefined);
      return;
    }
    if (event.repeat) return;
    const action = { m: 'toggleMicrophone', v: 'toggleCamera', r: 'toggleHand' }[event.key.toLowerCase()] as
      | 'toggleMicrophone'
      | 'toggleCamera'
      | 'toggleHand'
      | undefined;
    if (!action) return;
    event.preventDefault();
    this.#actions[action]();
  };

  readonly #keyup = (event: KeyboardEvent): void => {
    if (event.code !== 'Space' || !this.#spaceHeld) return;
    this.#release();
  };

  /** A window that loses the focus never sees the key come up: let go then. */
  readonly #blur = (): void => {
    if (this.#spaceHeld) this.#release();
  };

  #release(): void {
    this.#spaceHeld = false;
    void this.#ptt
      ?.release()
      .then(() => this.#host.requestUpdate())
      .catch(() => undefined);
  }
}
