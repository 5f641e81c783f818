/* jakres: the proceedings page's small enhancements (no inline script: strict CSP).
   - A "Copy link" button after each permalink symbol, where the clipboard is available;
     the result is announced through the page's status region (#copy-status).
   - The table of contents stays open at desktop widths, where it is a side column. */
(function () {
  "use strict";

  var status = document.getElementById("copy-status");
  var wide = window.matchMedia("(min-width: 992px)");

  function keepContentsOpen() {
    var toc = document.querySelector(".toc-details");
    if (!toc) return;
    if (wide.matches) toc.open = true;
    toc.addEventListener("toggle", function () {
      if (wide.matches && !toc.open) toc.open = true;
    });
    wide.addEventListener("change", function (event) {
      toc.open = event.matches;
    });
  }

  function announce(text) {
    // Emptied first so that the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M5.5 5.5V3a1 1 0 0 1 1-1H13a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1h-2.5M3 5.5h6.5a1 1 0 0 1 1 1V13a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6.5a1 1 0 0 1 1-1z");
    svg.appendChild(path);
    return svg;
  }

  function addCopyButtons() {
    if (!status || !navigator.clipboard || !window.isSecureContext) return;
    var links = document.querySelectorAll("a.permalink");
    Array.prototype.forEach.call(links, function (link, index) {
      var name = link.querySelector(".visually-hidden");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-link";
      button.appendChild(copyIcon());
      var text = document.createElement("span");
      text.className = "copy-text";
      text.textContent = status.dataset.copy;
      button.appendChild(text);
      if (name) {
        if (!name.id) name.id = "permalink-name-" + index;
        button.setAttribute("aria-describedby", name.id);
      }
      button.addEventListener("click", function () {
        var url = new URL(link.getAttribute("href"), window.location.href).href;
        navigator.clipboard.writeText(url).then(
          function () { announce(status.dataset.copied + " " + (name ? name.textContent : url)); },
          function () { announce(status.dataset.failed); }
        );
      });
      link.insertAdjacentElement("afterend", button);
    });
  }

  keepContentsOpen();
  addCopyButtons();
})();
