// The triage board: keep the keyboard user's place when HTMX swaps a case, and never
// refresh the queue under someone who is choosing or typing.
(function () {
  "use strict";

  // Refresh only when no decision form is in use: nothing focused in the queue, no details
  // open, no radio chosen or reason typed but not yet sent.
  window.provideTriageCanRefresh = function () {
    var queue = document.getElementById("triage-queue");
    if (!queue) { return false; }
    if (queue.contains(document.activeElement) && document.activeElement !== document.body) { return false; }
    if (queue.querySelector("details[open]")) { return false; }
    if (queue.querySelector("input[type=radio]:checked")) { return false; }
    var areas = queue.querySelectorAll("textarea");
    for (var i = 0; i < areas.length; i++) {
      if (areas[i].value.trim() !== "") { return false; }
    }
    return true;
  };

  // The queue's own two-minute refresh waits while a decision form is in use. (Checked here,
  // not in an hx-trigger filter: htmx evaluates filters as code, which the CSP refuses.)
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    if (source && source.id === "triage-queue" && !window.provideTriageCanRefresh()) {
      event.preventDefault();
    }
  });

  // After a decision the card is replaced (outerHTML): focus its status message or its error
  // summary, found inside the new card (older cards keep their own messages).
  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-triage-filter")) {
      // A filter was chosen: keep the keyboard on the filter now in use.
      var current = document.querySelector("#triage-queue .provide-board-filter [aria-current=page]");
      if (current) { current.focus(); }
      return;
    }
    var old = event.detail && event.detail.target;
    if (!old || !old.id || old.id === "triage-queue") { return; }
    var card = document.getElementById(old.id);
    var focus = card && card.querySelector("[data-triage-focus]");
    if (focus) { focus.focus(); }
  });
})();
