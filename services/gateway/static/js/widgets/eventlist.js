// Event-list widget: newest events at the level, with the chosen payload columns, page by page.
// Page 1 comes with the dashboard render; later pages ask POST /v1/events:query with the same
// level, window, names and filters.
import {api} from "../api.js";
import {h, replace, notice} from "../dom.js";
import {formatCell, formatTime} from "../format.js";

function lookup(payload, path) {
  if (payload && typeof payload === "object" && path in payload) return payload[path];
  let cur = payload;
  for (const part of path.split(".")) {
    if (!cur || typeof cur !== "object" || !(part in cur)) return null;
    cur = cur[part];
  }
  return cur;
}

/** An event's payload: `properties`, or `propertiesJson` where a Struct could not carry it. */
function payloadOf(e) {
  if (e.properties) return e.properties;
  return e.propertiesJson ? JSON.parse(e.propertiesJson) : {};
}

/** Rows from a QueryEvents response, in the render's shape. */
function rowsOf(events, columns) {
  return (events || []).map((e) => ({
    event_id: e.eventId, name: e.name, customer_id: e.customerId, customer_name: e.customerName || "",
    timestamp: e.timestamp, source: e.source,
    values: Object.fromEntries(columns.map((c) => [c, lookup(payloadOf(e), c)])),
  }));
}

export function drawEventList(body, {data, widget, level, window, timeZone}) {
  const columns = data.columns || widget.columns || [];
  const pageSize = widget.limit || 20;
  const pages = [data.events || []];
  const tokens = [""]; // tokens[i] loads page i through QueryEvents; unknown until asked
  const hasMore = [Boolean(data.has_more)];
  let page = 0;
  let busy = false;
  const abort = new AbortController();

  const request = (pageToken) => {
    const r = {level: level || undefined, eventNames: widget.eventNames || [], pageSize, pageToken};
    if (window) r.window = window;
    if ((widget.filters || []).length) r.filterGroups = [{filters: widget.filters}];
    return r;
  };

  async function fetchPage(i) {
    // Page tokens come from the page before: walk from the last one known (bounded by i).
    for (let k = tokens.length - 1; k < i; k++) {
      const r = await api.queryEvents(request(tokens[k]), abort.signal);
      pages[k] = rowsOf(r.events, columns);
      hasMore[k] = Boolean(r.nextPageToken);
      tokens[k + 1] = r.nextPageToken || "";
      if (!r.nextPageToken) return false;
    }
    const r = await api.queryEvents(request(tokens[i]), abort.signal);
    pages[i] = rowsOf(r.events, columns);
    hasMore[i] = Boolean(r.nextPageToken);
    tokens[i + 1] = r.nextPageToken || "";
    return true;
  }

  const status = h("div", {class: "el-status"});
  const table = h("div", {class: "el-table"});
  const pager = h("div", {class: "pager small"});

  function draw() {
    const rows = pages[page] || [];
    if (!rows.length) {
      replace(table, h("div", {class: "empty"}, page ? "No more events." : "No events in this window."));
    } else {
      replace(table, h("table", {class: "table compact"},
        h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Event"), h("th", {}, "Customer"),
          columns.map((c) => h("th", {"data-column": c}, c)))),
        h("tbody", {}, rows.map((r) => h("tr", {"data-event-id": r.event_id},
          h("td", {class: "nowrap"}, formatTime(r.timestamp, timeZone)),
          h("td", {}, r.name),
          // The name where the customer is in the slice viewed; otherwise the id.
          h("td", {"data-customer": r.customer_id, ...(r.customer_name ? {title: r.customer_id} : {class: "mono"})},
            r.customer_name || r.customer_id),
          columns.map((c) => h("td", {"data-column": c}, formatCell(r.values?.[c]))))))));
    }
    replace(pager,
      h("button", {type: "button", disabled: busy || page === 0, onclick: () => go(page - 1)}, "‹ Newer"),
      h("span", {class: "muted page-no"}, `Page ${page + 1}`),
      h("button", {type: "button", disabled: busy || !hasMore[page], onclick: () => go(page + 1)}, "Older ›"));
  }

  async function go(target) {
    if (target < 0) return;
    replace(status);
    if (!pages[target]) {
      busy = true;
      draw();
      try {
        await fetchPage(target);
      } catch (err) {
        if (err.name === "AbortError") return;
        replace(status, notice("error", `Could not load more events: ${err.message}`));
        busy = false;
        draw();
        return;
      }
      busy = false;
    }
    page = target;
    draw();
  }

  replace(body, h("div", {class: "el-widget"}, status, table, pager));
  draw();
  return () => abort.abort();
}
