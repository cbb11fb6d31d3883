// One dashboard: viewed at a chosen level and window, and (for operators) edited on a grid by
// drag and resize. Saving sends the version the edit started from; a stale save (ABORTED, 409)
// keeps the edit on screen and offers to reload or to save over the newer version.
import {api} from "../api.js";
import {keyboardArranger} from "../arrange.js";
import {h, replace, notice} from "../dom.js";
import {describeLevel, levelKey, levelPicker, partnerTree} from "../levels.js";
import {guardLeave} from "../leave.js";
import {session} from "../session.js";
import {describeWindow, windowPicker} from "../windows.js";
import {drawEventList} from "../widgets/eventlist.js";
import {drawMetric} from "../widgets/metric.js";
import {drawTimeseries} from "../widgets/timeseries.js";
import {editSettings} from "./dashboard-settings.js";
import {DEFAULT_SIZE, editWidget} from "./widget-form.js";

const EDITABLE = ["name", "description", "widgets", "defaultLevel", "defaultWindow", "sharedWithPartners"];
const TYPE_LABEL = {metric: "Metric", timeseries: "Time series", event_list: "Events"};

const clone = (x) => structuredClone(x ?? null);
const pick = (d) => Object.fromEntries(EDITABLE.map((k) => [k, d[k] ?? null]));
/** Proto3 JSON leaves defaults out: drop them (and sort keys) so equal values compare equal. */
function canonical(x) {
  if (Array.isArray(x)) return x.length ? x.map(canonical) : undefined;
  if (x && typeof x === "object") {
    const out = {};
    for (const key of Object.keys(x).sort()) {
      const v = canonical(x[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return x === "" || x === 0 || x === false || x === null ? undefined : x;
}
const sameJson = (a, b) => JSON.stringify(canonical(a) ?? null) === JSON.stringify(canonical(b) ?? null);
const withoutPosition = (w) => ({...w, position: undefined});

export async function dashboardView(root, id, {edit}) {
  localStorage.setItem("partneros.lastDashboard", id);
  replace(root, h("p", {class: "muted"}, "Loading dashboard…"));
  const [loaded, metrics, tree] = await Promise.all([
    api.dashboard(id),
    session.can("metrics:read") ? api.metrics().catch(() => []) : [],
    partnerTree().catch(() => []),
  ]);
  if (!root.isConnected) return null; // the user moved on meanwhile
  let saved = loaded; // the server's copy the edit is based on
  let draft = clone(saved);
  draft.widgets ||= [];
  const metricsById = new Map(metrics.map((m) => [m.id, m]));
  let level = null; // null: the dashboard's default level
  let window = null; // null: the dashboard's default window
  let rendered = new Map();
  let effectiveLevel = null;
  let renderSeq = 0;
  let renderAbort = null;
  let grid = null;
  const cleanups = new Map(); // widget id -> cleanup of its drawing

  const isDirty = () => edit && !sameJson(pick(draft), pick(saved));
  guardLeave((silent) => !isDirty() || (!silent && confirm("Leave without saving your changes to this dashboard?")));

  // ---- page structure -------------------------------------------------------------------
  const title = h("h1", {id: "dashboard-title"});
  const desc = h("p", {class: "muted description"});
  const showing = h("span", {class: "showing muted", id: "showing"});
  const status = h("div", {class: "status", id: "dashboard-status"});
  const gridEl = h("div", {class: "grid-stack"});
  const levelSel = levelPicker({tree, value: null, allowDefault: true, onChange: (l) => { level = l; renderAll(); }});
  const windowSel = windowPicker({value: null, emptyLabel: `Default: ${describeWindow(saved.defaultWindow, "none (metrics: this month to date)")}`,
    onChange: (w) => { window = w; renderAll(); }});
  const viewBar = h("div", {class: "toolbar", id: "view-bar"},
    h("label", {class: "inline"}, "Level ", levelSel),
    h("label", {class: "inline"}, "Window ", windowSel),
    h("button", {type: "button", onclick: () => renderAll(), id: "refresh"}, "Refresh"),
    showing);
  const saveBtn = h("button", {type: "button", class: "primary", id: "save", onclick: () => save()}, "Save");
  const editBar = edit ? h("div", {class: "toolbar edit-bar", id: "edit-bar"},
    h("button", {type: "button", id: "add-widget", onclick: addWidget}, "+ Add widget"),
    h("button", {type: "button", id: "settings", onclick: openSettings}, "Settings"),
    saveBtn,
    h("button", {type: "button", id: "discard", onclick: discard}, "Discard changes"),
    h("a", {href: `#/dashboards/${encodeURIComponent(id)}`, class: "button"}, "Done"),
    h("span", {class: "dirty muted", id: "dirty"})) : null;
  const head = h("div", {class: "page-head"},
    h("div", {}, title, desc),
    !edit && session.can("dashboards:write")
      ? h("a", {href: `#/dashboards/${encodeURIComponent(id)}/edit`, class: "button", id: "edit"}, "Edit") : null);
  const arranger = keyboardArranger({getGrid: () => grid, onMoved: () => { syncPositions(); updateHead(); }});
  replace(root, head, editBar, edit ? arranger.hint : null, viewBar, status, gridEl, arranger.announce);

  function updateHead() {
    title.textContent = draft.name + (edit ? " — editing" : "");
    desc.textContent = draft.description || "";
    const dirty = h("span", {}, isDirty() ? "Unsaved changes" : `Saved · version ${saved.version}`);
    if (editBar) replace(editBar.querySelector("#dirty"), dirty);
    if (draft.sharedWithPartners) desc.append(" ", h("span", {class: "badge shared"}, "shared with partners"));
  }

  // ---- grid ----------------------------------------------------------------------------
  function itemFor(w) {
    const size = DEFAULT_SIZE[w.type] || {w: 4, h: 3};
    const p = w.position || {};
    const body = h("div", {class: "widget-body"});
    const content = h("div", {class: "grid-stack-item-content widget", "data-widget-id": w.id, "data-widget-type": w.type},
      h("div", {class: "widget-head"}, h("span", {class: "widget-title"}), h("span", {class: "widget-sub muted"}),
        edit ? h("span", {class: "widget-tools"},
          arranger.moveButton(() => itemEl(w.id)),
          h("button", {type: "button", class: "link edit-widget", onclick: () => changeWidget(w.id)}, "Edit"),
          h("button", {type: "button", class: "link danger remove-widget", onclick: () => removeWidget(w.id)}, "Remove"))
          : null),
      body);
    const item = h("div", {class: "grid-stack-item", "gs-id": w.id, "gs-x": p.x || 0, "gs-y": p.y || 0,
      "gs-w": p.w || size.w, "gs-h": p.h || size.h}, content);
    labelWidget(item, w);
    return item;
  }

  function labelWidget(item, w) {
    const metric = metricsById.get(w.metricId);
    const title = w.title || metric?.name || TYPE_LABEL[w.type] || w.type;
    item.querySelector(".widget-title").textContent = title;
    for (const [cls, verb] of [["move-widget", "Move"], ["edit-widget", "Edit"], ["remove-widget", "Remove"]]) {
      item.querySelector(`.${cls}`)?.setAttribute("aria-label", `${verb} widget ${title}`); // follows a retitle
    }
    const bits = [TYPE_LABEL[w.type]];
    if (w.type !== "event_list" && metric && w.title && w.title !== metric.name) bits.push(metric.name);
    if (w.window) bits.push(describeWindow(w.window));
    item.querySelector(".widget-sub").textContent = bits.filter(Boolean).join(" · ");
  }

  function buildGrid() {
    for (const fn of cleanups.values()) fn();
    cleanups.clear();
    grid?.destroy(false);
    replace(gridEl, draft.widgets.map(itemFor));
    grid = GridStack.init({column: 12, cellHeight: 84, margin: 6, float: true, maxRow: 200, staticGrid: !edit,
      animate: false, handle: ".widget-head"}, gridEl);
    grid.on("change", () => {
      syncPositions();
      updateHead();
    });
    syncPositions();
    if (!draft.widgets.length) {
      status.append(notice("info", edit ? "This dashboard has no widgets yet: add one."
        : "This dashboard has no widgets yet."));
    }
  }

  function syncPositions() {
    if (!edit || !grid) return;
    for (const node of grid.engine.nodes) {
      const w = draft.widgets.find((x) => x.id === node.id);
      if (w) w.position = {x: node.x, y: node.y, w: node.w, h: node.h};
    }
  }

  const itemEl = (wid) => gridEl.querySelector(`.grid-stack-item[gs-id="${CSS.escape(wid)}"]`);
  const bodyOf = (wid) => itemEl(wid)?.querySelector(".widget-body");

  // ---- rendering -----------------------------------------------------------------------
  async function renderAll() {
    const seq = ++renderSeq;
    renderAbort?.abort();
    renderAbort = new AbortController();
    for (const w of draft.widgets) setBody(w.id, h("div", {class: "loading"}, h("span", {class: "spinner"}), "Loading…"));
    const request = {};
    if (level) request.level = {kind: level.kind, id: level.id};
    if (window) request.window = window;
    try {
      const r = await api.renderDashboard(id, request, renderAbort.signal);
      if (seq !== renderSeq) return;
      rendered = new Map((r.widgets || []).map((x) => [x.widgetId, x]));
      effectiveLevel = r.effectiveLevel || null;
      showing.textContent = `Showing ${describeLevel(effectiveLevel, tree)}` +
        ` · ${describeWindow(window || saved.defaultWindow, "no default window (metrics: this month to date)")}`;
      status.querySelector("[data-render-failed]")?.remove();  // a retry that worked clears the failure
      if (!level && effectiveLevel && levelKey(effectiveLevel)) levelSel.setLevel(effectiveLevel);
      for (const w of draft.widgets) drawWidget(w);
    } catch (err) {
      if (err.name === "AbortError" || seq !== renderSeq) return;
      const failed = notice("error", `The dashboard could not be computed: ${err.message}`,
        h("button", {type: "button", onclick: () => renderAll()}, "Try again"));
      failed.dataset.renderFailed = "";
      replace(status, failed);
      for (const w of draft.widgets) setBody(w.id, widgetError(err.status, err.message));
    }
  }

  function setBody(wid, ...children) {
    cleanups.get(wid)?.();
    cleanups.delete(wid);
    const body = bodyOf(wid);
    if (body) replace(body, ...children);
    return body;
  }

  function widgetError(code, message) {
    return h("div", {class: "widget-error", role: "alert"}, h("strong", {}, code || "ERROR"), " ", message || "");
  }

  function drawWidget(w) {
    const before = (saved.widgets || []).find((x) => x.id === w.id);
    if (edit && (!before || !sameJson(withoutPosition(before), withoutPosition(w)))) {
      setBody(w.id, h("div", {class: "empty"}, "Save to see this widget's data."));
      return;
    }
    const r = rendered.get(w.id);
    if (!r) {
      setBody(w.id, h("div", {class: "empty"}, "No data."));
      return;
    }
    if (r.errorCode) {
      const deleted = r.errorCode === "NOT_FOUND" && w.metricId && !metricsById.has(w.metricId);
      setBody(w.id, widgetError(r.errorCode, deleted
        ? "Its metric no longer exists: edit the widget to pick another." : r.errorMessage));
      return;
    }
    const body = setBody(w.id);
    const data = r.data || {};
    const metric = metricsById.get(w.metricId);
    let cleanup = null;
    if (w.type === "metric") drawMetric(body, {data, metric, timeZone: session.timeZone});
    else if (w.type === "timeseries") {
      cleanup = drawTimeseries(body, {data, metric, widgetKey: `${id}.${w.id}`, chartStyle: w.chartStyle,
        timeZone: session.timeZone});
    } else if (w.type === "event_list") {
      cleanup = drawEventList(body, {data, widget: w, level: effectiveLevel, timeZone: session.timeZone,
        window: w.window || window || saved.defaultWindow || null});
    } else replace(body, widgetError("UNKNOWN", `No view for widget type ${w.type}.`));
    if (cleanup) cleanups.set(w.id, cleanup);
  }

  // ---- editing -------------------------------------------------------------------------
  function freeId() {
    const taken = new Set(draft.widgets.map((w) => w.id));
    let n = 1;
    while (taken.has(`w${n}`)) n++;
    return `w${n}`;
  }

  async function addWidget() {
    const w = await editWidget({widget: {type: "", title: ""}, metrics});
    if (!w) return;
    w.id = freeId();
    const size = DEFAULT_SIZE[w.type];
    const bottom = Math.max(0, ...draft.widgets.map((x) => (x.position?.y || 0) + (x.position?.h || 0)));
    w.position = {x: 0, y: bottom, w: size.w, h: size.h};
    draft.widgets.push(w);
    const item = itemFor(w);
    gridEl.append(item);
    grid.makeWidget(item);
    syncPositions();
    drawWidget(w);
    replace(status);
    updateHead();
  }

  async function changeWidget(wid) {
    const index = draft.widgets.findIndex((x) => x.id === wid);
    const w = await editWidget({widget: draft.widgets[index], metrics});
    if (!w) return;
    draft.widgets[index] = w;
    labelWidget(itemEl(wid), w);
    itemEl(wid).querySelector(".widget").dataset.widgetType = w.type;
    drawWidget(w);
    updateHead();
  }

  function removeWidget(wid) {
    grid.removeWidget(itemEl(wid), true);
    cleanups.get(wid)?.();
    draft.widgets = draft.widgets.filter((x) => x.id !== wid);
    updateHead();
  }

  async function openSettings() {
    const changes = await editSettings({dashboard: draft, tree});
    if (!changes) return;
    Object.assign(draft, changes);
    updateHead();
  }

  function discard() {
    if (isDirty() && !confirm("Discard your unsaved changes?")) return;
    draft = clone(saved);
    draft.widgets ||= [];
    replace(status);
    buildGrid();
    updateHead();
    renderAll();
  }

  async function save({overwrite = false} = {}) {
    syncPositions();
    saveBtn.disabled = true;
    for (const el of gridEl.querySelectorAll(".widget.invalid")) el.classList.remove("invalid");
    try {
      let version = saved.version;
      if (overwrite) version = (await api.dashboard(id)).version;
      const body = {id, version, ...pick(draft)};
      for (const key of ["defaultLevel", "defaultWindow"]) if (!body[key]) delete body[key];
      saved = await api.updateDashboard(body);
      draft = clone(saved);
      draft.widgets ||= [];
      replace(status, notice("success", `Saved (version ${saved.version}).`));
      buildGrid();
      updateHead();
      renderAll();
    } catch (err) {
      if (err.status === "ABORTED") showConflict(err);
      else {
        const wid = err.metadata.widget_id;
        if (wid) {  // the widget the server named shows why, where the user looks
          itemEl(wid)?.querySelector(".widget")?.classList.add("invalid");
          setBody(wid, notice("error", err.message));
        }
        replace(status, notice("error", `Not saved: ${err.message}`));
      }
    } finally {
      saveBtn.disabled = false;
    }
  }

  function showConflict(err) {
    replace(status, h("div", {class: "notice conflict", role: "alert", id: "conflict"},
      h("strong", {}, "Not saved: someone else changed this dashboard since you opened it. "),
      h("span", {}, `Your edit was based on version ${saved.version}. Your changes are still here, unsaved. `),
      h("span", {class: "muted"}, err.message),
      h("div", {class: "notice-actions"},
        h("button", {type: "button", id: "conflict-reload", onclick: reloadLatest}, "Reload the latest version (drops my changes)"),
        h("button", {type: "button", id: "conflict-overwrite", class: "danger", onclick: () => save({overwrite: true})},
          "Save mine over it"))));
  }

  async function reloadLatest() {
    if (isDirty() && !confirm("Drop your changes and load the latest saved version?")) return;
    saved = await api.dashboard(id);
    draft = clone(saved);
    draft.widgets ||= [];
    replace(status, notice("info", `Reloaded version ${saved.version}.`));
    buildGrid();
    updateHead();
    renderAll();
  }

  buildGrid();
  updateHead();
  renderAll();
  return () => {
    renderAbort?.abort();
    for (const fn of cleanups.values()) fn();
    grid?.destroy(false);
    document.querySelectorAll("dialog").forEach((d) => d.remove());
  };
}
