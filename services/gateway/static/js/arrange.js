// Arranging dashboard widgets from the keyboard. A widget's Move button grabs it (Enter, Space or a
// click); arrow keys then move it by a cell and Shift + arrow keys resize it, into free cells only
// (a widget in the way is named, never pushed aside); Enter, Space or leaving the button drops it,
// Escape puts it back where it was grabbed. Every step is announced in a live region, and what the
// keys do is shown on screen while a widget is held.
import {h} from "./dom.js";

const STEPS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
const COLUMNS = 12;

const titleOf = (el) => el.querySelector(".widget-title")?.textContent || "widget";
const where = (n) => `column ${n.x + 1}, row ${n.y + 1}, ${n.w} wide, ${n.h} high`;

/**
 * `getGrid()` is the GridStack in use, `onMoved()` runs after every change of place or size.
 * Returns {announce, hint} (elements to put on the page) and `moveButton(getItem)` (a Move button
 * for the grid item `getItem()` returns).
 */
export function keyboardArranger({getGrid, onMoved}) {
  const announce = h("div", {class: "sr-only", "aria-live": "polite", id: "arrange-announce"});
  const hint = h("div", {class: "arrange-hint notice info", id: "arrange-hint", hidden: true});
  let held = null; // {el, button, start}

  const say = (text) => {  // cleared first, so that the same words twice are read twice
    announce.textContent = "";
    requestAnimationFrame(() => { announce.textContent = text; });
  };
  const inTheWay = (el, r) => getGrid().engine.nodes.find((n) => n.el !== el &&
    r.x < n.x + n.w && n.x < r.x + r.w && r.y < n.y + n.h && n.y < r.y + r.h);

  function grab(el, button) {
    const n = el.gridstackNode;
    held = {el, button, start: {x: n.x, y: n.y, w: n.w, h: n.h}};
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Drop";
    hint.textContent = `Moving ${titleOf(el)}: arrow keys move it, Shift + arrow keys resize it. ` +
      "Enter drops it, Escape puts it back.";
    hint.hidden = false;
    say(`${titleOf(el)} grabbed, ${where(n)}. Arrow keys move it, Shift and arrow keys resize it, ` +
      "Enter drops it, Escape puts it back.");
  }

  function drop(putBack = false) {
    if (!held) return;
    const {el, button, start} = held;
    held = null;
    if (putBack) {
      getGrid().update(el, start);
      onMoved();
    }
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Move";
    hint.hidden = true;
    say(`${titleOf(el)} ${putBack ? "put back" : "dropped"}, ${where(el.gridstackNode)}.`);
  }

  function step(key, resize) {
    const {el} = held;
    const n = el.gridstackNode;
    const [dx, dy] = STEPS[key];
    const r = resize ? {x: n.x, y: n.y, w: n.w + dx, h: n.h + dy} : {x: n.x + dx, y: n.y + dy, w: n.w, h: n.h};
    if (r.x < 0 || r.y < 0 || r.w < 1 || r.h < 1 || r.x + r.w > COLUMNS) {
      say(`${titleOf(el)} cannot go further: ${where(n)}.`);
      return;
    }
    const other = inTheWay(el, r);
    if (other) {
      say(`${titleOf(other.el)} is in the way; ${titleOf(el)} stays at ${where(n)}.`);
      return;
    }
    getGrid().update(el, r);
    onMoved();
    say(`${titleOf(el)}: ${where(el.gridstackNode)}.`);
  }

  function moveButton(getItem) {
    const button = h("button", {type: "button", class: "link move-widget", "aria-pressed": "false",
      title: "Move or resize from the keyboard"}, "Move");
    button.addEventListener("click", () => {
      if (held?.button === button) drop();
      else {
        drop();
        grab(getItem(), button);
      }
    });
    button.addEventListener("keydown", (e) => {
      if (held?.button !== button || e.ctrlKey || e.altKey || e.metaKey) return;
      if (STEPS[e.key]) {
        e.preventDefault();
        step(e.key, e.shiftKey);
      } else if (e.key === "Escape") {
        e.preventDefault();
        drop(true);
      }
    });
    button.addEventListener("blur", () => {
      setTimeout(() => { if (held?.button === button && document.activeElement !== button) drop(); }, 0);
    });
    return button;
  }

  return {announce, hint, moveButton};
}
