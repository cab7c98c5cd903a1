/* Working with no signal (the page's side; service-worker.js is the other).

   - Registers the service worker for signed-in users (the <body> carries data-provide-user).
   - A form marked data-provide-offline keeps a draft in IndexedDB as it is filled in. A draft
     survives a lost connection, a closed tab and a reload; it belongs to the user who typed it
     and to the form's page.
   - Sending with no signal keeps the draft "waiting" and says so; when the signal returns (or
     the form is next opened with signal) the form is filled from the draft and sent, so the
     server decides as it always does: saved, refused with reasons, or the conflict screen.
   - The sign-in page removes every kept page (a timed-out session leaves nothing readable);
     signing out clears everything, drafts included (the server sends Clear-Site-Data), after
     a warning when drafts are still waiting. */

const DATABASE = "provide-offline";
const DRAFTS = "drafts";
const WAITING_HINT = "provide-drafts-waiting";
const user = document.body.dataset.provideUser || "";

function openDrafts() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(DRAFTS, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, work) {
  const database = await openDrafts();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(DRAFTS, mode);
      const result = work(transaction.objectStore(DRAFTS));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    database.close();
  }
}

const draftKey = (path) => `${user}|${path}`;
const readDraft = (path) => withStore("readonly", (store) => store.get(draftKey(path)));
const writeDraft = (draft) => withStore("readwrite", (store) => store.put(draft));
const allDrafts = () => withStore("readonly", (store) => store.getAll());
const deleteDraft = (path) => withStore("readwrite", (store) => store.delete(draftKey(path)));
// Only a page the service worker controls can leave a draft waiting while it is sent: the
// worker removes it once the server has answered.
const controlled = () => Boolean("serviceWorker" in navigator && navigator.serviceWorker.controller);

function fields(form) {
  return Array.from(new FormData(form).entries())
    .filter(([name, value]) => name !== "csrfmiddlewaretoken" && typeof value === "string");
}

function fill(form, entries) {
  const values = new Map();
  for (const [name, value] of entries) values.set(name, [...(values.get(name) || []), value]);
  for (const element of form.elements) {
    if (!element.name || element.name === "csrfmiddlewaretoken" || !values.has(element.name)) continue;
    const chosen = values.get(element.name);
    if (element.type === "checkbox" || element.type === "radio") {
      element.checked = chosen.includes(element.value);
    } else if (element.type !== "hidden" && element.type !== "submit" && element.type !== "button") {
      element.value = chosen[0];
    }
  }
}

function say(form, text, state) {
  let banner = document.getElementById("offline-status");
  if (!banner) {
    banner = document.createElement("div");
    banner.id = "offline-status";
    banner.className = "govuk-inset-text provide-offline-status";
    banner.setAttribute("role", "status");
    form.parentNode.insertBefore(banner, form);
  }
  banner.dataset.state = state;
  banner.textContent = text;
}

function time(milliseconds) {
  return new Date(milliseconds).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function send(form, draft) {
  say(form, "Signal is back: sending your changes…", "sending");
  const submitter = draft.submitter
    ? Array.from(form.querySelectorAll("button[name], input[type=submit][name]"))
      .find((button) => button.name === draft.submitter[0] && button.value === draft.submitter[1])
    : null;
  form.requestSubmit(submitter || undefined);
}

async function keepDrafts(form) {
  const path = window.location.pathname;
  const draft = await readDraft(path);
  if (draft) {
    fill(form, draft.fields);
    if (draft.waiting && navigator.onLine && controlled()) {
      send(form, draft);
      return;
    }
    say(form, draft.waiting
      ? `No signal: your changes from ${time(draft.savedAt)} are kept on this phone and will be sent when the signal returns.`
      : `Your unsent changes from ${time(draft.savedAt)} are back in the form.`, draft.waiting ? "waiting" : "restored");
  }
  let pending = null;
  const save = () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const current = (await readDraft(path)) || {};
      await writeDraft({ key: draftKey(path), path, user, fields: fields(form), savedAt: Date.now(), waiting: Boolean(current.waiting) });
    }, 300);
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", async (event) => {
    const submitter = event.submitter && event.submitter.name ? [event.submitter.name, event.submitter.value] : null;
    const draft = { key: draftKey(path), path, user, fields: fields(form), savedAt: Date.now(), waiting: true, submitter };
    if (!navigator.onLine) {
      event.preventDefault();
      window.localStorage.setItem(WAITING_HINT, "yes"); // read by the sign-out warning
      await writeDraft(draft);
      say(form, `No signal: your changes from ${time(draft.savedAt)} are kept on this phone and will be sent when the signal returns.`, "waiting");
      return;
    }
    // With signal the browser sends it as usual. The draft stays until the server has answered
    // (the service worker then removes it), in case the signal drops on the way; without a
    // service worker the server re-shows anything it refuses, so the draft can go now.
    if (!controlled()) deleteDraft(path);
  });
  window.addEventListener("online", async () => {
    const waiting = await readDraft(path);
    if (!waiting || !waiting.waiting) return;
    if (controlled()) send(form, waiting);
    else say(form, "Signal is back: save again to send your changes.", "restored");
  });
}

async function listWaiting() {
  const list = document.getElementById("offline-waiting");
  if (!list) return;
  const waiting = (await allDrafts()).filter((draft) => draft.user === user && draft.waiting);
  for (const draft of waiting) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = draft.path;
    link.textContent = `Changes to ${draft.path} kept at ${time(draft.savedAt)}`;
    item.appendChild(link);
    list.appendChild(item);
  }
  window.addEventListener("online", () => {
    if (waiting.length) window.location.assign(waiting[0].path);
  });
}

function warnBeforeSigningOut() {
  for (const form of document.querySelectorAll("form[data-provide-sign-out]")) {
    form.addEventListener("submit", async (event) => {
      // only a phone that has kept a form with no signal needs to look before signing out
      if (form.dataset.provideConfirmed || !window.localStorage.getItem(WAITING_HINT)) return;
      event.preventDefault();
      const waiting = (await allDrafts()).filter((draft) => draft.user === user && draft.waiting);
      if (waiting.length && !window.confirm(
        `${waiting.length} change(s) made with no signal have not been sent yet. Signing out deletes them from this phone. Sign out anyway?`,
      )) return;
      form.dataset.provideConfirmed = "yes";
      form.requestSubmit();
    });
  }
}

if ("indexedDB" in window) {
  if (user && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(() => {});
  }
  if (!user && "caches" in window) {
    caches.keys().then((names) => names.forEach((name) => caches.delete(name))).catch(() => {});
  }
  if (user) {
    document.querySelectorAll("form[data-provide-offline]").forEach((form) => { keepDrafts(form); });
    listWaiting();
    warnBeforeSigningOut();
  }
}
