/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  function agencyName(li) {
    var link = li.querySelector(":scope > details > summary .tree-name a, :scope > .tree-row .tree-name a");
    return link ? link.textContent.toLowerCase() : "";
  }

  function filterTree(root, query) {
    var shown = 0;
    // Children before parents, so that a parent stays visible when a descendant matches.
    var items = Array.prototype.slice.call(root.querySelectorAll(".agency-tree li")).reverse();
    items.forEach(function (li) {
      var childVisible = Array.prototype.some.call(
        li.querySelectorAll(":scope > details > ul > li"),
        function (child) { return !child.hidden; }
      );
      var match = !query || agencyName(li).indexOf(query) !== -1;
      li.hidden = !(match || childVisible);
      var details = li.querySelector(":scope > details");
      if (details && query) { details.open = childVisible; }
      if (!li.hidden) { shown += 1; }
    });
    root.querySelectorAll("[data-tree-group]").forEach(function (group) {
      group.hidden = !group.querySelector(".agency-tree > li:not([hidden])");
    });
    var empty = root.querySelector("[data-tree-empty]");
    if (empty) { empty.hidden = shown > 0; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-tree]").forEach(function (root) {
      var tools = root.querySelector("[data-tree-tools]");
      if (tools) { tools.hidden = false; }
      var input = root.querySelector("[data-tree-filter]");
      if (input) {
        input.addEventListener("input", function () { filterTree(root, input.value.trim().toLowerCase()); });
      }
      root.querySelectorAll("[data-tree-open]").forEach(function (button) {
        button.addEventListener("click", function () {
          var open = button.getAttribute("data-tree-open") === "all";
          root.querySelectorAll(".agency-tree details").forEach(function (d) { d.open = open; });
        });
      });
    });
  });
})();
