// The plenary screen: asks for the groups' conclusions every few seconds (304 while
// nothing changed) and redraws them. Text is set as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("plenary");
  if (!root) { return; }
  var url = root.getAttribute("data-poll-url");
  var seconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 5;
  var empty = root.getAttribute("data-empty");
  var label = root.getAttribute("data-group-label");
  var tag = null;

  function element(name, text) {
    var node = document.createElement(name);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function draw(groups) {
    var sections = groups.map(function (group) {
      var section = element("section");
      section.className = "plenary-group";
      var id = "plenary-group-" + group.number;
      section.setAttribute("aria-labelledby", id);
      var heading = element("h2", label + " " + group.number + " · " + group.focus_area);
      heading.id = id;
      section.appendChild(heading);
      if (!group.points.length) {
        var none = element("p", empty);
        none.className = "plenary-empty";
        section.appendChild(none);
        return section;
      }
      var list = element("ol");
      group.points.forEach(function (point) {
        var item = element("li", point.text);
        if (point.sub_points.length) {
          var subs = element("ul");
          point.sub_points.forEach(function (text) { subs.appendChild(element("li", text)); });
          item.appendChild(subs);
        }
        list.appendChild(item);
      });
      section.appendChild(list);
      return section;
    });
    root.replaceChildren.apply(root, sections);
  }

  function poll() {
    var headers = tag ? { "If-None-Match": tag } : {};
    fetch(url, { headers: headers, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (response.status === 200) {
          tag = response.headers.get("ETag");
          return response.json().then(function (data) { draw(data.groups); });
        }
        return null;
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, seconds * 1000); });
  }
  window.setTimeout(poll, seconds * 1000);
}());
