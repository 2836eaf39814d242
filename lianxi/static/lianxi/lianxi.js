/* The page behaviour that used to sit in on* attributes, which the Content-Security-Policy forbids.
   data-autosubmit: a select submits its form when changed (the language picker).
   data-confirm="…": a form asks before it is submitted.
   data-check-all="NAME": a checkbox ticks every checkbox named NAME in its table.
   data-pick: a search-as-you-type filter field (templates/_pick.html). htmx fills its list with
   buttons (data-pick-choose="ID"); choosing one puts the id into the hidden input that the form
   submits and fires "change" on it (htmx filter forms refresh; plain forms are submitted).
   Typing only asks for suggestions: the text box's own "change" never reaches the form, and
   emptying it chooses "all".
   .table-wrap: a table wider than the screen scrolls inside its wrapper; such a wrapper is made
   reachable by keyboard (tabindex 0) and named after its section's heading, so it can be scrolled
   without a mouse. A wrapper that does not scroll stays out of the tab order. */
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
  function choose(box, value, label) {
    var hidden = box.querySelector("[data-pick-value]");
    var text = box.querySelector("[data-pick-text]");
    var list = box.querySelector("[data-pick-list]");
    if (text) text.value = label;
    if (list) list.innerHTML = "";
    if (!hidden || hidden.value === value) return;
    hidden.value = value;
    var form = hidden.form;
    hidden.dispatchEvent(new Event("change", { bubbles: true }));
    if (form && !form.hasAttribute("hx-get")) form.submit();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-pick-choose]");
    if (!button) return;
    var box = button.closest("[data-pick]");
    if (box) choose(box, button.getAttribute("data-pick-choose"), button.getAttribute("data-pick-label"));
  });
  document.addEventListener("change", function (event) {
    var text = event.target;
    if (!(text.matches && text.matches("[data-pick-text]"))) return;
    event.stopPropagation();
    if (!text.value.trim()) choose(text.closest("[data-pick]"), "", "");
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !(event.target.matches && event.target.matches("[data-pick-text]"))) return;
    var list = event.target.closest("[data-pick]").querySelector("[data-pick-list]");
    if (list) list.innerHTML = "";
  });
  function scrollableTables(root) {
    (root && root.querySelectorAll ? root : document).querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        var section = wrap.closest("section, .card");
        var heading = section && section.querySelector("h1, h2, h3");
        if (heading && !wrap.hasAttribute("aria-label")) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", heading.textContent.trim());
        }
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scrollableTables(document); });
  } else {
    scrollableTables(document);
  }
  window.addEventListener("resize", function () { scrollableTables(document); });
  document.addEventListener("htmx:afterSwap", function (event) { scrollableTables(event.target); });
})();
