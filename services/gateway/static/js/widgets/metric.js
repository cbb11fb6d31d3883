// Metric widget: the number over the window, its unit, and the change vs the previous period.
import {h, replace} from "../dom.js";
import {formatChange, formatDateRange, formatNumber, formatNumberAndUnit} from "../format.js";

export function drawMetric(body, {data, metric, timeZone}) {
  const change = formatChange(data.change);
  const arrow = {up: "▲", down: "▼", flat: "■", none: ""}[change.direction];
  const empty = !Number(data.value) && !Number(data.previous_value);
  // written as the headline is: the number, then the unit (not "€7,231.00" under "17,777 EUR")
  const previousValue = formatNumberAndUnit(data.previous_value, metric);
  const previous = data.previous_start_time
    ? `${formatDateRange(data.previous_start_time, data.previous_end_time, timeZone)}: ${previousValue}`
    : previousValue;
  replace(body, h("div", {class: "metric-widget"},
    h("div", {class: "metric-value"},
      h("span", {class: "value", "data-value": String(data.value ?? 0)}, formatNumber(data.value)),
      metric?.unit ? h("span", {class: "unit"}, metric.unit) : null),
    h("div", {class: `metric-change ${change.direction}`, "data-change": String(data.change ?? "")},
      arrow ? h("span", {class: "arrow", "aria-hidden": "true"}, arrow) : null, h("span", {class: "change-text"}, change.text)),
    h("div", {class: "muted small previous"}, `Previous period ${previous}`),
    empty ? h("div", {class: "muted small"}, "No events in this window.") : null,
    Number(data.skipped_count) ? h("div", {class: "muted small"},
      `${formatNumber(data.skipped_count)} events skipped: the summed field was not a number.`) : null));
}
