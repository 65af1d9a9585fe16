// The Install button: shown when the browser fires beforeinstallprompt, hidden once the app is installed.
import { h } from './create-element.js';

/** The non-standard event Chromium fires when the app can be installed. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Adds a hidden Install button to `container` that appears when installing is offered. */
export function mountInstallButton(container: HTMLElement): void {
  let offer: BeforeInstallPromptEvent | undefined;
  const button = h('button', { type: 'button', hidden: true }, 'Install');
  button.addEventListener('click', async () => {
    if (!offer) return;
    await offer.prompt();
    await offer.userChoice;
    offer = undefined;
    button.hidden = true;
  });
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    offer = event as BeforeInstallPromptEvent;
    button.hidden = false;
  });
  window.addEventListener('appinstalled', () => (button.hidden = true));
  container.append(button);
}
