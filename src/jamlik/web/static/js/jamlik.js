// jamlik: progressive enhancement only. Every page works without this file; with it, charts
// become interactive (vega-embed draws the same Vega-Lite specification the server drew as
// SVG) and the explorer's form answers in place (htmx).
(function () {
  "use strict";

  function chartLocale() {
    var el = document.getElementById("chart-locale");
    try {
      return el ? JSON.parse(el.textContent) : undefined;
    } catch (e) {
      return undefined;
    }
  }

  function embedCharts(root) {
    if (typeof window.vegaEmbed !== "function") return;
    var locale = chartLocale();
    root.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      if (el.dataset.embedded) return;
      var script = document.getElementById("spec-" + el.dataset.chart);
      if (!script) return;
      var spec;
      try {
        spec = JSON.parse(script.textContent);
      } catch (e) {
        return;
      }
      // As the server's SVG (jamlik.report.svg): no ARIA per mark; the chart has one label and
      // the data table beside it is the accessible form of the numbers.
      spec.config = Object.assign({}, spec.config, { aria: false });
      var label = el.querySelector("svg") && el.querySelector("svg").getAttribute("aria-label");
      var target = document.createElement("div");
      target.className = "chart-live";
      window
        .vegaEmbed(target, spec, {
          renderer: "svg",
          actions: false,
          formatLocale: locale,
          // The site's stylesheet carries vega-embed's and vega-tooltip's styles: injected
          // <style> elements would break the Content-Security-Policy (no inline style).
          defaultStyle: false,
          tooltip: { disableDefaultStyle: true },
        })
        .then(function () {
          // One accessible name for the whole chart, as the server's SVG has; the marks
          // themselves are hidden from assistive technology (the table beside has the data).
          target.setAttribute("role", "img");
          if (label) target.setAttribute("aria-label", label);
          target.removeAttribute("aria-roledescription");
          var svg = target.querySelector("svg");
          if (svg) svg.setAttribute("aria-hidden", "true");
          el.replaceChildren(target);
          el.dataset.embedded = "1";
        })
        .catch(function () {
          /* the server's SVG stays */
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    embedCharts(document);
    if (window.htmx) {
      window.htmx.onLoad(function (el) {
        embedCharts(el);
      });
    }
  });
})();
