// Draws each chart with the local Vega runtime, from the spec in the page (the same drawing
// is printed). Without JavaScript a line in each figure says so, and each chart's numbers
// are in the table under it.
(function () {
  "use strict";
  // The chart runtime (about 900 KB) is loaded only by the pages that have charts, from
  // beside this file: the other pages (every session's) open and reload without parsing it.
  var here = document.currentScript && document.currentScript.src;

  function withRuntime(then) {
    if (typeof window.vegaEmbed === "function") { then(); return; }
    if (!here || !document.querySelector(".kj-chart .kj-chart-live")) return;
    var script = document.createElement("script");
    script.src = new URL("vega-runtime.js", here).href;
    function none(why) {
      document.querySelectorAll(".kj-chart").forEach(function (figure) { failed(figure, why); });
    }
    // A script that loads but breaks (cut short, say) still fires onload: check what it set.
    script.onload = function () {
      if (typeof window.vegaEmbed === "function") then(); else none("the chart runtime did not start");
    };
    script.onerror = function () { none("the chart runtime did not load"); };
    document.head.appendChild(script);
  }

  // A chart that cannot be drawn says so where it would be, and where its numbers are; its
  // box is no longer announced as a picture, and its table opens (and prints).
  function failed(figure, why) {
    var live = figure.querySelector(".kj-chart-live");
    var data = figure.querySelector(".kj-chart-data");
    figure.dataset.drawn = "failed";
    console.warn("chart " + figure.id + " was not drawn: " + why);
    if (!live || figure.querySelector(".kj-chart-failed")) return;
    live.removeAttribute("role");
    live.removeAttribute("aria-label");
    var line = document.createElement("p");
    line.className = "kj-chart-failed";
    line.textContent = "This chart could not be drawn. " + (data
      ? "Its numbers are in the table below it." : "Its numbers are on the Trends page, under the chart.");
    live.parentNode.insertBefore(line, live.nextSibling);
    if (data) data.open = true;
  }

  function draw() {
    var figures = document.querySelectorAll(".kj-chart");
    figures.forEach(function (figure) {
      var live = figure.querySelector(".kj-chart-live");
      var source = live && document.getElementById(live.dataset.spec);
      if (!source || typeof window.vegaEmbed !== "function" || figure.dataset.drawn) return;
      var spec = JSON.parse(source.textContent);
      figure.dataset.drawn = "pending";
      // ast: true evaluates expressions without eval, which the page's security policy forbids.
      window.vegaEmbed(live, spec, { actions: false, renderer: "svg", ast: true })
        .then(function () {
          figure.dataset.drawn = "live";
          watch(live);
        })
        .catch(function (error) { failed(figure, error); });
    });
  }

  // Charts and tables wider than the screen scroll sideways. Say so: a line above each one
  // that overflows, and data-kj-overflow ("start", "middle", "end": where the view is) for
  // the stylesheet to fade the edge where more is hidden.
  var SCROLLERS = ".kj-chart-live, .md-typeset__scrollwrap, .kj-table";
  var resizes = typeof ResizeObserver === "function" ? new ResizeObserver(function (items) {
    items.forEach(function (item) { mark(item.target); });
  }) : null;

  function mark(box) {
    var hint = box.kjHint;
    var overflows = box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1;
    if (!overflows) {
      delete box.dataset.kjOverflow;
      if (hint) delete hint.dataset.shown;
      if (box.kjFocusable) { box.removeAttribute("tabindex"); box.kjFocusable = false; }
      return;
    }
    if (!hint) {
      hint = box.kjHint = document.createElement("p");
      hint.className = "kj-scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "Scroll sideways to see all of it \u2192";
      box.parentNode.insertBefore(hint, box);
    }
    hint.dataset.shown = "";
    // Keyboard users scroll it too: it takes the focus (arrow keys then scroll it).
    if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); box.kjFocusable = true; }
    var room = box.scrollWidth - box.clientWidth;
    // A chart too wide for the screen opens at its left edge, as a table does: its title, its
    // y-axis and the start of its legend in view, which tell what the lines are; the reader
    // scrolls on to the latest sessions.
    var left = box.scrollLeft;
    box.dataset.kjOverflow = left <= 1 ? "start" : left >= room - 1 ? "end" : "middle";
  }

  function watch(box) {
    if (box.kjWatched) { mark(box); return; }
    box.kjWatched = true;
    box.addEventListener("scroll", function () { mark(box); }, { passive: true });
    if (resizes) resizes.observe(box);
    mark(box);
  }

  function watchAll() {
    document.querySelectorAll(SCROLLERS).forEach(watch);
  }

  // Material's search dialog has no accessible name of its own.
  function nameSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  function start() {
    nameSearch();
    withRuntime(draw);
    watchAll();
    // Material wraps tables in its scrolling wrapper after the page loads.
    window.addEventListener("load", watchAll);
    window.addEventListener("resize", function () { document.querySelectorAll(SCROLLERS).forEach(mark); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
