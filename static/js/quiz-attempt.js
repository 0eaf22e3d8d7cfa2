/* The open quiz attempt keeps the learner's choices on the phone (localStorage, keyed by the
 * attempt id) until the server has graded it: a reload, a dropped connection or a closed tab
 * loses nothing, and the page restores the choices. Offline, submitting is held with a
 * message instead of failing; the server grades an attempt once whatever is resent. */
(function () {
  "use strict";
  var form = document.querySelector("form.quiz-attempt[data-attempt]");
  var prefix = "hocso-quiz-";
  var store;
  try {
    store = window.localStorage;
  } catch (error) {
    return; // storage disabled: the form still works, it just does not remember
  }
  // Attempts that are no longer open on this page were graded or expired: forget them.
  var key = form ? prefix + form.getAttribute("data-attempt") : null;
  for (var i = store.length - 1; i >= 0; i--) {
    var name = store.key(i);
    if (name && name.indexOf(prefix) === 0 && name !== key) store.removeItem(name);
  }
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name^='q-']"));

  function save() {
    var picked = inputs.filter(function (input) { return input.checked; })
      .map(function (input) { return input.value; });
    try {
      store.setItem(key, JSON.stringify(picked));
    } catch (error) { /* full or private mode: nothing more to do */ }
  }

  var saved = null;
  try {
    saved = JSON.parse(store.getItem(key) || "null");
  } catch (error) { saved = null; }
  var anyChecked = inputs.some(function (input) { return input.checked; });
  if (Array.isArray(saved) && !anyChecked) {
    inputs.forEach(function (input) { input.checked = saved.indexOf(input.value) !== -1; });
  }
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) {
    save();
    if (navigator.onLine === false) {
      event.preventDefault();
      var note = form.querySelector(".offline-note");
      if (note) note.hidden = false;
    }
  });
})();
