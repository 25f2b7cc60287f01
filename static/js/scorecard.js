/* The scorecard's charts: one Chart.js line chart per KPI canvas (data-scorecard-chart =
   the KPI's key), from the JSON the server wrote with json_script (#scorecard-data): the
   published values, each point in its red / amber / green, and the target and the amber and
   red thresholds as flat lines. No inline script: the Content Security Policy forbids it. */
(function () {
  "use strict";
  const COLOURS = { green: "#198754", amber: "#cc9a06", red: "#dc3545" };

  function flat(label, value, count, colour, dash) {
    return { label: label, data: new Array(count).fill(value), borderColor: colour,
      borderDash: dash, borderWidth: 1.5, pointRadius: 0, pointHoverRadius: 0, fill: false };
  }

  function draw(canvas, kpi) {
    const count = kpi.labels.length;
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: kpi.labels,
        datasets: [
          { label: kpi.name + " (" + kpi.unit + ")", data: kpi.values, borderColor: "#0d6efd",
            backgroundColor: kpi.rags.map((rag) => COLOURS[rag] || "#6c757d"),
            pointBackgroundColor: kpi.rags.map((rag) => COLOURS[rag] || "#6c757d"),
            pointRadius: 4, tension: 0.2 },
          flat("Target", kpi.target, count, "#198754", [6, 4]),
          flat("Amber threshold", kpi.amber, count, "#cc9a06", [3, 3]),
          flat("Red threshold", kpi.red, count, "#dc3545", [3, 3]),
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { y: { title: { display: true, text: kpi.unit } } },
      },
    });
  }

  function start() {
    const source = document.getElementById("scorecard-data");
    if (!source || !window.Chart) return;
    const kpis = new Map(JSON.parse(source.textContent).map((kpi) => [kpi.key, kpi]));
    document.querySelectorAll("canvas[data-scorecard-chart]").forEach((canvas) => {
      const kpi = kpis.get(canvas.dataset.scorecardChart);
      if (kpi) canvas.chart = draw(canvas, kpi);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
