// Draws each dashboard chart from its <script type="application/json"> data (json_script):
// no inline script, so the strict Content-Security-Policy holds. The table beside each
// chart carries the same figures for screen readers; a click on a bar opens the list
// behind it when the row has one (the table's link goes to the same place).
(function () {
  "use strict";
  var COLOURS = ["#1f5f8b", "#c0612b", "#2e7d4f", "#7a4e9c", "#8c6d1f", "#4d4d4d"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-source"));
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var datasets = data.datasets.map(function (set, i) {
      return {
        label: set.label,
        data: set.data,
        backgroundColor: COLOURS[i % COLOURS.length],
        borderColor: COLOURS[i % COLOURS.length],
        spanGaps: false
      };
    });
    new Chart(canvas, {
      type: data.type === "line" ? "line" : "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: reduceMotion ? false : { duration: 300 },
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true } },
        onHover: function (event, elements) {
          var link = elements.length && data.drill[elements[0].index];
          event.native.target.style.cursor = link ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          var link = elements.length && data.drill[elements[0].index];
          if (link) {
            window.location.assign(link);
          }
        }
      }
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-source]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
