// Progressive enhancement of the server-rendered pages: drag and drop on the upload form,
// live progress by server-sent events, and self-refreshing comparison pages.
(function () {
  "use strict";

  function dropZone() {
    var zone = document.getElementById("drop-zone");
    var input = document.getElementById("workbook");
    if (!zone || !input) { return; }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        document.getElementById("upload-form").submit();
      }
    });
  }

  function number(value, digits) {
    return (value === null || value === undefined) ? "" : Number(value).toLocaleString("en", { maximumFractionDigits: digits });
  }

  function progress() {
    var panel = document.getElementById("progress");
    if (!panel || !window.EventSource) { return; }
    var source = new EventSource(panel.getAttribute("data-events"));
    function set(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }
    source.addEventListener("progress", function (event) {
      var p = JSON.parse(event.data);
      set("p-status", p.status + (p.ahead ? " (" + p.ahead + " ahead of you)" : "") + (p.stopping ? " — stopping, keeping the best plan" : ""));
      set("p-stage", p.stage || "waiting for a worker");
      set("p-elapsed", number(p.elapsed_s || 0, 1) + " s");
      set("p-incumbent", number(p.incumbent, 1));
      set("p-bound", number(p.best_bound, 1));
      set("p-gap", p.gap_pct === null || p.gap_pct === undefined ? "" : number(p.gap_pct, 2) + " %");
    });
    source.addEventListener("done", function () { source.close(); window.location.reload(); });
  }

  function reloadWhileWaiting() {
    var waiting = document.getElementById("waiting");
    if (waiting) { window.setTimeout(function () { window.location.reload(); }, 1000 * Number(waiting.getAttribute("data-reload"))); }
  }

  dropZone();
  progress();
  reloadWhileWaiting();
}());
