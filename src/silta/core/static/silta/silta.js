/* Silta's only script besides htmx: no inline scripts (CSP). */
(function () {
  "use strict";
  // The header menu is open by default (it works without JavaScript); fold it on phones.
  var menu = document.querySelector(".site-menu");
  if (menu && window.matchMedia("(max-width: 600px)").matches) {
    menu.open = false;
  }
  // File pickers: show the chosen file names in the page's language.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".file-picker input[type=file]")) return;
    var out = document.getElementById(input.id + "-names");
    if (!out) return;
    var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
    out.textContent = names.length ? names.join(", ") : out.getAttribute("data-empty");
  });
})();
