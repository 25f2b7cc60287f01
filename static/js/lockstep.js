/* Small glue between htmx and the page: forms loaded into the dialog open it; Cancel closes it;
   forms marked data-confirm ask first; a file over the portal's limit is refused before it is
   sent; a time the server gave in UTC (data-local-time) is also said in the browser's zone,
   for a visitor the portal does not know yet. No inline handlers anywhere: the Content Security Policy forbids them. */
(function () {
  "use strict";
  const dialog = () => document.getElementById("dialog");

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "dialog-body" && !dialog().open) {
      dialog().showModal();
      const first = dialog().querySelector("[autofocus]") ||
        dialog().querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }
  });

  document.addEventListener("click", (event) => {
    const closer = event.target.closest("[data-dialog-close]");
    if (closer && dialog().open) {
      event.preventDefault();
      dialog().close();
      document.getElementById("dialog-body").innerHTML = "";
    }
  });

  // Capture phase, so a refusal also stops htmx's own submit handler.
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches("input[type=file][data-max-bytes]")) return;
    const limit = Number(input.dataset.maxBytes);
    const tooLarge = Array.from(input.files).some((file) => file.size > limit);
    input.setCustomValidity(tooLarge ? input.dataset.maxMessage : "");
    let note = input.parentElement.querySelector(".upload-too-large");
    if (tooLarge && !note) {
      note = document.createElement("div");
      note.className = "invalid-feedback d-block upload-too-large";
      note.setAttribute("role", "alert");
      input.after(note);
    }
    if (note) note.textContent = tooLarge ? input.dataset.maxMessage : "";
    if (tooLarge) input.value = "";
  });

  const showLocalTimes = () => {
    document.querySelectorAll("[data-local-time]").forEach((holder) => {
      const when = new Date(holder.dataset.localTime);
      const text = holder.querySelector("[data-local-time-text]");
      if (Number.isNaN(when.getTime()) || !text) return;
      text.textContent = when.toLocaleString([], {
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", day: "numeric",
        month: "short", timeZoneName: "short"});
      holder.hidden = false;
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showLocalTimes);
  } else {
    showLocalTimes();
  }
})();
