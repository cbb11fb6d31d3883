// A modal form dialog, validated as you type: `check()` runs on every input and change and says
// whether the form may be applied; on a valid submit `read()` gives the result (undefined keeps
// the dialog open). Resolves to that result, or null when cancelled.
export function formDialog({dialog, form, check, read, focus}) {
  form.addEventListener("input", check);
  form.addEventListener("change", check);
  check();
  return new Promise((resolve) => {
    let result = null;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const value = check() ? read() : undefined;
      if (value === undefined) return;
      result = value;
      dialog.close();
    });
    form.querySelector(".cancel").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    focus?.focus();
  });
}
