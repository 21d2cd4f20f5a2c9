// The host's calls: a <talk-call> mounted where the user asks for one (a file's "Call about this file", a meeting's
// "Join meeting"), and kept from holding the camera while its app is hidden.
import { CallState, type TalkClient, type TopologyMode } from '@talk/call-core';
import type { TalkCall } from '@talk/elements';

/** What a call element needs from its host. */
export interface HostCall {
  client: TalkClient;
  conversation: string;
  topology: TopologyMode;
}

/**
 * Makes `button` put a call of the conversation in its own place when clicked. The call element comes only when asked
 * for: its pre-join preview takes the camera.
 */
export function callOnRequest(button: HTMLButtonElement, { client, conversation, topology }: HostCall): void {
  button.addEventListener('click', () => {
    const call = document.createElement('talk-call') as TalkCall;
    call.client = client;
    call.conversation = conversation;
    call.topology = topology;
    releaseCameraWhileHidden(call);
    button.replaceWith(call);
  });
}

/**
 * Lets a call that nobody has joined release the camera while it is not shown (its app hidden behind another): its
 * conversation is set aside, which closes the call element's call and so its preview, and given back when the call
 * shows again, which starts a fresh preview. A joined call is left alone: it goes on while its app is hidden.
 */
export function releaseCameraWhileHidden(call: TalkCall): void {
  let setAside: string | undefined;
  let connected = false;
  const follow = () => {
    if (!call.isConnected) {
      // Mounted later, or gone for good (a file's sidebar showing another file): nothing to hold or give back.
      if (connected) observer.disconnect();
      return;
    }
    connected = true;
    const shown = call.checkVisibility();
    if (
      !shown &&
      setAside === undefined &&
      call.conversation &&
      (call.call?.state ?? CallState.Idle) === CallState.Idle
    ) {
      setAside = call.conversation;
      call.conversation = undefined;
    } else if (shown && setAside !== undefined) {
      call.conversation = setAside;
      setAside = undefined;
    }
  };
  // The apps show and hide by their `hidden` attribute, whichever ancestor of the call carries it.
  const observer = new MutationObserver(follow);
  observer.observe(document.body, { attributes: true, attributeFilter: ['hidden'], subtree: true });
}
