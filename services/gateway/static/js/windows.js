// Time windows (partneros.common.v1.Window) as the presets people pick, and back. A custom range is
// whole days of the tenant's time zone: its dates become the instants those local days begin.
import {h} from "./dom.js";
import {session} from "./session.js";

const P = {day: "PERIOD_DAY", week: "PERIOD_WEEK", month: "PERIOD_MONTH", quarter: "PERIOD_QUARTER"};
const CTD = "WINDOW_MODE_CURRENT_TO_DATE";
const LAST = "WINDOW_MODE_LAST_COMPLETE";
const TRAIL = "WINDOW_MODE_TRAILING";
const RANGE = "WINDOW_MODE_RANGE";

export const PRESETS = [
  ["today", "Today", {period: P.day, mode: CTD}],
  ["wtd", "This week", {period: P.week, mode: CTD}],
  ["mtd", "This month", {period: P.month, mode: CTD}],
  ["qtd", "This quarter", {period: P.quarter, mode: CTD}],
  ["last_week", "Last week", {period: P.week, mode: LAST}],
  ["last_month", "Last month", {period: P.month, mode: LAST}],
  ["last_quarter", "Last quarter", {period: P.quarter, mode: LAST}],
  ["last7d", "Last 7 days", {period: P.day, mode: TRAIL, count: 7}],
  ["last30d", "Last 30 days", {period: P.day, mode: TRAIL, count: 30}],
  ["last12w", "Last 12 weeks", {period: P.week, mode: TRAIL, count: 12}],
  ["last12m", "Last 12 months", {period: P.month, mode: TRAIL, count: 12}],
  ["last4q", "Last 4 quarters", {period: P.quarter, mode: TRAIL, count: 4}],
  ["last8q", "Last 8 quarters", {period: P.quarter, mode: TRAIL, count: 8}],
];

/** Is the window empty (unset)? */
export function isUnset(window) {
  return !window || (!window.mode && !window.period && !window.startTime);
}

/** The preset key of a window, "range" for an explicit range, "" when unset, "other" otherwise. */
export function presetOf(window) {
  if (isUnset(window)) return "";
  if (window.mode === RANGE) return "range";
  const found = PRESETS.find(([, , w]) => w.period === window.period && w.mode === window.mode &&
    (w.mode !== TRAIL || Number(w.count) === Number(window.count)));
  return found ? found[0] : "other";
}

/** UTC offset (ms) of `timeZone` at the instant `t` (ms since the epoch). */
function offsetAt(t, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {timeZone, hourCycle: "h23", year: "numeric",
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"})
    .formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return local - Math.floor(t / 1000) * 1000;
}

/**
 * Every instant (ISO, UTC) at which the clocks of `timeZone` read the local date and time `local`
 * ("2026-12-05T09:30", seconds optional), earliest first: one; two where the clocks go back and the
 * hour repeats; none where they skip it. null when `local` is no date and time at all.
 */
export function instantsOfLocalTime(local, timeZone) {
  const naive = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  if (Number.isNaN(naive)) return null;
  const offsets = new Set([-86400000, 0, 86400000].map((d) => offsetAt(naive + d, timeZone)));
  return [...offsets].map((o) => naive - o).filter((t) => offsetAt(t, timeZone) === naive - t).sort((a, b) => a - b)
    .map((t) => new Date(t).toISOString().replace(".000Z", "Z"));
}

/** The instant (ISO, UTC) at which the local date `isoDate` begins in `timeZone`. */
export function startOfLocalDay(isoDate, timeZone) {
  const [midnight] = instantsOfLocalTime(`${isoDate}T00:00:00`, timeZone);
  if (midnight) return midnight;
  // Where the clock skips midnight (Santiago, Havana), the day begins where the offset of the day
  // before would have put midnight: the instant the clock jumps.
  const naive = Date.parse(`${isoDate}T00:00:00Z`);
  return new Date(naive - offsetAt(naive - 86400000, timeZone)).toISOString().replace(".000Z", "Z");
}

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDateOf(iso, timeZone) {
  return new Intl.DateTimeFormat("en-CA", {timeZone, year: "numeric", month: "2-digit", day: "2-digit"})
    .format(new Date(iso));
}

/** The last local date a range ending (exclusive) at `iso` holds. */
const lastDateBefore = (iso, timeZone) => localDateOf(new Date(Date.parse(iso) - 1).toISOString(), timeZone);

/** Human text for a window (a range as its first and last local dates). */
export function describeWindow(window, emptyText = "default window", timeZone = session.timeZone) {
  const key = presetOf(window);
  if (key === "") return emptyText;
  if (key === "range") {
    return `${localDateOf(window.startTime, timeZone)} – ${lastDateBefore(window.endTime, timeZone)}`;
  }
  if (key === "other") {  // read as a person would say it: "Last 90 days", "This week", "Last complete month"
    const period = String(window.period || "").replace("PERIOD_", "").toLowerCase();
    const count = Number(window.count || 1);
    if (window.mode === TRAIL) return `Last ${count} ${period}${count === 1 ? "" : "s"}`;
    if (window.mode === CTD) return `This ${period} to date`;
    if (window.mode === LAST) return `Last complete ${period}`;
    return period || "custom window";
  }
  return PRESETS.find(([k]) => k === key)[1];
}

/**
 * A window picker: a select of presets (plus "emptyLabel" for none, and a custom date range).
 * `onChange(window|null)` fires with a complete window; get the current one with `.getWindow()`.
 */
export function windowPicker({value = null, emptyLabel = "Dashboard default", onChange = () => {}, name = "window",
  timeZone = session.timeZone} = {}) {
  const select = h("select", {name, "aria-label": "Window"},
    h("option", {value: ""}, emptyLabel),
    PRESETS.map(([key, label]) => h("option", {value: key}, label)),
    h("option", {value: "range"}, "Custom range…"));
  const start = h("input", {type: "date", "aria-label": "From"});
  const end = h("input", {type: "date", "aria-label": "To (inclusive)"});
  const problem = h("span", {class: "range-problem field-msg", role: "alert"});
  const range = h("span", {class: "range", hidden: true}, start, "–", end, problem);
  const wrap = h("span", {class: "window-picker"}, select, range);
  let other = null; // a window no preset describes, kept as is
  let picked = false; // whether the range's dates were picked here (else a saved range is kept as is)
  const key = presetOf(value);
  if (key === "other") {
    other = value;
    select.append(h("option", {value: "other"}, describeWindow(value)));
  }
  select.value = key;
  if (key === "range") {
    start.value = localDateOf(value.startTime, timeZone);
    end.value = lastDateBefore(value.endTime, timeZone);
    range.hidden = false;
  }
  wrap.getWindow = () => {
    const k = select.value;
    if (!k) return null;
    if (k === "other") return other;
    if (k === "range") {
      if (!start.value || !end.value || end.value < start.value) return undefined; // incomplete
      if (!picked && key === "range") return value; // e.g. saved as UTC days, or not at midnights
      return {mode: RANGE, startTime: startOfLocalDay(start.value, timeZone),
        endTime: startOfLocalDay(dayAfter(end.value), timeZone)};
    }
    return {...PRESETS.find(([p]) => p === k)[2]};
  };
  const fire = () => {
    range.hidden = select.value !== "range";
    // a range that ends before it starts is said so, not silently ignored
    problem.textContent = select.value === "range" && start.value && end.value && end.value < start.value
      ? "The last day is before the first." : "";
    const w = wrap.getWindow();
    if (w !== undefined) onChange(w);
  };
  const pick = () => {
    picked = true;
    fire();
  };
  select.addEventListener("change", fire);
  start.addEventListener("change", pick);
  end.addEventListener("change", pick);
  wrap.select = select;
  return wrap;
}

function shiftDay(isoDate, days) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const dayAfter = (d) => shiftDay(d, 1);
