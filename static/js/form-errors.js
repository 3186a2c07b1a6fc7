// The error summary of a submitted form (templates/includes/form_errors.html). Without this script it is at the
// top of the form and its links lead to the fields; with it, focus moves to the summary when the page loads (a
// screen reader reads it, the keyboard starts there), and a link shows its field's label too, not just the box.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field || typeof field.focus !== "function") {
      return;
    }
    var group = field.closest("fieldset");
    var label = (group && group.querySelector("legend")) || document.querySelector("label[for='" + field.id + "']");
    event.preventDefault();
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
    history.replaceState(null, "", link.hash);
  });
})();
