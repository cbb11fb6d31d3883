// Tiny DOM helpers. Text always goes in as text nodes (never innerHTML), so data shown from
// the API can never inject markup.

/** Create an element: h("button", {class: "primary", onclick: fn}, "Save"). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else if (["value", "checked", "disabled", "selected", "hidden"].includes(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace every child of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A message box: kind is "error", "warning", "success" or "info". */
export function notice(kind, message, ...actions) {
  return h("div", {class: `notice ${kind}`, role: kind === "error" ? "alert" : "status"},
    h("span", {class: "notice-text"}, message), actions.length ? h("span", {class: "notice-actions"}, actions) : null);
}

/** A labelled form row; `hint` shows under the input, `error` replaces it in red. */
export function field(label, input, {hint = "", name = ""} = {}) {
  const message = h("div", {class: "field-msg", "data-for": name}, hint);
  message.dataset.hint = hint;
  return h("label", {class: "field", "data-field": name}, h("span", {class: "field-label"}, label), input, message);
}

/** Show (or clear, with "") a validation message under the field named `name` inside `root`. */
export function setFieldError(root, name, error) {
  const wrap = root.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrap) return false;
  const msg = wrap.querySelector(".field-msg");
  wrap.classList.toggle("invalid", Boolean(error));
  if (msg) msg.textContent = error || msg.dataset.hint || "";
  return true;
}

/** Copy text to the clipboard, falling back to selecting it when the API is unavailable. */
export async function copyText(text, fallbackEl) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallbackEl) {
      const range = document.createRange();
      range.selectNodeContents(fallbackEl);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    }
    return false;
  }
}
