/* The jakres admin's own behaviour (issue 10), as a static file: no inline script, no
 * library from elsewhere. Its words come from the page (#jk-strings, translated by
 * Django), so they follow the admin's language.
 *
 * - one language at a time: an Indonesian / English switch over every translated
 *   field, Indonesian first, with the number of fields still missing their English;
 * - sessions on the event's page fold to their summary line (written by the server,
 *   with the link to the session's own page), and open with a button;
 * - up/down buttons beside every drag handle (django-nested-admin renumbers);
 * - a warning before leaving a changed form;
 * - the event's slug from its title and date.
 */
"use strict";

(function () {
  const strings = document.getElementById("jk-strings");
  const form = strings && strings.closest("form");
  if (!form) {
    return;
  }
  const say = (name, count) => (strings.dataset[name] || "").replace("{n}", count);
  const isTemplate = (element) => element.closest(".djn-empty-form") !== null;

  // --- One language at a time ------------------------------------------------------

  const LANG = /(^|\s)mt-field-\S+-(ind|en)(\s|$)/;

  function translatedPairs() {
    const pairs = [];
    form.querySelectorAll("[class*='mt-field-']").forEach((source) => {
      const match = LANG.exec(source.className);
      if (!match || match[2] !== "ind" || !source.name || isTemplate(source)) {
        return;
      }
      const english = form.querySelector(`[name="${source.name.replace(/_ind$/, "_en")}"]`);
      if (english) {
        pairs.push([source, english]);
      }
    });
    return pairs;
  }

  function markLanguages(root) {
    root.querySelectorAll("[class*='mt-field-']").forEach((widget) => {
      const match = LANG.exec(widget.className);
      const row = widget.closest(".jk-field") || widget.closest(".form-row");
      if (match && row) {
        row.classList.add(`jk-lang-${match[2]}`);
      }
    });
  }

  function buildLanguageSwitch() {
    const bar = document.createElement("div");
    bar.className = "jk-langbar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", say("langLabel"));
    const missing = document.createElement("span");
    missing.className = "jk-missing";
    missing.setAttribute("aria-live", "polite");
    for (const [lang, label] of [["ind", say("ind")], ["en", say("en")]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "jk-lang-button";
      button.dataset.lang = lang;
      button.textContent = label;
      button.addEventListener("click", () => showLanguage(lang));
      bar.appendChild(button);
    }
    bar.appendChild(missing);
    strings.after(bar);
    return missing;
  }

  function showLanguage(lang) {
    form.dataset.jkLang = lang;
    form.querySelectorAll(".jk-lang-button").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    });
  }

  function countMissing(counter) {
    const pairs = translatedPairs();
    const missing = pairs.filter(([source, english]) => source.value.trim() && !english.value.trim());
    counter.textContent = say("missing", missing.length);
    counter.classList.toggle("jk-none-missing", missing.length === 0);
  }

  // --- Sessions fold to their summary line -------------------------------------------

  function addFold(session) {
    const head = session.querySelector(":scope > h3");
    if (!head || head.querySelector(".jk-fold") || !session.querySelector(".field-parts")) {
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "jk-fold";
    const update = () => {
      const folded = session.classList.contains("jk-folded");
      button.textContent = folded ? say("open") : say("close");
      button.setAttribute("aria-expanded", String(!folded));
    };
    button.addEventListener("click", () => {
      session.classList.toggle("jk-folded");
      update();
    });
    head.append(button);
    update();
  }

  function foldSessions() {
    const sessions = form.querySelectorAll("#sessions-group > fieldset > .djn-items > .djn-item:not(.djn-no-drag)");
    sessions.forEach((session) => {
      if (sessions.length > 1 && !session.querySelector(".errorlist, .errors")) {
        session.classList.add("jk-folded");
      }
      addFold(session);
    });
  }

  // --- Up / down beside every drag handle -----------------------------------------------

  function siblingItem(item, direction) {
    let next = direction < 0 ? item.previousElementSibling : item.nextElementSibling;
    while (next && !(next.classList.contains("djn-item") && !next.classList.contains("djn-no-drag") && !next.classList.contains("djn-empty-form"))) {
      next = direction < 0 ? next.previousElementSibling : next.nextElementSibling;
    }
    return next;
  }

  function move(item, direction) {
    const other = siblingItem(item, direction);
    if (!other) {
      return;
    }
    if (direction < 0) {
      other.before(item);
    } else {
      other.after(item);
    }
    const group = item.closest(".djn-group");
    if (window.DJNesting && group) {
      window.DJNesting.updatePositions(group.id.replace(/-group$/, ""));
    }
    markChanged();
    item.querySelector(`:scope > h3 .jk-move[data-direction="${direction}"]`).focus();
  }

  function addMoveButtons(root) {
    root.querySelectorAll(".jk-sortable > fieldset > .djn-items > .djn-item:not(.djn-no-drag) > h3").forEach((head) => {
      if (head.querySelector(".jk-move") || isTemplate(head)) {
        return;
      }
      const item = head.parentElement;
      for (const [direction, label, text] of [[-1, say("up"), "↑"], [1, say("down"), "↓"]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "jk-move";
        button.dataset.direction = direction;
        button.setAttribute("aria-label", label);
        button.title = label;
        button.textContent = text;
        button.addEventListener("click", () => move(item, direction));
        head.querySelector(".jk-handle").after(button);
      }
      // (inserted in reverse: put "up" first)
      const buttons = head.querySelectorAll(".jk-move");
      if (buttons.length === 2 && buttons[0].dataset.direction === "1") {
        buttons[1].after(buttons[0]);
      }
    });
  }

  // --- A warning before leaving a changed form --------------------------------------------

  let changed = false;
  function markChanged() {
    changed = true;
  }
  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("submit", () => {
    changed = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- The event's slug from its title and date ----------------------------------------------

  function isoDate(text) {
    let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
    if (match) {
      return `${match[1]}-${match[2].padStart(2, "0")}-${match[3].padStart(2, "0")}`;
    }
    match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text.trim());
    return match ? `${match[3]}-${match[2].padStart(2, "0")}-${match[1].padStart(2, "0")}` : "";
  }

  function slugFromTitleAndDate() {
    const slug = form.querySelector("#id_slug");
    const title = form.querySelector("#id_title_ind");
    const date = form.querySelector("#id_start_date");
    if (!slug || !title || !date || !window.URLify || !window.location.pathname.endsWith("/add/")) {
      return; // only a new event: a saved one keeps its address
    }
    let typed = false;
    slug.addEventListener("input", () => {
      typed = true;
    });
    const update = () => {
      const day = isoDate(date.value);
      const base = window.URLify(title.value, 108);
      if (!typed) {
        slug.value = base && day ? `${base}-${day}` : base;
      }
    };
    for (const source of [title, date]) {
      for (const name of ["input", "keyup", "change"]) {
        source.addEventListener(name, () => setTimeout(update, 0));
      }
    }
  }

  // --- Start ---------------------------------------------------------------------------------

  markLanguages(form);
  if (form.querySelector(".jk-lang-en")) {
    const counter = buildLanguageSwitch();
    showLanguage("ind");
    countMissing(counter);
    form.addEventListener("input", () => countMissing(counter));
  }
  foldSessions();
  addMoveButtons(form);
  slugFromTitleAndDate();
  document.addEventListener("formset:added", (event) => {
    const row = event.target instanceof Element ? event.target : form;
    markLanguages(row.closest(".djn-group") || form);
    addMoveButtons(form);
    if (row.matches && row.matches("#sessions-group .djn-item")) {
      addFold(row);
    }
  });
})();
