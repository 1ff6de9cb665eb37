/* The book's own behaviour for figures and quotes: drawing charts to their column's width,
   export with title and source, a share link that keeps the chosen view, and a text alternative
   that follows the menu. Loaded on every page; the vega bundle only on pages with charts. */
(function () {
  "use strict";
  var views = {};
  // Below this column width category labels wrap (see charts.NARROW_PARAM).
  var NARROW_BELOW = 640;
  var MENU = "visning";
  var ADDRESS = "{sideadresse}";
  // The script's own words, in the page's language (the edition's: "da" or "en").
  var WORDS = {
    da: { view: "Visning: ", copied: " Link kopieret", link: " Link: " },
    en: { view: "View: ", copied: " Link copied", link: " Link: " }
  };
  var words = WORDS[(document.documentElement.lang || "da").slice(0, 2)] || WORDS.da;

  function hasSignal(spec, name) {
    return (spec.signals || []).some(function (s) { return s.name === name; });
  }

  function figureAddress(anchor, view) {
    var url = location.href.split("#")[0].split("?")[0];
    var level = view && hasSignal(view.spec, MENU) ? view.view.signal(MENU) : null;
    var first = view && hasSignal(view.spec, MENU) ? view.first : null;
    return url + (level && level !== first ? "?" + MENU + "=" + encodeURIComponent(level) : "") + "#" + anchor;
  }

  function figureOf(element) {
    var figure = element.closest("figure");
    return figure ? figure.id : "";
  }

  function restoreLevel(element, spec, view) {
    // A shared link names the view (?visning=region#fig-figur-b): choose it in that figure.
    var level = new URLSearchParams(location.search).get(MENU);
    var target = location.hash.slice(1);
    if (!level || !hasSignal(spec, MENU) || (target && target !== figureOf(element))) return;
    var known = ((spec.usermeta || {}).descriptions || {});
    if (Object.prototype.hasOwnProperty.call(known, level)) view.signal(MENU, level);
  }

  function followMenu(spec, view) {
    var descriptions = (spec.usermeta || {}).descriptions;
    if (!descriptions || !hasSignal(spec, MENU)) return;
    var describe = function () {
      var text = descriptions[view.signal(MENU)];
      if (text) view.description(text);
    };
    describe();
    view.addSignalListener(MENU, describe);
  }

  // vega lays a chart out (the room left of the bars for their labels) again only when its
  // width, height or padding changes. A menu choice with as many bars as the last one but longer
  // labels (Figure 2: one bar for "kommune", then one with a longer label for "region") kept the
  // room of the shorter labels, and the new ones ran off the chart's left edge; a fresh load of
  // the same view laid it out right. A choice changes what the chart shows, so it is laid out anew.
  function relayoutOnMenu(spec, view) {
    if (hasSignal(spec, MENU)) view.addSignalListener(MENU, function () { view.resize(); });
  }

  function fitColumn(element, spec, view) {
    if (hasSignal(spec, "narrow")) view.signal("narrow", element.clientWidth < NARROW_BELOW);
  }

  // A chart is redrawn at its column's width whenever that width changes, whatever changed it:
  // the window, the sidebar shown or hidden, or the theme's sidebar sliding back in (a 0.25 s
  // margin transition) when the window grows past the theme's breakpoint. vega's own width
  // (Vega-Lite's width "container") is read at the window's resize event only, while the sidebar
  // is still on its way: the chart kept the wider width of that moment, beyond its column. A
  // ResizeObserver reports the column's width after every change of the layout, the last one
  // included, so it alone sets the width (vega's resize handler is left out of the spec).
  var columns = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      if (views[entry.target.id]) fitWidth(views[entry.target.id]);
    });
  }) : null;

  function followsContainer(spec) {
    return (spec.signals || []).some(function (s) { return s.name === "width" && /containerSize/.test(s.init || ""); });
  }

  function withoutWindowResize(spec) {
    var signals = spec.signals.map(function (s) {
      if (s.name !== "width") return s;
      var width = Object.assign({}, s);
      delete width.on;
      return width;
    });
    return Object.assign({}, spec, { signals: signals });
  }

  function fitWidth(v) {
    var width = v.element.clientWidth;  // what vega's containerSize() reads
    if (!width || width === v.width) return;  // hidden, or only the height changed
    v.width = width;
    fitColumn(v.element, v.spec, v.view);
    if (followsContainer(v.spec)) v.view.width(width);
    v.view.resize().runAsync();
  }

  window.innobarometerEmbed = function (selector, spec) {
    var element = document.querySelector(selector);
    // SVG: the chart's description becomes its ARIA label, and the export is vector.
    var drawn = columns && followsContainer(spec) ? withoutWindowResize(spec) : spec;
    var view = new vega.View(vega.parse(drawn), { renderer: "svg", container: element, hover: true });
    // On the page's own background, in either colour mode (book.css gives the text, axes and
    // bars their dark-mode colours); downloads are drawn by a view of their own, on white.
    view.background("transparent");
    var first = hasSignal(spec, MENU) ? view.signal(MENU) : null;
    views[element.id] = { view: view, spec: spec, element: element, first: first, width: element.clientWidth };
    fitColumn(element, spec, view);
    restoreLevel(element, spec, view);
    followMenu(spec, view);
    relayoutOnMenu(spec, view);
    if (columns) {
      columns.observe(element);
    } else {  // an old browser: vega follows the window's width, and the labels with it
      window.addEventListener("resize", function () { fitColumn(element, spec, view); view.runAsync(); });
    }
    return view.runAsync().catch(function (error) { console.error(error); });
  };

  function escapeXml(text) {
    return String(text).replace(/[<>&"']/g, function (c) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" }[c];
    });
  }

  function wrap(text, characters) {
    var lines = [], line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > characters) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines;
  }

  function selectedLabel(element) {
    var select = element.querySelector("select");
    return select ? select.options[select.selectedIndex].text : "";
  }

  // Downloads are drawn at one width whatever the screen, in the chosen view.
  var EXPORT_WIDTH = 720;

  function exportView(v) {
    // Drawn in an off-screen column of the export width, so the chart lays itself out as on a
    // desktop; removed again once its SVG is taken.
    var column = document.createElement("div");
    column.setAttribute("aria-hidden", "true");
    column.style.cssText = "position:absolute;left:-10000px;top:0;width:" + EXPORT_WIDTH + "px";
    document.body.appendChild(column);
    var view = new vega.View(vega.parse(v.spec), { renderer: "svg", container: column });
    if (hasSignal(v.spec, "narrow")) view.signal("narrow", false);
    if (hasSignal(v.spec, MENU)) view.signal(MENU, v.view.signal(MENU));
    return view.runAsync().then(function () {
      return view.toSVG().then(function (svg) {
        view.finalize();
        column.remove();
        return svg;
      });
    });
  }

  // The chart with its title and view above and its source, data note and address below, as
  // one SVG document: a downloaded figure says what it is and where it comes from.
  function composedSvg(control) {
    var v = views[control.dataset.chart];
    return exportView(v).then(function (chart) {
      var size = chart.match(/<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/);
      var chartWidth = size ? parseFloat(size[1]) : EXPORT_WIDTH, chartHeight = size ? parseFloat(size[2]) : 300;
      var width = Math.max(chartWidth, EXPORT_WIDTH) + 20;
      var level = selectedLabel(v.element);
      var head = wrap(control.dataset.title, Math.floor(width / 10)).map(function (line) { return [line, 16, "bold"]; })
        .concat(level ? [[words.view + level, 12, "normal"]] : []);
      var foot = [];
      [control.dataset.key, control.dataset.source, control.dataset.note, figureAddress(figureOf(v.element), v)].filter(Boolean).forEach(function (text) {
        wrap(text, Math.floor(width / 6.5)).forEach(function (line) { foot.push([line, 11, "normal"]); });
      });
      var y = 10, texts = [];
      head.forEach(function (line) {
        y += line[1] + 6;
        texts.push('<text x="10" y="' + y + '" font-size="' + line[1] + '" font-weight="' + line[2] + '">' + escapeXml(line[0]) + "</text>");
      });
      var chartTop = y + 10;
      y = chartTop + chartHeight + 6;
      foot.forEach(function (line) {
        y += line[1] + 5;
        texts.push('<text x="10" y="' + y + '" font-size="' + line[1] + '">' + escapeXml(line[0]) + "</text>");
      });
      var height = y + 12;
      var inner = chart.replace(/<svg/, '<svg x="10" y="' + chartTop + '"');
      return {
        width: width, height: height,
        svg: '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height + '" viewBox="0 0 ' + width + " " + height + '">' +
          "<title>" + escapeXml(control.dataset.title) + "</title>" +
          '<rect width="100%" height="100%" fill="#ffffff"/>' +
          '<g font-family="DejaVu Sans, Verdana, sans-serif" fill="#222222">' + texts.join("") + "</g>" + inner + "</svg>"
      };
    });
  }

  function pngOf(composed) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = composed.width * 2;
        canvas.height = composed.height * 2;
        var context = canvas.getContext("2d");
        context.scale(2, 2);
        context.drawImage(image, 0, 0);
        resolve(canvas.toDataURL("image/png"));
      };
      image.onerror = reject;
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(composed.svg);
    });
  }

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

  function exportFigure(control) {
    var format = control.dataset.export;
    composedSvg(control).then(function (composed) {
      if (format === "svg") {
        return "data:image/svg+xml;charset=utf-8," + encodeURIComponent('<?xml version="1.0" encoding="utf-8"?>\n' + composed.svg);
      }
      return pngOf(composed);
    }).then(function (url) {
      download(url, control.dataset.filename + "." + format);
    }).catch(function (error) { console.error(error); });
  }

  document.addEventListener("click", function (event) {
    var exporter = event.target.closest("[data-export]");
    if (exporter && views[exporter.dataset.chart]) {
      exportFigure(exporter);
      return;
    }
    var csv = event.target.closest("a[download$='.csv']");
    if (csv) {
      // The figure's address, with the chosen view, goes into the CSV's metadata block.
      var figure = csv.closest("figure");
      var chart = figure && figure.querySelector(".innobarometer-chart");
      var address = figureAddress(figure ? figure.id : "", chart && views[chart.id]);
      csv.dataset.template = csv.dataset.template || csv.href;
      csv.href = csv.dataset.template.split(encodeURIComponent(ADDRESS)).join(encodeURIComponent(address));
      return;
    }
    var share = event.target.closest("a.share");
    if (share) {
      event.preventDefault();
      var anchor = share.getAttribute("href").slice(1);
      var url = figureAddress(anchor, views[share.dataset.chart]);
      history.replaceState(null, "", url);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(
          function () { announce(share, words.copied); },
          function () { announce(share, words.link + url); }
        );
      } else {
        announce(share, words.link + url);
      }
    }
  });

  function showAddresses() {
    document.querySelectorAll(".figure-address").forEach(function (span) {
      span.textContent = location.href.split("#")[0].split("?")[0] + "#" + span.dataset.anchor;
    });
  }

  // Every table fits its column, with no column cut off or scrolled out of sight: a table wider
  // than its column (on a phone, or Figure 2's eight columns beside the sidebar) is stacked, each
  // row a block of its cells, each cell under its column's heading (book.css, table.stacked).
  // Whether it fits is measured, not guessed from the screen's width, and measured again when
  // its column's width changes (or a folded table is shown).
  var STACKED = "stacked";

  function labelCells(table) {
    var headings = [].map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    // Browsers drop a table's semantics once its rows are blocks: its roles keep them.
    table.setAttribute("role", "table");
    [].forEach.call(table.querySelectorAll("thead, tbody"), function (group) { group.setAttribute("role", "rowgroup"); });
    [].forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      [].forEach.call(row.cells, function (cell, i) {
        cell.setAttribute("role", cell.tagName === "TH" ? (row.parentElement.tagName === "THEAD" ? "columnheader" : "rowheader") : "cell");
        if (headings[i] && cell.tagName === "TD") cell.setAttribute("data-label", headings[i]);
      });
    });
  }

  function fitTable(table) {
    var column = table.parentElement;
    if (!table.getClientRects().length || !column.clientWidth) return;  // folded away: fitted when shown
    if (table.fittedWidth === column.clientWidth) return;  // only its height changed
    table.classList.remove(STACKED);
    var stack = table.scrollWidth > column.clientWidth || table.getBoundingClientRect().width > column.clientWidth + 0.5;
    if (stack && !table.hasAttribute("role")) labelCells(table);
    table.classList.toggle(STACKED, stack);
    table.fittedWidth = column.clientWidth;
    // The theme makes a table's column a tab stop when it scrolls: a stacked table does not.
    if (column.classList.contains("pst-scrollable-table-container")) column.tabIndex = column.scrollWidth > column.clientWidth ? 0 : -1;
  }

  // Refitted in the frame after a change is reported: restacking changes the column's height,
  // which a ResizeObserver would otherwise report in the same frame as an error.
  var tableColumns = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    requestAnimationFrame(function () {
      entries.forEach(function (entry) { [].forEach.call(entry.target.querySelectorAll(":scope > table"), fitTable); });
    });
  }) : null;

  function fitTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      fitTable(table);
      if (tableColumns) tableColumns.observe(table.parentElement);
    });
  }

  function whenReady() {
    showAddresses();
    fitTables();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", whenReady);
  } else {
    whenReady();
  }
})();
