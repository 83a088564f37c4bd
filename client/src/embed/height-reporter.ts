import { heightMessage, pymMessage, readPymMessage } from './messages.js';

/**
 * Tells the host page the height of `element` whenever it changes, in both conventions
 * (pym.js only when the host gave a `childId`). A pym parent asks again by sending the
 * frame's width, so that is answered too.
 */
export function reportHeight(host: Window, element: Element, childId: string | undefined): () => void {
  let last = -1;
  const send = (force = false) => {
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height === last && !force) return;
    last = height;
    host.postMessage(heightMessage(height), '*');
    if (childId !== undefined) host.postMessage(pymMessage(childId, 'height', height), '*');
  };
  const observer = new ResizeObserver(() => send());
  observer.observe(element);
  const onMessage = (event: MessageEvent) => {
    if (event.source !== host || childId === undefined) return;
    if (readPymMessage(event.data, childId)?.type === 'width') send(true);
  };
  addEventListener('message', onMessage);
  send();
  return () => {
    observer.disconnect();
    removeEventListener('message', onMessage);
  };
}
