// Company Portal: keep the address bar in step with the "Simulated device" panel, so the URL
// can be copied to start the same device again (the page works the same without this script).
(function () {
  "use strict";
  // "Copy link for this device": the clipboard when the browser allows it, else select the
  // link so that Ctrl+C copies it.
  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy-from"));
      var status = document.getElementById("device-link-status");
      var done = function (text) { if (status) { status.textContent = text; } };
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(
          function () { done("Link copied."); },
          function () { done("Link selected: press Ctrl+C (⌘C) to copy it."); }
        );
      } else {
        done("Link selected: press Ctrl+C (⌘C) to copy it.");
      }
    });
  });

  var form = document.getElementById("sign-in");
  if (!form || !window.history || !window.URLSearchParams) {
    return;
  }
  var names = ["model", "osVersion", "serialNumber", "imei", "authenticator"];

  function panelQuery() {
    var query = new URLSearchParams();
    names.forEach(function (name) {
      var field = document.querySelector('[form="sign-in"][name="' + name + '"]');
      if (!field) {
        return;
      }
      if (field.type === "checkbox") {
        query.set(name, field.checked ? "1" : "0");
      } else if (field.value.trim() !== "") {
        query.set(name, field.value.trim());
      }
    });
    return query.toString();
  }

  document.querySelectorAll('[form="sign-in"]').forEach(function (field) {
    field.addEventListener("change", function () {
      var query = panelQuery();
      window.history.replaceState(null, "", window.location.pathname + "?" + query);
      var link = document.getElementById("device-link");
      if (link) {
        link.value = window.location.origin + window.location.pathname + "?" + query;
      }
    });
  });
})();
