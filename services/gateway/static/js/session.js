// Who is signed in: the personal token (kept in this browser's localStorage until sign-out),
// the caller's identity from GET /v1/me, and what the UI may offer them.
import {api, setSignedIn, setToken} from "./api.js";

const KEY = "partneros.token";

export const session = {
  token: "",
  me: null, // CallerIdentity
  tenant: null, // Tenant (time zone for axis labels), null when not readable
  ended: false, // the last session ended by itself (its token stopped working)

  /** A token from the URL fragment (#token=...) wins: the demo prints such a link. */
  takeTokenFromUrl() {
    const match = /^#token=([^&]+)/.exec(location.hash);
    if (!match) return;
    localStorage.setItem(KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", `${location.pathname}${location.search}#/`);
  },

  /** Restore the stored token and check it; false when there is none or it no longer works. */
  async restore() {
    const token = localStorage.getItem(KEY) || "";
    if (!token) return false;
    try {
      await this.signIn(token);
      return true;
    } catch (err) {
      if (err.httpStatus === 401 || err.httpStatus === 403) {
        this.signOut();
        this.ended = true; // the sign-in page says why
      } else throw err;
      return false;
    }
  },

  /** Check `token` against the API and keep it; rejects with the API's error. */
  async signIn(token) {
    setToken(token.trim());
    try {
      this.me = await api.me();
    } catch (err) {
      setToken(this.token);
      throw err;
    }
    if (this.me.kind === "PRINCIPAL_KIND_MACHINE_KEY") {
      setToken(this.token);
      this.me = null;
      throw new Error("That is a machine key: it can only send events. Sign in with a personal token.");
    }
    this.token = token.trim();
    setSignedIn(this.token);
    localStorage.setItem(KEY, this.token);
    this.tenant = await api.tenant().catch(() => null);
    return this.me;
  },

  signOut() {
    localStorage.removeItem(KEY);
    setToken("");
    setSignedIn("");
    this.token = "";
    this.me = null;
    this.tenant = null;
  },

  can(permission) {
    return Boolean(this.me && (this.me.permissions || []).includes(permission));
  },
  get isOperator() {
    return this.me?.kind === "PRINCIPAL_KIND_OPERATOR";
  },
  get isAdmin() {
    return this.isOperator && this.me.role === "OPERATOR_ROLE_ADMIN";
  },
  get isPartnerUser() {
    return this.me?.kind === "PRINCIPAL_KIND_PARTNER_USER";
  },
  get timeZone() {
    return this.tenant?.timeZone || "UTC";
  },
  get roleLabel() {
    if (this.isAdmin) return "admin";
    if (this.isOperator) return "channel manager";
    if (this.isPartnerUser) return "partner";
    return "";
  },
};
