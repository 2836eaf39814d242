// A "select all" checkbox: <input type="checkbox" data-select-all="NAME"> ticks every
// input[name=NAME] in the same table. A static file, not an inline handler (the CSP allows no
// inline script).
document.addEventListener("change", (event) => {
  const box = event.target.closest("input[data-select-all]");
  if (!box) return;
  const scope = box.closest("table") || document;
  for (const item of scope.querySelectorAll(`input[name="${box.dataset.selectAll}"]`)) item.checked = box.checked;
});
