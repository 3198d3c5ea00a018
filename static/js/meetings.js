// Meetings pages: confirm destructive buttons, show only the invite form's fields for the chosen
// selector, and filter the attendance tick-list by name as one types.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  function showSourceFields(form) {
    var checked = form.querySelector("input[name=source]:checked");
    var source = checked ? checked.value : "";
    form.querySelectorAll("[data-source]").forEach(function (group) {
      var wanted = group.getAttribute("data-source").split(" ");
      group.hidden = wanted.indexOf(source) === -1;
    });
  }

  document.querySelectorAll("[data-invite-form]").forEach(function (form) {
    showSourceFields(form);
    form.addEventListener("change", function () { showSourceFields(form); });
  });

  var filter = document.querySelector("[data-tick-filter]");
  if (filter) {
    filter.hidden = false;
    filter.querySelector("input").addEventListener("input", function (event) {
      var query = event.target.value.trim().toLowerCase();
      document.querySelectorAll("[data-tick-name]").forEach(function (row) {
        row.hidden = query && row.getAttribute("data-tick-name").indexOf(query) === -1;
      });
    });
  }
})();
