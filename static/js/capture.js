// The rapporteur's page, with JavaScript: what is typed is kept in this browser
// (localStorage) every few seconds until the server has saved it, so a dropped
// connection or a closed tab loses nothing; the name is typed once; points can be
// dragged into order. Without JavaScript the page works the same with plain forms.
(function () {
  "use strict";
  var body = document.body;
  var sheet = body.getAttribute("data-capture-sheet");
  if (!sheet) { return; }
  var prefix = "jakres-capture:" + sheet + ":";
  var authorKey = "jakres-capture-author";
  var saved = body.getAttribute("data-saved");
  var storage;
  try { storage = window.localStorage; } catch (e) { storage = null; }

  function read(key) { try { return storage ? storage.getItem(key) : null; } catch (e) { return null; } }
  function write(key, value) { try { if (storage) { storage.setItem(key, value); } } catch (e) { /* full or off */ } }
  function forget(key) { try { if (storage) { storage.removeItem(key); } } catch (e) { /* off */ } }

  // The name, typed once.
  var nameInput = document.getElementById("id_author");
  var knownName = (nameInput && nameInput.value) || read(authorKey) || "";
  if (knownName) { write(authorKey, knownName); }
  document.querySelectorAll("input[name=author]").forEach(function (input) {
    if (!input.value && knownName) { input.value = knownName; }
  });
  document.addEventListener("input", function (event) {
    if (event.target.name === "author" && event.target.value.trim()) {
      write(authorKey, event.target.value.trim());
    }
  });

  // Drafts of every text being typed.
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-draft]"));
  var dirty = {};
  if (saved) { forget(prefix + saved); }
  forms.forEach(function (form) {
    var key = prefix + form.getAttribute("data-draft");
    var area = form.querySelector("textarea[name=text]");
    if (!area) { return; }
    var draft = read(key);
    if (draft !== null && draft !== area.value && !form.hasAttribute("data-bound")) {
      area.value = draft;
      var details = form.closest("details");
      if (details) { details.open = true; }
      var note = document.createElement("p");
      note.className = "alert alert-info capture-draft-note";
      note.setAttribute("role", "status");
      note.textContent = body.getAttribute("data-draft-restored") || "";
      form.insertBefore(note, form.firstChild);
    }
    area.addEventListener("input", function () { dirty[key] = area; });
    form.addEventListener("submit", function () {
      write(key, area.value);
      var name = read(authorKey);
      form.querySelectorAll("input[name=author]").forEach(function (input) {
        if (!input.value && name) { input.value = name; }
      });
    });
  });
  // A draft of a form that is not open on this page: say so, with a link that opens it.
  var open = {};
  forms.forEach(function (form) { open[form.getAttribute("data-draft")] = true; });
  Object.keys(storage || {}).forEach(function (key) {
    if (key.indexOf(prefix) !== 0) { return; }
    var name = key.slice(prefix.length);
    var match = /^(edit|sub)-(\d+)$/.exec(name);
    if (open[name] || !match || !document.getElementById("butir-" + match[2])) { return; }
    var link = document.createElement("a");
    link.href = window.location.pathname + "?" + match[1] + "=" + match[2] + "#butir-" + match[2];
    link.textContent = body.getAttribute("data-draft-elsewhere") || "";
    var note = document.createElement("p");
    note.className = "alert alert-info capture-draft-note";
    note.appendChild(link);
    document.getElementById("butir-" + match[2]).appendChild(note);
  });

  function flush() {
    Object.keys(dirty).forEach(function (key) {
      var area = dirty[key];
      if (area.value.trim()) { write(key, area.value); } else { forget(key); }
    });
    dirty = {};
  }
  window.setInterval(flush, 3000);
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", flush);

  // Dragging points into order (the up and down buttons do the same without it).
  var dragged = null;
  document.querySelectorAll("[data-sortable] > li").forEach(function (item) {
    var handle = item.querySelector(".drag-handle");
    if (!handle) { return; }
    handle.hidden = false;
    handle.addEventListener("mousedown", function () { item.draggable = true; });
    item.addEventListener("dragstart", function (event) {
      event.stopPropagation();
      dragged = item;
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-point"));
    });
    item.addEventListener("dragend", function () {
      item.draggable = false;
      item.classList.remove("dragging");
    });
    item.addEventListener("dragover", function (event) {
      if (dragged && dragged !== item && dragged.parentNode === item.parentNode) {
        event.preventDefault();
        event.stopPropagation();
      }
    });
    item.addEventListener("drop", function (event) {
      if (!dragged || dragged === item || dragged.parentNode !== item.parentNode) { return; }
      event.preventDefault();
      event.stopPropagation();
      var data = new FormData();
      data.append("action", "move");
      data.append("point", dragged.getAttribute("data-point"));
      data.append("position", item.getAttribute("data-position"));
      data.append("author", read(authorKey) || "");
      fetch(window.location.pathname, { method: "POST", body: data, credentials: "same-origin", referrerPolicy: "no-referrer" })
        .then(function () { window.location.reload(); });
    });
  });
}());
