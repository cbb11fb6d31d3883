// How numbers, changes and time buckets read on screen. Times show in the tenant's time zone,
// where the server cut the buckets.

const LOCALE = "en";
const number = new Intl.NumberFormat(LOCALE, {maximumFractionDigits: 2});
const compact = new Intl.NumberFormat(LOCALE, {notation: "compact", maximumFractionDigits: 1});

/** A metric value with its unit, following the metric's format hint. */
export function formatValue(value, metric = {}) {
  const v = Number(value || 0);
  const unit = metric.unit || "";
  if (metric.format === "currency" && /^[A-Z]{3}$/.test(unit)) {
    try {
      return new Intl.NumberFormat(LOCALE, {style: "currency", currency: unit, maximumFractionDigits: 2}).format(v);
    } catch {
      /* unknown currency code: fall through */
    }
  }
  if (metric.format === "percent") return `${number.format(v)}%`;
  return unit ? `${number.format(v)} ${unit}` : number.format(v);
}

/** The bare number, as shown in a metric widget (the unit is shown beside it). */
export function formatNumber(value) {
  return number.format(Number(value || 0));
}

/** A value as a metric widget's headline reads: the number, then the metric's unit ("1,255 EUR"). */
export function formatNumberAndUnit(value, metric) {
  return `${formatNumber(value)}${metric?.unit ? ` ${metric.unit}` : ""}`;
}

/** Short axis tick text: 1.2K, 3.4M. */
export function formatCompact(value) {
  return compact.format(Number(value || 0));
}

/** Relative change as text and direction; null change (no previous value) reads as such. */
export function formatChange(change) {
  if (change === null || change === undefined) return {text: "nothing to compare: the previous period is empty", direction: "none"};
  const pct = Number(change) * 100;
  const direction = pct > 0.0005 ? "up" : pct < -0.0005 ? "down" : "flat";
  const sign = direction === "up" ? "+" : "";
  return {text: `${sign}${pct.toFixed(1)}% vs previous period`, direction};
}

function parts(iso, timeZone) {
  const date = new Date(iso);
  let fmt;
  try {
    fmt = new Intl.DateTimeFormat(LOCALE, {timeZone, year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  } catch {
    fmt = new Intl.DateTimeFormat(LOCALE, {timeZone: "UTC", year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  }
  const out = {};
  for (const p of fmt.formatToParts(date)) out[p.type] = p.value;
  const monthIndex = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].indexOf(out.month);
  return {...out, monthIndex};
}

/** Label of a time-series bucket starting at `iso`, at `grain` (GRAIN_* name). */
export function bucketLabel(iso, grain, timeZone, {withYear = false} = {}) {
  const p = parts(iso, timeZone);
  const day = `${p.month} ${p.day}${withYear ? `, ${p.year}` : ""}`;
  switch (grain) {
    case "GRAIN_HOUR":
      return `${p.month} ${p.day} ${p.hour}:${p.minute}`;
    case "GRAIN_WEEK":
      return `Wk of ${day}`;
    case "GRAIN_MONTH":
      return `${p.month} ${p.year}`;
    case "GRAIN_QUARTER":
      return `Q${Math.floor(p.monthIndex / 3) + 1} ${p.year}`;
    default:
      return day;
  }
}

/** Labels for a list of bucket starts: the year is added to day/week labels spanning years. */
export function bucketLabels(isoList, grain, timeZone) {
  const years = new Set(isoList.map((iso) => parts(iso, timeZone).year));
  return isoList.map((iso) => bucketLabel(iso, grain, timeZone, {withYear: years.size > 1}));
}

/** A timestamp as local date and time in `timeZone`. */
export function formatTime(iso, timeZone) {
  if (!iso) return "";
  try {
    return new Intl.DateTimeFormat(LOCALE, {timeZone, dateStyle: "medium", timeStyle: "short"}).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString();
  }
}

/** A payload value as table text. */
export function formatCell(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "number") return number.format(value);
  return String(value);
}

/** "Oct 5 – Nov 3, 2026" for a half-open [start, end) range, as dates in `timeZone`. */
export function formatDateRange(startIso, endIso, timeZone) {
  if (!startIso || !endIso) return "";
  const last = new Date(new Date(endIso).getTime() - 1);
  let fmt;
  try {
    fmt = new Intl.DateTimeFormat(LOCALE, {timeZone, year: "numeric", month: "short", day: "numeric"});
  } catch {
    fmt = new Intl.DateTimeFormat(LOCALE, {timeZone: "UTC", year: "numeric", month: "short", day: "numeric"});
  }
  return fmt.formatRange(new Date(startIso), last);
}
