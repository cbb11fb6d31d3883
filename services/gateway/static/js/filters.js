// Editing property filters (partneros.common.v1.PropertyFilter): rows of path, operator, values.
import {h} from "./dom.js";

export const OPERATORS = [
  ["FILTER_OPERATOR_EQUALS", "="], ["FILTER_OPERATOR_NOT_EQUALS", "≠"],
  ["FILTER_OPERATOR_IN", "is one of"], ["FILTER_OPERATOR_NOT_IN", "is none of"],
  ["FILTER_OPERATOR_GREATER", ">"], ["FILTER_OPERATOR_GREATER_OR_EQUAL", "≥"],
  ["FILTER_OPERATOR_LESS", "<"], ["FILTER_OPERATOR_LESS_OR_EQUAL", "≤"],
  ["FILTER_OPERATOR_CONTAINS", "contains"], ["FILTER_OPERATOR_EXISTS", "exists"],
  ["FILTER_OPERATOR_NOT_EXISTS", "does not exist"],
];
const MULTI = new Set(["FILTER_OPERATOR_IN", "FILTER_OPERATOR_NOT_IN"]);
const NONE = new Set(["FILTER_OPERATOR_EXISTS", "FILTER_OPERATOR_NOT_EXISTS"]);
const NUMERIC = new Set(["FILTER_OPERATOR_GREATER", "FILTER_OPERATOR_GREATER_OR_EQUAL", "FILTER_OPERATOR_LESS",
  "FILTER_OPERATOR_LESS_OR_EQUAL"]);

/** A typed value from text: numbers, true/false and null as such, "quoted" or anything else as text. */
export function parseValue(text) {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t) || t === "true" || t === "false" || t === "null" || /^".*"$/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      /* not JSON after all */
    }
  }
  return t;
}

/** Text of a typed value, so that parseValue gives it back. */
export function valueText(value) {
  if (typeof value === "string") return parseValue(value) === value ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** A payload path like "plan.tier": non-empty parts separated by dots. */
export function isPath(path) {
  return Boolean(path) && path.split(".").every((part) => part.trim() !== "");
}

/** One filter as a person reads it: plan.tier is one of pro, team. */
export function describeFilter(f) {
  const op = OPERATORS.find(([value]) => value === f.operator)?.[1] || f.operator;
  return NONE.has(f.operator) ? `${f.path} ${op}` : `${f.path} ${op} ${(f.values || []).map(valueText).join(", ")}`;
}

/** The problem with one filter, or "". */
export function filterError(f) {
  if (!isPath(f.path || "")) return "Enter a payload path like plan.tier.";
  if (!f.operator) return "Pick an operator.";
  const values = f.values || [];
  if (NONE.has(f.operator)) return values.length ? "This operator takes no value." : "";
  if (MULTI.has(f.operator)) return values.length ? "" : "Enter one or more values, separated by commas.";
  if (values.length !== 1) return "Enter one value.";
  if (NUMERIC.has(f.operator) && typeof values[0] !== "number") return "This comparison needs a number.";
  return "";
}

/**
 * An editable list of filters. `onChange(filters)` fires on every edit; `.getFilters()` reads
 * them; `.showErrors()` marks the rows that are wrong and returns whether all are right.
 */
export function filterList(filters = [], onChange = () => {}) {
  const rows = h("div", {class: "filter-rows"});
  const wrap = h("div", {class: "filter-list"}, rows,
    h("button", {type: "button", class: "link add-filter", onclick: () => { addRow(); fire(); }}, "+ Add filter"));

  function addRow(f = {path: "", operator: "FILTER_OPERATOR_EQUALS", values: [""]}) {
    const path = h("input", {type: "text", class: "filter-path", placeholder: "plan.tier", value: f.path || "",
      "aria-label": "Filter path"});
    const op = h("select", {class: "filter-op", "aria-label": "Operator"},
      OPERATORS.map(([value, label]) => h("option", {value}, label)));
    op.value = f.operator || "FILTER_OPERATOR_EQUALS";
    const vals = h("input", {type: "text", class: "filter-values", placeholder: "value",
      value: (f.values || []).map(valueText).join(", "), "aria-label": "Filter value"});
    const msg = h("div", {class: "field-msg"});
    const row = h("div", {class: "filter-row"}, path, op, vals,
      h("button", {type: "button", class: "link danger", title: "Remove filter", onclick: () => { row.remove(); fire(); }}, "✕"),
      msg);
    row.read = () => {
      const operator = op.value;
      let values = [];
      if (!NONE.has(operator)) {
        const text = vals.value;
        values = MULTI.has(operator) ? text.split(",").map((v) => v.trim()).filter(Boolean).map(parseValue)
          : text.trim() === "" ? [] : [parseValue(text)];
      }
      vals.hidden = NONE.has(operator);
      vals.placeholder = MULTI.has(operator) ? "a, b, c" : "value";
      return {path: path.value.trim(), operator, values};
    };
    row.mark = (error) => {
      row.classList.toggle("invalid", Boolean(error));
      msg.textContent = error;
    };
    for (const el of [path, op, vals]) el.addEventListener("input", () => { row.mark(filterError(row.read())); fire(); });
    op.addEventListener("change", () => { row.mark(filterError(row.read())); fire(); });
    rows.append(row);
    row.read();
    return row;
  }

  const fire = () => onChange(wrap.getFilters());
  wrap.getFilters = () => [...rows.children].map((r) => r.read());
  wrap.errors = () => [...rows.children].map((r) => filterError(r.read()));
  wrap.showErrors = () => {
    let ok = true;
    for (const r of rows.children) {
      const e = filterError(r.read());
      r.mark(e);
      ok &&= !e;
    }
    return ok;
  };
  wrap.markRow = (index, error) => rows.children[index]?.mark(error);
  for (const f of filters) addRow(f);
  return wrap;
}
