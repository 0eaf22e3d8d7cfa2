/* Loaded first in the sandboxed H5P frame. An opaque origin has no localStorage or
 * sessionStorage (reading them throws), and H5P core reads them; give it in-memory ones so
 * the player starts. Nothing persists: resume state goes to the server via the lesson page. */
(function () {
  "use strict";
  function memoryStorage() {
    var data = {};
    return {
      getItem: function (key) { return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null; },
      setItem: function (key, value) { data[key] = String(value); },
      removeItem: function (key) { delete data[key]; },
      clear: function () { data = {}; },
      key: function (index) { return Object.keys(data)[index] || null; },
      get length() { return Object.keys(data).length; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      window[name].getItem("probe");
    } catch (error) {
      Object.defineProperty(window, name, { configurable: true, value: memoryStorage() });
    }
  });
})();
