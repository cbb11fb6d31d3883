// The dialog editing a dashboard's name, description, sharing, default level and window.
import {formDialog} from "../dialog.js";
import {h} from "../dom.js";
import {levelPicker} from "../levels.js";
import {windowPicker} from "../windows.js";

/** Resolves to the changed fields, or null when cancelled. */
export function editSettings({dashboard, tree}) {
  const name = h("input", {type: "text", name: "name", value: dashboard.name || "", maxlength: 200, required: true});
  const description = h("textarea", {name: "description", rows: 3, maxlength: 4000}, dashboard.description || "");
  const shared = h("input", {type: "checkbox", name: "shared", checked: Boolean(dashboard.sharedWithPartners)});
  const level = levelPicker({tree, value: dashboard.defaultLevel || null, allowDefault: true,
    defaultLabel: "The widest level each viewer may see", name: "default-level"});
  // No default window is not "this month": metrics then take this month to date, event lists the newest events.
  const win = windowPicker({value: dashboard.defaultWindow || null,
    emptyLabel: "None (metrics: this month to date; event lists: the newest events)",
    name: "default-window"});
  const msg = h("div", {class: "field-msg"});
  const apply = h("button", {type: "submit", class: "primary"}, "Apply");
  const form = h("form", {method: "dialog", class: "dialog-form", id: "settings-form"},
    h("h2", {}, "Dashboard settings"),
    h("label", {class: "field", "data-field": "name"}, h("span", {class: "field-label"}, "Name"), name, msg),
    h("label", {class: "field"}, h("span", {class: "field-label"}, "Description"), description),
    h("label", {class: "check"}, shared, " Shared with partners (partner users see it, at their own slice only)"),
    h("label", {class: "field"}, h("span", {class: "field-label"}, "Default level"), level),
    h("label", {class: "field"}, h("span", {class: "field-label"}, "Default window"), win),
    h("div", {class: "dialog-actions"}, h("button", {type: "button", class: "cancel"}, "Cancel"), apply));
  const dialog = h("dialog", {class: "dialog"}, form);
  const check = () => {
    const error = !name.value.trim() ? "A dashboard needs a name." : "";
    msg.textContent = error;
    name.closest(".field").classList.toggle("invalid", Boolean(error));
    apply.disabled = Boolean(error) || win.getWindow() === undefined;
    return !apply.disabled;
  };
  return formDialog({dialog, form, check, read: () => {
    const lvl = level.getLevel();
    const window = win.getWindow();
    return {name: name.value.trim(), description: description.value, sharedWithPartners: shared.checked,
      defaultLevel: lvl ? {kind: lvl.kind, id: lvl.id} : undefined, defaultWindow: window || undefined};
  }});
}
