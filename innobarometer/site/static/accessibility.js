/* Repairs to the theme's markup that axe-core reports: controls whose accessible name does not
   contain their visible text. Fixed here because the theme's templates are not ours. */
(function () {
  "use strict";
  // The script's own words, in the page's language (the edition's: "da" or "en").
  var WORDS = { da: { theme: "Farvetema" }, en: { theme: "Colour theme" } };
  var words = WORDS[(document.documentElement.lang || "da").slice(0, 2)] || WORDS.da;
  function repair() {
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      button.setAttribute("aria-label", words.theme);
      button.querySelectorAll("i").forEach(function (icon) {
        icon.removeAttribute("title");
        icon.setAttribute("aria-hidden", "true");
      });
    });
    document.querySelectorAll(".search-button-field").forEach(function (button) {
      // Named by its visible text ("Søg Ctrl+K", "Search Ctrl+K") rather than a label that leaves half of it out.
      button.removeAttribute("aria-label");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", repair);
  } else {
    repair();
  }
})();
