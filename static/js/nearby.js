/*
 * "Co jest blisko mnie?": with JavaScript a resident may share their location instead of
 * picking a district. The position is rounded to three decimals (about 100 m) and sent in
 * the form's hidden fields; nothing is stored. Without JavaScript the district list works alone.
 */
(function () {
  "use strict";

  function init() {
    var box = document.querySelector(".js-geolocation");
    if (!box || !("geolocation" in navigator)) {
      return;
    }
    var form = box.closest("form");
    var button = box.querySelector("button");
    var status = box.querySelector("[role=status]");
    box.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = box.getAttribute("data-waiting");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector("input[name=lat]").value = position.coords.latitude.toFixed(3);
          form.querySelector("input[name=lon]").value = position.coords.longitude.toFixed(3);
          var district = form.querySelector("select[name=dzielnica]");
          if (district) {
            district.value = "";
          }
          form.submit();
        },
        function () {
          status.textContent = box.getAttribute("data-error");
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
