/* Shows the clinic's enquiry form on another site. Include it with one line
   where the form should appear:

     <script src="https://FORM-HOST/embed.js" async></script>

   Optional attributes on that tag: data-next="https://your.site/thanks"
   (where to go after a successful enquiry; only sites in the service's
   ALLOWED_ORIGINS are followed, and never after a crisis answer) and
   data-title (the frame's accessible name) and data-lang (the form's
   language, e.g. "es"; without it the visitor's browser decides). The frame
   grows and shrinks with the form: the form page posts its height to this
   page. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src) return;
  var base = new URL(me.src).origin;
  var src = base + "/";
  var params = new URLSearchParams();
  var next = me.getAttribute("data-next");
  if (next) params.set("_next", new URL(next, document.baseURI).href);
  var lang = me.getAttribute("data-lang");
  if (lang) params.set("lang", lang);
  if (params.toString()) src += "?" + params.toString();
  var frame = document.createElement("iframe");
  frame.src = src;
  frame.title = me.getAttribute("data-title") || "Enquiry form";
  frame.style.cssText = "display:block;width:100%;max-width:100%;border:0;height:900px;";
  me.parentNode.insertBefore(frame, me);

  window.addEventListener("message", function (e) {
    if (e.origin !== base || e.source !== frame.contentWindow) return;
    var d = e.data;
    if (d && d.type === "intake:height" && typeof d.height === "number" && d.height > 0 && d.height < 100000) {
      frame.style.height = Math.ceil(d.height) + "px";
    }
  });
  // After the first page, each new page in the frame (errors, the
  // confirmation) starts at its top, so bring that into view.
  var loads = 0;
  frame.addEventListener("load", function () {
    if (loads++ > 0 && frame.scrollIntoView) frame.scrollIntoView({ block: "start" });
  });
})();
