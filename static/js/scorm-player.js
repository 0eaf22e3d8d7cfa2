/* The SCORM player: scorm-again's runtime as window.API (SCORM 1.2) or window.API_1484_11
 * (SCORM 2004), started from the learner's saved CMI data, and the SCO in a child frame.
 * Commits go to our JSON endpoint with a signed token, a random session id and a commit
 * number, so the server can tell a resend from a newer commit. The lesson page (same
 * origin) is told of each saved commit with postMessage to show the learner's progress. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("scorm-config").textContent);
  var bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  var session = Array.prototype.map.call(bytes, function (b) {
    return ("0" + b.toString(16)).slice(-2);
  }).join("");
  var seq = config.seq || 0;

  function tell(data) {
    if (window.parent !== window) {
      window.parent.postMessage({ type: "hocso-scorm-commit", block: config.block, result: data }, window.location.origin);
    }
  }

  var settings = {
    lmsCommitUrl: config.commitUrl,
    autocommit: true,
    autocommitSeconds: 30,
    dataCommitFormat: "json",
    commitRequestDataType: "application/json;charset=UTF-8",
    terminationCommitContentType: "application/json;charset=UTF-8",
    logLevel: 4,
    requestHandler: function (commitObject) {
      seq += 1;
      return { token: config.token, session: session, seq: seq, cmi: commitObject };
    },
    xhrResponseHandler: function (xhr) {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      var ok = xhr.status >= 200 && xhr.status < 300 && data && data.result === true;
      if (data) tell(data);
      return { result: ok ? "true" : "false", errorCode: ok ? 0 : 101 };
    }
  };
  var api = config.version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
  api.loadFromJSON(config.cmi, "");
  if (config.version === "1.2") {
    window.API = api;
  } else {
    window.API_1484_11 = api;
  }
  var frame = document.createElement("iframe");
  frame.src = config.launch;
  frame.title = document.title;
  frame.setAttribute("allow", "fullscreen");
  document.body.appendChild(frame);
})();
