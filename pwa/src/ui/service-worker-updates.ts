// Registers the Workbox service worker and offers "Reload to update" when a new version is waiting.
import { h } from './create-element.js';

function offerReload(container: HTMLElement, waiting: ServiceWorker): void {
  const button = h('button', { type: 'button' }, 'Reload to update');
  button.addEventListener('click', () => waiting.postMessage({ type: 'SKIP_WAITING' }));
  container.replaceChildren(h('span', {}, 'A new version is ready. '), button);
  container.hidden = false;
}

/** Registers sw.js next to the page and shows the update prompt in `container` when needed. */
export async function registerServiceWorker(container: HTMLElement): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  const registration = await navigator.serviceWorker.register('./sw.js', { scope: './' });
  // The first install claims the page; later ones wait for the user, then the page reloads once.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) location.reload();
  });
  if (registration.waiting && hadController) offerReload(container, registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offerReload(container, installing);
    });
  });
}
