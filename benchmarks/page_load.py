"""How each page of a built site reaches a phone (issue 29): the time until its first chart is
visible on a slow connection and a slow CPU, and the bytes it transfers.

Part of `make bench`; on its own, on any built site folder:

    .venv/bin/python benchmarks/bench.py --pages-only --site /path/to/site

The site is served by Python's http.server on 127.0.0.1, which does not compress: the bytes
transferred are the files' own, and the gzip column is what a compressing server would send
(each resource gzipped here). The pages: every page in each edition's book/ and notebooks/.
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

#: Each page's runs for the time to its first chart (the median is reported).
RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "3"))
#: A chart's container in the built HTML (innobarometer/charts.py writes it).
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


@contextlib.contextmanager
def served(site: Path):
    """The site on a local port, without compression; yields its origin."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
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


def first_chart_visible(browser, origin: str, name: str) -> float | None:
    """Seconds from the navigation's start until the first chart is visible, on the throttled
    phone with an empty cache; None when no chart shows within TIMEOUT."""
    context, page, _ = phone_page(browser, throttled=True)
    try:
        page.goto(f"{origin}/{name}", wait_until="commit", timeout=TIMEOUT * 1000)
        handle = page.wait_for_function("() => window.__firstChartVisible", timeout=TIMEOUT * 1000, polling=100)
        return handle.json_value() / 1000
    except Exception:  # Playwright's TimeoutError: reported as not shown
        return None
    finally:
        context.close()


def measure(site: Path) -> dict:
    """Every page's weight and, for the pages with a chart, the time until it is visible in each
    of RUNS runs (the pages take turns, so each meets the machine's load alike)."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    results = {}
    with served(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for edition, name in site_pages(site):
            results[name] = {"edition": edition, "runs": []} | weigh(browser, site, origin, name)
        charted = [name for name, result in results.items() if result["charts"]]
        for _ in range(RUNS):
            for name in charted:
                results[name]["runs"].append(first_chart_visible(browser, origin, name))
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


def section(measured: dict, machine: str, source: str | None = None) -> str:
    """The results as a section of benchmarks/results.md; source says which site (by default its folder)."""
    pages = measured["pages"]
    source = source or f"the site in `{measured['site']}`"
    lines = [
        "## Pages on a phone",
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} from {source}, in {measured['elapsed']:.0f} s: {machine}.",
        "Each page served by Python's http.server on 127.0.0.1 (no compression) to chromium with a",
        "phone's profile: a 390 px wide viewport at device scale 3, mobile, touch; the network",
        f"throttled by DevTools to 1.6 Mbps down and 750 kbps up with 150 ms round trip; the CPU slowed {CPU_SLOWDOWN}×;",
        "an empty cache (a fresh browser context, cache disabled, in every run). First chart visible:",
        f"from the navigation's start to the first frame in which a `{CHART}` holds an `svg` (with",
        "something drawn in it) or `canvas` with a non-zero box, visible; in seconds, the median of",
        f"{RUNS} runs (range). Weight: the bytes of the page's full load (until the network is idle;",
        "on the phone's screen, not throttled), headers included, and the sum of its files gzipped",
        "(level 6), what a compressing server would send.",
        "",
        f"| page | edition | first chart visible (s, median of {RUNS}) | weight transferred (KB) | gzip (KB) | chart ≤ {CHART_TARGET:.0f} s | weight ≤ {WEIGHT_TARGET / 1e6} MB |",
        "|---|---|---|---|---|---|---|",
    ]
    missing = set()
    for name, page in pages.items():
        shown, met = chart_time(page["runs"])
        missing.update(page["missing"])
        lines.append(
            f"| {name} | {page['edition']} | {shown} | {page['transferred'] / 1000:.0f} | {page['gzip'] / 1000:.0f} | "
            f"{yes_no(met)} | {yes_no(page['transferred'] <= WEIGHT_TARGET)} |"
        )
    charted = [chart_time(page["runs"])[1] for page in pages.values() if page["runs"]]
    lines += [
        "",
        f"First chart visible within {CHART_TARGET:.0f} s on {sum(1 for met in charted if met)} of {len(charted)} pages with a chart.",
        f"Total site size: {measured['site_size'] / 1e6:.1f} MB (target ≤ 25 MB: {'yes' if measured['site_size'] <= 25e6 else 'no'}).",
    ]
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
