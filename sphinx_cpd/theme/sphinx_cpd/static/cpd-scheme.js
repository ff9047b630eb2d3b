/* The light/dark toggle: the only script the theme needs. Without it the page
   follows the system's preference; with it the reader's choice is remembered. */
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.querySelector(".cpd-scheme-toggle");
  if (!button) return;
  function current() {
    if (root.dataset.scheme) return root.dataset.scheme;
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function show() {
    button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
  }
  button.hidden = false;
  show();
  button.addEventListener("click", function () {
    var next = current() === "dark" ? "light" : "dark";
    root.dataset.scheme = next;
    try { localStorage.setItem("cpd-scheme", next); } catch (e) { /* private mode */ }
    show();
  });
})();
