// Progressive enhancement for the enquiry form: the page works without it.
// It shows and hides the questions whose conditions (the questionnaire's
// enableWhen, in data-enable-when) hold or not as answers change; shows the
// crisis panel as soon as a crisis answer is chosen (data-crisis on the
// form); and moves focus to the error summary so screen-reader users hear
// what to fix. Hidden questions keep what was typed in them and are still
// sent: the server applies the same conditions and drops what does not
// apply (a blood-pressure reading in the crisis range excepted).
(function () {
  "use strict";
  var form = document.getElementById("enquiry-form");
  if (!form) return;
  var live = document.getElementById("crisis-live");
  var tmpl = document.getElementById("crisis-template");
  var triggers = [];
  try { triggers = JSON.parse(form.getAttribute("data-crisis") || "[]"); } catch (e) { triggers = []; }
  var conditional = [].slice.call(form.querySelectorAll("[data-enable-when]")).map(function (el) {
    var spec = { when: [] };
    try { spec = JSON.parse(el.getAttribute("data-enable-when")); } catch (e) { /* shown: the server decides */ }
    return { el: el, spec: spec };
  });

  // answers returns the answers to a question, none when it is hidden
  // (FHIR: a disabled question's answers count as absent).
  function answers(name) {
    var out = [];
    // linkIds are lower-case letters, digits and _: safe in a selector.
    var fields = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.closest && f.closest("[hidden]")) return [];
      if ((f.type === "radio" || f.type === "checkbox") && !f.checked) continue;
      if (f.value.trim() !== "") out.push(f.value.trim());
    }
    return out;
  }

  function compare(a, b, as) {
    if (as === "number") {
      var x = Number(a), y = Number(b);
      if (isNaN(x) || isNaN(y)) return null;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (as === "date" && a.length !== b.length) return null;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function holds(c) {
    var vals = answers(c.q);
    if (c.op === "exists") return (vals.length > 0) === !!c.exists;
    var hit = vals.some(function (v) {
      var r = c.as ? compare(v, c.v, c.as) : (v === c.v ? 0 : 1);
      if (r === null) return false;
      switch (c.op) {
        case "=": case "!=": return r === 0;
        case ">": return r > 0;
        case "<": return r < 0;
        case ">=": return r >= 0;
        case "<=": return r <= 0;
      }
      return false;
    });
    return c.op === "!=" ? !hit : hit;
  }

  // update shows each conditional item whose conditions hold, until nothing
  // changes (a condition may depend on an item another condition hides).
  function update() {
    for (var pass = 0; pass < 10; pass++) {
      var changed = false;
      conditional.forEach(function (c) {
        var when = c.spec.when || [];
        var on = c.spec.any ? when.some(holds) : when.every(holds);
        if (c.el.hidden === on) { c.el.hidden = !on; changed = true; }
      });
      if (!changed) break;
    }
    updateCrisis();
  }

  function inCrisis() {
    return triggers.some(function (t) {
      return answers(t.q).some(function (v) {
        if (t.codes) return t.codes.indexOf(v) >= 0;
        var n = Number(v);
        if (isNaN(n)) return false;
        return (t.atLeast !== undefined && n >= t.atLeast) || (t.above !== undefined && n > t.above);
      });
    });
  }

  function updateCrisis() {
    if (!live || !tmpl) return;
    var show = inCrisis();
    // A re-rendered form already shows the panel at its top.
    if (show && !live.firstElementChild && !document.getElementById("crisis-title")) {
      live.appendChild(tmpl.content.cloneNode(true));
    } else if (!show && live.firstElementChild) {
      live.textContent = "";
    }
  }

  // Scripts on: the hints that say what a question depends on are for a
  // page without them.
  [].forEach.call(form.querySelectorAll(".depends"), function (p) { p.hidden = true; });
  form.addEventListener("change", update);
  form.addEventListener("input", function (e) {
    if (e.target && e.target.tagName === "INPUT" && e.target.type === "text") update();
  });
  update();

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
