/* Draws every Plotly chart of a page: an element [data-plotly="ID"] gets the figure ({data, layout}) held as
   JSON in the <script type="application/json" id="ID"> element. plotly.min.js comes from the pip package.
   The same figures are always in a table beside the chart, so nothing is lost without JavaScript.
   A chart container with role="img" is an image to assistive technology: its children are presentational, so it
   gets no mode bar (the bar's buttons would be focusable controls inside an image, WCAG 4.1.2). */
(function () {
  "use strict";
  function draw() {
    if (typeof window.Plotly === "undefined") { return; }
    document.querySelectorAll("[data-plotly]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-plotly"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var config = {displaylogo: false, responsive: true};
      if (el.getAttribute("role") === "img") { config.displayModeBar = false; }
      window.Plotly.newPlot(el, figure.data || [], figure.layout || {}, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
