// The single-page app: sign-in, navigation and a hash router over the views.
import {api, onSessionEnded} from "./api.js";
import {h, replace, notice} from "./dom.js";
import {session} from "./session.js";
import {forgetPartners} from "./levels.js";
import {clearGuard, mayLeave} from "./leave.js";
import {signInView} from "./views/signin.js";
import {dashboardListView} from "./views/dashboards.js";
import {dashboardView} from "./views/dashboard.js";
import {metricsView} from "./views/metrics.js";
import {connectView} from "./views/connect.js";
import {recordView} from "./views/record.js";

const app = document.getElementById("app");
const ROUTES = [
  [/^#\/dashboards\/?$/, dashboardListView, "dashboards:read"],
  [/^#\/dashboards\/([^/]+)$/, (root, [id]) => dashboardView(root, id, {edit: false}), "dashboards:read"],
  [/^#\/dashboards\/([^/]+)\/edit$/, (root, [id]) => dashboardView(root, id, {edit: true}), "dashboards:write"],
  [/^#\/metrics\/?$/, (root) => metricsView(root, null), "metrics:read"],
  [/^#\/metrics\/([^/]+)$/, (root, [id]) => metricsView(root, id), "metrics:read"],
  [/^#\/connect$/, connectView, "keys:read"],
  [/^#\/record$/, recordView, "events:record"],
];

let cleanup = null;
let currentHash = "";

function renderChrome() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  if (!session.me) {
    replace(nav);
    replace(who);
    return;
  }
  const link = (href, text, permission) =>
    session.can(permission) ? h("a", {href, "data-nav": href}, text) : null;
  replace(nav,
    link("#/dashboards", "Dashboards", "dashboards:read"),
    link("#/metrics", "Metrics", "metrics:read"),
    link("#/connect", "Connect", "keys:read"),
    link("#/record", "Record event", "events:record"));
  replace(who,
    h("span", {class: "who-name", title: session.me.principalId}, session.me.displayName || session.me.principalId),
    h("span", {class: "badge"}, session.roleLabel),
    h("button", {type: "button", class: "link", id: "sign-out", onclick: signOut}, "Sign out"));
  for (const a of nav.querySelectorAll("a")) {
    a.classList.toggle("active", location.hash.startsWith(a.getAttribute("href")));
  }
}

function signOut() {
  if (!mayLeave()) return;
  clearGuard();
  session.signOut();
  forgetPartners();
  location.hash = "#/signin";
}

async function route() {
  if (location.hash !== currentHash && !mayLeave()) {
    history.replaceState(null, "", currentHash); // stay: the view keeps its edits
    return;
  }
  clearGuard();
  if (cleanup) cleanup();
  cleanup = null;
  currentHash = location.hash;
  if (!session.me) {
    renderChrome();
    cleanup = signInView(app, async () => {
      location.hash = "#/";
      await route();
    });
    return;
  }
  if (!location.hash || location.hash === "#/" || location.hash === "#/signin") {
    location.replace(`#/dashboards/${await homeDashboard()}`.replace(/\/$/, ""));
    return;
  }
  renderChrome();
  for (const [pattern, view, permission] of ROUTES) {
    const match = pattern.exec(location.hash);
    if (!match) continue;
    if (!session.can(permission)) {
      replace(app, notice("error", "You do not have access to this page."));
      return;
    }
    // Each view draws into its own container: a view still loading when the user moves on
    // writes into a detached element and can never overwrite the next page.
    const container = h("div", {class: "view"});
    replace(app, container);
    try {
      const done = (await view(container, match.slice(1).map(decodeURIComponent))) || null;
      if (container.isConnected) cleanup = done;
      else if (done) done();
    } catch (err) {
      replace(container, notice("error", err.message || String(err)));
    }
    return;
  }
  replace(app, notice("warning", "Page not found.", h("a", {href: "#/dashboards"}, "Go to dashboards")));
}

/** Where to land after sign-in: the last dashboard opened here, else the first listed. */
async function homeDashboard() {
  const last = localStorage.getItem("partneros.lastDashboard");
  try {
    const r = await api.dashboards("", "", 50);
    const list = r.dashboards || [];
    if (last && list.some((d) => d.id === last)) return encodeURIComponent(last);
    return list.length ? encodeURIComponent(list[0].id) : "";
  } catch {
    return "";
  }
}

// A token revoked (or its person deleted) while signed in: back to sign-in, saying why.
onSessionEnded(() => {
  if (!session.me) return;
  clearGuard();
  session.signOut();
  session.ended = true;
  forgetPartners();
  if (location.hash === "#/signin") route();
  else location.hash = "#/signin";
});

window.addEventListener("hashchange", route);
window.addEventListener("beforeunload", (e) => {
  if (!mayLeave(true)) e.preventDefault();
});

(async function start() {
  session.takeTokenFromUrl();
  try {
    await session.restore();
  } catch (err) {
    replace(app, notice("error", `Cannot reach the API: ${err.message}`));
    return;
  }
  await route();
})();
