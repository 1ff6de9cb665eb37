/* The book's own behaviour for figures and quotes: charts that fit their column, drawn live by
   vega once a reader asks for it, export with title and source, a share link that keeps the
   chosen view, and a text alternative that follows the menu. Loaded on every page.

   A chart comes drawn in the page (charts.render): an SVG per layout, a phone's and a wide
   column's, of which the style sheet shows the one that fits (book.css), and its menu. vega
   (half a megabyte) is loaded only when a reader asks for what the drawing cannot show: another
   view in the menu (also a shared link's), or a download; the chart is then drawn live by vega. */
(function () {
  "use strict";
  var charts = {};
  // Below this column width category labels stand above their bars (see charts.NARROW_PARAM);
  // book.css shows the drawing of the same layout at the same width.
  var NARROW_BELOW = 640;
  var MENU = "visning";
  var ADDRESS = "{sideadresse}";
  // vega, beside this script (site_assets writes its name with its digest).
  var VEGA = new URL("{vega.js}", (document.currentScript || {}).src || location.href).href;
  // The script's own words, in the page's language (the edition's: "da" or "en").
  var WORDS = {
    da: { view: "Visning: ", copied: " Link kopieret", link: " Link: " },
    en: { view: "View: ", copied: " Link copied", link: " Link: " }
  };
  var words = WORDS[(document.documentElement.lang || "da").slice(0, 2)] || WORDS.da;

  function hasSignal(spec, name) {
    return (spec.signals || []).some(function (s) { return s.name === name; });
  }

  function firstView(spec) {
    var signal = (spec.signals || []).filter(function (s) { return s.name === MENU; })[0];
    return signal ? signal.value : null;
  }

  // The view the reader chose, as the chart's menu says (the menu is in the page from the start).
  function chosenView(c) {
    return c && c.menu ? c.menu.value : null;
  }

  function figureAddress(anchor, c) {
    var url = location.href.split("#")[0].split("?")[0];
    var level = chosenView(c);
    return url + (level && level !== c.first ? "?" + MENU + "=" + encodeURIComponent(level) : "") + "#" + anchor;
  }

  // A figure's id; for a number the chapter shows without a chart (its headline), the anchor of
  // the share link beside its download.
  function anchorOf(element) {
    var figure = element.closest("figure");
    if (figure) return figure.id;
    var tools = element.closest(".figure-tools");
    var share = tools && tools.querySelector("a.share");
    return share ? share.getAttribute("href").slice(1) : "";
  }

  function figureOf(element) {
    var figure = element.closest("figure");
    return figure ? figure.id : "";
  }

  // The chart's text alternative (its accessible name) for the view chosen: it follows the menu
  // at once, whether or not the view is drawn yet.
  function describe(c) {
    var descriptions = (c.spec.usermeta || {}).descriptions || {};
    var text = descriptions[chosenView(c)];
    if (text) c.element.setAttribute("aria-label", text);
  }

  function restoreLevel(c) {
    // A shared link names the view (?visning=region#fig-innovationstyper): choose it in that figure.
    var level = new URLSearchParams(location.search).get(MENU);
    var target = location.hash.slice(1);
    if (!level || !c.menu || level === c.first || (target && target !== figureOf(c.element))) return;
    var known = ((c.spec.usermeta || {}).descriptions || {});
    if (!Object.prototype.hasOwnProperty.call(known, level)) return;
    c.menu.value = level;
    describe(c);
    drawLive(c);
  }

  // vega, loaded once, when a reader first asks for it: inserted as a script of its own, so the
  // page neither waits for it nor loads it for a reader who only reads.
  var vegaLoaded = null;
  function loadVega() {
    if (!vegaLoaded) {
      vegaLoaded = new Promise(function (resolve, reject) {
        if (window.vega) return resolve(window.vega);
        var script = document.createElement("script");
        script.src = VEGA;
        script.async = true;
        script.onload = function () { resolve(window.vega); };
        script.onerror = function () {
          script.remove();
          vegaLoaded = null;  // asked again, it is tried again
          reject(new Error("vega could not be loaded from " + VEGA));
        };
        document.head.appendChild(script);
      });
    }
    return vegaLoaded;
  }

  function followsContainer(spec) {
    return (spec.signals || []).some(function (s) { return s.name === "width" && /containerSize/.test(s.init || ""); });
  }

  // The spec as the page's vega draws it: the page has the menu already (vega would add its own),
  // and a chart that takes its column's width is drawn at `width`, which fitWidth sets from then on
  // (vega would read its container's width once, when it is not yet in the page, and again at
  // the window's resize event only).
  function liveSpec(spec, width) {
    var signals = (spec.signals || []).map(function (s) {
      if (s.name === "width" && followsContainer(spec)) return { name: "width", value: width };
      if (!s.bind) return s;
      var signal = Object.assign({}, s);
      delete signal.bind;
      return signal;
    });
    return Object.assign({}, spec, { signals: signals });
  }

  // The chart drawn live by vega, in place of its drawing from the build, in the view its menu
  // shows; until vega has drawn it, the drawing stays, faded (it shows the first view only).
  function drawLive(c) {
    if (c.live) return c.live;
    c.element.classList.add("chart-waiting");
    c.element.setAttribute("aria-busy", "true");
    c.live = loadVega().then(function (vega) {
      var column = document.createElement("div");
      column.className = "chart-live";
      // SVG: the bars keep their descriptions, and the export is vector.
      var width = c.element.clientWidth;
      var view = new vega.View(vega.parse(liveSpec(c.spec, width)), { renderer: "svg", hover: true });
      // On the page's own background, in either colour mode (book.css gives the text, axes and
      // bars their dark-mode colours); downloads are drawn by a view of their own, on white.
      view.background("transparent");
      view.initialize(column);
      // vega names its own container; the chart's container has the name, and keeps it (describe).
      ["role", "aria-roledescription", "aria-label"].forEach(function (name) { column.removeAttribute(name); });
      c.view = view;
      c.width = width;
      if (hasSignal(c.spec, "narrow")) view.signal("narrow", width < NARROW_BELOW);
      if (c.menu) view.signal(MENU, c.menu.value);
      return view.runAsync().then(function () {
        c.drawing.replaceChildren(column);
        c.layouts = [];
        c.element.classList.remove("chart-waiting");
        c.element.removeAttribute("aria-busy");
        return view;
      });
    }).catch(function (error) {
      // No vega (the reader went offline): the drawing and its first view stay, as the menu says.
      console.error(error);
      c.live = null;
      c.view = null;
      if (c.menu) c.menu.value = c.first;
      describe(c);
      c.element.classList.remove("chart-waiting");
      c.element.removeAttribute("aria-busy");
      return null;
    });
    return c.live;
  }

  // vega, loaded ahead of a choice or a download the reader is about to make (it draws nothing yet).
  function prepare() {
    loadVega().catch(function () {});  // tried again, and said, when the reader makes the choice
  }

  // A menu choice: the text alternative follows at once, the chart as soon as vega has drawn it.
  // vega lays a chart out (the room left of the bars for their labels) again only when its width,
  // height or padding changes: a choice with as many bars as the last but longer labels (Figure
  // 2: one bar for "kommune", then one with a longer label for "region") kept the room of the
  // shorter labels, and the new ones ran off the chart's left edge. A choice changes what the
  // chart shows, so it is laid out anew.
  function choose(c) {
    describe(c);
    if (!c.view) {
      drawLive(c);
      return;
    }
    c.view.signal(MENU, c.menu.value);
    c.view.resize();
    c.view.runAsync().catch(function (error) { console.error(error); });
  }

  // The drawing of the layout that fits the column, as book.css shows it (a container query):
  // the other leaves the page until the column's width changes again, so the page holds one
  // drawing of each chart, as a screen reader and the tests find it.
  function fitDrawing(c) {
    var width = c.element.clientWidth;
    if (!width || width === c.width) return;  // hidden, or only the height changed
    c.width = width;
    c.layouts.forEach(function (svg) { c.drawing.appendChild(svg); });
    var shown = c.layouts.filter(function (svg) { return getComputedStyle(svg).display !== "none"; });
    c.layouts.forEach(function (svg) { if (svg !== shown[0]) svg.remove(); });
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
      var c = charts[entry.target.id];
      if (c) fit(c);
    });
  }) : null;

  function fit(c) {
    if (c.view) fitWidth(c);
    else fitDrawing(c);
  }

  function fitWidth(c) {
    var width = c.element.clientWidth;  // what vega's containerSize() reads
    if (!width || width === c.width) return;  // hidden, or only the height changed
    c.width = width;
    if (hasSignal(c.spec, "narrow")) c.view.signal("narrow", width < NARROW_BELOW);
    if (followsContainer(c.spec)) c.view.width(width);
    c.view.resize().runAsync().catch(function (error) { console.error(error); });
  }

  // Called by each chart's script, right after the chart in the page (charts.render).
  window.innobarometerEmbed = function (selector, spec) {
    var element = document.querySelector(selector);
    if (!element) return;
    var c = {
      element: element, spec: spec, drawing: element.querySelector(".chart-drawing"),
      layouts: [].slice.call(element.querySelectorAll(".chart-static")), menu: element.querySelector("select"),
      first: firstView(spec), view: null, live: null, width: 0
    };
    charts[element.id] = c;
    if (c.menu) {
      c.menu.addEventListener("change", function () { choose(c); });
      // A reader who opens the menu is about to choose: vega loads while they do.
      ["pointerdown", "focus"].forEach(function (type) { c.menu.addEventListener(type, prepare); });
    }
    restoreLevel(c);
    if (columns) {
      columns.observe(element);
    } else {  // an old browser: the layout follows the window's width
      fit(c);
      window.addEventListener("resize", function () { fit(c); });
    }
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

  function exportView(c, vega) {
    // Drawn in an off-screen column of the export width, so the chart lays itself out as on a
    // desktop; removed again once its SVG is taken.
    var column = document.createElement("div");
    column.setAttribute("aria-hidden", "true");
    column.style.cssText = "position:absolute;left:-10000px;top:0;width:" + EXPORT_WIDTH + "px";
    document.body.appendChild(column);
    var view = new vega.View(vega.parse(liveSpec(c.spec, EXPORT_WIDTH)), { renderer: "svg", container: column });
    if (hasSignal(c.spec, "narrow")) view.signal("narrow", false);
    if (c.menu) view.signal(MENU, c.menu.value);
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
  function composedSvg(control, vega) {
    var v = charts[control.dataset.chart];
    return exportView(v, vega).then(function (chart) {
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

  // A download needs vega: it is loaded, and the chart drawn live by it, as for a menu choice.
  function exportFigure(control) {
    var format = control.dataset.export;
    drawLive(charts[control.dataset.chart]).then(function (view) {
      if (!view) throw new Error("no vega to draw the download with");
      return composedSvg(control, window.vega);
    }).then(function (composed) {
      if (format === "svg") {
        return "data:image/svg+xml;charset=utf-8," + encodeURIComponent('<?xml version="1.0" encoding="utf-8"?>\n' + composed.svg);
      }
      return pngOf(composed);
    }).then(function (url) {
      download(url, control.dataset.filename + "." + format);
    }).catch(function (error) { console.error(error); });
  }

  ["pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var exporter = event.target.closest && event.target.closest("[data-export]");
      if (exporter && charts[exporter.dataset.chart]) prepare();
    });
  });

  document.addEventListener("click", function (event) {
    var exporter = event.target.closest("[data-export]");
    if (exporter && charts[exporter.dataset.chart]) {
      exportFigure(exporter);
      return;
    }
    var csv = event.target.closest("a[download$='.csv']");
    if (csv) {
      // The figure's address, with the chosen view, goes into the CSV's metadata block.
      var figure = csv.closest("figure");
      var chart = figure && figure.querySelector(".innobarometer-chart");
      var address = figureAddress(anchorOf(csv), chart && charts[chart.id]);
      csv.dataset.template = csv.dataset.template || csv.href;
      csv.href = csv.dataset.template.split(encodeURIComponent(ADDRESS)).join(encodeURIComponent(address));
      return;
    }
    var share = event.target.closest("a.share");
    if (share) {
      event.preventDefault();
      var anchor = share.getAttribute("href").slice(1);
      var url = figureAddress(anchor, charts[share.dataset.chart]);
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
