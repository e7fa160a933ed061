// Company Portal: keep the address bar in step with the "Simulated device" panel, so the URL
// can be copied to start the same device again (the page works the same without this script).
(function () {
  "use strict";
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
      window.history.replaceState(null, "", window.location.pathname + "?" + panelQuery());
    });
  });
})();
