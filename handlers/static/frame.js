/* When a page of the service is shown inside another site's iframe (see
   /embed.js), tell that site how tall the page is, so the frame fits it
   without a scroll bar of its own. Only the height is sent. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var h = Math.ceil(document.body.getBoundingClientRect().height);
    if (h === last) return;
    last = h;
    window.parent.postMessage({ type: "intake:height", height: h }, "*");
  }
  document.documentElement.className += " framed";
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.body);
  window.addEventListener("load", post);
  post();
})();
