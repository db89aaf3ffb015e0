// NAV's error summary (templates/forms/error_summary.html): after a failed submit the page
// comes back with the summary at the top of <main>; move focus to its heading, as Aksel's
// ErrorSummary does, so a screen reader reads it and a phone shows it. A link in the summary
// moves focus to its field and shows the field with its label, not just the bare input.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    var heading = summary.querySelector(".aksel-error-summary__heading");
    (heading || summary).focus();
  }

  function showField(event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    var around = field.closest("fieldset, .aksel-checkbox, .aksel-form-field, .form-row") || field;
    around.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
  document.addEventListener("click", showField);
})();
