/* Provide's service worker: the joint team's route and visit forms keep working with no signal.

   What it keeps, on this phone only, until sign-out (which clears it: Clear-Site-Data):
   - the pages of today's route and of each visit form opened with signal (network first; the
     kept copy only when there is no network). Pages are the ones the server rendered for this
     user's role, so a police role's copy holds nothing health-side;
   - Provide's own scripts, styles and fonts (from /static/).
   A visit form sent with no signal is not lost: the page keeps it as a draft in IndexedDB
   (offline.js) and this worker shows the "No signal" page. When the server answers a form
   (saved, refused or the conflict screen), the draft is done with and is removed here; when
   the answer is the sign-in page (the session ended), the draft is kept to send after signing
   in again. No third-party service is used. */

const CACHE = "provide-offline-v1";
const OFFLINE_PAGE = "/offline/";
const KEPT_PAGES = [/^\/planning\/today\/$/, /^\/visits\/[0-9a-f-]{36}\/$/];
const DATABASE = "provide-offline";
const DRAFTS = "drafts";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.add(new Request(OFFLINE_PAGE, { credentials: "same-origin" })))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function kept(url) {
  return KEPT_PAGES.some((pattern) => pattern.test(url.pathname));
}

function openDrafts() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(DRAFTS, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function forgetDrafts(path) {
  const database = await openDrafts();
  await new Promise((resolve, reject) => {
    const transaction = database.transaction(DRAFTS, "readwrite");
    const store = transaction.objectStore(DRAFTS);
    const cursor = store.openCursor();
    cursor.onsuccess = () => {
      const row = cursor.result;
      if (!row) return;
      if (row.value.path === path) row.delete();
      row.continue();
    };
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
  });
  database.close();
}

async function fromNetworkThenKept(request, url) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      const cache = await caches.open(CACHE);
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (noNetwork) {
    return (await caches.match(url.pathname, { ignoreVary: true })) || (await caches.match(OFFLINE_PAGE, { ignoreVary: true }));
  }
}

async function signedIn() {
  try {
    const answer = await fetch("/session/", {
      credentials: "same-origin", cache: "no-store", headers: { "X-Provide-Background": "true" },
    });
    return answer.ok && (await answer.json()).signed_in === true;
  } catch (noNetwork) {
    return false;
  }
}

async function sendForm(request, url) {
  let response;
  try {
    response = await fetch(request); // a navigation: redirects come back to the browser as they are
  } catch (noNetwork) {
    return caches.match(OFFLINE_PAGE, { ignoreVary: true });
  }
  // The server has it (saved, or re-shown with what was typed) unless it sent the browser to
  // sign in (the session ended): then the draft stays, to be sent after signing in again.
  if (response.type !== "opaqueredirect" || (await signedIn())) {
    await forgetDrafts(url.pathname);
  }
  return response;
}

async function fromKeptThenNetwork(request) {
  const found = await caches.match(request);
  if (found) return found;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "GET" && url.pathname.startsWith("/static/")) {
    event.respondWith(fromKeptThenNetwork(request));
  } else if (request.mode === "navigate" && kept(url)) {
    event.respondWith(request.method === "POST" ? sendForm(request, url) : fromNetworkThenKept(request, url));
  }
});
