/* The lesson page's side of SCORM play: the player frame (same origin) tells us of each saved
 * commit; we show the learner their score and completion. Only messages from one of our
 * SCORM frames' windows and our own origin are read. */
(function () {
  "use strict";
  var labels = document.getElementById("scorm-labels");
  if (!labels) return;
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-scorm-activity]"));
  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin) return;
    var section = null;
    sections.forEach(function (s) {
      var frame = s.querySelector("iframe");
      if (frame && frame.contentWindow === event.source) section = s;
    });
    var message = event.data;
    if (!section || !message || message.type !== "hocso-scorm-commit" || !message.result) return;
    var result = message.result;
    section.dataset.saved = String(Number(section.dataset.saved || 0) + 1);
    var status = section.querySelector(".scorm-status");
    var parts = [labels.dataset.saved];
    if (typeof result.score === "number") parts.push(labels.dataset.score + " " + result.score + "%.");
    if (result.completed) parts.push(labels.dataset.done);
    if (status) status.textContent = parts.join(" ");
  });
})();
