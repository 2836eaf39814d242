// Links marked data-print open the browser's print dialog (no inline handlers: CSP).
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-print]");
  if (link) { event.preventDefault(); window.print(); }
});
