// Unsaved-edit protection: a view registers a check; navigation and sign-out ask it first.
let guard = null;

/** Register `fn(silent) -> boolean`: true when the current view may be left. */
export function guardLeave(fn) {
  guard = fn;
}

/** May the current view be left? `silent` (page unload) must not ask the user. */
export function mayLeave(silent = false) {
  return !guard || guard(silent);
}

export function clearGuard() {
  guard = null;
}
