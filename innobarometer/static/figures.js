/* The book's own behaviour for figures and quotes: drawing charts, export, and "Del" (copy a
   link). Loaded on every page; the vega bundle only on pages with charts. No network needed. */
(function () {
  "use strict";
  var views = {};

  window.innobarometerEmbed = function (selector, spec) {
    var element = document.querySelector(selector);
    // SVG: the chart's description becomes its ARIA label, and the export is vector.
    var view = new vega.View(vega.parse(spec), { renderer: "svg", container: element, hover: true });
    views[element.id] = view;
    return view.runAsync().catch(function (error) { console.error(error); });
  };

  function download(url, filename) {
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function announce(control, text) {
    var note = control.parentNode.querySelector(".share-status");
    if (!note) {
      note = document.createElement("span");
      note.className = "share-status";
      note.setAttribute("role", "status");
      control.parentNode.insertBefore(note, control.nextSibling);
    }
    note.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var exporter = event.target.closest("[data-export]");
    if (exporter) {
      var view = views[exporter.dataset.chart];
      var format = exporter.dataset.export;
      if (view) {
        view.toImageURL(format, format === "png" ? 2 : 1).then(function (url) {
          download(url, exporter.dataset.filename + "." + format);
        });
      }
      return;
    }
    var share = event.target.closest("a.share");
    if (share) {
      event.preventDefault();
      var url = location.href.split("#")[0] + share.getAttribute("href");
      history.replaceState(null, "", share.getAttribute("href"));
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(
          function () { announce(share, " Link kopieret"); },
          function () { announce(share, " Link: " + url); }
        );
      } else {
        announce(share, " Link: " + url);
      }
    }
  });
})();
