/* Small glue between htmx and the page: forms loaded into the dialog open it; Cancel closes it. */
(function () {
  "use strict";
  const dialog = () => document.getElementById("dialog");

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "dialog-body" && !dialog().open) {
      dialog().showModal();
      const first = dialog().querySelector("input:not([type=hidden]), select, textarea");
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
})();
