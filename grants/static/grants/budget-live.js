// Keeps the remaining budget on the staff pages current while another person decides.
// Progressive enhancement: the page already shows the figures read when it opened.
(function () {
  "use strict";
  var INTERVAL_MS = 10000;

  function refresh(box) {
    fetch(box.getAttribute("data-budget-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        ["budget", "decided", "remaining"].forEach(function (key) {
          var cell = box.querySelector('[data-budget="' + key + '"]');
          if (cell) {
            var target = cell.querySelector("strong") || cell;
            target.textContent = data[key];
          }
        });
        Object.keys(data.pots || {}).forEach(function (potId) {
          var row = box.querySelector('[data-pot="' + potId + '"]');
          if (!row) { return; }
          ["decided", "remaining"].forEach(function (key) {
            var cell = row.querySelector('[data-pot-field="' + key + '"]');
            if (cell) { cell.textContent = data.pots[potId][key]; }
          });
        });
      })
      .catch(function () { /* offline for a moment: keep the last figures */ });
  }

  document.querySelectorAll("[data-budget-url]").forEach(function (box) {
    window.setInterval(function () { refresh(box); }, INTERVAL_MS);
  });
})();
