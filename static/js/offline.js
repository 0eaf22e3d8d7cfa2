// Learning without a connection (courses/offline/). On every page: registers the service
// worker, and sends what the learner did offline. Like static/js/attendance.js, every action
// becomes an entry with its own UUID in a queue in localStorage, sent when the phone is online
// and removed only once the server has answered for it (recorded, duplicate or refused); the
// server records each UUID once, so a retry after a timeout counts nothing twice. Entries carry
// the learner's id: on a shared phone, one learner's queue is never sent as another's, and the
// saved pages of one learner are deleted when another signs in.
// On course pages: "save for offline" (size first, then a progress bar, then "remove").
// On lesson pages offline: "mark as done" and quiz answers are queued instead of posted, and an
// H5P activity that is not saved says it needs a connection.
(function () {
  "use strict";
  var configEl = document.getElementById("offline-config");
  if (!configEl) { return; }
  var config = JSON.parse(configEl.textContent);
  var words = config.messages;
  var QUEUE = "hocso-offline-queue-v1";
  var REFUSED = "hocso-offline-refused-v1";
  var COURSES = "hocso-offline-courses-v1";
  var USER = "hocso-offline-user";
  var statusEl = document.getElementById("offline-status");
  var sending = false;
  var timer = null;
  var delay = 2000;
  var loginNeeded = false;
  var hasCaches = "caches" in window;

  function read(key, fallback) {
    try { return JSON.parse(window.localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full */ }
  }
  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function mine(entry) { return entry.user === config.user; }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // --- the service worker, and a new learner on a shared phone ------------------------------
  if ("serviceWorker" in navigator) {
    var controlled = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.register(config.worker, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      // The first page of a visit loaded before the worker could keep it: keep it now. This
      // downloads the page again; once the copy is stored, <html data-offline-kept> says so
      // (going offline before then leaves this page unsaved).
      if (!controlled && hasCaches && !/^\/(admin|accounts|django-admin)\//.test(location.pathname)) {
        caches.open("hocso-pages").then(function (cache) { return cache.add(location.href); }).then(function () {
          document.documentElement.setAttribute("data-offline-kept", "");
        }).catch(function () {});
      }
    }).catch(function () {});
  }
  function forgetPages() {
    write(COURSES, {});
    if (!hasCaches) { return; }
    caches.keys().then(function (names) {
      names.forEach(function (name) {
        if (name === "hocso-pages" || name.indexOf("hocso-course-") === 0) { caches.delete(name); }
      });
    });
  }
  var lastUser = read(USER, 0);
  if (config.user && lastUser && lastUser !== config.user) { forgetPages(); }
  // Signing out deletes the learner's saved pages (the queue stays, it is theirs only).
  document.addEventListener("submit", function (event) {
    if (/\/accounts\/logout\/$/.test(event.target.getAttribute("action") || "")) { forgetPages(); }
  });
  if (config.user) { write(USER, config.user); }

  // --- the queue ------------------------------------------------------------------------------
  function enqueue(entry) {
    entry.id = uuid4();
    entry.user = config.user;
    entry.at = new Date().toISOString();
    var queue = read(QUEUE, []);
    queue.push(entry);
    write(QUEUE, queue);
    render();
    flush();
    return entry;
  }

  function render() {
    if (!statusEl) { return; }
    var pending = read(QUEUE, []).filter(mine);
    var refused = read(REFUSED, []).filter(mine);
    statusEl.textContent = "";
    var lines = [];
    if (!navigator.onLine) { lines.push(words.offline); }
    if (pending.length) { lines.push((sending ? words.sending : words.pending) + " " + pending.length); }
    if (loginNeeded && pending.length) { lines.push(words.login); }
    lines.forEach(function (line) { statusEl.appendChild(el("p", "", line)); });
    if (refused.length) {
      var list = el("ul", "offline-refused");
      refused.forEach(function (entry) {
        list.appendChild(el("li", "error", words.refused + " " + (entry.title || "") + " — " + entry.error));
      });
      statusEl.appendChild(list);
      var close = el("button", "button secondary", words.dismiss);
      close.type = "button";
      close.addEventListener("click", function () {
        write(REFUSED, read(REFUSED, []).filter(function (e) { return !mine(e); }));
        render();
      });
      statusEl.appendChild(close);
    }
    statusEl.hidden = statusEl.childNodes.length === 0;
    statusEl.classList.toggle("offline", !navigator.onLine);
    statusEl.setAttribute("data-pending", String(pending.length));
  }

  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(flush, delay);
  }

  function flush() {
    var queue = read(QUEUE, []).filter(mine);
    if (!config.sync || sending || queue.length === 0) { render(); return; }
    if (!navigator.onLine) { render(); schedule(); return; }
    sending = true;
    render();
    var batch = queue.slice(0, 50);
    fetch(config.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify({ actions: batch.map(function (e) {
        var action = { id: e.id, kind: e.kind, lesson: e.lesson, at: e.at };
        if (e.kind === "quiz") {
          action.answers = e.answers;
          if (e.draw) { action.draw = e.draw; } else { action.attempt = e.attempt; }
        }
        return action;
      }) })
    }).then(function (response) {
      // Signed out or the session's token changed: keep everything, ask to sign in.
      loginNeeded = response.status === 401 || response.status === 403;
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var answered = {};
      var refused = read(REFUSED, []);
      var byId = {};
      batch.forEach(function (e) { byId[e.id] = e; });
      (data.results || []).forEach(function (result) {
        var entry = byId[result.id];
        if (!entry || (!result.ok && result.retry !== false)) { return; }
        answered[result.id] = true;
        if (!result.ok) {
          refused.push({ id: entry.id, user: entry.user, title: entry.title, error: result.error });
        }
        document.dispatchEvent(new CustomEvent("hocso:offline-result", { detail: { entry: entry, result: result } }));
      });
      write(QUEUE, read(QUEUE, []).filter(function (e) { return !answered[e.id]; }));
      write(REFUSED, refused.slice(-20));
      sending = false;
      delay = 2000;
      render();
      if (read(QUEUE, []).some(mine)) { schedule(); }
    }).catch(function () {
      // Offline, timed out, a server error or signed out: kept, and tried again later.
      sending = false;
      delay = Math.min(delay * 2, 60000);
      render();
      schedule();
    });
  }

  function queued(kind, lesson) {
    return read(QUEUE, []).filter(function (e) { return mine(e) && e.kind === kind && e.lesson === lesson; });
  }

  function lessonId(action, pattern) {
    var match = (action || "").match(pattern);
    return match ? parseInt(match[1], 10) : null;
  }

  function pageTitle() {
    var h1 = document.querySelector("h1");
    return h1 ? h1.textContent.trim() : document.title;
  }

  // --- lesson pages: "mark as done" ---------------------------------------------------------
  function showDoneQueued(form) {
    var note = el("p", "badge lesson-done-queued", words.done_queued);
    note.setAttribute("role", "status");
    form.replaceWith(note);
  }
  document.querySelectorAll("form[action$='/done/']").forEach(function (form) {
    var lesson = lessonId(form.getAttribute("action"), /\/lessons\/(\d+)\/done\/$/);
    if (lesson === null) { return; }
    if (queued("lesson_done", lesson).length) { showDoneQueued(form); return; }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      enqueue({ kind: "lesson_done", lesson: lesson, title: pageTitle() });
      showDoneQueued(form);
    });
  });

  // --- quizzes ------------------------------------------------------------------------------
  // Offline, "start the quiz" opens the offline form (saved with the course).
  document.querySelectorAll("form.quiz-start").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      window.location.href = form.getAttribute("action").replace(/start\/$/, "offline/");
    });
  });

  function answersOf(form) {
    var answers = {};
    var missing = false;
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      var picked = [];
      var name = null;
      fieldset.querySelectorAll("input[name^='q-']").forEach(function (input) {
        name = input.name.slice(2);
        if (input.checked) { picked.push(input.value); }
      });
      if (name === null) { return; }
      answers[name] = picked;
      var error = fieldset.querySelector(".offline-error") || fieldset.querySelector("p.error[hidden]");
      if (!picked.length) {
        missing = true;
        if (!error) { error = el("p", "error offline-error"); error.setAttribute("role", "alert"); fieldset.appendChild(error); }
        error.textContent = words.choose;
        error.hidden = false;
      } else if (error && error.classList.contains("offline-error")) {
        error.hidden = true;
      }
    });
    return missing ? null : answers;
  }

  function showQuizState(box, entry, result) {
    box.textContent = "";
    box.hidden = false;
    if (!result) {
      box.appendChild(el("p", "", words.kept));
      box.appendChild(el("p", "quiz-graded-later", words.graded_later));
      return;
    }
    box.classList.toggle("passed", !!result.passed);
    box.classList.toggle("failed", result.ok && !result.passed);
    if (!result.ok) {
      box.appendChild(el("p", "error", words.refused + " " + result.error));
    } else {
      var strong = el("strong", "", result.passed ? words.passed : words.not_passed);
      var line = el("p", "quiz-graded", words.graded + " ");
      line.appendChild(strong);
      line.appendChild(document.createTextNode(" · " + result.score + "%"));
      box.appendChild(line);
    }
    if (entry.lessonUrl) {
      var link = el("a", "button", words.see_result);
      link.href = entry.lessonUrl + "#quiz";
      box.appendChild(link);
    }
  }

  function quizForm(form, box, fields) {
    var lesson = parseInt(form.getAttribute("data-lesson"), 10);
    var waiting = queued("quiz", lesson);
    if (waiting.length) {
      form.hidden = true;
      showQuizState(box, waiting[0], null);
    }
    form.addEventListener("submit", function (event) {
      if (fields.onlineOnly && navigator.onLine) { return; }
      event.preventDefault();
      var answers = answersOf(form);
      if (!answers) { return; }
      var entry = { kind: "quiz", lesson: lesson, answers: answers, title: pageTitle(),
                    lessonUrl: fields.lessonUrl };
      if (fields.draw) { entry.draw = fields.draw; } else { entry.attempt = fields.attempt; }
      form.hidden = true;
      var note = form.parentNode.querySelector(".offline-note");
      if (note) { note.hidden = true; }
      showQuizState(box, entry, null);
      enqueue(entry);
    });
    document.addEventListener("hocso:offline-result", function (event) {
      var detail = event.detail;
      if (detail.entry.kind === "quiz" && detail.entry.lesson === lesson) {
        showQuizState(box, detail.entry, detail.result);
      }
    });
  }

  // The offline quiz form (always queued: graded when it reaches the server).
  var offlineForm = document.querySelector("form.quiz-offline");
  if (offlineForm) {
    quizForm(offlineForm, document.querySelector(".quiz-offline-state"), {
      draw: offlineForm.getAttribute("data-draw"),
      attempt: parseInt(offlineForm.getAttribute("data-attempt"), 10) || null,
      lessonUrl: offlineForm.getAttribute("data-lesson-url"),
      onlineOnly: false
    });
  }
  // An attempt opened online and answered offline: queued instead of lost.
  var attemptForm = document.querySelector("form.quiz-attempt[data-attempt]");
  if (attemptForm) {
    var lessonMatch = lessonId(attemptForm.getAttribute("action"), /\/lessons\/(\d+)\/quiz\/$/);
    attemptForm.setAttribute("data-lesson", String(lessonMatch));
    var box = el("div", "quiz-offline-state quiz-result");
    box.setAttribute("role", "status");
    box.hidden = true;
    attemptForm.parentNode.insertBefore(box, attemptForm.nextSibling);
    quizForm(attemptForm, box, {
      attempt: parseInt(attemptForm.getAttribute("data-attempt"), 10),
      lessonUrl: window.location.pathname,
      onlineOnly: true
    });
  }

  // --- H5P activities: they play online, or from a cache that holds them ---------------------
  function checkActivities() {
    document.querySelectorAll("[data-h5p-activity]").forEach(function (section) {
      var frame = section.querySelector("iframe");
      var note = section.querySelector(".needs-network");
      var opener = section.querySelector(".h5p-open");
      if (!frame) { return; }
      // The player's address: its src once opened, else the one it will load (data-src). An
      // empty src must not be looked up: it would match the lesson page itself.
      var src = frame.getAttribute("src") || frame.getAttribute("data-src");
      var show = function (offline) {
        if (offline && !note) {
          note = el("p", "needs-network callout", words.needs_network);
          note.setAttribute("role", "note");
          section.insertBefore(note, opener || frame);
        }
        if (note) { note.hidden = !offline; }
        section.toggleAttribute("data-needs-network", offline);
        if (offline && !frame.hasAttribute("data-offline-hidden")) {
          frame.setAttribute("data-offline-hidden", frame.hidden ? "was" : "");
          frame.hidden = true;
        } else if (!offline && frame.hasAttribute("data-offline-hidden")) {
          frame.hidden = frame.getAttribute("data-offline-hidden") === "was";
          frame.removeAttribute("data-offline-hidden");
        }
        if (opener) { opener.hidden = offline; }
      };
      if (navigator.onLine) { show(false); return; }
      if (!hasCaches || !src) { show(true); return; }
      caches.match(new URL(src, location.href).href).then(function (hit) { show(!hit); }, function () { show(true); });
    });
  }

  // --- course pages: save for offline --------------------------------------------------------
  function formatBytes(n) {
    var lang = document.documentElement.lang || "vi";
    if (n < 1024 * 1024) { return (n / 1024).toLocaleString(lang, { maximumFractionDigits: 0 }) + " KB"; }
    return (n / 1024 / 1024).toLocaleString(lang, { maximumFractionDigits: 1 }) + " MB";
  }

  function saveWidget(root) {
    if (!hasCaches || !("serviceWorker" in navigator)) { return; }
    root.hidden = false;
    var state = root.querySelector(".offline-save-state");
    var bar = root.querySelector(".offline-save-progress");
    var buttons = {};
    root.querySelectorAll("button[data-action]").forEach(function (b) { buttons[b.getAttribute("data-action")] = b; });
    var cacheName = root.getAttribute("data-cache");
    var course = root.getAttribute("data-course");
    var manifest = null;
    function msg(name) { return root.getAttribute("data-msg-" + name); }
    function show(which) {
      Object.keys(buttons).forEach(function (k) { buttons[k].hidden = which.indexOf(k) === -1; });
    }
    function saved(info) {
      root.setAttribute("data-state", "saved");
      state.textContent = msg("saved") + " " + formatBytes(info.bytes) +
        " · " + new Date(info.saved_at).toLocaleDateString(document.documentElement.lang || "vi");
      show(["remove", "check"]);
    }
    var index = read(COURSES, {});
    caches.has(cacheName).then(function (has) {
      if (has && index[course]) { saved(index[course]); } else { root.setAttribute("data-state", "none"); show(["check"]); }
    });

    buttons.check.addEventListener("click", function () {
      if (!navigator.onLine) { state.textContent = msg("online"); return; }
      buttons.check.disabled = true;
      fetch(root.getAttribute("data-manifest-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (data) {
          manifest = data;
          root.setAttribute("data-state", "sized");
          root.setAttribute("data-bytes", String(data.total_bytes));
          state.textContent = msg("size") + " " + formatBytes(data.total_bytes) + " (" + data.entries.length + " " + msg("files") + ")";
          show(["download"]);
        })
        .catch(function () { state.textContent = msg("failed"); })
        .then(function () { buttons.check.disabled = false; });
    });

    buttons.download.addEventListener("click", function () {
      if (!manifest) { return; }
      buttons.download.disabled = true;
      root.setAttribute("data-state", "saving");
      bar.hidden = false;
      bar.value = 0;
      state.textContent = msg("saving");
      var total = Math.max(1, manifest.total_bytes);
      var done = 0;
      var next = 0;
      var failed = false;
      // The old copy is replaced as a whole: a course saved half-way is not kept.
      caches.delete(cacheName).then(function () { return caches.open(cacheName); }).then(function (cache) {
        function worker() {
          if (failed || next >= manifest.entries.length) { return Promise.resolve(); }
          var entry = manifest.entries[next++];
          return fetch(entry.url, { credentials: "same-origin" }).then(function (response) {
            if (!response.ok || response.redirected) { throw new Error(entry.url); }
            return cache.put(entry.url, response);
          }).then(function () {
            done += entry.bytes;
            bar.value = Math.min(100, Math.round(100 * done / total));
            return worker();
          });
        }
        return Promise.all([worker(), worker(), worker()]);
      }).then(function () {
        bar.value = 100;
        var all = read(COURSES, {});
        all[course] = { title: root.getAttribute("data-title"), url: root.getAttribute("data-url"),
                        bytes: manifest.total_bytes, version: manifest.version, saved_at: new Date().toISOString() };
        write(COURSES, all);
        saved(all[course]);
      }).catch(function (error) {
        failed = true;
        caches.delete(cacheName);
        root.setAttribute("data-state", "failed");
        state.textContent = (error && error.name === "QuotaExceededError") ? msg("no-space") : msg("failed");
        show(["check"]);
      }).then(function () {
        buttons.download.disabled = false;
        bar.hidden = true;
      });
    });

    buttons.remove.addEventListener("click", function () {
      caches.delete(cacheName).then(function () {
        var all = read(COURSES, {});
        delete all[course];
        write(COURSES, all);
        root.setAttribute("data-state", "removed");
        state.textContent = msg("removed");
        show(["check"]);
      });
    });
  }
  var widget = document.getElementById("offline-save");
  if (widget && config.user) { saveWidget(widget); }

  // --- the offline page: the courses saved on this phone -------------------------------------
  var savedList = document.querySelector(".offline-courses");
  if (savedList) {
    var courses = read(COURSES, {});
    var ids = Object.keys(courses);
    if (!ids.length) { savedList.appendChild(el("li", "meta", savedList.getAttribute("data-empty"))); }
    ids.forEach(function (id) {
      var item = el("li");
      var link = el("a", "", courses[id].title);
      link.href = courses[id].url;
      item.appendChild(link);
      savedList.appendChild(item);
    });
  }

  window.addEventListener("online", function () { delay = 2000; render(); checkActivities(); flush(); });
  window.addEventListener("offline", function () { render(); checkActivities(); });
  setInterval(flush, 30000);
  checkActivities();
  render();
  flush();
})();
