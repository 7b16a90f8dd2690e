// The plan's map: Natural Earth outlines and the plan's GeoJSON (bases, routes used, threat
// areas) drawn with the package's own Leaflet, with no tile server. Clicking a base shows its
// stock and garrison, clicking a route its convoys (from the plan page's data).
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var details = document.getElementById("map-details");
  var map = L.map(element, { zoomSnap: 0.25, attributionControl: false });
  var bounds = L.latLngBounds([]);

  function get(url) {
    return url ? fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }) : Promise.resolve(null);
  }

  function text(tag, content) { var el = document.createElement(tag); el.textContent = content; return el; }

  function table(headers, rows) {
    var t = document.createElement("table"); var head = t.createTHead().insertRow();
    headers.forEach(function (h) { head.appendChild(text("th", h)); });
    var body = t.createTBody();
    rows.forEach(function (row) { var tr = body.insertRow(); row.forEach(function (v) { tr.insertCell().textContent = v === null || v === undefined ? "" : v; }); });
    return t;
  }

  function fmt(v) { return typeof v === "number" ? v.toLocaleString("en", { maximumFractionDigits: 1 }) : v; }

  function showBase(id, view) {
    var base = view.bases[id]; if (!base) { return; }
    details.replaceChildren(text("h3", base.name + " (" + id + ", " + base.kind + ")"));
    var g = base.garrison || {};
    details.appendChild(text("p", "Garrison: " + fmt(g.allocated_troops || 0) + " troops allocated, " + fmt(g.required_troops || 0) + " required" + (g.shortfall_troops ? ", short of " + fmt(g.shortfall_troops) : "") + ". Units at the end: " + (base.units.join(", ") || "none") + "."));
    details.appendChild(table(["class", "stock on the last day", "days of supply"], base.stock.map(function (s) { return [s.supply_id, fmt(s.closing), fmt(s.days_of_supply)]; })));
  }

  function showRoute(id, view) {
    var route = view.routes[id]; if (!route) { return; }
    details.replaceChildren(text("h3", "Route " + id + " (" + route.from_base_id + " – " + route.to_base_id + ", " + route.mode + ")"));
    details.appendChild(text("p", fmt(route.convoys.length) + " convoys listed, " + fmt(route.vehicle_km || 0) + " vehicle-km, threat level " + route.min_threat_level + "–" + route.max_threat_level + (route.closed_days ? ", closed days " + route.closed_days : "") + "."));
    details.appendChild(table(["convoy", "departs", "returns", "vehicles", "escort", "cargo t"], route.convoys.map(function (c) { return [c.convoy_id, c.depart_day, c.return_day, c.vehicles_by_type || c.vehicles, c.escort_troops, fmt(c.cargo_t)]; })));
  }

  function idOf(props, key) { return props[key] || props.id; }

  function kindOf(feature) {
    var p = feature.properties || {};
    if (p.feature) { return p.feature === "threat_area" ? "threat" : p.feature; }
    if (p.base_id) { return "base"; }
    if (p.route_id) { return "route"; }
    if (p.threat_id) { return "threat"; }
    return feature.geometry && feature.geometry.type === "Point" ? "base" : "route";
  }

  function draw(plan, view) {
    var layer = L.geoJSON(plan, {
      style: function (feature) {
        var kind = kindOf(feature), p = feature.properties || {};
        if (kind === "threat") { return { color: "#b3261e", weight: 1, fillColor: p.fill || "#b3261e", fillOpacity: 0.25 }; }
        return { color: "#1f5fa8", weight: 4 };
      },
      pointToLayer: function (feature, latlng) {
        if (kindOf(feature) === "threat") { return L.circle(latlng, { radius: 1000 * ((feature.properties || {}).radius_km || 20), color: "#b3261e", weight: 1, fillOpacity: 0.15 }); }
        return L.circleMarker(latlng, { pane: "markerPane", radius: 7, color: "#17324d", weight: 2, fillColor: "#f2b01e", fillOpacity: 1 });
      },
      onEachFeature: function (feature, item) {
        var kind = kindOf(feature), p = feature.properties || {};
        if (kind === "base") {
          var id = idOf(p, "base_id");
          item.bindTooltip(p.name || id, { permanent: true, direction: "right", className: "base-label" });
          item.on("click", function () { showBase(id, view); });
        } else if (kind === "route") {
          var rid = idOf(p, "route_id");
          item.on("click", function () { showRoute(rid, view); });
        } else if (kind === "threat") {
          item.bindTooltip("threat " + (p.threat_id || "") + (p.level ? " level " + p.level : ""));
        }
        if (item.getBounds) { bounds.extend(item.getBounds()); } else if (item.getLatLng) { bounds.extend(item.getLatLng()); }
      }
    }).addTo(map);
    return layer;
  }

  Promise.all([get(element.getAttribute("data-outlines")), get(element.getAttribute("data-view")), get(element.getAttribute("data-geojson"))]).then(function (found) {
    var outlines = found[0], view = found[1], plan = found[2];
    if (outlines) { L.geoJSON(outlines, { interactive: false, style: { color: "#7d8794", weight: 1, fillColor: "#f3efe6", fillOpacity: 1 } }).addTo(map); }
    if (!view) { return; }

    if (plan) { draw(plan, view); }
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.15)); } else { map.setView([0, 0], 2); }
    element.setAttribute("data-ready", "yes");
  });
}());
