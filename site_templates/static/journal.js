// Draws the interactive version of each chart with the local Vega runtime.
// The static SVG stays in the page for printing and for readers without JavaScript.
(function () {
  "use strict";
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
          live.hidden = false;
          figure.classList.add("kj-chart--live");
          figure.dataset.drawn = "live";
        })
        .catch(function (error) {
          figure.dataset.drawn = "static";  // the static picture stays
          console.warn("chart " + figure.id + " kept its static picture:", error);
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
