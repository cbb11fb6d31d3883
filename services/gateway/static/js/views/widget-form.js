// The dialog that adds or edits one widget of a dashboard, validating as you type.
import {formDialog} from "../dialog.js";
import {h} from "../dom.js";
import {filterList, isPath} from "../filters.js";
import {windowPicker} from "../windows.js";

export const WIDGET_TYPES = [["metric", "Metric (one number)"], ["timeseries", "Time series (chart)"],
  ["event_list", "Event list (table)"]];
export const GRAINS = [["GRAIN_HOUR", "Hour"], ["GRAIN_DAY", "Day"], ["GRAIN_WEEK", "Week"], ["GRAIN_MONTH", "Month"],
  ["GRAIN_QUARTER", "Quarter"]];
const CHART_STYLES = [["", "Automatic"], ["CHART_STYLE_LINE", "Line"], ["CHART_STYLE_BAR", "Bars"]];
export const DEFAULT_SIZE = {metric: {w: 3, h: 2}, timeseries: {w: 6, h: 4}, event_list: {w: 6, h: 4}};

const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** Open the widget dialog; resolves to the edited widget, or null when cancelled. */
export function editWidget({widget, metrics}) {
  const w = structuredClone(widget);
  const type = h("select", {name: "type"}, WIDGET_TYPES.map(([v, l]) => h("option", {value: v}, l)));
  type.value = w.type || "metric";
  const title = h("input", {type: "text", name: "title", value: w.title || "", maxlength: 200});
  const metric = h("select", {name: "metric"}, h("option", {value: ""}, "— pick a metric —"),
    metrics.map((m) => h("option", {value: m.id}, `${m.name}${m.unit ? ` (${m.unit})` : ""}`)));
  metric.value = w.metricId || "";
  const grain = h("select", {name: "grain"}, GRAINS.map(([v, l]) => h("option", {value: v}, l)));
  grain.value = w.grain && w.grain !== "GRAIN_UNSPECIFIED" ? w.grain : "GRAIN_DAY";
  const chart = h("select", {name: "chart-style"}, CHART_STYLES.map(([v, l]) => h("option", {value: v}, l)));
  chart.value = w.chartStyle && w.chartStyle !== "CHART_STYLE_UNSPECIFIED" ? w.chartStyle : "";
  const win = windowPicker({value: w.window || null, emptyLabel: "The dashboard's window", name: "widget-window"});
  const names = h("input", {type: "text", name: "event-names", placeholder: "activation, purchase (empty: every event)",
    value: (w.eventNames || []).join(", ")});
  const columns = h("input", {type: "text", name: "columns", placeholder: "plan, amount, plan.tier",
    value: (w.columns || []).join(", ")});
  const limit = h("input", {type: "number", name: "limit", min: 1, max: 200, placeholder: "20", value: w.limit || ""});
  const filters = filterList(w.filters || []);

  const row = (label, input, name, hint = "") => h("label", {class: "field", "data-field": name},
    h("span", {class: "field-label"}, label), input, h("div", {class: "field-msg"}, hint));
  const rows = {
    metric: row("Metric", metric, "metric"),
    grain: row("Grain", grain, "grain", "One point per hour, day, week, month or quarter."),
    chart: row("Chart", chart, "chart-style", "Automatic: bars for months and quarters, a line otherwise."),
    names: row("Event names", names, "event-names", "Comma-separated."),
    columns: row("Payload columns", columns, "columns", "Comma-separated payload paths shown as columns."),
    limit: row("Rows per page", limit, "limit", "1 to 200; default 20."),
  };
  const apply = h("button", {type: "submit", class: "primary"}, "Apply");
  const form = h("form", {method: "dialog", class: "dialog-form", id: "widget-form"},
    h("h2", {}, widget.type ? "Edit widget" : "Add widget"),
    row("Type", type, "type"), row("Title", title, "title"), rows.metric, rows.grain, rows.chart,
    row("Window", win, "window", "Leave on the dashboard's window unless this widget needs its own."),
    rows.names, rows.columns, rows.limit,
    h("div", {class: "field"}, h("span", {class: "field-label"}, "Filters (all must hold)"), filters),
    h("div", {class: "dialog-actions"}, h("button", {type: "button", value: "cancel", class: "cancel"}, "Cancel"), apply));
  const dialog = h("dialog", {class: "dialog"}, form);

  const read = () => {
    const out = {id: w.id, type: type.value, title: title.value.trim(), position: w.position};
    if (w.timeout) out.timeout = w.timeout;
    const window = win.getWindow();
    if (window) out.window = window;
    const f = filters.getFilters();
    if (f.length) out.filters = f;
    if (type.value !== "event_list") out.metricId = metric.value;
    if (type.value === "timeseries") {
      out.grain = grain.value;
      if (chart.value) out.chartStyle = chart.value;
    }
    if (type.value === "event_list") {
      out.eventNames = list(names.value);
      out.columns = list(columns.value);
      if (limit.value) out.limit = Number(limit.value);
    }
    return out;
  };
  const problems = (x) => {
    const p = {};
    if (x.type !== "event_list" && !x.metricId) p.metric = "Pick the metric this widget shows.";
    if (x.type === "event_list") {
      const bad = (x.columns || []).find((c) => !isPath(c));
      if (bad !== undefined) p.columns = `“${bad}” is not a payload path like plan.tier.`;
      else if ((x.columns || []).length > 20) p.columns = "At most 20 columns.";
      if (x.limit !== undefined && !(Number.isInteger(x.limit) && x.limit >= 1 && x.limit <= 200)) {
        p.limit = "Between 1 and 200.";
      }
    }
    if (x.title.length > 200) p.title = "At most 200 characters.";
    if (win.getWindow() === undefined) p.window = "Pick both dates of the range, the end not before the start.";
    return p;
  };
  const check = () => {
    const t = type.value;
    rows.metric.hidden = t === "event_list";
    rows.grain.hidden = rows.chart.hidden = t !== "timeseries";
    rows.names.hidden = rows.columns.hidden = rows.limit.hidden = t !== "event_list";
    const p = problems(read());
    for (const el of form.querySelectorAll("[data-field]")) {
      const name = el.dataset.field;
      const msg = el.querySelector(":scope > .field-msg");
      if (!msg) continue;
      msg.dataset.hint ??= msg.textContent;
      el.classList.toggle("invalid", Boolean(p[name]));
      msg.textContent = p[name] || msg.dataset.hint;
    }
    const filtersOk = filters.errors().every((e) => !e);
    apply.disabled = Object.keys(p).length > 0 || !filtersOk;
    return !apply.disabled;
  };
  // The filter rows show their own errors only once the form is submitted.
  return formDialog({dialog, form, check, read: () => (filters.showErrors() ? read() : undefined), focus: title});
}
