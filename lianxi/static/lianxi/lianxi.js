/* The page behaviour that used to sit in on* attributes, which the Content-Security-Policy forbids.
   data-autosubmit: a select submits its form when changed (the language picker).
   data-confirm="…": a form asks before it is submitted.
   data-check-all="NAME": a checkbox ticks every checkbox named NAME in its table. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var box = event.target;
    if (!(box.matches && box.matches("input[data-check-all]"))) return;
    var scope = box.closest("table") || document;
    var name = box.getAttribute("data-check-all");
    scope.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (b) {
      b.checked = box.checked;
    });
  });
})();
