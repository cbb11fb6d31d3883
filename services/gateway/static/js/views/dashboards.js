// The dashboard list: search, pages, and (for operators) create, rename, duplicate, delete.
import {api} from "../api.js";
import {h, replace, notice} from "../dom.js";
import {formatTime} from "../format.js";
import {session} from "../session.js";

export function dashboardListView(root) {
  const canWrite = session.can("dashboards:write");
  const status = h("div", {class: "status"});
  const tbody = h("tbody");
  const search = h("input", {type: "search", placeholder: "Search by name", "aria-label": "Search dashboards"});
  const pager = h("div", {class: "pager"});
  let tokens = [""]; // page tokens: tokens[i] loads page i
  let page = 0;

  const newName = h("input", {type: "text", name: "new-dashboard", placeholder: "New dashboard name", maxlength: 200,
    "aria-label": "New dashboard name"});
  const createForm = canWrite ? h("form", {class: "inline-form", id: "create-dashboard"}, newName,
    h("button", {type: "submit", class: "primary"}, "Create dashboard")) : null;
  createForm?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = newName.value.trim();
    if (!name) {
      replace(status, notice("error", "Give the dashboard a name."));
      return;
    }
    try {
      const d = await api.createDashboard({name, defaultWindow: {period: "PERIOD_MONTH", mode: "WINDOW_MODE_CURRENT_TO_DATE"}});
      location.hash = `#/dashboards/${encodeURIComponent(d.id)}/edit`;
    } catch (err) {
      replace(status, notice("error", err.message));
    }
  });

  async function load() {
    replace(tbody, h("tr", {}, h("td", {colspan: 4, class: "muted"}, "Loading…")));
    try {
      const r = await api.dashboards(search.value.trim(), tokens[page]);
      tokens[page + 1] = r.nextPageToken || "";
      const list = r.dashboards || [];
      replace(tbody, list.length ? list.map(row) : h("tr", {}, h("td", {colspan: 4, class: "empty"},
        search.value ? "No dashboard matches." : session.isPartnerUser ? "No dashboard is shared with you yet."
          : "No dashboards yet. Create the first one above.")));
      replace(pager,
        h("button", {type: "button", disabled: page === 0, onclick: () => { page--; load(); }}, "‹ Previous"),
        h("span", {class: "muted"}, `Page ${page + 1}`),
        h("button", {type: "button", disabled: !tokens[page + 1], onclick: () => { page++; load(); }}, "Next ›"));
    } catch (err) {
      replace(tbody, h("tr", {}, h("td", {colspan: 4}, notice("error", err.message))));
    }
  }

  function row(d) {
    const nameCell = h("td", {}, h("a", {href: `#/dashboards/${encodeURIComponent(d.id)}`, class: "dash-link"}, d.name));
    const actions = h("td", {class: "actions"});
    if (canWrite) {
      actions.append(
        h("a", {href: `#/dashboards/${encodeURIComponent(d.id)}/edit`, class: "button"}, "Edit"),
        h("button", {type: "button", onclick: () => rename(d, nameCell)}, "Rename"),
        h("button", {type: "button", onclick: () => duplicate(d)}, "Duplicate"),
        h("button", {type: "button", class: "danger", onclick: () => remove(d)}, "Delete"));
    }
    return h("tr", {"data-id": d.id},
      nameCell,
      h("td", {}, d.sharedWithPartners ? h("span", {class: "badge shared"}, "shared with partners") : h("span", {class: "muted"}, "operators only")),
      h("td", {class: "muted"}, formatTime(d.updateTime, session.timeZone)),
      actions);
  }

  function rename(d, cell) {
    const input = h("input", {type: "text", value: d.name, name: "rename", maxlength: 200});
    const save = async () => {
      const name = input.value.trim();
      if (!name) return;
      try {
        await api.updateDashboard({id: d.id, name, version: d.version}, "name");
        replace(status, notice("success", `Renamed to “${name}”.`));
        load();
      } catch (err) {
        const text = err.status === "ABORTED"
          ? "Someone changed this dashboard meanwhile; the list is reloaded — rename it again." : err.message;
        replace(status, notice("error", text));
        if (err.status === "ABORTED") load();
      }
    };
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") save();
      if (e.key === "Escape") load();
    });
    replace(cell, input, h("button", {type: "button", class: "primary", onclick: save}, "Save"),
      h("button", {type: "button", onclick: load}, "Cancel"));
    input.focus();
  }

  async function duplicate(d) {
    try {
      const copy = await api.duplicateDashboard(d.id, `${d.name} (copy)`);
      replace(status, notice("success", `Created “${copy.name}”.`));
      load();
    } catch (err) {
      replace(status, notice("error", err.message));
    }
  }

  async function remove(d) {
    if (!confirm(`Delete the dashboard “${d.name}”? This cannot be undone.`)) return;
    try {
      await api.deleteDashboard(d.id);
      replace(status, notice("success", `Deleted “${d.name}”.`));
      load();
    } catch (err) {
      replace(status, notice("error", err.message));
    }
  }

  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      tokens = [""];
      page = 0;
      load();
    }, 250);
  });

  replace(root,
    h("div", {class: "page-head"}, h("h1", {}, "Dashboards"), search),
    createForm, status,
    h("table", {class: "table", id: "dashboard-list"},
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Visibility"), h("th", {}, "Updated"), h("th", {}, ""))),
      tbody),
    pager);
  load();
}
