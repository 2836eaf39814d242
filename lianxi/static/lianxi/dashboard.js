// 工作台 charts: ECharts (vendored) drawn from the JSON the page carries; the same numbers are in
// the table under each chart. No inline script, so the page works under a strict CSP.
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("dashboard-data");
    if (!holder || !window.echarts) { return; }
    var charts = JSON.parse(holder.textContent);
    charts.forEach(function (spec) {
      var el = document.querySelector('[data-chart="' + spec.key + '"]');
      if (!el || !spec.rows.length) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(spec));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  function toolbox(spec) {
    return { feature: { saveAsImage: { title: "下载图片", name: spec.title, pixelRatio: 2 } } };
  }
  function option(spec) {
    var cats = spec.rows.map(function (r) { return r[0]; });
    if (spec.kind === "pie") {
      return {
        toolbox: toolbox(spec), tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"],
          data: spec.rows.map(function (r) { return { name: r[0], value: r[1] }; }) }]
      };
    }
    if (spec.kind === "heatmap") {
      var months = spec.columns.slice(1), data = [], max = 1;
      spec.rows.forEach(function (r, y) {
        r.slice(1).forEach(function (v, x) { data.push([x, y, v]); if (v > max) { max = v; } });
      });
      return {
        toolbox: toolbox(spec), tooltip: { position: "top" },
        grid: { left: 140, right: 20, top: 30, bottom: 70 },
        xAxis: { type: "category", data: months, axisLabel: { rotate: 45 } },
        yAxis: { type: "category", data: cats },
        visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0,
          inRange: { color: ["#f7f7f7", "#f4a582", "#b2182b"] } },
        series: [{ type: "heatmap", data: data, label: { show: true } }]
      };
    }
    var series = spec.columns.slice(1).map(function (name, i) {
      return { name: name, type: spec.kind === "line" ? "line" : "bar",
        data: spec.rows.map(function (r) { return r[i + 1]; }) };
    });
    return {
      toolbox: toolbox(spec), tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: cats, axisLabel: { rotate: cats.length > 6 ? 45 : 0 } },
      yAxis: { type: "value", minInterval: 1 }, series: series
    };
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
