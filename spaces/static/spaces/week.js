// Previous/next week without reloading the page. Without JavaScript the links load the page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("#week a[data-week]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    var base = link.pathname.replace(/\/?$/, "/");
    var weekUrl = base.replace(/\/book\/$/, "/") + "week/?week=" + encodeURIComponent(link.dataset.week);
    event.preventDefault();
    fetch(weekUrl, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var section = document.getElementById("week");
        section.outerHTML = html;
        var heading = document.getElementById("week-heading");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
        history.replaceState(null, "", link.href);
      })
      .catch(function () {
        window.location.href = link.href;
      });
  });
})();
