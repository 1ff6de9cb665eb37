"""How each page of a built site reaches a phone (issue 29): the time until its first chart is
visible on a slow connection and a slow CPU, and the bytes it transfers.

Part of `make bench`; on its own, on any built site folder:

    .venv/bin/python benchmarks/bench.py --pages-only --site /path/to/site

The site is served by Python's http.server on 127.0.0.1 twice: as it is, uncompressed (the bytes
transferred are the files' own), and gzipped as any static host serves text (GitHub Pages,
Netlify, nginx's gzip_static: HTML, CSS, JavaScript, JSON and SVG with `Content-Encoding: gzip`
to a browser that accepts it). Each page's first chart is timed from both; the gzip column of the
weights is what the compressing server sends. The pages: every page in each edition's book/ and
notebooks/.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import statistics
import threading
import time
import urllib.parse
from pathlib import Path

#: Each page's runs for the time to its first chart (the median is reported), per server.
RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "3"))
#: The two servers: the files as they are, and gzipped as a static host sends text.
SERVERS = ("plain", "gzip")
#: What a static host compresses (by the file's ending): text, not images or fonts.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".txt", ".csv", ".xml", ".ipynb"}
#: A chart's container in the built HTML (innobarometer/presentation/charts.py writes it).
CHART = ".innobarometer-chart"
#: The phone: a 390 px wide screen at device scale 3, mobile, touch.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
#: The connection, as Chrome DevTools emulates it: 1.6 Mbps down, 750 kbps up (bytes a second),
#: 150 ms round trip; and the CPU slowed 4×.
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
#: Targets: the first chart visible within 3 s on the phone (issue 29); a page's first load at
#: most 1.5 MB (issue 16).
CHART_TARGET = 3.0
WEIGHT_TARGET = 1.5e6
#: How long a run waits for a chart before it gives up.
TIMEOUT = 30.0
#: Chromium as the tests launch it (tests/test_browser.py), without sharing a renderer between
#: pages: each run starts cold.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

#: Installed before the page's own scripts: every frame, until a chart is drawn, look for a
#: chart container holding a visible svg (with something drawn in it) or canvas with a non-zero
#: box; record performance.now(), whose zero is the navigation's start. A chart vega draws and
#: an SVG written into the page at build time both count. A frame is when the page can paint.
WATCH_FIRST_CHART = """(() => {
  const drawn = (container) => [...container.querySelectorAll("svg, canvas")].some((graphic) => {
    const box = graphic.getBoundingClientRect();
    return box.width > 0 && box.height > 0
      && graphic.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      && (graphic.localName === "canvas" || graphic.querySelector("path, rect, line, circle, ellipse, polygon, polyline, text, image, use") !== null);
  });
  const look = () => {
    if ([...document.querySelectorAll(%r)].some(drawn)) {
      window.__firstChartVisible = performance.now();
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
})();""" % CHART


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class GzipHandler(QuietHandler):
    """Text gzipped (level 6) to a browser that accepts it, as a static host sends it; the rest as
    it is. Each file is compressed once."""

    cache: dict = {}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSED or not path.is_file():
            return super().do_GET()
        key = (path, path.stat().st_mtime_ns)
        if key not in self.cache:
            self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self.cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def served(site: Path, compressed: bool = False):
    """The site on a local port, gzipped as a static host serves it or not; yields its origin."""
    handler = GzipHandler if compressed else QuietHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site: Path) -> list[tuple[str, str]]:
    """(edition, page) for every page in each edition's book/ and notebooks/: the Danish at the
    site's root, the English in en/."""
    pages = []
    for edition, folder in (("da", site), ("en", site / "en")):
        for part in ("book", "notebooks"):
            pages += [(edition, page.relative_to(site).as_posix()) for page in sorted((folder / part).glob("*.html"))]
    return pages


def gzipped_size(site: Path, url: str) -> int | None:
    """The size of the file behind a URL of the site, gzipped (level 6, as servers commonly do)."""
    path = site / urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)) if path.is_file() else None


def phone_page(browser, throttled: bool):
    """A fresh context (an empty cache) with the phone's profile, its page, and a DevTools session
    on it with the cache disabled and, if throttled, the slow network and CPU."""
    context = browser.new_context(**PHONE)
    context.add_init_script(WATCH_FIRST_CHART)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttled:
        session.send("Network.emulateNetworkConditions", NETWORK)
        session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return context, page, session


def weigh(browser, site: Path, origin: str, name: str) -> dict:
    """The page's full first load (until the network is idle) on the phone's screen: the bytes
    each response took on the wire, headers included (DevTools' encodedDataLength), the files'
    own sizes and their gzipped sizes; and how many charts it has. Throttling changes when the
    bytes arrive, not which, so this load is not throttled."""
    context, page, session = phone_page(browser, throttled=False)
    urls, wire = {}, {}
    session.on("Network.responseReceived", lambda event: urls.__setitem__(event["requestId"], event["response"]["url"]))
    session.on("Network.loadingFinished", lambda event: wire.__setitem__(event["requestId"], event["encodedDataLength"]))
    page.goto(f"{origin}/{name}", wait_until="networkidle")
    charts = page.locator(CHART).count()
    context.close()
    files = {request: urls[request] for request in wire if urls.get(request, "").startswith(origin)}
    gzipped = [gzipped_size(site, url) for url in files.values()]
    missing = sorted(url for url, size in zip(files.values(), gzipped) if size is None)
    return {
        "charts": charts,
        "requests": len(wire),
        "transferred": sum(wire.values()),
        "gzip": sum(size for size in gzipped if size is not None),
        "missing": missing,  # requests the site has no file for (404s)
    }


#: After the page's first chart: the reader chooses the second view in the first chart's menu;
#: the chart is redrawn when it waits for nothing (`aria-busy`, while vega loads) and its drawing
#: says something else than before the choice (the view's numbers).
DRAWN_TEXT = "chart => [...chart.querySelectorAll('svg.marks text')].map(t => t.textContent).join(' ')"
REDRAWN = f"""([chart, before]) => !chart.hasAttribute("aria-busy") && ({DRAWN_TEXT})(chart) !== before"""


def first_chart_visible(browser, origin: str, name: str) -> tuple[float | None, float | None]:
    """Seconds from the navigation's start until the first chart is visible, on the throttled
    phone with an empty cache; None when no chart shows within TIMEOUT. Then, where a chart has a
    menu, seconds from choosing its second view (once the page has loaded) until the chart shows it."""
    context, page, _ = phone_page(browser, throttled=True)
    try:
        page.goto(f"{origin}/{name}", wait_until="commit", timeout=TIMEOUT * 1000)
        handle = page.wait_for_function("() => window.__firstChartVisible", timeout=TIMEOUT * 1000, polling=100)
        shown = handle.json_value() / 1000
    except Exception:  # Playwright's TimeoutError: reported as not shown
        context.close()
        return None, None
    try:
        chart = page.locator(f"{CHART}:has(select)").first
        if not chart.count():
            return shown, None
        page.wait_for_load_state("load", timeout=TIMEOUT * 1000)
        menu = chart.locator("select")
        second = menu.evaluate("s => s.options[1].value")
        before = chart.evaluate(DRAWN_TEXT)
        started = page.evaluate("performance.now()")
        menu.select_option(second)
        page.wait_for_function(REDRAWN, arg=[chart.element_handle(), before], timeout=TIMEOUT * 1000, polling=50)
        return shown, (page.evaluate("performance.now()") - started) / 1000
    except Exception:
        return shown, float("nan")
    finally:
        context.close()


def measure(site: Path) -> dict:
    """Every page's weight and, for the pages with a chart, the time until it is visible in each
    of RUNS runs per server (the pages and servers take turns, so each meets the machine's load
    alike), and the time a first menu choice takes to draw."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    results = {}
    with served(site) as origin, served(site, compressed=True) as gzipped, sync_playwright() as playwright:
        origins = {"plain": origin, "gzip": gzipped}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for edition, name in site_pages(site):
            results[name] = {"edition": edition, "runs": {server: [] for server in SERVERS}, "menu": {server: [] for server in SERVERS}} | weigh(browser, site, origin, name)
        charted = [name for name, result in results.items() if result["charts"]]
        for _ in range(RUNS):
            for name in charted:
                for server in SERVERS:
                    shown, menu = first_chart_visible(browser, origins[server], name)
                    results[name]["runs"][server].append(shown)
                    if menu is not None:
                        results[name]["menu"][server].append(menu)
        browser.close()
    return {"site": site, "pages": results, "site_size": folder_size(site), "elapsed": time.perf_counter() - started}


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def chart_time(runs: list[float | None]) -> tuple[str, bool | None]:
    """The median of the runs and their range, and whether it meets the target."""
    if not runs:
        return "no chart", None
    if None in runs:
        return f"not shown within {TIMEOUT:.0f} s in {runs.count(None)} of {len(runs)} runs", False
    median = statistics.median(runs)
    return f"{median:.1f} ({min(runs):.1f}-{max(runs):.1f})", median <= CHART_TARGET


def yes_no(met: bool | None) -> str:
    return "–" if met is None else ("yes" if met else "no")


def seconds(runs: list[float]) -> str:
    """The median of runs and their range, in seconds."""
    if not runs:
        return "–"
    if any(run != run for run in runs):  # NaN: the view never drew
        return f"not drawn within {TIMEOUT:.0f} s in {sum(run != run for run in runs)} of {len(runs)} runs"
    return f"{statistics.median(runs):.1f} ({min(runs):.1f}-{max(runs):.1f})"


def section(measured: dict, machine: str, source: str | None = None) -> str:
    """The results as a section of benchmarks/results.md; source says which site (by default its folder)."""
    pages = measured["pages"]
    source = source or f"the site in `{measured['site']}`"
    lines = [
        "## Pages on a phone",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} from {source}, in {measured['elapsed']:.0f} s: {machine}.",
        "Each page served by Python's http.server on 127.0.0.1 to chromium with a phone's profile: a",
        "390 px wide viewport at device scale 3, mobile, touch; the network throttled by DevTools to",
        f"1.6 Mbps down and 750 kbps up with 150 ms round trip; the CPU slowed {CPU_SLOWDOWN}×; an empty cache (a",
        "fresh browser context, cache disabled, in every run). Served twice: plain, the files as they",
        "are (no compression), and gzip, text gzipped (level 6) with `Content-Encoding: gzip` as a",
        "static host serves it (GitHub Pages, Netlify, nginx). First chart visible: from the",
        f"navigation's start to the first frame in which a `{CHART}` holds an `svg` (with",
        "something drawn in it) or `canvas` with a non-zero box, visible; in seconds, the median of",
        f"{RUNS} runs (range). First menu choice drawn: once the page has loaded, the second view chosen",
        "in the first chart with a menu, until the chart shows that view's numbers (drawn by vega,",
        "loaded for it if the page has not loaded it yet). Weight: the bytes of the page's full load",
        "(until the network is idle; on the phone's screen, not throttled), headers included, from",
        "the plain server, and the sum of its files gzipped, what the gzip server sends.",
        "",
        f"| page | edition | first chart visible, plain (s) | first chart visible, gzip (s) | first menu choice drawn, plain / gzip (s) | weight transferred (KB) | gzip (KB) | chart ≤ {CHART_TARGET:.0f} s, plain / gzip | weight ≤ {WEIGHT_TARGET / 1e6} MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    missing = set()
    for name, page in pages.items():
        times = {server: chart_time(page["runs"][server]) for server in SERVERS}
        menu = " / ".join(seconds(page["menu"][server]) for server in SERVERS) if any(page["menu"].values()) else "–"
        missing.update(page["missing"])
        met = " / ".join(yes_no(times[server][1]) for server in SERVERS) if page["runs"]["plain"] else "–"
        lines.append(
            f"| {name} | {page['edition']} | {times['plain'][0]} | {times['gzip'][0]} | {menu} | {page['transferred'] / 1000:.0f} | {page['gzip'] / 1000:.0f} | "
            f"{met} | {yes_no(page['transferred'] <= WEIGHT_TARGET)} |"
        )
    lines.append("")
    for server in SERVERS:
        charted = [chart_time(page["runs"][server])[1] for page in pages.values() if page["runs"][server]]
        lines.append(f"First chart visible within {CHART_TARGET:.0f} s, {server}: on {sum(1 for met in charted if met)} of {len(charted)} pages with a chart.")
    lines.append(f"Total site size: {measured['site_size'] / 1e6:.1f} MB (target ≤ 25 MB: {'yes' if measured['site_size'] <= 25e6 else 'no'}).")
    if missing:
        lines.append("Requests the site has no file for: " + ", ".join(f"`{url}`" for url in sorted(missing)) + ".")
    return "\n".join(lines) + "\n"


def replace_section(results: str, new: str) -> str:
    """benchmarks/results.md with its pages section (or, from before it, the table of page
    weights and the site size) replaced by the new one; placed before the history if it has none."""
    lines = results.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("## Pages on a phone")), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    else:
        start = next((i for i, line in enumerate(lines) if line.startswith("| chapter page | bytes on first load")), None)
        if start is not None:
            end = next(i for i in range(start, len(lines)) if lines[i].startswith("Total site size")) + 2  # and its blank line
        else:
            start = end = next((i for i, line in enumerate(lines) if line.startswith("## History")), len(lines))
    return "".join(lines[:start]) + new + "\n" + "".join(lines[end:])
