// Search for a report opened from disk (file://).
//
// Material runs its search in a Web Worker, and browsers refuse to start a worker
// from a file:// page. On such pages this replaces `Worker` with a stand-in that
// runs the worker's script in a hidden frame of the same page and passes messages
// both ways, asynchronously and as copies, like a real worker. Served pages (http)
// keep the real Worker. It loads nothing but the worker script it is given.
//
// Credit: the design (a Worker stand-in running the script in an iframe) is that of
// Martin Donath's `iframe-worker` package, the shim Material's offline search relies
// on; this is our own code after that design, not a copy. The file name holds
// "iframe-worker" on purpose: Material's offline plugin adds the package from an
// outside address (unpkg) unless a polyfill with that name is already listed, and a
// private report loads nothing from outside.
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  // A message to a worker arrives as a copy made in the receiving window.
  function copyInto(view, data) {
    try {
      return typeof view.structuredClone === "function" ? view.structuredClone(data) : data;
    } catch (error) {
      return data;
    }
  }

  function later(action) {
    window.setTimeout(action, 0);
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._waiting = [];  // messages sent before the script has loaded
      this._ready = false;

      const frame = document.createElement("iframe");
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.setAttribute("aria-hidden", "true");
      frame.title = "search";
      (document.body || document.documentElement).appendChild(frame);
      this._frame = frame;

      const scope = frame.contentWindow;
      const worker = this;
      // What a worker script finds in its global scope.
      scope.postMessage = function (data) {
        later(function () { worker._emit(new MessageEvent("message", { data: copyInto(window, data) })); });
      };
      scope.importScripts = function () {
        const sources = Array.prototype.slice.call(arguments);
        return sources.reduce(function (previous, source) {
          return previous.then(function () { return worker._load(source); });
        }, Promise.resolve());
      };
      scope.close = function () { worker.terminate(); };
      scope.addEventListener("error", function (event) {
        worker._emit(new ErrorEvent("error", { message: event.message, filename: event.filename, lineno: event.lineno, colno: event.colno }));
      });

      this._load(new URL(url, location.href).href).then(
        function () {
          worker._ready = true;
          worker._waiting.splice(0).forEach(function (data) { worker.postMessage(data); });
        },
        function () {
          worker._emit(new ErrorEvent("error", { message: "The search could not be loaded: " + url }));
        }
      );
    }

    _load(source) {
      const frame = this._frame;
      return new Promise(function (resolve, reject) {
        if (!frame) return reject(new Error("terminated"));
        const document_ = frame.contentWindow.document;
        const script = document_.createElement("script");
        script.src = new URL(source, location.href).href;
        script.onload = resolve;
        script.onerror = reject;
        (document_.head || document_.documentElement).appendChild(script);
      });
    }

    _emit(event) {
      this.dispatchEvent(event);
      const handler = event.type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") handler.call(this, event);
    }

    postMessage(data) {
      if (!this._frame) return;
      if (!this._ready) {
        this._waiting.push(data);
        return;
      }
      const scope = this._frame.contentWindow;
      later(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: copyInto(scope, data) }));
      });
    }

    terminate() {
      if (this._frame) {
        this._frame.remove();
        this._frame = null;
      }
    }
  }

  // Material's search worker looks for this name on its parent to find its language files.
  window.IFrameWorker = FrameWorker;
  window.Worker = FrameWorker;
})();
