// Mentions by typing "@" in a discussion's comment box (textarea[data-mentions]): the people
// the box may mention are those of its form's Mention checkboxes (the server's rule,
// partnership.discussion.selectors.mention_candidates); typing "@" and part of a name lists
// them, the arrow keys move through the list (the box keeps the focus and names the option
// in aria-activedescendant, a textbox's own attribute; a polite status says how many are
// offered), Enter or Tab (or a click) picks one: "@Name" is written in the
// box and the person's checkbox ticked, so that the post mentions them. Escape closes the
// list. Without JavaScript the checkboxes do the same.
(function () {
  "use strict";

  const MAX_QUERY = 40;

  const candidatesOf = (box) =>
    Array.from(box.form.querySelectorAll("input[type=checkbox][name=mentions]")).map((input) => {
      const label = box.form.querySelector(`label[for="${input.id}"]`);
      const text = label ? label.textContent.trim() : input.value;
      return {input, label: text, name: text.replace(/\s*\([^()]*\)$/, "")};
    });

  // The "@…" being typed just before the caret, or null.
  const queryAt = (box) => {
    const before = box.value.slice(0, box.selectionStart);
    const at = before.lastIndexOf("@");
    if (at < 0 || (at > 0 && !/\s/.test(before[at - 1]))) return null;
    const query = before.slice(at + 1);
    if (query.length > MAX_QUERY || /\n/.test(query)) return null;
    return {start: at, query};
  };

  const listOf = (box) => document.getElementById(`${box.id}-mentions`);

  const close = (box) => {
    const list = listOf(box);
    if (list) {
      list.hidden = true;
      document.getElementById(`${list.id}-status`).textContent = "";
    }
    box.removeAttribute("aria-activedescendant");
  };

  const choose = (box, index) => {
    const options = Array.from(listOf(box).querySelectorAll("[role=option]"));
    options.forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      option.classList.toggle("active", i === index);
      if (i === index) box.setAttribute("aria-activedescendant", option.id);
    });
  };

  const open = (box, found) => {
    let list = listOf(box);
    if (!list) {
      list = document.createElement("ul");
      list.id = `${box.id}-mentions`;
      list.className = "list-group position-absolute shadow-sm mention-suggestions";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "People you may mention");
      list.style.zIndex = "1050";
      box.after(list);
      const status = document.createElement("div");
      status.id = `${list.id}-status`;
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      list.after(status);
      box.setAttribute("aria-autocomplete", "list");
      box.setAttribute("aria-controls", list.id);
      box.parentElement.classList.add("position-relative");
    }
    list.replaceChildren(...found.map((person, i) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${i}`;
      option.className = "list-group-item list-group-item-action";
      option.setAttribute("role", "option");
      option.dataset.value = person.input.value;
      option.textContent = person.label;
      return option;
    }));
    list.hidden = found.length === 0;
    document.getElementById(`${list.id}-status`).textContent = found.length
      ? `${found.length} ${found.length === 1 ? "person" : "people"} to mention: arrow keys to ` +
        "choose, Enter to pick."
      : "";
    if (found.length) choose(box, 0);
  };

  const pick = (box, option) => {
    const typed = queryAt(box);
    const person = candidatesOf(box).find((p) => p.input.value === option.dataset.value);
    if (!person) return;
    if (typed) {
      const after = box.value.slice(box.selectionStart);
      const written = `@${person.name} `;
      box.value = box.value.slice(0, typed.start) + written + after;
      const caret = typed.start + written.length;
      box.setSelectionRange(caret, caret);
    }
    person.input.checked = true;
    person.input.dispatchEvent(new Event("change", {bubbles: true}));
    close(box);
    box.focus();
  };

  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!box.matches("textarea[data-mentions]") || !box.form) return;
    const typed = queryAt(box);
    if (!typed) {
      close(box);
      return;
    }
    const query = typed.query.toLowerCase();
    open(box, candidatesOf(box).filter((person) =>
      person.name.toLowerCase().split(/\s+/).some((word) => word.startsWith(query)) ||
      person.name.toLowerCase().startsWith(query)));
  });

  document.addEventListener("keydown", (event) => {
    const box = event.target;
    if (!box.matches || !box.matches("textarea[data-mentions]")) return;
    const list = listOf(box);
    if (!list || list.hidden) return;
    const options = Array.from(list.querySelectorAll("[role=option]"));
    const current = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      choose(box, (current + step + options.length) % options.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && current >= 0) {
      event.preventDefault();
      pick(box, options[current]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(box);
    }
  });

  // A click on an option picks it (mousedown: before the box loses its focus).
  document.addEventListener("mousedown", (event) => {
    const option = event.target.closest && event.target.closest(".mention-suggestions [role=option]");
    if (!option) return;
    event.preventDefault();
    pick(option.closest(".mention-suggestions").previousElementSibling, option);
  });

  document.addEventListener("focusout", (event) => {
    if (event.target.matches && event.target.matches("textarea[data-mentions]")) close(event.target);
  });
})();
