// The trainer's check-in screen keeps its rotating code current: when the code's minute ends
// it asks the server for the new code and QR code (the server alone knows the key). Without
// this script the page refreshes itself (<noscript> meta refresh) and has a refresh link.
(function () {
  "use strict";
  var root = document.getElementById("checkin-screen");
  if (!root || !root.getAttribute("data-json-url")) { return; }
  var url = root.getAttribute("data-json-url");
  var codeEl = root.querySelector(".checkin-code");
  var qrEl = root.querySelector(".qr");
  var countdownEl = root.querySelector(".checkin-countdown");
  var errorEl = root.querySelector(".checkin-screen-error");
  var template = countdownEl.getAttribute("data-template");
  var deadline = Date.now() + parseInt(root.getAttribute("data-seconds"), 10) * 1000;
  var timer = null;

  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdownEl.textContent = template.replace("%(seconds)s", String(left));
    if (left === 0) { refresh(); return; }
    timer = setTimeout(tick, 1000);
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (!result.ok) {
          errorEl.hidden = false;
          errorEl.textContent = result.data.error || "";
          codeEl.textContent = "—";
          qrEl.innerHTML = "";
          return;
        }
        var code = result.data.code;
        errorEl.hidden = true;
        codeEl.textContent = code.slice(0, 3) + " " + code.slice(3);
        qrEl.innerHTML = result.data.qr;  // SVG made by our server from its own URL
        deadline = Date.now() + result.data.seconds * 1000;
        tick();
      })
      .catch(function () {
        // Offline for a moment: try again shortly (the old code stays valid one more minute).
        deadline = Date.now() + 3000;
        timer = setTimeout(tick, 1000);
      });
  }

  tick();
})();
