// Sign in with a personal token (operators and partner users).
import {h, replace, notice} from "../dom.js";
import {session} from "../session.js";

export function signInView(root, onSignedIn) {
  const input = h("input", {type: "password", name: "token", id: "token", autocomplete: "off", required: true,
    placeholder: "pt_…", spellcheck: "false"});
  const message = h("div", {class: "signin-msg"});
  const button = h("button", {type: "submit", class: "primary"}, "Sign in");
  const form = h("form", {class: "card signin", id: "signin-form"},
    h("h1", {}, "Sign in"),
    h("p", {class: "muted"}, "Paste your personal token. Operators and partner users get one from their administrator; ",
      "the demo prints one when it starts."),
    h("label", {class: "field"}, h("span", {class: "field-label"}, "Personal token"), input),
    button, message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(message);
    button.disabled = true;
    try {
      await session.signIn(input.value);
      await onSignedIn();
    } catch (err) {
      const text = err.httpStatus === 401 ? "That token is not valid, or it was revoked."
        : err.httpStatus === 403 ? "That token may not sign in here." : err.message;
      replace(message, notice("error", text));
    } finally {
      button.disabled = false;
    }
  });
  if (session.ended) {
    replace(message, notice("warning", "Your session ended: the token was revoked or no longer works. Sign in again."));
    session.ended = false;
  }
  replace(root, form);
  input.focus();
}
