/*
 * Maps of places and partnership areas (Leaflet, vendored in static/vendor/leaflet).
 *
 * An enhancement only: every page with a map also lists the same places with their
 * addresses, so nothing is lost without JavaScript. The data comes from the
 * <script type="application/json"> named in data-map-data; the tile server and its
 * attribution from the site's settings (data-tiles, data-attribution). Texts from the
 * data go into the page with textContent, never as HTML.
 *
 * Keyboard: every marker is focusable (Tab) and opens its popup with Enter; focus moves
 * to the first link in the popup and comes back to the marker when the popup closes.
 */
(function () {
  "use strict";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function link(url, label) {
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.textContent = label;
    return anchor;
  }

  // An event's link: its label begins with the event's title, which stays Polish on the English pages and says so
  // (as the list of places beside the map does).
  function eventLink(item) {
    var pageLanguage = document.documentElement.lang;
    if (!item.title || pageLanguage === "pl" || item.label.indexOf(item.title) !== 0) {
      return link(item.url, item.label);
    }
    var anchor = link(item.url, "");
    var title = element("span", "", item.title);
    title.lang = "pl";
    anchor.appendChild(title);
    anchor.appendChild(document.createTextNode(item.label.slice(item.title.length)));
    return anchor;
  }

  function pointPopup(point) {
    var box = element("div", "map-popup");
    var title = element("p", "map-popup-title");
    title.appendChild(link(point.url, point.name));
    box.appendChild(title);
    if (point.address) {
      box.appendChild(element("p", "", point.address + (point.district ? ", " + point.district : "")));
    }
    if (point.links && point.links.length) {
      var list = element("ul");
      point.links.forEach(function (item) {
        var entry = element("li");
        entry.appendChild(eventLink(item));
        list.appendChild(entry);
      });
      box.appendChild(list);
    }
    return box;
  }

  function areaPopup(area, label) {
    var box = element("div", "map-popup");
    box.appendChild(element("p", "", label));
    var title = element("p", "map-popup-title");
    title.appendChild(link(area.url, area.name));
    box.appendChild(title);
    return box;
  }

  function onPopupOpen(event, closeLabel, map) {
    var popup = event.popup.getElement();
    if (!popup) {
      return;
    }
    if (!popup.getAttribute("data-escape")) {
      // Focus is inside the popup, where Leaflet's own keyboard handler does not listen.
      popup.setAttribute("data-escape", "1");
      popup.addEventListener("keydown", function (keyEvent) {
        if (keyEvent.key === "Escape") {
          map.closePopup();
        }
      });
    }
    var close = popup.querySelector(".leaflet-popup-close-button");
    if (close && closeLabel) {
      close.setAttribute("aria-label", closeLabel);
      close.setAttribute("title", closeLabel);
    }
    var first = popup.querySelector(".map-popup a");
    if (first) {
      first.focus();
    }
  }

  function initMap(container) {
    var source = document.getElementById(container.getAttribute("data-map-data"));
    if (!source || !window.L) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var labels = {
      close: container.getAttribute("data-close-label") || "",
      area: container.getAttribute("data-area-label") || ""
    };
    container.hidden = false;

    var map = window.L.map(container, { scrollWheelZoom: false, zoomControl: false });
    window.L.control
      .zoom({
        zoomInTitle: container.getAttribute("data-zoom-in-label") || "+",
        zoomOutTitle: container.getAttribute("data-zoom-out-label") || "-"
      })
      .addTo(map);
    window.L.tileLayer(container.getAttribute("data-tiles"), {
      attribution: container.getAttribute("data-attribution"),
      maxZoom: 19
    }).addTo(map);

    var icon = window.L.icon({
      iconUrl: container.getAttribute("data-icon"),
      iconRetinaUrl: container.getAttribute("data-icon-retina"),
      shadowUrl: container.getAttribute("data-shadow"),
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });
    var bounds = window.L.latLngBounds([]);

    (data.areas || []).forEach(function (area) {
      var layer = window.L.geoJSON(area.geometry, {
        style: { color: "#0b5563", weight: 2, fillColor: "#0b5563", fillOpacity: 0.12 }
      }).addTo(map);
      layer.bindPopup(areaPopup(area, labels.area));
      layer.on("popupopen", function (event) {
        onPopupOpen(event, labels.close, map);
      });
      bounds.extend(layer.getBounds());
    });

    (data.points || []).forEach(function (point) {
      var marker = window.L.marker([point.lat, point.lon], {
        icon: icon,
        alt: point.name,
        title: point.name,
        keyboard: true
      }).addTo(map);
      marker.bindPopup(pointPopup(point));
      marker.on("popupopen", function (event) {
        onPopupOpen(event, labels.close, map);
      });
      marker.on("popupclose", function () {
        var active = document.activeElement;
        var markerElement = marker.getElement();
        if (markerElement && (!active || active === document.body || container.contains(active))) {
          markerElement.focus();
        }
      });
      bounds.extend([point.lat, point.lon]);
    });

    if (!bounds.isValid()) {
      container.hidden = true;
      return;
    }
    if ((data.points || []).length === 1 && !(data.areas || []).length) {
      map.setView(bounds.getCenter(), 16);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".js-map"), initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
