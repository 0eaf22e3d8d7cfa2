/* The lesson page's side of H5P play. Each activity's player runs in a sandboxed iframe
 * (opaque origin); it posts xAPI statements and state here. We accept a message only from
 * one of our H5P frames' windows (event.source) with the opaque origin "null", and post it
 * to our endpoints with the session cookie and the CSRF token. */
(function () {
  "use strict";
  var endpoints = document.getElementById("h5p-endpoints");
  if (!endpoints) return;
  var token = endpoints.querySelector("input[name=csrfmiddlewaretoken]").value;
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-h5p-activity]"));
  // Each activity's frame loads when the learner opens it: the page stays light.
  sections.forEach(function (section) {
    var button = section.querySelector("[data-h5p-open]");
    var frame = section.querySelector("iframe[data-src]");
    if (!button || !frame) return;
    button.addEventListener("click", function () {
      frame.src = frame.getAttribute("data-src");
      frame.hidden = false;
      button.parentNode.remove();
      frame.focus();
    });
  });

  function sectionFor(source) {
    for (var i = 0; i < sections.length; i++) {
      var frame = sections[i].querySelector("iframe");
      if (frame && frame.contentWindow === source) return sections[i];
    }
    return null;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    });
  }

  function showResult(section, data) {
    var status = section.querySelector(".h5p-status");
    if (!status || data.score === undefined) return;
    var text = endpoints.dataset.scoreLabel + " " + data.score + "%.";
    if (data.completed) text += " " + endpoints.dataset.doneLabel;
    status.textContent = text;
    section.dataset.score = data.score;
  }

  // Statements are sent one at a time, in order, so "answered" is never overtaken.
  var queue = Promise.resolve();

  window.addEventListener("message", function (event) {
    var section = sectionFor(event.source);
    if (!section || event.origin !== "null") return;
    var message = event.data;
    if (!message || typeof message !== "object") return;
    var ids = { lesson: section.dataset.lesson, block: section.dataset.block };
    if (message.type === "hocso-h5p-xapi" && message.statement && typeof message.statement === "object") {
      queue = queue.then(function () {
        return post(endpoints.dataset.xapiUrl, {
          lesson: ids.lesson, block: ids.block, statement: message.statement
        }).then(function (result) {
          if (result.ok) showResult(section, result.data);
        }).catch(function () {});
      });
    } else if (message.type === "hocso-h5p-state" && typeof message.state === "string") {
      queue = queue.then(function () {
        return post(endpoints.dataset.stateUrl, {
          lesson: ids.lesson, block: ids.block, state: message.state
        }).catch(function () {});
      });
    } else if (message.type === "hocso-h5p-resize" && typeof message.height === "number") {
      var frame = section.querySelector("iframe");
      frame.style.height = Math.max(200, Math.min(message.height + 20, 4000)) + "px";
    } else if (message.type === "hocso-h5p-ready") {
      section.dataset.ready = "1";
    }
  });
})();
