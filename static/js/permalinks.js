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

  function addCopyButtons() {
    if (!status || !navigator.clipboard || !window.isSecureContext) return;
    var links = document.querySelectorAll("a.permalink");
    Array.prototype.forEach.call(links, function (link, index) {
      var name = link.querySelector(".visually-hidden");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-link";
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
