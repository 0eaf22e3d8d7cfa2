/* Runs inside the sandboxed H5P frame (opaque origin: no cookies, no session).
 * Starts h5p-standalone with the package's files, restores the saved state, and hands
 * every xAPI statement and state change to the lesson page with postMessage. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("h5p-config").textContent);
  var target = config.parentOrigin;
  var lastState = config.state || "";

  function send(message) {
    window.parent.postMessage(message, target);
  }

  function reportHeight() {
    send({ type: "hocso-h5p-resize", height: document.documentElement.scrollHeight });
  }

  function currentState() {
    var instance = window.H5P && window.H5P.instances && window.H5P.instances[0];
    if (!instance || typeof instance.getCurrentState !== "function") return null;
    try {
      var state = instance.getCurrentState();
      return state === undefined || state === null ? null : JSON.stringify(state);
    } catch (error) {
      return null;
    }
  }

  function sendState() {
    var state = currentState();
    if (state !== null && state !== lastState) {
      lastState = state;
      send({ type: "hocso-h5p-state", state: state });
    }
  }

  var options = {
    id: "hocso",
    h5pJsonPath: config.h5pJsonPath,
    contentJsonPath: config.contentJsonPath,
    librariesPath: config.librariesPath,
    frameJs: config.frameJs,
    frameCss: config.frameCss,
    embedType: "div",
    frame: false,
    copyright: false,
    export: false,
    icon: false,
    fullScreen: false,
    // H5P core hands previousState to the content only when saveFreq is set. With no `user`
    // option it never posts anywhere itself; we read the state and send it (sendState).
    saveFreq: 30
  };
  if (config.state) {
    // H5P core reads contentUserData[subContentId][dataType] as a JSON string.
    options.contentUserData = [{ state: config.state }];
  }

  new window.H5PStandalone.H5P(document.getElementById("h5p-container"), options).then(function () {
    window.H5P.externalDispatcher.on("xAPI", function (event) {
      send({ type: "hocso-h5p-xapi", statement: event.data.statement });
      window.setTimeout(sendState, 0);
      window.setTimeout(reportHeight, 50);
    });
    send({ type: "hocso-h5p-ready" });
    reportHeight();
    window.setInterval(sendState, 5000);
    window.setInterval(reportHeight, 1000);
  });
})();
