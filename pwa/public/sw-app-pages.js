// Imported first by the generated service worker (sw.js): a navigation to a page of this origin that is not the
// app's own page is left to the network, before Workbox's navigation fallback would answer it with the app shell.
// The shell's asset URLs are relative (the app may be deployed under any path), so under another path (/chat/)
// they would miss the precache and the page would be broken; offline it gets the browser's offline page instead,
// as online it gets the server's 404. The app's page is known only here, at run time, from where sw.js is served.
const appPages = new Set([new URL('./', self.location.href).pathname, new URL('./index.html', self.location.href).pathname]);

self.addEventListener('fetch', (event) => {
  if (event.request.mode !== 'navigate') return;
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || appPages.has(url.pathname)) return;
  // No respondWith: the browser fetches it as if there were no service worker. No later listener sees it.
  event.stopImmediatePropagation();
});
