/* Tables, improved once the page has loaded (a file, not an inline script: the Content-Security-Policy allows
   scripts from 'self' only). Without JavaScript every table still reads and works as the server wrote it.

   1. Wide tables never widen the page. Every GOV.UK table sits in a scroll box (.ikms-table-scroll), which the
      server writes (the `table_scroll` template tag: a focusable, named region, so it can be scrolled without a
      mouse and a screen reader says what it holds, WCAG 2.1.1); this adds a box to any table a template left
      bare and makes such a box focusable while it has to scroll.
   2. <table data-sortable>: each column header becomes a button that sorts the rows by that column, then the
      other way round; aria-sort tells which column and order, and a polite live region says it in words.
      Numbers are read as the page writes them (a decimal comma and spaced thousands in Latvian, 12,345.6 in
      English), dates as dd.mm.gggg. (or a <time datetime> / a cell's data-sort-value); empty cells and dashes
      go last either way. data-sortable="page" marks a table that shows one page of a longer list: a note says
      that only the rows shown are sorted.
   The texts come from the script element's data-texts (`{% js_texts %}`), in the page's language. */
(function () {
  "use strict";

  var script = document.currentScript;
  var TEXTS = script && script.getAttribute("data-texts") ? JSON.parse(script.getAttribute("data-texts")) : {};
  var LANG = document.documentElement.lang || "lv";
  var MISSING = /^([\u2013\u2014-]|n\/a|—.*)?$/;

  function text(key, fallback) {
    return TEXTS[key] || fallback;
  }

  function tableName(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var labelledBy = table.getAttribute("aria-labelledby");
    if (labelledBy) {
      var names = labelledBy.split(/\s+/).map(function (id) {
        var el = document.getElementById(id);
        return el ? el.textContent.trim() : "";
      }).filter(Boolean);
      if (names.length) {
        return names.join(" ");
      }
    }
    if (table.getAttribute("aria-label")) {
      return table.getAttribute("aria-label");
    }
    var heading = null;
    var node = table.closest(".ikms-table-scroll") || table;
    while (node && !heading) {
      var previous = node.previousElementSibling;
      while (previous && !heading) {
        if (/^H[1-6]$/.test(previous.tagName)) {
          heading = previous;
        }
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
      if (node && node.tagName === "MAIN") {
        break;
      }
    }
    return heading ? heading.textContent.trim() : text("table", "Table");
  }

  /* --- 1. scroll boxes ------------------------------------------------------------------------------------ */

  function wrapTables(root) {
    root.querySelectorAll("table.govuk-table").forEach(function (table) {
      if (table.closest(".ikms-table-scroll")) {
        return;
      }
      var box = document.createElement("div");
      box.className = "ikms-table-scroll";
      box.setAttribute("data-ikms-added", "");
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function markScrollable() {
    document.querySelectorAll(".ikms-table-scroll").forEach(function (box) {
      var table = box.querySelector("table");
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-ikms-focus", "");
        if (!box.hasAttribute("role")) {
          box.setAttribute("role", "region");
        }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby") && table) {
          box.setAttribute("aria-label", tableName(table));
        }
      } else if (!scrolls && box.hasAttribute("data-ikms-focus")) {
        // made focusable here earlier, no longer needs to scroll: no empty tab stop
        box.removeAttribute("tabindex");
        box.removeAttribute("data-ikms-focus");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  /* --- 2. sorting --------------------------------------------------------------------------------------- */

  function numberOf(raw) {
    var s = raw.replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-").replace(/%$/, "");
    var decimal = text("decimal", LANG.indexOf("en") === 0 ? "." : ",");
    if (decimal === ".") {
      s = s.replace(/,(?=\d{3}(\D|$))/g, "");  // 12,345.6
    } else {
      s = s.replace(decimal, ".");  // 12 345,6 (the spaces are gone already)
    }
    return /^[-+]?\d+(\.\d+)?$/.test(s) ? parseFloat(s) : null;
  }

  function sortKey(cell) {
    if (!cell) {
      return null;
    }
    var raw = cell.getAttribute("data-sort-value");
    if (raw === null) {
      var time = cell.querySelector("time[datetime]");
      raw = time ? time.getAttribute("datetime") : cell.textContent.trim();
    }
    raw = raw.trim();
    if (MISSING.test(raw)) {
      return null;
    }
    var date = /^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?(\s|$)/.exec(raw);
    if (date) {
      return {n: Number(date[3]) * 10000 + Number(date[2]) * 100 + Number(date[1])};
    }
    var iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
    if (iso) {
      return {n: Number(iso[1]) * 10000 + Number(iso[2]) * 100 + Number(iso[3])};
    }
    var number = numberOf(raw);
    return number === null ? {s: raw} : {n: number};
  }

  var collator = new Intl.Collator(LANG, {numeric: true, sensitivity: "base"});

  function compare(a, b) {
    if (a.n !== undefined && b.n !== undefined) {
      return a.n - b.n;
    }
    if (a.n !== undefined) {
      return -1;
    }
    if (b.n !== undefined) {
      return 1;
    }
    return collator.compare(a.s, b.s);
  }

  function makeSortable(table) {
    var head = table.tHead;
    var body = table.tBodies[0];
    if (!head || !body || table.hasAttribute("data-ikms-sortable") || head.rows.length !== 1) {
      return;
    }
    var rows = Array.prototype.slice.call(body.rows);
    var spans = rows.some(function (row) {
      return Array.prototype.some.call(row.cells, function (c) { return c.colSpan > 1 || c.rowSpan > 1; });
    });
    if (rows.length < 2 || spans) {
      return;  // nothing to sort, or an "empty" row
    }
    table.setAttribute("data-ikms-sortable", "");
    var status = document.createElement("p");
    status.className = "govuk-visually-hidden ikms-sort-status";
    status.setAttribute("aria-live", "polite");
    var box = table.closest(".ikms-table-scroll") || table;
    box.parentNode.insertBefore(status, box.nextSibling);
    if (table.getAttribute("data-sortable") === "page") {
      var note = document.createElement("p");
      note.className = "govuk-body-s ikms-sort-status";
      note.textContent = text("pageOnly", "Sorting by a column orders the rows shown on this page only.");
      box.parentNode.insertBefore(note, box);
    }
    rows.forEach(function (row, i) { row.setAttribute("data-ikms-order", String(i)); });

    Array.prototype.forEach.call(head.rows[0].cells, function (th, column) {
      if (th.colSpan > 1 || th.hasAttribute("data-nosort") || !th.textContent.trim()) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ikms-sort-button";
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var order = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        var sign = order === "ascending" ? 1 : -1;
        var keyed = Array.prototype.map.call(body.rows, function (row) {
          return {row: row, key: sortKey(row.cells[column]), at: Number(row.getAttribute("data-ikms-order"))};
        });
        keyed.sort(function (a, b) {
          if (a.key === null || b.key === null) {
            return (a.key === null) - (b.key === null) || a.at - b.at;  // missing values last
          }
          return sign * compare(a.key, b.key) || a.at - b.at;
        });
        keyed.forEach(function (item) { body.appendChild(item.row); });
        Array.prototype.forEach.call(head.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", order);
        status.textContent = text("sorted", "The table is sorted by “%(column)s”, %(order)s.")
          .replace("%(column)s", button.textContent.trim())
          .replace("%(order)s", text(order, order));
      });
    });
  }

  function enhance(root) {
    wrapTables(root);
    root.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    markScrollable();
  }

  enhance(document);
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(markScrollable, 150);
  });
  // tables that htmx brings into the page
  document.body.addEventListener("htmx:afterSettle", function (event) {
    enhance(event.target instanceof Element ? event.target : document);
  });
}());
