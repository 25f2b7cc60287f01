/* Small glue between htmx and the page: forms loaded into the dialog open it; Cancel closes it;
   forms marked data-confirm ask first; a file over the portal's limit is refused before it is
   sent; a time the server gave in UTC (data-local-time) is also said in the browser's zone,
   for a visitor the portal does not know yet; the top bar's search box is focused by "/" or
   Ctrl-K, and its type-ahead list is moved through with the keyboard; a refused form's error
   summary takes the focus and its links move it to their fields; a formset's "add a row"
   copies its template row; a record page's live parts (its status and timeline, its
   discussion's comments) are refreshed while the tab is seen, without taking the focus away;
   the bell's preview opens and closes with the keyboard; Escape folds a navigation opened
   from its button on a phone. No inline handlers anywhere: the Content Security Policy
   forbids them. */
(function () {
  "use strict";
  // Marks that JavaScript runs: CSS hides what only a JavaScript-less page needs (.no-js-only).
  document.documentElement.classList.add("js");
  const dialog = () => document.getElementById("dialog");

  // A refused form (components/error_summary.html): the focus goes to its summary, which
  // says what went wrong and links to each field; a link's click focuses its field.
  const focusErrorSummary = (root) => {
    const summary = root && root.querySelector && root.querySelector("[data-error-summary]");
    if (!summary) return false;
    summary.focus();
    summary.scrollIntoView({block: "nearest"});
    return true;
  };

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "dialog-body" && !dialog().open) {
      dialog().showModal();
      if (focusErrorSummary(dialog())) return;
      const first = dialog().querySelector("[autofocus]") ||
        dialog().querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }
  });

  // A table wider than its card scrolls inside it (.table-responsive): such a box takes the
  // keyboard's focus, so that the arrow keys scroll it (WCAG 2.1.1).
  const focusableScrollers = (root) => {
    if (!root || !root.querySelectorAll) return;
    const boxes = Array.from(root.querySelectorAll(".table-responsive"));
    if (root.matches && root.matches(".table-responsive")) boxes.push(root);
    for (const box of boxes) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    }
  };

  // A form swapped back by htmx after a failed submit (outerHTML: the new form, or the
  // part holding it — a record's discussion thread — is the content htmx has just loaded).
  document.addEventListener("htmx:load", (event) => {
    const element = event.detail.elt;
    if (element.matches && (element.matches("form") ||
        element.querySelector("form [data-error-summary]"))) focusErrorSummary(element);
    focusableScrollers(element);
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({block: "center"});
  });

  document.addEventListener("click", (event) => {
    const closer = event.target.closest("[data-dialog-close]");
    if (closer && dialog().open) {
      event.preventDefault();
      dialog().close();
      document.getElementById("dialog-body").innerHTML = "";
    }
  });

  // A formset's "add a row" (data-formset-add="<prefix>"): a copy of its template row
  // (<template id="<prefix>-empty-row">, the formset's empty form) numbered as the next
  // row, the formset's TOTAL_FORMS counted up, the focus in the new row; up to MAX_NUM_FORMS.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-formset-add]");
    if (!button) return;
    const prefix = button.dataset.formsetAdd;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const limit = Number(document.getElementById(`id_${prefix}-MAX_NUM_FORMS`).value);
    const status = document.querySelector(`[data-formset-status="${prefix}"]`);
    const index = Number(total.value);
    if (index >= limit) {
      if (status) status.textContent = button.dataset.formsetLimitMessage;
      return;
    }
    const template = document.getElementById(`${prefix}-empty-row`);
    const rows = document.getElementById(`${prefix}-rows`);
    // A copy of the template's elements (never its HTML as a string), the row's number put
    // in place of the formset's placeholders in each attribute and text.
    const added = template.content.firstElementChild.cloneNode(true);
    const numbered = (value) => value
      .replaceAll("__prefix__", String(index)).replaceAll("__num__", String(index + 1));
    const walker = document.createTreeWalker(added, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = added; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        node.textContent = numbered(node.textContent);
      } else {
        for (const attribute of Array.from(node.attributes)) {
          attribute.value = numbered(attribute.value);
        }
      }
    }
    rows.appendChild(added);
    total.value = String(index + 1);
    if (status) status.textContent = `Row ${index + 1} added.`;
    const first = added.querySelector("input, select, textarea");
    if (first) first.focus();
  });

  // A record page's live region (portal.live, the {% live_region %} tag): htmx polls it;
  // here each poll names the version shown (If-None-Match: an unchanged record answers 304
  // and nothing is swapped), no poll goes out while the tab is hidden, a tab shown again
  // asks at once, and only a live fragment is swapped in (never the log-in page a poll is
  // sent to once the session has expired).
  const isLive = (element) => Boolean(element && element.matches && element.matches("[data-live]"));
  document.addEventListener("htmx:configRequest", (event) => {
    if (isLive(event.detail.elt)) event.detail.headers["If-None-Match"] = event.detail.elt.dataset.liveEtag;
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (isLive(event.detail.elt) && document.visibilityState !== "visible") event.preventDefault();
  });
  // The focus is kept: a region is not swapped while someone types in a field inside it
  // (the next poll brings the change again: the version shown is still the old one), and a
  // button or link focused inside it is focused again in the new one (same id, or same
  // name, or same address and text).
  const typingIn = (region) => {
    const active = document.activeElement;
    return Boolean(active && region.contains(active) &&
      (active.isContentEditable || active.matches("input:not([type=button]):not([type=submit]), textarea, select")));
  };
  const focusKey = (element) => ({
    id: element.id, name: element.getAttribute("name"),
    href: element.getAttribute("href") || element.getAttribute("hx-get"),
    text: element.textContent.trim(), tag: element.tagName,
  });
  const findByKey = (region, key) => {
    if (key.id) return document.getElementById(key.id);
    const candidates = Array.from(region.querySelectorAll(key.tag));
    return candidates.find((element) => key.name && element.getAttribute("name") === key.name) ||
      candidates.find((element) => (element.getAttribute("href") || element.getAttribute("hx-get")) === key.href &&
        element.textContent.trim() === key.text) || null;
  };
  let liveFocus = null;
  document.addEventListener("htmx:beforeSwap", (event) => {
    const region = event.detail.elt;
    if (!isLive(region)) return;
    if (!event.detail.xhr.getResponseHeader("X-Live-Record") || typingIn(region)) {
      event.detail.shouldSwap = false;
      return;
    }
    const active = document.activeElement;
    liveFocus = active && active !== region && region.contains(active) ?
      {region: region.id, key: focusKey(active)} : null;
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!liveFocus) return;
    const {region: id, key} = liveFocus;
    liveFocus = null;
    const region = document.getElementById(id);
    const again = region && findByKey(region, key);
    if (again && again !== document.activeElement) again.focus({preventScroll: true});
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || !window.htmx) return;
    document.querySelectorAll("[data-live]").forEach((region) => {
      window.htmx.trigger(region, "live-refresh");
    });
  });

  // The bell (portal/notification_bell.html) opens its preview: the latest notifications
  // are fetched as it opens; its poll waits while the preview is open (a swapped bell would
  // leave the open menu without its button).
  document.addEventListener("show.bs.dropdown", (event) => {
    if (event.target.id === "bell" && window.htmx) {
      window.htmx.trigger(document.getElementById("bell-preview"), "bell-open");
    }
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    const element = event.detail.elt;
    if (element.id === "bell" && element.getAttribute("aria-expanded") === "true") {
      event.preventDefault();
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

  // The top bar's type-ahead (templates/base.html): htmx swaps the options into the
  // listbox; the arrow keys move through them (the box keeps the focus and names the
  // option in aria-activedescendant), Enter opens the chosen one, Escape closes the list.
  const searchBox = () => document.getElementById("topbar-search");
  const suggestionList = () => document.getElementById("topbar-suggestions");
  const suggestionOptions = () =>
    Array.from(suggestionList().querySelectorAll("[role=option]"));

  const showSuggestions = (open) => {
    suggestionList().hidden = !open;
    searchBox().setAttribute("aria-expanded", String(open));
    if (!open) chooseSuggestion(-1);
  };

  const chooseSuggestion = (index) => {
    suggestionOptions().forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      if (i === index) {
        searchBox().setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({block: "nearest"});
      }
    });
    if (index < 0) searchBox().removeAttribute("aria-activedescendant");
  };

  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "topbar-suggestions") {
      showSuggestions(suggestionOptions().length > 0 && document.activeElement === searchBox());
    }
  });

  const isTyping = (element) =>
    element.isContentEditable || Boolean(element.closest("input, textarea, select"));

  document.addEventListener("keydown", (event) => {
    const box = searchBox();
    if (!box) return;
    if (event.target === box) {
      const options = suggestionOptions();
      const current = options.findIndex((option) => option.getAttribute("aria-selected") === "true");
      if ((event.key === "ArrowDown" || event.key === "ArrowUp") && options.length) {
        event.preventDefault();
        showSuggestions(true);
        const step = event.key === "ArrowDown" ? 1 : -1;
        if (current < 0) {
          chooseSuggestion(step > 0 ? 0 : options.length - 1);
        } else {
          chooseSuggestion((current + step + options.length) % options.length);
        }
      } else if (event.key === "Enter" && current >= 0 && !suggestionList().hidden) {
        event.preventDefault();
        window.location.assign(options[current].href);
      } else if (event.key === "Escape" && !suggestionList().hidden) {
        event.preventDefault();
        showSuggestions(false);
      }
      return;
    }
    // "/" (outside a field) or Ctrl-K / Cmd-K anywhere: to the search box. On a phone the
    // box sits in the collapsed navigation: open it first, then focus the box once shown.
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey &&
      !isTyping(event.target);
    const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k";
    if (!slash && !ctrlK) return;
    const focusBox = () => {
      box.focus();
      box.select();
    };
    if (box.offsetParent !== null) {
      event.preventDefault();
      focusBox();
      return;
    }
    const navigation = box.closest(".collapse");
    if (navigation && !navigation.classList.contains("show") && window.bootstrap) {
      event.preventDefault();
      navigation.addEventListener("shown.bs.collapse", focusBox, {once: true});
      window.bootstrap.Collapse.getOrCreateInstance(navigation, {toggle: false}).show();
    }
  });

  // The list closes when the focus or a click goes elsewhere than the search form.
  const outsideSearch = (element) => !element || !searchBox().form.contains(element);
  document.addEventListener("focusout", (event) => {
    if (event.target === searchBox() && event.relatedTarget && outsideSearch(event.relatedTarget)) {
      showSuggestions(false);
    }
  });
  document.addEventListener("click", (event) => {
    if (searchBox() && !suggestionList().hidden && outsideSearch(event.target)) {
      showSuggestions(false);
    }
  });

  // A navigation folded behind its button (the top bar's and the partnership's sections on a
  // phone, Bootstrap's collapse): Escape, from the button or from inside the open menu,
  // folds it again and gives the focus back to its button, which says so in aria-expanded.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !window.bootstrap) return;
    const toggles = document.querySelectorAll("nav [data-bs-toggle=collapse][aria-controls]");
    for (const toggle of toggles) {
      const menu = document.getElementById(toggle.getAttribute("aria-controls"));
      if (!menu || !menu.classList.contains("show")) continue;
      if (event.target !== toggle && !menu.contains(event.target)) continue;
      if (event.target.closest(".dropdown-menu.show, [data-bs-toggle=dropdown][aria-expanded=true]")) return;
      event.preventDefault();
      window.bootstrap.Collapse.getOrCreateInstance(menu, {toggle: false}).hide();
      toggle.focus();
      return;
    }
  });

  // A link or button that swaps the list it sits in (a page link, My work's "See all of
  // them", "All my work") is gone after the swap, and the focus fell to the page's start:
  // it goes to the new list's heading, or the list itself, so the keyboard and a screen
  // reader go on from there. Only when the person pressed it (it held the focus), never
  // for a poll.
  let swappedFromFocus = null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt;
    swappedFromFocus = elt === document.activeElement ? elt : null;
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const pressed = swappedFromFocus;
    swappedFromFocus = null;
    if (!pressed || pressed.isConnected) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const region = document.getElementById(event.detail.target.id) || event.detail.target;
    if (!region || !region.isConnected || !region.matches("#results, #partnership-results")) return;
    const heading = region.querySelector("h2, h3");
    const target = heading || region;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({preventScroll: false});
  });

  // The switcher's search box (base.html): the down arrow goes to the first partnership
  // offered below it (Bootstrap's dropdown leaves the arrows to a text field).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" || event.target.id !== "switcher-q") return;
    const first = event.target.closest(".dropdown-menu").querySelector("a.dropdown-item");
    if (!first) return;
    event.preventDefault();
    first.focus();
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
  const onPageLoad = () => {
    showLocalTimes();
    focusableScrollers(document);
    // A page form refused by the server (no htmx): its error summary takes the focus.
    focusErrorSummary(document.getElementById("main"));
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPageLoad);
  } else {
    onPageLoad();
  }
})();
