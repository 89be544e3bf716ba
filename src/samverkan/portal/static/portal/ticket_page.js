// The ticket page's reply box: a standard text is inserted at the cursor as soon as it is
// chosen (the filled-in text comes from an htmx GET, see portal/_ticket_reply.html), and a few
// keyboard shortcuts listed on the page under "Kortkommandon". A separate file because the
// Content-Security-Policy forbids inline scripts (and htmx trigger filters, which eval).
// Without it the page still works: the "Infoga" button posts what was typed and reloads.
(function () {
  "use strict";

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    var before = value.slice(0, start), after = value.slice(end);
    if (before && !/\n$/.test(before)) { text = "\n" + text; }
    textarea.value = before + text + after;
    var caret = before.length + text.length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
  }

  function inserter(element) {
    return element && element.dataset && element.dataset.insertInto ? element : null;
  }

  // "– Välj standardtext –" fetches nothing.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var select = inserter(event.detail.elt);
    if (select && !select.value) { event.preventDefault(); }
  });

  // htmx has fetched the filled-in standard text: put it where the agent's cursor was, and make
  // the choice empty again so the same text can be chosen once more.
  document.addEventListener("htmx:afterRequest", function (event) {
    var select = inserter(event.detail.elt);
    var target = select ? document.getElementById(select.dataset.insertInto) : null;
    if (!target || !event.detail.successful) { return; }
    insertAtCursor(target, event.detail.xhr.responseText);
    select.value = "";
    var live = document.getElementById("reply-live");
    if (live) { live.textContent = select.dataset.insertedMessage || ""; }
  });

  // With the script the choice itself inserts: the no-script button would only insert twice.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-without-script]").forEach(function (button) { button.hidden = true; });
  });

  function focus(id) {
    var element = document.getElementById(id);
    if (element) { element.focus(); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    var form = document.getElementById("reply-form");
    if (!form) { return; }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && form.contains(event.target)) {
      event.preventDefault();
      form.requestSubmit(document.getElementById("reply-send"));
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    var targets = { KeyS: "id_status", KeyT: "id_standardtext", KeyK: "id_body" };
    if (targets[event.code] && focus(targets[event.code])) { event.preventDefault(); }
  });
})();
