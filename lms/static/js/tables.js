// Wide tables scroll sideways inside their own box on a phone. The box is a labelled
// region that takes keyboard focus (so arrow keys scroll it: WCAG 2.1.1, axe
// scrollable-region-focusable), and says so in a visible hint while it does not fit.
// Without this script the tables still scroll by touch (app.css).
(function () {
  "use strict";
  var hint = document.body.getAttribute("data-scroll-hint") || "";
  var fallback = document.body.getAttribute("data-table-label") || "";
  var boxes = [];
  var used = {};

  function labelFor(box, table) {
    var caption = table.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var el = box;
    while (el) {
      var prev = el.previousElementSibling;
      while (prev) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev.textContent.trim(); }
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
      if (el && el.tagName === "MAIN") { break; }
    }
    return fallback;
  }

  document.querySelectorAll("main table").forEach(function (table) {
    var box = table.parentElement;
    if (!box.classList.contains("table-scroll")) {
      box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
    if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      // "Tabel: <heading>": never the same name as the section the table sits in
      // (axe landmark-unique), and numbered when one heading has several tables.
      var found = labelFor(box, table);
      var label = found && found !== fallback ? fallback + ": " + found : fallback;
      used[label] = (used[label] || 0) + 1;
      box.setAttribute("aria-label", used[label] > 1 ? label + " (" + used[label] + ")" : label);
    }
    var note = document.createElement("p");
    note.className = "scroll-hint meta";
    note.textContent = hint;
    note.hidden = true;
    box.parentNode.insertBefore(note, box);
    boxes.push([box, note]);
  });

  function update() {
    boxes.forEach(function (pair) { pair[1].hidden = pair[0].scrollWidth <= pair[0].clientWidth + 1; });
  }
  window.addEventListener("resize", update);
  update();
}());
