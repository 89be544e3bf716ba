/* Samverkan's one script (no inline scripts: the Content-Security-Policy forbids them).
   1. The header menu (<details id="site-menu">) and a list's filters (<details class="list-filters">)
      are open on wide screens and folded on narrow ones.
   2. Below 48rem tables are shown as cards (samverkan.css): every cell gets its column's heading
      as data-label, and explicit table roles, because display:block drops the table semantics in
      some browsers. A table with class "keep-table" stays a table (it scrolls sideways). */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");

  function syncMenu() {
    var menu = document.getElementById("site-menu");
    if (menu) { menu.open = wide.matches; }
    // A list's filters (<details class="list-filters">) fold too, so the list comes first on a
    // phone; not while a field in them is invalid.
    Array.prototype.forEach.call(document.querySelectorAll("details.list-filters"), function (filters) {
      filters.open = wide.matches || !!filters.querySelector("[aria-invalid='true']");
    });
  }

  function headings(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    var names = [];
    if (!rows.length) { return names; }
    var cells = rows[rows.length - 1].cells;
    for (var i = 0; i < cells.length; i++) {
      var copy = cells[i].cloneNode(true);  // without sort arrows and other decoration
      // A heading the screen shows no text for (".visually-hidden") gives no visible label either.
      Array.prototype.forEach.call(copy.querySelectorAll("[aria-hidden='true'], .visually-hidden"), function (e) { e.remove(); });
      var text = copy.textContent.replace(/[↕↑↓▲▼△▽]/g, "").replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cells[i].colSpan || 1); span++) { names.push(text); }
    }
    return names;
  }

  function labelTable(table) {
    if (table.dataset.cards || table.classList.contains("keep-table")) { return; }
    table.dataset.cards = "1";
    var names = headings(table);
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var header = cell.tagName === "TH";
        var inHead = row.parentNode.tagName === "THEAD";
        cell.setAttribute("role", header ? (inHead || cell.scope === "col" ? "columnheader" : "rowheader") : "cell");
        // A row's own heading (<th scope="row">) is the card's title and needs no label.
        if (!inHead && !header && names[column] && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }

  function labelTables(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("table"), labelTable);
  }

  syncMenu();
  wide.addEventListener("change", syncMenu);
  labelTables(document);
  // Tables htmx swaps in (filters, paging) are labelled as they arrive.
  document.body.addEventListener("htmx:afterSettle", function (event) { labelTables(event.target); });
})();
