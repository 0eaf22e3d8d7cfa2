/* Learning by ear and the simple (low-literacy) mode, on every page.
 *
 * - Audio resumes where it stopped: each <audio data-resume="lesson:document"> keeps its
 *   position in localStorage ("hocso-audio-<lesson>:<document>") and starts from there.
 * - The lesson's "Listen" button plays the lesson's narration (<audio data-narration>); without
 *   one it reads the lesson with the browser's speech (speechSynthesis, a Vietnamese voice),
 *   and says so plainly when neither exists. Quiz questions have their own read-aloud buttons.
 * - Simple mode (html.simple, remembered on this device in localStorage "hocso-simple", and for
 *   a signed-in learner on their profile too: the button posts to its data-simple-url, and the
 *   server then renders html.simple / data-simple itself; without a choice of the learner's the
 *   inline script in base.html applies the device's before the page paints): big touch targets,
 *   icons beside words, read-aloud buttons, and a quiz shown one question per screen.
 * Audio stays plain <audio src> elements, so an offline cache can keep the files. */
(function () {
  "use strict";
  var root = document.documentElement;
  var SIMPLE = "hocso-simple";
  var store = null;
  try { store = window.localStorage; } catch (error) { store = null; }

  function get(key) { try { return store ? store.getItem(key) : null; } catch (e) { return null; } }
  function set(key, value) {
    try { if (store) { if (value === null) store.removeItem(key); else store.setItem(key, value); } } catch (e) { /* full */ }
  }

  /* --- simple mode ------------------------------------------------------------------- */
  var toggles = Array.prototype.slice.call(document.querySelectorAll("[data-simple-toggle]"));
  function applySimple(on) {
    root.classList.toggle("simple", on);
    toggles.forEach(function (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); });
    quizPaging(on);
  }
  toggles.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = !root.classList.contains("simple");
      set(SIMPLE, on ? "1" : null);
      applySimple(on);
      var url = button.getAttribute("data-simple-url");
      if (url) { remember(url, on); }
    });
  });

  // Signed in: kept on the learner's profile. Offline, it stays on this device only.
  function remember(url, on) {
    root.setAttribute("data-simple", on ? "1" : "0");
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    var token = match ? decodeURIComponent(match[1]) : (input ? input.value : "");
    var body = new URLSearchParams();
    body.set("on", on ? "1" : "0");
    fetch(url, { method: "POST", credentials: "same-origin", body: body,
                 headers: { "X-CSRFToken": token, "Accept": "application/json" } })
      .then(function (response) { if (response.ok) { root.setAttribute("data-simple-saved", on ? "1" : "0"); } })
      .catch(function () { /* offline: this device keeps it */ });
  }

  /* --- resume where it stopped ---------------------------------------------------------- */
  Array.prototype.forEach.call(document.querySelectorAll("audio[data-resume]"), function (audio) {
    var key = "hocso-audio-" + audio.getAttribute("data-resume");
    var saved = parseFloat(get(key) || "0");
    var last = 0;
    function restore() {
      if (saved > 0 && audio.currentTime < 1 && (!audio.duration || saved < audio.duration - 1)) {
        audio.currentTime = saved;
      }
      saved = 0;
    }
    audio.addEventListener("loadedmetadata", restore);
    audio.addEventListener("play", restore);
    audio.addEventListener("timeupdate", function () {
      if (Math.abs(audio.currentTime - last) >= 2) { last = audio.currentTime; set(key, String(last)); }
    });
    audio.addEventListener("pause", function () {
      if (audio.currentTime > 0 && !audio.ended) set(key, String(audio.currentTime));
    });
    audio.addEventListener("ended", function () { set(key, null); });
  });

  /* --- speech ---------------------------------------------------------------------------- */
  var synth = window.speechSynthesis || null;
  function vietnameseVoice() {
    if (!synth || !window.SpeechSynthesisUtterance) return null;
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().replace("_", "-").indexOf("vi") === 0) return voices[i];
    }
    return null;
  }
  function whenVoices(then) {
    if (!synth) { then(null); return; }
    var voice = vietnameseVoice();
    if (voice || (synth.getVoices() || []).length) { then(voice); return; }
    var done = false;
    function finish() { if (!done) { done = true; then(vietnameseVoice()); } }
    synth.addEventListener && synth.addEventListener("voiceschanged", finish);
    window.setTimeout(finish, 800);
  }
  function speak(text, voice) {
    synth.cancel();
    // Short pieces: long utterances stop half-way in some browsers.
    text.split(/(?<=[.!?:;])\s+|\n+/).forEach(function (piece) {
      piece = piece.trim();
      if (!piece) return;
      var utterance = new SpeechSynthesisUtterance(piece);
      utterance.lang = "vi-VN";
      utterance.voice = voice;
      synth.speak(utterance);
    });
  }
  function say(status, text) {
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }
  function readAloud(text, status) {
    if (synth && synth.speaking) { synth.cancel(); say(status, ""); return; }
    whenVoices(function (voice) {
      if (!voice) { say(status, status ? status.getAttribute("data-no-voice") : ""); return; }
      say(status, "");
      speak(text, voice);
    });
  }
  function textOf(element) {
    var copy = element.cloneNode(true);
    Array.prototype.forEach.call(
      copy.querySelectorAll("script, button, form, audio, .no-read, [hidden], .quiz, .transcript"),
      function (node) { node.remove(); }
    );
    return copy.innerText || copy.textContent || "";
  }

  /* --- the lesson's Listen button ------------------------------------------------------- */
  Array.prototype.forEach.call(document.querySelectorAll("[data-listen]"), function (button) {
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    var narration = document.querySelector("audio[data-narration]");
    button.addEventListener("click", function () {
      if (narration) {
        if (narration.paused) {
          var playing = narration.play();
          if (playing && playing.catch) playing.catch(function () { /* the controls remain */ });
        } else {
          narration.pause();
        }
        narration.scrollIntoView({ block: "center" });
        return;
      }
      var lesson = document.querySelector(button.getAttribute("data-listen"));
      var title = document.querySelector("h1");
      if (lesson) readAloud((title ? title.textContent.trim() + ".\n" : "") + textOf(lesson), status);
    });
  });

  /* --- quiz questions read aloud ---------------------------------------------------------- */
  Array.prototype.forEach.call(document.querySelectorAll("[data-read-question]"), function (button) {
    var question = button.closest("fieldset");
    var status = question && question.querySelector(".read-status");
    button.addEventListener("click", function () {
      if (!question) return;
      var parts = [textOf(question.querySelector("legend"))];
      Array.prototype.forEach.call(question.querySelectorAll("label"), function (label, index) {
        parts.push((index + 1) + ". " + label.textContent.trim() + ".");
      });
      readAloud(parts.join("\n"), status);
    });
  });

  /* --- one question per screen in simple mode --------------------------------------------- */
  var form = document.querySelector("form.quiz-attempt");
  var current = 0;
  function quizPaging(on) {
    if (!form) return;
    var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
    var submit = form.querySelector("button[type=submit]");
    var pager = form.querySelector(".question-pager");
    if (!pager || questions.length < 2) return;
    var withError = questions.findIndex(function (q) { return q.classList.contains("has-error"); });
    if (withError >= 0 && current === 0) current = withError;
    questions.forEach(function (question, index) { question.hidden = on && index !== current; });
    var last = current >= questions.length - 1;
    pager.hidden = !on;
    pager.querySelector("[data-step='-1']").hidden = current === 0;
    pager.querySelector("[data-step='1']").hidden = last;
    pager.querySelector(".question-count").textContent = (current + 1) + " / " + questions.length;
    if (submit) submit.hidden = on && !last;
  }
  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll(".question-pager [data-step]"), function (button) {
      button.addEventListener("click", function () {
        var count = form.querySelectorAll("fieldset.question").length;
        current = Math.max(0, Math.min(count - 1, current + parseInt(button.getAttribute("data-step"), 10)));
        quizPaging(true);
        var shown = form.querySelectorAll("fieldset.question")[current];
        if (shown) { var first = shown.querySelector("input"); if (first) first.focus(); }
      });
    });
  }
  applySimple(root.classList.contains("simple"));
})();
