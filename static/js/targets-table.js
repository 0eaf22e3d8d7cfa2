/* The units table of a target page: sort by any column, find a unit by name, and page the
   rows on a phone. Progressive enhancement: without this script the page shows the whole
   table in the server's order. The state lives in the URL (sort, dir, q), so a reload or a
   shared link shows the same view; the server ignores these parameters. */
(function () {
  "use strict";

  function fold(text) {
    // Compare names without case or diacritics ("xa a" finds "Xã A"; đ is not decomposed).
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase().trim();
  }

  function cellValue(cell) {
    if (!cell) return null;
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    var text = raw.trim();
    var number = Number(text.replace(",", "."));
    if (text !== "" && !isNaN(number)) return number;
    if (text === "—" || text === "") return null;
    return text;
  }

  function compare(a, b) {
    if (a === null && b === null) return 0;
    if (a === null) return 1; // rows without a value go last whatever the direction
    if (b === null) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "vi");
  }

  function enhance(table) {
    var section = table.closest("section") || document;
    var tools = section.querySelector(".table-tools");
    var input = section.querySelector(".table-filter");
    var count = section.querySelector(".table-count");
    var pager = section.querySelector(".table-pages");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.querySelectorAll("tr.unit-row"));
    if (!rows.length) return;
    var original = rows.slice();
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var params = new URLSearchParams(window.location.search);
    var state = {
      sort: parseInt(params.get("sort"), 10),
      dir: params.get("dir") === "desc" ? "desc" : "asc",
      q: params.get("q") || "",
      page: 0,
    };
    if (!(state.sort >= 0 && state.sort < headers.length)) state.sort = -1;
    var phone = window.matchMedia("(max-width: 40em)");
    var pageSize = parseInt(table.getAttribute("data-page-size"), 10) || 25;

    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        if (state.sort === index) {
          state.dir = state.dir === "asc" ? "desc" : "asc";
        } else {
          state.sort = index;
          state.dir = index === 0 ? "asc" : "desc";
        }
        state.page = 0;
        render(true);
      });
    });

    function saveUrl() {
      var url = new URLSearchParams(window.location.search);
      ["sort", "dir", "q"].forEach(function (name) { url.delete(name); });
      if (state.sort >= 0) { url.set("sort", state.sort); url.set("dir", state.dir); }
      if (state.q) url.set("q", state.q);
      var query = url.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function render(save) {
      var ordered = original.slice();
      if (state.sort >= 0) {
        var sign = state.dir === "desc" ? -1 : 1;
        ordered.sort(function (ra, rb) {
          var a = cellValue(ra.cells[state.sort]);
          var b = cellValue(rb.cells[state.sort]);
          if (a === null || b === null) return compare(a, b);
          return sign * compare(a, b);
        });
      }
      headers.forEach(function (th, index) {
        if (index === state.sort) {
          th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      var needle = fold(state.q);
      var shown = ordered.filter(function (row) {
        return !needle || fold(row.cells[0].textContent).indexOf(needle) !== -1;
      });
      var pages = phone.matches ? Math.max(1, Math.ceil(shown.length / pageSize)) : 1;
      if (state.page >= pages) state.page = pages - 1;
      var first = phone.matches ? state.page * pageSize : 0;
      var last = phone.matches ? first + pageSize : shown.length;
      ordered.forEach(function (row) { row.hidden = true; body.appendChild(row); });
      shown.forEach(function (row, index) { row.hidden = index < first || index >= last; });
      if (count) count.textContent = shown.length + " / " + original.length;
      if (pager) {
        pager.hidden = pages < 2;
        pager.querySelector(".page-of").textContent = (state.page + 1) + " / " + pages;
        pager.querySelector(".prev").disabled = state.page === 0;
        pager.querySelector(".next").disabled = state.page >= pages - 1;
      }
      if (save) saveUrl();
    }

    if (tools) tools.hidden = false;
    if (input) {
      input.value = state.q;
      input.addEventListener("input", function () {
        state.q = input.value;
        state.page = 0;
        render(true);
      });
    }
    if (pager) {
      pager.querySelector(".prev").addEventListener("click", function () { state.page -= 1; render(false); });
      pager.querySelector(".next").addEventListener("click", function () { state.page += 1; render(false); });
    }
    if (phone.addEventListener) phone.addEventListener("change", function () { render(false); });
    table.classList.add("js");
    render(false);
  }

  document.querySelectorAll("table.sortable").forEach(enhance);
})();
