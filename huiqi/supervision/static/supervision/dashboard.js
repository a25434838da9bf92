/* 驾驶舱 charts with Apache ECharts served from this site's static files (no CDN). */
(function () {
  "use strict";
  var COLOURS = { green: "#2e9e4f", yellow: "#e6a100", red: "#c62828" };
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : []; }
  var rows = data("chart-rows"), trend = data("trend-data");
  // Handlers here, not in the markup: the Content-Security-Policy allows no inline script.
  Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  var charts = [];
  var mapEl = document.getElementById("map");
  if (mapEl && window.echarts) {
    var chart = echarts.init(mapEl);
    charts.push(chart);
    var url = mapEl.getAttribute("data-map");
    var drill = function (code) {
      var u = new URL(window.location.href); u.searchParams.set("region", code); window.location.href = u.toString();
    };
    if (url) {
      fetch(url).then(function (r) { return r.json(); }).then(function (geo) {
        echarts.registerMap("region", geo);
        // Shapes are matched to the index by 行政区划 code (the feature id), never by name.
        var byCode = {}, byName = {};
        rows.forEach(function (r) { byCode[r.code] = r; });
        (geo.features || []).forEach(function (f) { byName[f.properties.name] = byCode[f.id]; });
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) { var r = byName[p.name]; return p.name + "：" + (r && r.score !== null ? r.score + " 分" : "无数据"); } },
          series: [{ type: "map", map: "region", roam: false, label: { show: true, fontSize: 11 },
            data: (geo.features || []).map(function (f) {
              var r = byCode[f.id];
              return { name: f.properties.name, value: r ? r.score : null, code: f.id,
                       itemStyle: { areaColor: r && COLOURS[r.colour] ? COLOURS[r.colour] : "#ddd" } };
            }) }]
        });
        chart.on("click", function (p) { if (p.data && p.data.code) { drill(p.data.code); } });
        mapEl.setAttribute("data-ready", "1");
      });
    } else {
      chart.setOption({
        grid: { left: 90, right: 20, top: 10, bottom: 20 }, tooltip: {},
        xAxis: { type: "value", max: 100 }, yAxis: { type: "category", data: rows.map(function (r) { return r.name; }).reverse() },
        series: [{ type: "bar", data: rows.map(function (r) { return { value: r.score, code: r.code, itemStyle: { color: COLOURS[r.colour] || "#999" } }; }).reverse() }]
      });
      chart.on("click", function (p) { if (p.data && p.data.code) { drill(p.data.code); } });
      mapEl.setAttribute("data-ready", "1");
    }
  }
  var trendEl = document.getElementById("trend");
  if (trendEl && window.echarts) {
    var t = echarts.init(trendEl);
    charts.push(t);
    t.setOption({
      grid: { left: 40, right: 20, top: 20, bottom: 30 }, tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: trend.map(function (p) { return p.month; }) },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{ type: "line", name: "总指数", connectNulls: false,
        data: trend.map(function (p) { return { value: p.score, itemStyle: { color: COLOURS[p.colour] || "#999" } }; }) }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
