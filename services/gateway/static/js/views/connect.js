// Connect: machine keys for partners' systems (the secret shown once, with a ready-to-run
// request against the ingest rail), revocation, and the quarantine with replay.
import {api} from "../api.js";
import {copyText, h, replace, notice} from "../dom.js";
import {formatTime} from "../format.js";
import {partnerTree} from "../levels.js";
import {session} from "../session.js";

/** A copy-paste example sending one event with `secret`. */
export function curlExample(secret) {
  const body = {events: [{eventId: "evt-0001", name: "activation", customer: {email: "jane@example.com"},
    timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"), properties: {plan: "pro", seats: 5}}]};
  return [`curl -sS -X POST '${location.origin}/v1/events:ingest' \\`,
    `  -H 'Authorization: Bearer ${secret}' \\`,
    "  -H 'Content-Type: application/json' \\",
    `  -d '${JSON.stringify(body, null, 2)}'`].join("\n");
}

export async function connectView(root) {
  const tz = session.timeZone;
  const tree = await partnerTree().catch(() => []);
  const partnerName = (pid) => tree.find((n) => n.partner.id === pid)?.partner.name || pid;
  const canWrite = session.can("keys:write");

  // ---- machine keys --------------------------------------------------------------------
  const keyStatus = h("div", {class: "status", id: "key-status"});
  const keyRows = h("tbody");
  const keyName = h("input", {type: "text", name: "key-name", placeholder: "e.g. Acme CRM sync", maxlength: 200,
    "aria-label": "Key name"});
  const keyPartner = h("select", {name: "key-partner", "aria-label": "Partner the key is bound to"}, h("option", {value: ""}, "Any partner of the program"),
    tree.map(({partner, depth}) => h("option", {value: partner.id}, `${"\u00a0\u00a0".repeat(depth)}${partner.name}`)));
  const createKey = h("form", {class: "inline-form", id: "create-key"}, keyName, keyPartner,
    h("button", {type: "submit", class: "primary"}, "Create key"));
  createKey.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!keyName.value.trim()) {
      replace(keyStatus, notice("error", "Name the key after the system that will use it."));
      return;
    }
    try {
      const r = await api.createMachineKey({displayName: keyName.value.trim(), partnerId: keyPartner.value || undefined,
        scopes: ["events:write"]});
      keyName.value = "";
      showSecret(r);
      loadKeys();
    } catch (err) {
      replace(keyStatus, notice("error", err.message));
    }
  });

  function showSecret(r) {
    const secret = h("code", {class: "secret", id: "key-secret"}, r.secret);
    const example = h("pre", {class: "code", id: "curl-example"}, curlExample(r.secret));
    const copied = h("span", {class: "muted small"});
    const copy = (text, el) => async () => {
      copied.textContent = (await copyText(text, el)) ? "Copied." : "Selected: press Ctrl+C to copy.";
    };
    replace(keyStatus, h("div", {class: "notice success secret-box", role: "status"},
      h("p", {}, h("strong", {}, `Key “${r.machineKey.displayName}” created. `),
        "Copy its secret now: it is shown only this once and cannot be recovered."),
      h("div", {class: "secret-line"}, secret,
        h("button", {type: "button", id: "copy-secret", onclick: copy(r.secret, secret)}, "Copy secret"), copied),
      h("p", {}, "Send events with it, for example:"), example,
      h("button", {type: "button", onclick: copy(example.textContent, example)}, "Copy example"),
      h("button", {type: "button", class: "link", onclick: () => replace(keyStatus)}, "I have stored it — hide")));
  }

  async function loadKeys() {
    try {
      const keys = await api.machineKeys();
      replace(keyRows, keys.length ? keys.map((k) => h("tr", {"data-id": k.id, class: k.revokeTime ? "revoked" : ""},
        h("td", {}, k.displayName || h("span", {class: "muted"}, "(unnamed)")),
        h("td", {class: "mono"}, `${k.prefix}…`),
        h("td", {}, k.partnerId ? partnerName(k.partnerId) : h("span", {class: "muted"}, "any partner")),
        h("td", {class: "muted"}, formatTime(k.createTime, tz)),
        h("td", {class: "muted"}, k.lastUseTime ? formatTime(k.lastUseTime, tz) : "never"),
        h("td", {}, k.revokeTime ? h("span", {class: "badge revoked"}, `revoked ${formatTime(k.revokeTime, tz)}`)
          : canWrite ? h("button", {type: "button", class: "danger revoke", onclick: () => revoke(k)}, "Revoke")
            : h("span", {class: "badge"}, "active"))))
        : h("tr", {}, h("td", {colspan: 6, class: "empty"}, "No machine keys yet.")));
    } catch (err) {
      replace(keyRows, h("tr", {}, h("td", {colspan: 6}, notice("error", err.message))));
    }
  }

  async function revoke(k) {
    if (!confirm(`Revoke “${k.displayName || k.prefix}”? Systems using it stop at once.`)) return;
    try {
      await api.revokeMachineKey(k.id);
      replace(keyStatus, notice("success", `Revoked “${k.displayName || k.prefix}”.`));
      loadKeys();
    } catch (err) {
      replace(keyStatus, notice("error", err.message));
    }
  }

  // ---- quarantine ----------------------------------------------------------------------
  const qStatus = h("div", {class: "status", id: "quarantine-status"});
  const qRows = h("tbody");
  const showReplayed = h("input", {type: "checkbox", name: "show-replayed", onchange: () => { qTokens = [""]; qPage = 0; loadQuarantine(); }});
  const qPager = h("div", {class: "pager"});
  let qTokens = [""];
  let qPage = 0;
  const replayAll = h("button", {type: "button", id: "replay-all", class: "primary", onclick: () => replay([])},
    "Replay every pending event");
  // Disabled until an entry is ticked: an empty list would ask the API to replay every pending one.
  const replaySelected = h("button", {type: "button", id: "replay-selected", disabled: true, onclick: () =>
    replay([...qRows.querySelectorAll("input[type=checkbox]:checked")].map((c) => c.value))}, "Replay selected");
  qRows.addEventListener("change", () => {
    replaySelected.disabled = !qRows.querySelector("input[type=checkbox]:checked");
  });

  const ref = (c = {}) => c.customerId ? `id ${c.customerId}` : c.externalId ? `external id ${c.externalId}`
    : c.email ? c.email : "(none)";

  async function loadQuarantine() {
    if (!session.can("quarantine:read")) return;
    try {
      const r = await api.quarantine(showReplayed.checked, qTokens[qPage]);
      qTokens[qPage + 1] = r.nextPageToken || "";
      const items = r.quarantinedEvents || [];
      replaySelected.disabled = true;  // the ticks go with the rows they were on
      replace(qRows, items.length ? items.map((q) => h("tr", {"data-id": q.id},
        h("td", {}, q.replayTime ? "" : h("input", {type: "checkbox", value: q.id,
          "aria-label": `Select ${q.event?.name || "event"} for ${ref(q.event?.customer)}`})),
        h("td", {class: "muted"}, formatTime(q.receiveTime, tz)),
        h("td", {}, q.event?.name || ""),
        h("td", {}, ref(q.event?.customer)),
        h("td", {}, h("span", {class: "badge warn"}, q.reason)),
        h("td", {class: "muted"}, q.replayTime ? `replayed ${formatTime(q.replayTime, tz)}` : "pending")))
        : h("tr", {}, h("td", {colspan: 6, class: "empty"}, "Nothing in quarantine: every event found its customer.")));
      replace(qPager,
        h("button", {type: "button", disabled: qPage === 0, onclick: () => { qPage--; loadQuarantine(); }}, "‹ Previous"),
        h("span", {class: "muted"}, `Page ${qPage + 1}`),
        h("button", {type: "button", disabled: !qTokens[qPage + 1], onclick: () => { qPage++; loadQuarantine(); }}, "Next ›"));
    } catch (err) {
      replace(qRows, h("tr", {}, h("td", {colspan: 6}, notice("error", err.message))));
    }
  }

  async function replay(ids) {
    try {
      const r = await api.replay(ids);
      const moved = r.replayedCount || 0;
      const pending = r.pendingCount || 0;
      replace(qStatus, notice(moved ? "success" : "info",
        `${moved} event${moved === 1 ? "" : "s"} replayed onto the stream; ${pending} still without a customer.` +
        (pending ? " Create the missing customers (or fix their email / external id), then replay again." : "")));
      loadQuarantine();
    } catch (err) {
      replace(qStatus, notice("error", err.message));
    }
  }

  replace(root,
    h("h1", {}, "Connect"),
    h("section", {class: "card", id: "machine-keys"},
      h("h2", {}, "Machine keys"),
      h("p", {class: "muted"}, "A partner's system sends events with a machine key (scope events:write). ",
        "Bound to a partner, a key reaches only that partner's customers and its sub-partners'."),
      canWrite ? createKey : null, keyStatus,
      h("table", {class: "table", id: "key-list"}, h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Prefix"),
        h("th", {}, "Partner"), h("th", {}, "Created"), h("th", {}, "Last used"), h("th", {}, ""))), keyRows)),
    session.can("quarantine:read") ? h("section", {class: "card", id: "quarantine"},
      h("h2", {}, "Quarantine"),
      h("p", {class: "muted"}, "Events whose customer could not be resolved are kept here, never dropped. ",
        "Once the customer exists, replay moves them onto the stream exactly once."),
      session.can("quarantine:write") ? h("div", {class: "toolbar"}, replayAll, replaySelected,
        h("label", {class: "check"}, showReplayed, " show replayed")) : null,
      qStatus,
      h("table", {class: "table", id: "quarantine-list"}, h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", {}, "Received"),
        h("th", {}, "Event"), h("th", {}, "Customer as sent"), h("th", {}, "Reason"), h("th", {}, "State"))), qRows),
      qPager) : null);
  loadKeys();
  loadQuarantine();
}
