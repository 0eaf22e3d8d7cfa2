// Commune search for the profile form: type a name, pick from the list; fills the hidden id.
// Works without this script too: the typed name is resolved on the server when unambiguous.
(function () {
  "use strict";
  document.querySelectorAll(".unit-search").forEach(function (box) {
    var query = box.querySelector(".unit-query");
    var hidden = box.querySelector(".unit-id");
    var list = box.querySelector(".unit-results");
    var chosen = box.querySelector(".unit-chosen");
    var url = box.getAttribute("data-search-url");
    var timer = null;
    var lastTerm = "";

    function clear() { list.innerHTML = ""; list.hidden = true; }

    function render(results) {
      list.innerHTML = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = item.label;
        button.setAttribute("role", "option");
        button.addEventListener("click", function () {
          hidden.value = item.id;
          query.value = item.label;
          chosen.textContent = "✓ " + item.label;
          clear();
        });
        li.appendChild(button);
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
    }

    query.addEventListener("input", function () {
      hidden.value = "";
      chosen.textContent = "";
      var term = query.value.trim();
      if (timer) { clearTimeout(timer); }
      if (term.length < 2) { clear(); return; }
      timer = setTimeout(function () {
        lastTerm = term;
        fetch(url + "?q=" + encodeURIComponent(term), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { if (term === lastTerm) { render(data.results || []); } })
          .catch(clear);
      }, 250);
    });
  });
})();
