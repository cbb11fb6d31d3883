// Record an event in-app for a customer in the caller's slice: name, customer by id or email,
// optional time, and properties as key/value rows or as JSON.
import {api} from "../api.js";
import {h, replace, notice, setFieldError} from "../dom.js";
import {parseValue, valueText} from "../filters.js";
import {session} from "../session.js";
import {instantsOfLocalTime} from "../windows.js";

/** An instant as the tenant's clocks read it, with the zone's abbreviation (EDT or EST, where it matters). */
const stamp = (iso) => new Intl.DateTimeFormat("en", {timeZone: session.timeZone, dateStyle: "medium", timeStyle: "long"})
  .format(new Date(iso));

export function recordView(root) {
  const name = h("input", {type: "text", name: "event-name", placeholder: "activation", maxlength: 200});
  const by = h("select", {name: "customer-by", "aria-label": "Find the customer by"},
    h("option", {value: "email"}, "Email"), h("option", {value: "customerId"}, "Customer id"),
    h("option", {value: "externalId"}, "External id"));
  const customer = h("input", {type: "text", name: "customer", placeholder: "jane@example.com", list: "record-customers",
    "aria-label": "Customer"});
  const suggestions = h("datalist", {id: "record-customers"});
  const when = h("input", {type: "datetime-local", name: "timestamp", step: 1});
  const mode = h("select", {name: "properties-mode", "aria-label": "Properties as"},
    h("option", {value: "pairs"}, "Key / value"), h("option", {value: "json"}, "JSON"));
  const pairs = h("div", {class: "pairs"});
  const json = h("textarea", {name: "properties-json", rows: 6, hidden: true, placeholder: '{"plan": "pro", "seats": 5}',
    class: "mono"});
  const status = h("div", {class: "status", id: "record-status"});
  const submit = h("button", {type: "submit", class: "primary"}, "Record event");

  const addPair = (key = "", value = "") => {
    const row = h("div", {class: "pair"},
      h("input", {type: "text", class: "pair-key", placeholder: "key", value: key, "aria-label": "Property name"}),
      h("input", {type: "text", class: "pair-value", placeholder: "value", value, "aria-label": "Property value"}),
      h("button", {type: "button", class: "link danger", title: "Remove", onclick: () => { row.remove(); check(); }}, "✕"));
    pairs.append(row);
  };
  addPair();

  let shownMode = "pairs"; // what is on screen (mode.value changes before its handler runs)
  /** The properties object, or a string saying what is wrong. */
  const properties = (from = mode.value) => {
    if (from === "json") {
      if (!json.value.trim()) return {};
      try {
        const v = JSON.parse(json.value);
        return v && typeof v === "object" && !Array.isArray(v) ? v : "Properties must be a JSON object: { … }.";
      } catch (err) {
        return `Not valid JSON: ${err.message}`;
      }
    }
    const out = {};
    for (const row of pairs.children) {
      const k = row.querySelector(".pair-key").value.trim();
      const v = row.querySelector(".pair-value").value;
      if (!k && !v.trim()) continue;
      if (!k) return "Every value needs a key.";
      if (k in out) return `The key “${k}” appears twice.`;
      out[k] = parseValue(v);
    }
    return out;
  };

  const form = h("form", {class: "card form", id: "record-form", novalidate: true},
    h("h1", {}, "Record an event"),
    h("p", {class: "muted"}, "For a customer in your slice of the program. The event counts in metrics at once."),
    h("label", {class: "field", "data-field": "name"}, h("span", {class: "field-label"}, "Event name"), name, h("div", {class: "field-msg"})),
    h("div", {class: "field", "data-field": "customer"}, h("span", {class: "field-label"}, "Customer"),
      h("div", {class: "inline"}, by, customer, suggestions), h("div", {class: "field-msg"})),
    h("label", {class: "field", "data-field": "timestamp"}, h("span", {class: "field-label"}, `When (time in ${session.timeZone}, as on every chart; empty: now)`),
      when,
      h("div", {class: "field-msg"})),
    h("div", {class: "field", "data-field": "properties"}, h("span", {class: "field-label"}, "Properties ", mode),
      pairs, h("button", {type: "button", class: "link", id: "add-pair", onclick: () => addPair()}, "+ Add property"), json,
      h("div", {class: "field-msg"})),
    status, h("div", {class: "form-actions"}, submit));

  let touched = false;
  const check = () => {
    const p = {};
    if (!name.value.trim()) p.name = "Name the event, e.g. activation.";
    const c = customer.value.trim();
    if (!c) p.customer = "Pick the customer.";
    else if (by.value === "email" && !/^[^@\s]+@[^@\s]+$/.test(c)) p.customer = "That is not an email address.";
    const props = properties();
    if (typeof props === "string") p.properties = props;
    const instants = when.value ? instantsOfLocalTime(when.value, session.timeZone) : [""]; // empty: now
    if (instants === null) p.timestamp = "Not a date and time.";
    else if (!instants.length) p.timestamp = `This time does not exist in ${session.timeZone}: the clocks skip it.`;
    form.querySelector('[data-field="timestamp"] .field-msg').dataset.hint = instants?.length > 1
      ? `This time happens twice in ${session.timeZone} (the clocks go back): the first is meant.` : "";
    for (const key of ["name", "customer", "properties", "timestamp"]) {
      setFieldError(form, key, touched || key === "properties" || key === "timestamp" ? p[key] || "" : "");
    }
    submit.disabled = Object.keys(p).length > 0;
    return !submit.disabled;
  };
  form.addEventListener("input", () => { touched = true; check(); });
  by.addEventListener("change", () => {
    customer.placeholder = by.value === "email" ? "jane@example.com" : by.value === "customerId" ? "cus_…" : "crm-123";
    check();
  });
  mode.addEventListener("change", () => {
    const current = properties(shownMode);
    shownMode = mode.value;
    if (mode.value === "json") {
      json.value = typeof current === "object" && Object.keys(current).length ? JSON.stringify(current, null, 2) : json.value;
    } else if (typeof current === "object") {
      pairs.replaceChildren();
      for (const [k, v] of Object.entries(current)) addPair(k, valueText(v));
      if (!pairs.children.length) addPair();
    }
    json.hidden = mode.value !== "json";
    pairs.hidden = mode.value === "json";
    form.querySelector("#add-pair").hidden = mode.value === "json";
    check();
  });
  let timer = 0;
  customer.addEventListener("input", () => {
    clearTimeout(timer);
    const q = customer.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const r = await api.customers(q);
        const value = (c) => (by.value === "email" ? c.email : by.value === "externalId" ? c.externalId : c.id);
        suggestions.replaceChildren(...(r.customers || []).filter(value).map((c) =>
          h("option", {value: value(c)}, [c.name, c.email, c.id].filter(Boolean).join(" · "))));
      } catch {
        /* suggestions are a convenience */
      }
    }, 200);
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    touched = true;
    if (!check()) return;
    const event = {name: name.value.trim(), customer: {[by.value]: customer.value.trim()}, properties: properties()};
    // Where the clocks go back, the time happens twice: the first is meant, and the message says which.
    if (when.value) event.timestamp = instantsOfLocalTime(when.value, session.timeZone)[0];
    submit.disabled = true;
    let customerError = "";
    try {
      const r = await api.recordEvent(event);
      const state = r.status || "EVENT_STATUS_UNSPECIFIED";
      if (state === "EVENT_STATUS_ACCEPTED" || state === "EVENT_STATUS_DUPLICATE") {
        const at = event.timestamp ? ` for ${stamp(event.timestamp)}` : "";
        replace(status, notice("success", state === "EVENT_STATUS_DUPLICATE"
          ? `Already recorded: “${event.name}”${at} is event ${r.eventId}; nothing new was stored.`
          : `Recorded “${event.name}”${at} (event ${r.eventId}).`));
        name.value = "";
        touched = false;
      } else {
        replace(status, notice("error", `Not recorded (${state.replace("EVENT_STATUS_", "").toLowerCase()}): ${r.message || r.reason}`));
      }
    } catch (err) {
      replace(status, notice("error", `Not recorded: ${err.message}`));
      if (err.field && /customer/.test(err.field)) customerError = err.message;
    }
    submit.disabled = false;
    check();  // before the server's verdict on the customer, which it would clear
    if (customerError) setFieldError(form, "customer", customerError);
  });
  replace(root, form);
  check();
  name.focus();
}
