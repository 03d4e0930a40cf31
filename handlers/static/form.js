// Progressive enhancement for the enquiry form: the page works without it.
// It shows the crisis panel as soon as a crisis answer is chosen, and moves
// focus to the error summary so screen-reader users hear what to fix.
(function () {
  "use strict";
  var form = document.getElementById("enquiry-form");
  if (!form) return;
  var live = document.getElementById("crisis-live");
  var tmpl = document.getElementById("crisis-template");
  var crisisAnswers = { active: true, intent_or_plan: true };

  function updateCrisis() {
    var checked = form.querySelector('input[name="self_harm"]:checked');
    var show = checked && crisisAnswers[checked.value];
    // A re-rendered form already shows the panel at its top.
    if (show && !live.firstElementChild && !document.getElementById("crisis-title")) {
      live.appendChild(tmpl.content.cloneNode(true));
    } else if (!show && live.firstElementChild) {
      live.textContent = "";
    }
  }
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "self_harm") updateCrisis();
  });

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
