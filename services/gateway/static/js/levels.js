// The level picker: all partners (operators), one partner from the visible tree, or one customer.
// It only offers what the caller may see: the API lists a manager's assigned partners and a
// partner user's own subtree, and the server re-checks every level asked anyway.
import {api} from "./api.js";
import {h} from "./dom.js";
import {session} from "./session.js";

const ALL = "LEVEL_KIND_ALL_PARTNERS";
const PARTNER = "LEVEL_KIND_PARTNER";
const CUSTOMER = "LEVEL_KIND_CUSTOMER";

let partnersCache = null;

/** The visible partners, as a depth-first list of {partner, depth}. Cached per sign-in. */
export async function partnerTree({refresh = false} = {}) {
  if (!partnersCache || refresh) partnersCache = api.partners().then(flatten);
  try {
    return await partnersCache;
  } catch (err) {
    partnersCache = null;
    throw err;
  }
}

export function forgetPartners() {
  partnersCache = null;
}

function flatten(partners) {
  const byId = new Map(partners.map((p) => [p.id, p]));
  const children = new Map();
  for (const p of partners) {
    const parent = p.parentId && byId.has(p.parentId) ? p.parentId : "";
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(p);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const out = [];
  const walk = (parent, depth) => {
    for (const p of children.get(parent) || []) {
      if (out.length > 10000) return;
      out.push({partner: p, depth});
      walk(p.id, depth + 1);
    }
  };
  walk("", 0);
  return out;
}

/** Select-option value of a level. */
export function levelKey(level) {
  if (!level || !level.kind || level.kind === "LEVEL_KIND_UNSPECIFIED") return "";
  if (level.kind === ALL) return "all";
  return `${level.kind === PARTNER ? "p" : "c"}:${level.id}`;
}

/** The level of a select-option value ("" = the dashboard's default). */
export function levelOf(key) {
  if (!key) return null;
  if (key === "all") return {kind: ALL};
  const [kind, id] = [key.slice(0, 1), key.slice(2)];
  return {kind: kind === "p" ? PARTNER : CUSTOMER, id};
}

/** Text for a level, given the partner tree. */
// Customers picked in this page, id -> what the picker showed (email, else name): the header
// names a customer level as the picker did, not by its id.
const customerLabels = new Map();

export function describeLevel(level, tree = []) {
  const key = levelKey(level);
  if (!key) return session.isPartnerUser ? "my partner" : "default level";
  if (key === "all") return session.isAdmin ? "All partners" : "All my partners";
  if (level.kind === PARTNER) return tree.find((n) => n.partner.id === level.id)?.partner.name || level.id;
  return `customer ${customerLabels.get(level.id) || level.id}`;
}

/**
 * A level picker. `value` is a Level or null; `onChange(level|null)`. `allowDefault` adds a
 * "dashboard default" option (dashboard settings use it without).
 */
export function levelPicker({tree, value = null, onChange = () => {}, allowDefault = false, defaultLabel = "Dashboard default",
  name = "level"}) {
  const select = h("select", {name, "aria-label": "Level"});
  if (allowDefault) select.append(h("option", {value: ""}, defaultLabel));
  if (!session.isPartnerUser) select.append(h("option", {value: "all"}, session.isAdmin ? "All partners" : "All my partners"));
  const group = h("optgroup", {label: session.isPartnerUser ? "My partner" : "Partner (with sub-partners)"});
  for (const {partner, depth} of tree) {
    group.append(h("option", {value: `p:${partner.id}`}, `${"\u00a0\u00a0".repeat(depth)}${depth ? "└ " : ""}${partner.name}`));
  }
  select.append(group, h("option", {value: "customer"}, "A customer…"));

  const listId = `customers-${Math.random().toString(36).slice(2)}`;
  const input = h("input", {type: "search", placeholder: "customer id or email", list: listId, "aria-label": "Customer"});
  const datalist = h("datalist", {id: listId});
  const apply = h("button", {type: "button"}, "Show");
  const msg = h("span", {class: "field-msg inline"});
  const customerBox = h("span", {class: "customer-pick", hidden: true}, input, datalist, apply, msg);
  const wrap = h("span", {class: "level-picker"}, select, customerBox);

  let current = value;
  const setSelect = (level) => {
    const key = levelKey(level);
    if (key.startsWith("c:") && !select.querySelector(`option[value="${CSS.escape(key)}"]`)) {
      select.insertBefore(h("option", {value: key}, `Customer ${level.label || level.id}`), select.lastElementChild);
    }
    select.value = key;
    if (select.value !== key) select.value = allowDefault ? "" : select.options[0]?.value || "";
  };
  setSelect(value);

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const r = await api.customers(q);
        datalist.replaceChildren(...(r.customers || []).map((c) =>
          h("option", {value: c.email || c.id}, [c.name, c.email, c.externalId].filter(Boolean).join(" · ") || c.id)));
      } catch {
        /* suggestions are a convenience */
      }
    }, 200);
  });
  const resolve = async () => {
    const q = input.value.trim();
    msg.textContent = "";
    if (!q) return;
    try {
      const customer = await findCustomer(q);
      if (!customer) {
        msg.textContent = "No such customer in your slice.";
        return;
      }
      current = {kind: CUSTOMER, id: customer.id, label: customer.email || customer.name || customer.id};
      customerLabels.set(customer.id, current.label);
      setSelect(current);
      customerBox.hidden = true;
      onChange({kind: CUSTOMER, id: customer.id});
    } catch (err) {
      msg.textContent = err.message;
    }
  };
  apply.addEventListener("click", resolve);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      resolve();
    }
  });
  select.addEventListener("change", () => {
    if (select.value === "customer") {
      customerBox.hidden = false;
      input.focus();
      return;
    }
    customerBox.hidden = true;
    current = levelOf(select.value);
    onChange(current);
  });
  wrap.select = select;
  wrap.setLevel = (level) => {
    current = level;
    setSelect(level);
  };
  wrap.getLevel = () => current;
  return wrap;
}

/** A visible customer by id, email or external id; null when none matches. */
export async function findCustomer(text) {
  const q = text.trim();
  const r = await api.customers(q);
  const lower = q.toLowerCase();
  const exact = (r.customers || []).find((c) => c.id === q || (c.email || "").toLowerCase() === lower || c.externalId === q);
  if (exact) return exact;
  if (/^[A-Za-z0-9_-]+$/.test(q)) {
    try {
      return await api.customer(q);
    } catch (err) {
      if (err.httpStatus === 404 || err.httpStatus === 403) return null;
      throw err;
    }
  }
  return null;
}
