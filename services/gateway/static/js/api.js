// The HTTP/JSON API of the gateway: one fetch wrapper and the calls the UI makes. Every
// route is the google.api.http rule of an RPC; bodies use the proto3 JSON mapping.

let bearer = "";
let signedIn = ""; // the token a session was established with
let onRefused = null;

/** Use `token` as the Authorization bearer of every later call ("" for none). */
export function setToken(token) {
  bearer = token || "";
}

/** `token` is the signed-in session's: a 401 for it later means the session ended. */
export function setSignedIn(token) {
  signedIn = token || "";
}

/** Call `handler` once a call with the signed-in token is refused as unauthenticated (revoked,
 * expired, its person deleted): every view would otherwise show the raw refusal. */
export function onSessionEnded(handler) {
  onRefused = handler;
}

/** A failed call: HTTP status plus the gateway's {"error": {code, status, message, details}}. */
export class ApiError extends Error {
  constructor(httpStatus, error) {
    super(error.message || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.status = error.status || "UNKNOWN"; // gRPC status name, e.g. "ABORTED"
    this.code = error.code;
    this.details = Array.isArray(error.details) ? error.details : [];
    const info = this.details.find((d) => String(d["@type"] || "").endsWith("google.rpc.ErrorInfo")) || {};
    this.reason = info.reason || "";
    this.metadata = info.metadata || {};
  }

  /** The offending request field named by the server, e.g. "metric.field", or "". */
  get field() {
    return this.metadata.field || "";
  }
}

/** Call the API; resolves to the JSON body (or {} when empty), rejects with ApiError. */
export async function call(method, path, {body, query, signal} = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
  }
  const headers = {Accept: "application/json"};
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, {status: "UNAVAILABLE", message: "The server cannot be reached. Is it running?"});
  }
  const text = await response.text();
  let data = {};
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = {error: {message: text.slice(0, 300)}};
    }
  }
  if (response.status === 401 && signedIn && headers.Authorization === `Bearer ${signedIn}` && onRefused) onRefused();
  if (!response.ok) throw new ApiError(response.status, data.error || {message: `HTTP ${response.status}`});
  return data;
}

/** Every item of a paginated List call (bounded, so a misbehaving server cannot loop us). */
export async function listAll(path, key, query = {}, maxPages = 20) {
  const items = [];
  let pageToken = "";
  for (let page = 0; page < maxPages; page++) {
    const r = await call("GET", path, {query: {...query, pageSize: 1000, pageToken}});
    items.push(...(r[key] || []));
    pageToken = r.nextPageToken || "";
    if (!pageToken) break;
  }
  return items;
}

const enc = encodeURIComponent;

export const api = {
  me: () => call("GET", "/v1/me"),
  tenant: () => call("GET", "/v1/tenant"),
  partners: () => listAll("/v1/partners", "partners"),
  customers: (query, partnerId) => call("GET", "/v1/customers", {query: {query, partnerId, pageSize: 20}}),
  customer: (id) => call("GET", `/v1/customers/${enc(id)}`),

  dashboards: (query, pageToken, pageSize = 25) => call("GET", "/v1/dashboards", {query: {query, pageToken, pageSize}}),
  dashboard: (id) => call("GET", `/v1/dashboards/${enc(id)}`),
  createDashboard: (dashboard) => call("POST", "/v1/dashboards", {body: dashboard}),
  updateDashboard: (dashboard, updateMask) =>
    call("PATCH", `/v1/dashboards/${enc(dashboard.id)}`, {body: dashboard, query: {updateMask}}),
  deleteDashboard: (id) => call("DELETE", `/v1/dashboards/${enc(id)}`),
  duplicateDashboard: (id, name) => call("POST", `/v1/dashboards/${enc(id)}:duplicate`, {body: {name}}),
  renderDashboard: (id, request, signal) => call("POST", `/v1/dashboards/${enc(id)}:render`, {body: request, signal}),

  metrics: () => listAll("/v1/metrics", "metrics"),
  metric: (id) => call("GET", `/v1/metrics/${enc(id)}`),
  createMetric: (metric) => call("POST", "/v1/metrics", {body: metric}),
  updateMetric: (metric) => call("PATCH", `/v1/metrics/${enc(metric.id)}`, {body: metric}),
  deleteMetric: (id, force) => call("DELETE", `/v1/metrics/${enc(id)}`, {query: {force}}),
  queryMetric: (id, request) => call("POST", `/v1/metrics/${enc(id)}:query`, {body: request}),
  queryEvents: (request, signal) => call("POST", "/v1/events:query", {body: request, signal}),

  machineKeys: () => listAll("/v1/machineKeys", "machineKeys"),
  createMachineKey: (key) => call("POST", "/v1/machineKeys", {body: key}),
  revokeMachineKey: (id) => call("POST", `/v1/machineKeys/${enc(id)}:revoke`, {body: {}}),
  quarantine: (includeReplayed, pageToken) =>
    call("GET", "/v1/quarantinedEvents", {query: {includeReplayed, pageToken, pageSize: 50}}),
  replay: (ids) => call("POST", "/v1/quarantinedEvents:replay", {body: {ids}}),
  recordEvent: (event) => call("POST", "/v1/events:record", {body: event}),
};
