// Review page: hovering, focusing or tapping a draft value highlights its span in the source text.
(function () {
  "use strict";
  var source = document.getElementById("source-text");
  if (!source) return;
  var pieces = Array.prototype.slice.call(source.querySelectorAll("span[data-s]"));
  function clear() {
    pieces.forEach(function (p) { p.classList.remove("hl"); });
  }
  function show(el) {
    var span = (el.getAttribute("data-span") || "").split(",");
    clear();
    if (span.length !== 2 || span[0] === "") return;
    var a = parseInt(span[0], 10), b = parseInt(span[1], 10), first = null;
    pieces.forEach(function (p) {
      var s = parseInt(p.getAttribute("data-s"), 10), e = parseInt(p.getAttribute("data-e"), 10);
      if (s >= a && e <= b) { p.classList.add("hl"); if (!first) first = p; }
    });
    if (first && first.scrollIntoView) first.scrollIntoView({block: "nearest"});
  }
  document.querySelectorAll("[data-span]").forEach(function (el) {
    el.addEventListener("mouseenter", function () { show(el); });
    el.addEventListener("focus", function () { show(el); });
    el.addEventListener("click", function () { show(el); });
  });
})();
