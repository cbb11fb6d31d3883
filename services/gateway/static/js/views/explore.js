// A saved metric explored on its own page: its value at any level and window, the previous
// period, a time series and, for operators, the partners it breaks down into. One QueryMetric call
// (POST /v1/metrics/{id}:query) answers all of it; the server scopes the level as it does for
// dashboards, and the header says which level was applied.
import {api} from "../api.js";
import {h, replace, notice} from "../dom.js";
import {formatDateRange, formatNumberAndUnit} from "../format.js";
import {describeLevel, levelPicker, partnerTree} from "../levels.js";
import {session} from "../session.js";
import {windowPicker} from "../windows.js";
import {drawMetric} from "../widgets/metric.js";
import {drawTimeseries} from "../widgets/timeseries.js";
import {GRAINS} from "./widget-form.js";

const ALL = {kind: "LEVEL_KIND_ALL_PARTNERS"};
const CUSTOMER = "LEVEL_KIND_CUSTOMER";
const BREAKDOWN_ROWS = 10;

/** The widgets draw a render's data (snake_case); a QueryMetric answer is lowerCamel JSON. */
function widgetData(r, grain) {
  return {value: r.value, previous_value: r.previousValue, change: r.change, previous_start_time: r.previousStartTime,
    previous_end_time: r.previousEndTime, skipped_count: r.skippedCount, grain,
    buckets: (r.buckets || []).map((b) => ({start_time: b.startTime, value: b.value}))};
}

/** The explorer for `metric`: a section to put below its form; `.dispose()` drops its chart. */
export function metricExplorer(metric) {
  const showing = h("span", {class: "muted small", id: "explore-showing", "aria-live": "polite"});
  const status = h("div", {class: "status", id: "explore-status"});
  const headline = h("div", {class: "explore-headline", id: "explore-value"});
  const series = h("div", {class: "explore-series", id: "explore-series"});
  const breakdown = h("div", {class: "explore-breakdown", id: "explore-breakdown"});
  const grain = h("select", {name: "grain"},
    h("option", {value: ""}, "No series"), GRAINS.map(([v, l]) => h("option", {value: v}, `By ${l.toLowerCase()}`)));
  grain.value = "GRAIN_DAY";
  const byPartner = h("input", {type: "checkbox", name: "by-partner", checked: true});
  const windowSel = windowPicker({value: null, emptyLabel: "This month to date", name: "explore-window",
    onChange: () => run()});
  const bar = h("div", {class: "toolbar", id: "explore-bar"},
    h("span", {class: "level-slot"}),
    h("label", {class: "inline"}, "Window ", windowSel),
    h("label", {class: "inline"}, "Series ", grain),
    session.isOperator ? h("label", {class: "inline", id: "by-partner-label"}, byPartner, "Break down by partner") : null,
    showing);
  const section = h("section", {class: "card explore", id: "explore"},
    h("h2", {}, "Explore"),
    session.can("metrics:write")
      ? h("p", {class: "muted small"}, "The saved definition at any level and window. Save changes above to see them here.")
      : null,
    bar, status, h("div", {class: "explore-grid"}, headline, series), breakdown);
  grain.addEventListener("change", () => run());
  byPartner.addEventListener("change", () => run());

  let tree = [];
  let levelSel = null;
  let level = null; // as the picker reports it (its own copy of a customer carries a label too)
  let seq = 0;
  let disposeChart = () => {};
  let disposed = false;
  let treeProblem = null; // the partner tree could not be read: said above every result

  /** No numbers left on screen that the choices above no longer describe. */
  const clearResults = (why = "") => {
    disposeChart();
    disposeChart = () => {};
    replace(headline);
    replace(series);
    replace(breakdown);
    showing.textContent = why;
  };

  const request = (window) => {
    const req = {comparePrevious: true};
    if (level) req.level = level;
    if (window) req.window = window;
    if (grain.value) req.grain = grain.value;
    const oneCustomer = req.level?.kind === CUSTOMER; // one customer has one partner
    if (session.isOperator && byPartner.checked && !oneCustomer) Object.assign(req, {breakdownByPartner: true, breakdownLimit: BREAKDOWN_ROWS});
    return req;
  };

  async function run() {
    if (!levelSel || disposed) return;
    const mine = ++seq;
    replace(status, treeProblem);
    section.querySelector("#by-partner-label")?.toggleAttribute("hidden", level?.kind === CUSTOMER);
    // Half-made choices ask nothing: a range still being picked, a customer still being looked up.
    const window = windowSel.getWindow();
    if (window === undefined) return clearResults("Finish the date range to see numbers.");
    if (levelSel.select.value === "customer") return clearResults("Pick the customer to see numbers.");
    showing.textContent = "Loading…";
    let r;
    try {
      r = await api.queryMetric(metric.id, request(window));
    } catch (err) {
      if (mine !== seq) return;
      clearResults();
      replace(status, treeProblem, notice("error", err.message));
      return;
    }
    if (mine !== seq) return; // a later choice is on its way
    const data = widgetData(r, grain.value);
    showing.textContent = `${describeLevel(r.effectiveLevel, tree)} · ${formatDateRange(r.startTime, r.endTime, r.timeZone)}` +
      ` · version ${r.metricVersion}`;
    drawMetric(headline, {data, metric, timeZone: r.timeZone});
    disposeChart();
    disposeChart = () => {};
    if (grain.value) disposeChart = drawTimeseries(series, {data, metric, widgetKey: `explore.${metric.id}`, timeZone: r.timeZone});
    else replace(series);
    drawBreakdown(r.breakdown || []);
  }

  function drawBreakdown(rows) {
    if (!rows.length) {
      replace(breakdown);
      return;
    }
    replace(breakdown,
      h("p", {class: "muted small"}, "Each partner's own customers. A partner opened from here shows it with its sub-partners."),
      h("table", {class: "table compact", id: "explore-partners"},
      h("caption", {class: "sr-only"}, "By partner, own customers only"),
      h("thead", {}, h("tr", {}, h("th", {}, "Partner"), h("th", {class: "num"}, "Own customers"))),
      h("tbody", {}, rows.map((row) => h("tr", {"data-partner": row.partnerId || "", "data-value": String(row.value ?? 0)},
        h("td", {}, row.isRest ? h("span", {class: "muted"}, row.partnerName || "Other")
          : h("button", {type: "button", class: "link", title: `Open ${row.partnerName} with its sub-partners`,
            onclick: () => {
              level = {kind: "LEVEL_KIND_PARTNER", id: row.partnerId};
              levelSel.setLevel(level);
              levelSel.select.focus(); // the row is redrawn: keep the keyboard where the choice now shows
              run();
            }},
          row.partnerName || row.partnerId)),
        h("td", {class: "num"}, formatNumberAndUnit(row.value, metric)))))));
  }

  (async () => {
    try {
      tree = await partnerTree();
    } catch (err) {
      treeProblem = notice("error", `Partners could not be listed: ${err.message}`);
    }
    if (disposed) return; // the page was left meanwhile
    const first = session.isPartnerUser ? (tree[0] ? {kind: "LEVEL_KIND_PARTNER", id: tree[0].partner.id} : null) : ALL;
    level = first;
    levelSel = levelPicker({tree, value: first, name: "explore-level", onChange: (l) => {
      level = l;
      if (l?.kind === CUSTOMER) levelSel.select.focus(); // the customer box it was typed in is gone
      run();
    }});
    bar.querySelector(".level-slot").replaceWith(h("label", {class: "inline"}, "Level ", levelSel));
    await run();
  })();

  section.dispose = () => {
    disposed = true;
    seq += 1;
    disposeChart();
  };
  return section;
}
