// NPQ Workbook accessibility shim for the Voila pages (ipywidgets 8 gives no way to set these from Python).
// - Feedback panels (.npq-feedback) are polite live regions, and are scrolled into view when they change after a
//   Check, so the result is heard and seen without hunting below the fold.
// - File upload buttons read as their own label: ipywidgets appends a count "(0)" to the description.
(function () {
  "use strict";
  var LIVE = ".npq-feedback";
  var lastCheck = 0;

  function prepare(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(LIVE).forEach(function (el) {
      if (el.getAttribute("aria-live")) return;
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      el.setAttribute("tabindex", "-1");
      new MutationObserver(function () {
        if (Date.now() - lastCheck < 15000 && el.textContent.trim()) {
          lastCheck = 0;
          el.scrollIntoView({ block: "nearest", behavior: "auto" });
        }
      }).observe(el, { childList: true, subtree: true, characterData: true });
    });
    document.querySelectorAll(".widget-upload").forEach(function (el) {
      var label = el.textContent.replace(/\s*\(\d+\)\s*$/, "");
      if (label !== el.textContent) {
        var text = Array.prototype.find.call(el.childNodes, function (n) { return n.nodeType === 3; });
        if (text) text.textContent = text.textContent.replace(/\s*\(\d+\)\s*$/, "");
      }
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".npq-check")) lastCheck = Date.now();
  }, true);
  new MutationObserver(function () { prepare(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
  prepare(document);
})();
