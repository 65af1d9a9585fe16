// Registers the Workbox service worker and offers "Reload to update" when a new version is waiting.
import { h } from './create-element.js';

/** Registers sw.js next to the page and shows the update prompt in `container` when needed. */
export async function registerServiceWorker(container: HTMLElement): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  const registration = await navigator.serviceWorker.register('./sw.js', { scope: './' });
  // The page reloads when the worker the user accepted takes control, also in the session of the
  // first install; the first install's own claim (clientsClaim) takes control with no reload.
  let accepted = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (accepted) location.reload();
  });
  const offerReload = (waiting: ServiceWorker) => {
    const button = h('button', { type: 'button' }, 'Reload to update');
    button.addEventListener('click', () => {
      accepted = true;
      waiting.postMessage({ type: 'SKIP_WAITING' });
    });
    container.replaceChildren(h('span', {}, 'A new version is ready. '), button);
    container.hidden = false;
  };
  if (registration.waiting && hadController) offerReload(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offerReload(installing);
    });
  });
}
