// Metric definitions: the list, and a form that validates as you type and shows where the
// server disagrees (its ErrorInfo names the offending field).
import {api} from "../api.js";
import {h, replace, notice, setFieldError} from "../dom.js";
import {describeFilter, filterList, isPath} from "../filters.js";
import {formatTime} from "../format.js";
import {guardLeave} from "../leave.js";
import {session} from "../session.js";
import {metricExplorer} from "./explore.js";

const AGGREGATIONS = [["count", "Count events"], ["sum", "Sum a payload field"], ["unique", "Count unique values"]];
const FORMATS = [["number", "Number"], ["integer", "Whole number"], ["currency", "Currency (unit is the ISO code, e.g. EUR)"],
  ["percent", "Percent"]];
const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);

export async function metricsView(root, id) {
  if (!id) return metricList(root);
  const canWrite = session.can("metrics:write");
  if (id === "new" && !canWrite) {
    replace(root, notice("error", "Only an admin defines metrics."));
    return null;
  }
  const metric = id === "new" ? {aggregation: "count", format: "number"} : await api.metric(id);
  if (!root.isConnected) return null;
  return canWrite ? metricForm(root, metric) : metricPage(root, metric);
}

/** A metric as whoever may read but not define metrics sees it: what it counts, and the explorer. */
function metricPage(root, metric) {
  const what = {count: "Counts events", sum: `Sums ${metric.field}`, unique: metric.field
    ? `Counts unique values of ${metric.field}` : "Counts unique customers"}[metric.aggregation] || metric.aggregation;
  const events = (metric.eventNames || []).length ? ` over ${metric.eventNames.join(", ")} events` : " over every event";
  const groups = (metric.filterGroups || []).map((g) => (g.filters || []).map(describeFilter).join(" and "));
  replace(root,
    h("div", {class: "card", id: "metric-summary"},
      h("h1", {}, metric.name),
      metric.description ? h("p", {}, metric.description) : null,
      h("p", {id: "metric-definition"}, what + events,
        groups.length ? ` where ${groups.map((g) => (groups.length > 1 ? `(${g})` : g)).join(" or ")}` : "",
        metric.unit ? `, in ${metric.unit}` : "", "."),
      h("p", {class: "muted small"}, `Version ${metric.version} · updated ${formatTime(metric.updateTime, session.timeZone)}`),
      h("a", {href: "#/metrics", class: "button"}, "Back to metrics")),
    metricExplorer(metric));
  return () => disposeExplorer(root);
}

async function metricList(root) {
  const tbody = h("tbody", {}, h("tr", {}, h("td", {colspan: 5, class: "muted"}, "Loading…")));
  replace(root,
    h("div", {class: "page-head"}, h("h1", {}, "Metrics"), session.can("metrics:write")
      ? h("a", {href: "#/metrics/new", class: "button primary", id: "new-metric"}, "New metric") : null),
    h("table", {class: "table", id: "metric-list"},
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Aggregation"), h("th", {}, "Events"), h("th", {}, "Unit"),
        h("th", {}, "Updated"))), tbody));
  try {
    const metrics = await api.metrics();
    replace(tbody, metrics.length ? metrics.map((m) => h("tr", {"data-id": m.id},
      h("td", {}, h("a", {href: `#/metrics/${encodeURIComponent(m.id)}`}, m.name)),
      h("td", {}, m.aggregation + (m.field ? ` of ${m.field}` : "")),
      h("td", {}, (m.eventNames || []).join(", ") || h("span", {class: "muted"}, "every event")),
      h("td", {}, m.unit || ""),
      h("td", {class: "muted"}, formatTime(m.updateTime, session.timeZone))))
      : h("tr", {}, h("td", {colspan: 5, class: "empty"},
        session.can("metrics:write") ? "No metrics yet. Define the first one." : "No metrics are defined yet.")));
  } catch (err) {
    replace(tbody, h("tr", {}, h("td", {colspan: 5}, notice("error", err.message))));
  }
}

function metricForm(root, metric) {
  const isNew = !metric.id;
  const name = h("input", {type: "text", name: "name", value: metric.name || "", maxlength: 200});
  const description = h("textarea", {name: "description", rows: 2}, metric.description || "");
  const aggregation = h("select", {name: "aggregation"}, AGGREGATIONS.map(([v, l]) => h("option", {value: v}, l)));
  aggregation.value = metric.aggregation || "count";
  const eventNames = h("input", {type: "text", name: "event-names", value: (metric.eventNames || []).join(", "),
    placeholder: "activation, purchase"});
  const field = h("input", {type: "text", name: "field", value: metric.field || "", placeholder: "amount"});
  const unit = h("input", {type: "text", name: "unit", value: metric.unit || "", placeholder: "EUR, users…", maxlength: 40});
  const format = h("select", {name: "format"}, FORMATS.map(([v, l]) => h("option", {value: v}, l)));
  format.value = metric.format || "number";
  const groupsBox = h("div", {class: "filter-groups"});
  const groups = [];
  const addGroup = (filters = []) => {
    const fl = filterList(filters, () => check());
    const box = h("div", {class: "filter-group"}, h("div", {class: "or-label muted"}, groups.length ? "or" : "where"), fl);
    groups.push(fl);
    groupsBox.append(box);
  };
  for (const g of metric.filterGroups || []) addGroup(g.filters || []);
  const status = h("div", {class: "status", id: "metric-status"});
  const saveBtn = h("button", {type: "submit", class: "primary", id: "save-metric"}, isNew ? "Create metric" : "Save metric");
  const saveHint = h("span", {class: "muted small", id: "save-hint"}); // why Save is off, when a filter row is

  const row = (label, input, key, hint = "") => {
    const msg = h("div", {class: "field-msg"}, hint);
    msg.dataset.hint = hint;
    return h("label", {class: "field", "data-field": key}, h("span", {class: "field-label"}, label), input, msg);
  };
  const fieldRow = row("Field", field, "field");
  const form = h("form", {class: "card form", id: "metric-form", novalidate: true},
    h("h1", {}, isNew ? "New metric" : `Metric: ${metric.name}`),
    !isNew ? h("p", {class: "muted"}, `Version ${metric.version} · id ${metric.id}`) : null,
    row("Name", name, "name"),
    row("Description", description, "description"),
    row("Aggregation", aggregation, "aggregation"),
    row("Events", eventNames, "event_names", "Comma-separated event names; empty counts every event."),
    fieldRow,
    h("div", {class: "field", "data-field": "filter_groups"}, h("span", {class: "field-label"}, "Filters"),
      h("p", {class: "muted small"}, "Inside a group every filter must hold; groups are alternatives (or)."),
      groupsBox, h("button", {type: "button", class: "link", id: "add-group", onclick: () => { addGroup([{}]); check(); }},
        "+ Add a filter group"), h("div", {class: "field-msg"})),
    row("Unit", unit, "unit", "Shown beside values."),
    row("Format", format, "format"),
    status,
    h("div", {class: "form-actions"}, saveBtn, h("a", {href: "#/metrics", class: "button"}, "Back to metrics"),
      !isNew ? h("button", {type: "button", class: "danger", id: "delete-metric", onclick: () => remove()}, "Delete") : null,
      saveHint));

  const read = () => {
    const m = {name: name.value.trim(), description: description.value, aggregation: aggregation.value,
      eventNames: list(eventNames.value), unit: unit.value.trim(), format: format.value,
      filterGroups: groups.map((g) => ({filters: g.getFilters()})).filter((g) => g.filters.length)};
    if (aggregation.value !== "count") m.field = field.value.trim();
    if (!isNew) m.id = metric.id;
    return m;
  };
  const problems = (m) => {
    const p = {};
    if (!m.name) p.name = "A metric needs a name.";
    if (m.aggregation === "sum" && !m.field) p.field = "A sum needs the payload field to add up, e.g. amount.";
    else if (m.field && !isPath(m.field)) p.field = "A payload path like amount or order.total.";
    if (m.eventNames.some((n) => n.length > 200)) p.event_names = "Event names are at most 200 characters.";
    return p;
  };
  let touched = !isNew;
  const check = () => {
    const m = read();
    field.placeholder = m.aggregation === "unique" ? "empty: distinct customers" : "amount";
    fieldRow.hidden = m.aggregation === "count";
    fieldRow.querySelector(".field-msg").dataset.hint = m.aggregation === "unique"
      ? "Counts distinct values of this path; empty counts distinct customers." : "The number added up.";
    const p = problems(m);
    for (const key of ["name", "field", "event_names", "aggregation", "unit", "format", "description"]) {
      setFieldError(form, key, touched || key !== "name" ? p[key] || "" : "");
    }
    const filtersOk = groups.every((g) => g.errors().every((e) => !e));
    saveBtn.disabled = Object.keys(p).length > 0 || !filtersOk;
    saveHint.textContent = filtersOk ? "" : "A filter row is incomplete: fill it in or remove it to save.";
    return !saveBtn.disabled;
  };
  form.addEventListener("input", () => { touched = true; check(); });
  form.addEventListener("change", check);

  const initial = JSON.stringify(read());
  guardLeave((silent) => JSON.stringify(read()) === initial || (!silent && confirm("Leave without saving this metric?")));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    touched = true;
    if (!check() || !groups.every((g) => g.showErrors())) return;
    replace(status);
    saveBtn.disabled = true;
    try {
      const savedMetric = isNew ? await api.createMetric(read()) : await api.updateMetric(read());
      guardLeave(null);
      if (isNew) location.hash = `#/metrics/${encodeURIComponent(savedMetric.id)}`;
      else {
        disposeExplorer(root);
        metricForm(root, savedMetric);
        root.querySelector("#metric-status").replaceChildren(notice("success", `Saved: version ${savedMetric.version}.`));
      }
    } catch (err) {
      showServerError(err);
    } finally {
      saveBtn.disabled = false;
    }
  });

  /** Put the server's message under the field its ErrorInfo names (and in the banner). */
  function showServerError(err) {
    replace(status, notice("error", `The server refused this metric: ${err.message}`));
    const path = (err.field || "").replace(/^metric\./, "");
    const fg = /^filter_groups\[(\d+)\]\.filters\[(\d+)\]/.exec(path);
    if (fg && groups[Number(fg[1])]) groups[Number(fg[1])].markRow(Number(fg[2]), err.message);
    else if (path) setFieldError(form, path.replace(/\[.*$/, "").split(".")[0], err.message);
  }

  async function remove(force = false) {
    if (!force && !confirm(`Delete the metric “${metric.name}”?`)) return;
    try {
      await api.deleteMetric(metric.id, force);
      guardLeave(null);
      location.hash = "#/metrics";
    } catch (err) {
      if (err.status === "FAILED_PRECONDITION" && !force) {
        replace(status, notice("warning", `${err.message}`,
          h("button", {type: "button", class: "danger", id: "force-delete", onclick: () => remove(true)},
            "Delete anyway (those widgets will show an error)")));
      } else replace(status, notice("error", err.message));
    }
  }

  replace(root, form, isNew ? null : metricExplorer(metric));
  check();
  return () => disposeExplorer(root);
}

/** Drop the explorer's chart, whichever form (first, or re-drawn after a save) holds it now. */
const disposeExplorer = (root) => root.querySelector("#explore")?.dispose();
