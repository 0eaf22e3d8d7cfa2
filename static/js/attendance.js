// Attendance that survives a dropped connection. Every tap becomes a mark with its own UUID,
// kept in a queue in localStorage and sent when the phone is online; the server records each
// UUID once, so a mark sent twice (a retry after a timeout) is not counted twice, and a mark
// is only removed from the queue once the server has answered for it.
(function () {
  "use strict";
  var root = document.getElementById("attendance");
  if (!root) { return; }
  var KEY = "hocso-attendance-queue-v1";
  var url = root.getAttribute("data-sync-url");
  var day = parseInt(root.getAttribute("data-day"), 10);
  var csrf = root.getAttribute("data-csrf");
  var pendingEl = root.querySelector(".pending-count");
  var stateEl = root.querySelector(".net-state");
  var errorEl = root.querySelector(".sync-error");
  var sending = false;
  var timer = null;
  var delay = 2000;
  root.classList.add("js");

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }

  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function render() {
    var queue = load();
    pendingEl.textContent = String(queue.length);
    var waiting = {};
    queue.forEach(function (m) { if (m.url === url && m.day === day) { waiting[m.learner] = true; } });
    root.querySelectorAll(".learner").forEach(function (li) {
      li.classList.toggle("pending", !!waiting[li.getAttribute("data-learner")]);
    });
    var key = !navigator.onLine ? "data-offline" : (sending ? "data-sending" : "data-online");
    stateEl.textContent = stateEl.getAttribute(key);
    root.classList.toggle("offline", !navigator.onLine);
  }

  function learnerRow(learner) {
    return root.querySelector(".learner[data-learner='" + String(learner) + "']");
  }

  // A refused mark stays visible on its learner's row (the server did not record it).
  function showRefusal(li, reason) {
    var el = li.querySelector(".refusal");
    li.classList.toggle("refused", !!reason);
    if (!reason) { if (el) { el.remove(); } return; }
    if (!el) {
      el = document.createElement("span");
      el.className = "refusal error";
      el.setAttribute("role", "alert");
      li.appendChild(el);
    }
    el.textContent = reason;
  }

  function showProblems(problems) {
    errorEl.hidden = problems.length === 0;
    errorEl.textContent = problems.join(" ");
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(flush, delay);
  }

  function flush() {
    var queue = load().filter(function (m) { return m.url === url; });
    if (sending || queue.length === 0) { render(); return; }
    if (!navigator.onLine) { render(); schedule(); return; }
    sending = true;
    render();
    var batch = queue.slice(0, 200);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ marks: batch.map(function (m) {
        return { uuid: m.uuid, day: m.day, learner: m.learner, status: m.status, marked_at: m.marked_at };
      }) })
    }).then(function (response) {
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        // Refused as a whole (e.g. the class is no longer in this trainer's units): say why,
        // and keep the marks on the phone.
        return response.json().catch(function () { return {}; }).then(function (data) {
          showProblems([data.error || ("HTTP " + response.status)]);
          throw new Error("HTTP " + response.status);
        });
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var settled = {};
      var problems = [];
      var byUuid = {};
      load().forEach(function (m) { byUuid[m.uuid] = m; });
      (data.results || []).forEach(function (result) {
        if (result.uuid && (result.ok || result.retry === false)) { settled[result.uuid] = true; }
        var li = byUuid[result.uuid] ? learnerRow(byUuid[result.uuid].learner) : null;
        if (li) { showRefusal(li, result.ok ? "" : (result.error || "")); }
        if (!result.ok && result.error) {
          var name = li ? li.querySelector(".name").firstChild.textContent.trim() + ": " : "";
          problems.push(name + result.error);
        }
      });
      save(load().filter(function (m) { return !settled[m.uuid]; }));
      showProblems(problems);
      sending = false;
      delay = 2000;
      render();
      if (load().some(function (m) { return m.url === url; })) { schedule(); }
    }).catch(function () {
      // Offline, timed out or refused: the marks stay queued and go with the next try.
      sending = false;
      delay = Math.min(delay * 2, 30000);
      render();
      schedule();
    });
  }

  // Marks still queued from before (e.g. the page was reloaded offline) show as chosen.
  load().forEach(function (m) {
    if (m.url === url && m.day === day) {
      var input = document.getElementById("s-" + m.learner + "-" + m.status);
      if (input) { input.checked = true; }
    }
  });

  root.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=radio]")) { return; }
    var learner = parseInt(input.closest(".learner").getAttribute("data-learner"), 10);
    var queue = load();
    queue.push({ uuid: uuid4(), url: url, day: day, learner: learner, status: input.value,
                 marked_at: new Date().toISOString() });
    save(queue);
    render();
    flush();
  });
  root.querySelector(".sheet-form").addEventListener("submit", function (event) {
    event.preventDefault();  // with the script every tap is already queued
    flush();
  });
  window.addEventListener("online", function () { delay = 2000; flush(); });
  window.addEventListener("offline", render);
  setInterval(flush, 15000);
  render();
  flush();
})();
