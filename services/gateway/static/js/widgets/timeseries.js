// Time-series widget: a Chart.js line or bar chart, one bucket per grain step, labelled in the
// tenant's time zone (hours, days, weeks, months, quarters), with the values as a table too.
import {h, replace} from "../dom.js";
import {bucketLabels, formatCompact, formatNumber, formatValue} from "../format.js";

const GRAIN_TEXT = {GRAIN_HOUR: "hourly", GRAIN_DAY: "daily", GRAIN_WEEK: "weekly", GRAIN_MONTH: "monthly",
  GRAIN_QUARTER: "quarterly"};

const STYLES = {CHART_STYLE_LINE: "line", CHART_STYLE_BAR: "bar"};
/** The saved style a viewer's switch overrides ("" for none saved). */
const overridden = (style) => (STYLES[style] ? style : "");

/** Line or bar: a viewer's switch, remembered per widget in this browser as "type|style it overrode"
 * and dropped once the widget's saved style changes; else the saved style; else bars for months and
 * quarters. (A switch stored as a bare type predates saved styles: it overrode none.) */
export function chartType(key, grain, style) {
  const [switched, over = ""] = (localStorage.getItem(`partneros.chart.${key}`) || "").split("|");
  if ((switched === "line" || switched === "bar") && over === overridden(style)) return switched;
  if (STYLES[style]) return STYLES[style];
  return grain === "GRAIN_MONTH" || grain === "GRAIN_QUARTER" ? "bar" : "line";
}

export function drawTimeseries(body, {data, metric, widgetKey, chartStyle, timeZone}) {
  const buckets = data.buckets || [];
  const grain = data.grain || "GRAIN_DAY";
  const labels = bucketLabels(buckets.map((b) => b.start_time), grain, timeZone);
  const values = buckets.map((b) => Number(b.value || 0));
  const canvas = h("canvas", {role: "img", "aria-label": `${metric?.name || "metric"} ${GRAIN_TEXT[grain] || ""}`});
  const table = h("table", {class: "sr-only series-table"},
    h("thead", {}, h("tr", {}, h("th", {}, "Period"), h("th", {}, "Value"))),
    h("tbody", {}, buckets.map((b, i) => h("tr", {"data-start": b.start_time},
      h("td", {}, labels[i]), h("td", {"data-value": String(values[i])}, formatNumber(values[i]))))));
  let type = chartType(widgetKey, grain, chartStyle);
  const toggle = h("button", {type: "button", class: "link small chart-toggle", title: "Switch line / bar",
    "aria-label": `Show ${metric?.name || "the series"} as ${type === "line" ? "bars" : "a line"}`},
    type === "line" ? "Bars" : "Line");
  const allZero = values.every((v) => v === 0);
  replace(body, h("div", {class: "ts-widget"},
    h("div", {class: "ts-head"},
      h("span", {class: "ts-total"}, "Total ", h("strong", {"data-value": String(data.value ?? 0)}, formatValue(data.value, metric))),
      h("span", {class: "muted small"}, GRAIN_TEXT[grain] || ""), toggle),
    buckets.length ? h("div", {class: "chart-box"}, canvas,
      allZero ? h("div", {class: "chart-empty muted"}, "No events in this window.") : null)
      : h("div", {class: "empty"}, "No data for this window."),
    table));
  if (!buckets.length || typeof Chart === "undefined") return () => {};

  let chart = null;
  const draw = () => {
    chart?.destroy();
    chart = new Chart(canvas, {
      type,
      data: {labels, datasets: [{label: metric?.name || "value", data: values, borderColor: "#2563eb",
        backgroundColor: type === "bar" ? "rgba(37, 99, 235, 0.65)" : "rgba(37, 99, 235, 0.12)",
        fill: type === "line", cubicInterpolationMode: "monotone", pointRadius: values.length > 60 ? 0 : 2, borderWidth: 2}]},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: {mode: "index", intersect: false},
        plugins: {legend: {display: false},
          tooltip: {callbacks: {label: (ctx) => formatValue(ctx.parsed.y, metric)}}},
        scales: {
          x: {grid: {display: false}, ticks: {autoSkip: true, autoSkipPadding: 14, maxRotation: 0}},
          y: {beginAtZero: true, ticks: {callback: (v) => formatCompact(v)},
            title: {display: Boolean(metric?.unit), text: metric?.unit || ""}},
        },
      },
    });
  };
  toggle.addEventListener("click", () => {
    type = type === "line" ? "bar" : "line";
    localStorage.setItem(`partneros.chart.${widgetKey}`, `${type}|${overridden(chartStyle)}`);
    toggle.textContent = type === "line" ? "Bars" : "Line";
    toggle.setAttribute("aria-label", `Show ${metric?.name || "the series"} as ${type === "line" ? "bars" : "a line"}`);
    draw();
  });
  draw();
  return () => chart?.destroy();
}
