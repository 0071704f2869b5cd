#!/usr/bin/python3
"""ConvLab's web page in headless Chromium (Debian's chromium, driven through
chromedriver with python3-selenium), against the built site served on
127.0.0.1. Each CHECK is one ctest test; every one fails loudly with the
console lines it saw.

usage: site_check.py CHECK --site DIR [--single FILE] [--convlab EXE] [--out DIR]
  CHECK: panels | links | presenter | network | play | bad-link | single-file | screenshots | bench

The console contract (README, "The web page"): with log=1 in the link the app
prints "convlab: ready <panel> <key=value ...>" once the state is applied and
the panel is idle, "convlab: error <message>" for every error, and
"convlab: colorized <ms> ms ab_mean_abs=<a>,<b>" when the colorizer is done.
"""
import argparse
import functools
import hashlib
import http.server
import io
import json
import os
import re
import socketserver
import statistics
import subprocess
import sys
import threading
import time

from PIL import Image, ImageChops, ImageStat
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-gpu-sandbox",
    "--hide-scrollbars",
]
READY = re.compile(r"convlab: ready (\S+)(.*)")
COLORIZED = re.compile(r"convlab: colorized (\d+) ms ab_mean_abs=([0-9.]+),([0-9.]+)"
                       r"(?: network_ms=([0-9.]+) longest_step_ms=([0-9.]+))?")


class Failure(Exception):
    pass


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


class Server:
    """The site on a free port of 127.0.0.1, for as long as the check runs."""

    def __init__(self, site):
        handler = functools.partial(QuietHandler, directory=site)
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, fragment, visit):
        # A new query string on every visit: a fragment change alone would not reload the page.
        return f"http://127.0.0.1:{self.port}/?visit={visit}{fragment}"

    def close(self):
        self.httpd.shutdown()


class Page:
    """One headless Chromium; open() loads the page with a link's fragment."""

    def __init__(self, width=1280, height=720, extra_flags=()):
        options = webdriver.ChromeOptions()
        for flag in CHROMIUM_FLAGS + list(extra_flags):
            options.add_argument(flag)
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.visits = 0
        self.resize(width, height)

    def resize(self, width, height, pixel_ratio=1):
        # The page's viewport exactly (the window's size includes no browser UI in headless mode,
        # but the emulation makes it certain); pixel_ratio 2 is a high-DPI screen.
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": pixel_ratio, "mobile": False},
        )

    def open(self, url, until, timeout=120):
        """Loads url; returns (console lines, seconds) once a line matches `until`."""
        self.driver.get("about:blank")
        self.driver.get_log("browser")  # drop what came before
        start = time.time()
        self.driver.get(url)
        lines = []
        self.colorized, self.errors = [], []
        while time.time() - start < timeout:
            for entry in self.driver.get_log("browser"):
                text = console_text(entry["message"])
                lines.append((entry["level"], text))
                if COLORIZED.search(text):
                    self.colorized.append((text, entry["timestamp"]))
            if any(re.search(until, text) for _, text in lines):
                self.errors = console_errors(lines)
                return lines, time.time() - start
            time.sleep(0.1)
        raise Failure(f"{url}: no console line matching '{until}' within {timeout} s; saw:\n" + dump(lines))

    def wait_for(self, until, timeout=60):
        """Console lines from now on, once one matches `until` (the page stays as it is)."""
        start = time.time()
        lines = []
        while time.time() - start < timeout:
            for entry in self.driver.get_log("browser"):
                lines.append((entry["level"], console_text(entry["message"])))
            if any(re.search(until, text) for _, text in lines):
                return lines
            time.sleep(0.1)
        raise Failure(f"no console line matching '{until}' within {timeout} s; saw:\n" + dump(lines))

    def screenshot(self):
        return self.driver.get_screenshot_as_png()

    def close(self):
        self.driver.quit()


def console_text(message):
    """Chromium's console message: 'URL LINE:COL "text"' -> text."""
    match = re.match(r'^\S+ \d+:\d+ "(.*)"$', message, re.S)
    if not match:
        return message
    try:
        return json.loads('"' + match.group(1) + '"')
    except json.JSONDecodeError:
        return match.group(1)


def dump(lines):
    return "\n".join(f"  [{level}] {text}" for level, text in lines[-60:])


def console_errors(lines):
    return [text for level, text in lines if level == "SEVERE" or text.startswith("convlab: error")]


def ready_state(lines):
    """(panel, {key: value}) of the last ready line."""
    for _, text in reversed(lines):
        match = READY.search(text)
        if match:
            pairs = dict(item.split("=", 1) for item in match.group(2).split() if "=" in item)
            return match.group(1), pairs
    raise Failure("no ready line:\n" + dump(lines))


def png_stats(png):
    """(width, height, standard deviation of the gray levels) of a PNG."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.width, image.height, ImageStat.Stat(image).stddev[0]


def check_screenshot(png, what, width=1280, height=720):
    w, h, spread = png_stats(png)
    if (w, h) != (width, height):
        raise Failure(f"{what}: screenshot is {w}x{h}, expected {width}x{height}")
    if spread < 8:
        raise Failure(f"{what}: screenshot is blank (pixel spread {spread:.1f})")
    return hashlib.sha256(png).hexdigest()


def open_state(page, server, fragment, what):
    lines, seconds = page.open(server.url(fragment, what), r"convlab: ready ")
    errors = console_errors(lines)
    if errors:
        raise Failure(f"{what}: console errors:\n" + "\n".join(errors) + "\n" + dump(lines))
    return lines, seconds


# ---- checks -------------------------------------------------------------------

PANELS = ["conv", "tconv", "bn", "network", "lesson", "about"]

LINKS = {
    "conv": [
        ("panel=conv&input=9x9&kernel=3x3&stride=2&dilation=2&step=5",
         {"input": "9x9", "kernel": "3x3", "stride": "2,2", "dilation": "2,2", "step": "5"}),
        ("panel=conv&input=7x7&kernel=3x3&padding=same&step=12", {"input": "7x7", "padding": "same", "step": "12"}),
        ("panel=conv&input=6x6&kernel=2x2&stride=2&kernel_preset=box", {"input": "6x6", "stride": "2,2"}),
    ],
    "tconv": [
        ("panel=tconv&input=2x2&kernel=2x2&step=3", {"input": "2x2", "kernel": "2x2", "step": "3"}),
        ("panel=tconv&input=3x3&kernel=3x3&stride=2&view=overlap", {"input": "3x3", "stride": "2,2", "view": "overlap"}),
        ("panel=tconv&input=4x4&kernel=4x4&stride=2&padding=1", {"input": "4x4", "stride": "2,2", "padding": "1,1"}),
    ],
    "bn": [
        ("panel=bn&batch=8&channels=2&mode=eval", {"batch": "8", "channels": "2", "mode": "eval"}),
        ("panel=bn&batch=2&size=3x3&channel=1", {"batch": "2", "size": "3x3", "channel": "1"}),
        ("panel=bn&batch=16&bins=8&seed=7", {"batch": "16", "bins": "8", "seed": "7"}),
    ],
}


def check_panels(page, server, args):
    hashes = {}
    for panel in PANELS:
        lines, seconds = open_state(page, server, f"#panel={panel}&log=1", panel)
        shown, _ = ready_state(lines)
        if shown != panel:
            raise Failure(f"#panel={panel}: the ready line names '{shown}'")
        hashes[panel] = check_screenshot(page.screenshot(), panel)
        print(f"ok panel {panel} ready in {seconds:.1f} s")
    if len(set(hashes.values())) != len(hashes):
        raise Failure("two panels gave the same screenshot")


def check_links(page, server, args):
    for panel, states in LINKS.items():
        hashes = set()
        for fragment, expected in states:
            lines, seconds = open_state(page, server, f"#{fragment}&log=1", fragment)
            shown, pairs = ready_state(lines)
            if shown != panel:
                raise Failure(f"#{fragment}: ready line names '{shown}'")
            for key, value in expected.items():
                if pairs.get(key) != value:
                    raise Failure(f"#{fragment}: ready line has {key}={pairs.get(key)}, expected {value}:\n"
                                  + dump(lines))
            hashes.add(check_screenshot(page.screenshot(), fragment))
            print(f"ok #{fragment} ready in {seconds:.1f} s")
        if len(hashes) != len(states):
            raise Failure(f"{panel}: two different links gave the same screenshot")


def check_presenter(page, server, args):
    hashes = set()
    for lesson in ["en/04-dilation", "pt-BR/04-dilation"]:
        fragment = f"#lesson={lesson}&step=3&presenter=1&log=1"
        lines, seconds = open_state(page, server, fragment, lesson)
        shown, pairs = ready_state(lines)
        if shown != "lesson" or pairs.get("lesson") != lesson or pairs.get("step") != "3" or pairs.get("presenter") != "1":
            raise Failure(f"{fragment}: ready line is {shown} {pairs}")
        png = page.screenshot()
        hashes.add(check_screenshot(png, fragment))
        if args.out:
            with open(os.path.join(args.out, f"web-presenter-{lesson.split('/')[0]}.png"), "wb") as f:
                f.write(png)
        print(f"ok {fragment} ready in {seconds:.1f} s")
    if len(hashes) != 2:
        raise Failure("the English and Portuguese steps gave the same screenshot")


def desktop_ab_mean_abs(convlab, photo, category):
    """The desktop app's CPU path on the same photo, under Xvfb."""
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x720x24", convlab, "--screenshot", "/dev/null",
               "--window", "1280x720", "--log", "--link",
               f"#panel=network&backend=cpu&image={photo}&category={category}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    match = COLORIZED.search(result.stdout)
    if not match:
        raise Failure("the desktop app printed no colorized line:\n" + result.stdout + result.stderr)
    return float(match.group(2)), float(match.group(3))


def check_network(page, server, args):
    # reload=2: three runs of one page. The first is cold (the browser compiles
    # the WebAssembly's hot code in the background during the first seconds);
    # the frame limit is judged on the better of the two warm runs, since a
    # shared machine can stall any one of them.
    photo, category = "animals_chelsea_cat", "animals"
    fragment = f"#panel=network&image={photo}&category={category}&reload=2&log=1"
    page.open(server.url(fragment, "network"), r"convlab: ready network", timeout=300)
    if page.errors:
        raise Failure("console errors:\n" + "\n".join(page.errors))
    if len(page.colorized) < 3:
        raise Failure("expected three colorized lines (reload=2):\n" + "\n".join(t for t, _ in page.colorized))
    frames = page.driver.execute_script("return window.convlabFrameWork || [];")
    warm = []
    for (_, started), (text, ended) in zip(page.colorized[:-1], page.colorized[1:]):
        during = [work for finished, work in frames if started < finished <= ended + 50]
        warm.append((max(during) if during else float("inf"), len(during), text))
    worst, count, text = min(warm)
    found = COLORIZED.search(text)
    ms, a, b = int(found.group(1)), float(found.group(2)), float(found.group(3))
    check_screenshot(page.screenshot(), "network")
    print(f"ok browser colorized {photo} in {ms} ms, ab_mean_abs={a:.3f},{b:.3f}; network "
          f"{float(found.group(4)):.0f} ms, longest step {float(found.group(5)):.0f} ms; {count} frames while it "
          f"ran, the longest {worst:.0f} ms (warm runs: {', '.join(f'{w:.0f}' for w, _, _ in warm)} ms)")
    if worst > 100:
        raise Failure(f"a frame held the page for {worst:.0f} ms (> 100 ms) while the colorizer ran")
    if args.convlab:
        da, db = desktop_ab_mean_abs(args.convlab, photo, category)
        print(f"   desktop CPU path: ab_mean_abs={da:.3f},{db:.3f}")
        if abs(a - da) > 0.05 or abs(b - db) > 0.05:
            raise Failure(f"browser ab_mean_abs {a:.3f},{b:.3f} differs from the desktop's {da:.3f},{db:.3f} by > 0.05")


def shipped_lessons(site_root):
    lessons = []
    root = os.path.join(site_root, "lessons")
    for language in sorted(os.listdir(root)):
        folder = os.path.join(root, language)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".md") and name != "README.md":
                lessons.append(f"{language}/{name[:-3]}")
    return lessons


def check_play(page, server, args):
    lessons = shipped_lessons(args.source)
    if not lessons:
        raise Failure(f"no lessons under {args.source}/lessons")
    total = 0
    for lesson in lessons:
        fragment = f"#lesson={lesson}&play=1&log=1"
        lines, seconds = page.open(server.url(fragment, lesson), r"convlab: played \d+ steps", timeout=300)
        played = [re.search(r"convlab: played (\d+) steps, (\d+) failed", t) for _, t in lines]
        played = [m for m in played if m][-1]
        steps, failed = int(played.group(1)), int(played.group(2))
        step_lines = [t for _, t in lines if re.match(r"step \d+/\d+ ", t)]
        if failed or len(step_lines) != steps or console_errors(lines):
            raise Failure(f"{lesson}: {failed} of {steps} steps failed:\n" + dump(lines))
        total += steps
        print(f"ok {lesson}: played {steps} steps in {seconds:.1f} s")
    print(f"ok every shipped lesson: {len(lessons)} lessons, {total} steps, 0 failed")


def check_bad_link(page, server, args):
    fragment = "#panel=conv&stride=banana&dilation=2&log=1"
    lines, _ = page.open(server.url(fragment, "bad"), r"convlab: ready ")
    errors = [t for _, t in lines if t.startswith("convlab: error ")]
    if not errors or "stride" not in errors[0]:
        raise Failure("no error line naming stride:\n" + dump(lines))
    shown, pairs = ready_state(lines)
    if shown != "conv" or pairs.get("dilation") != "2,2":
        raise Failure(f"the rest of the link did not open: {shown} {pairs}")
    check_screenshot(page.screenshot(), "bad link")
    print(f"ok bad link: '{errors[0]}', and the rest opened (dilation=2,2)")


def check_single_file(page, server, args):
    if not args.single or not os.path.isfile(args.single):
        raise Failure(f"no single-file page at {args.single}: build it with scripts/web --single-file")
    url = "file://" + os.path.abspath(args.single) + "#panel=conv&stride=2&log=1"
    lines, seconds = page.open(url, r"convlab: ready ", timeout=180)
    errors = console_errors(lines)
    if errors:
        raise Failure("console errors:\n" + "\n".join(errors))
    shown, pairs = ready_state(lines)
    if shown != "conv" or pairs.get("stride") != "2,2":
        raise Failure(f"single file: ready line is {shown} {pairs}")
    check_screenshot(page.screenshot(), "single file")
    print(f"ok single file from file:// ready in {seconds:.1f} s ({os.path.getsize(args.single) / 1e6:.1f} MB)")


def check_screenshots(page, server, args):
    """The README's and docs' pictures of the site (looked at, not asserted beyond not blank)."""
    os.makedirs(args.out, exist_ok=True)
    shots = [
        ("web-conv-1280x720.png", (1280, 720), "#panel=conv&input=7x7&kernel=3x3&stride=2&padding=same&step=6&log=1"),
        ("web-network-1920x1080.png", (1920, 1080), "#panel=network&image=food_strawberries&log=1"),
        ("web-lesson-1920x1080.png", (1920, 1080), "#lesson=pt-BR/02-padding&step=2&presenter=1&log=1"),
        ("web-tconv-1920x1080.png", (1920, 1080), "#panel=tconv&input=3x3&kernel=3x3&stride=2&step=4&log=1"),
        ("web-classifier-1280x720.png", (1280, 720),
         "#panel=network&model=tinyvgg&image=animals_chelsea_cat&layer=conv1_2&view=photo&log=1"),
        ("web-conv-hidpi-1280x720@2x.png", (1280, 720, 2), "#panel=conv&input=7x7&kernel=3x3&step=6&log=1"),
    ]
    for name, size, fragment in shots:
        page.resize(*size)
        open_state(page, server, fragment, name)
        png = page.screenshot()
        ratio = size[2] if len(size) > 2 else 1
        check_screenshot(png, name, size[0] * ratio, size[1] * ratio)
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(png)
        print(f"ok {name}")


def check_bench(page, server, args):
    """Figures for the note: time to the first frame, the convolution panel's frame times,
    and ECNN at 256 px in the browser."""
    lines, seconds = open_state(page, server, "#panel=conv&log=1", "bench")
    first = page.driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return [n.loadEventEnd, window.convlabFirstFrame || -1];")
    print(f"page load event {first[0]:.0f} ms; first frame {first[1]:.0f} ms after navigation start;"
          f" ready line after {seconds:.1f} s")
    page.driver.execute_script("window.convlabFrameWork = [];")
    deltas = page.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const times = [];
        function tick(t) { times.push(t); if (times.length < 241) requestAnimationFrame(tick);
                           else done(times.slice(1).map((v, i) => v - times[i])); }
        requestAnimationFrame(tick);""")
    work = [w for _, w in page.driver.execute_script("return window.convlabFrameWork;")]
    print(f"convolution panel: median interval between frames {statistics.median(deltas):.1f} ms over "
          f"{len(deltas)} frames (p90 {sorted(deltas)[int(len(deltas) * 0.9)]:.1f} ms); median work per frame "
          f"(the app's code and its GL calls) {statistics.median(work):.1f} ms")
    # Five runs of one page (reload=4); the first is cold (the browser tiers its WebAssembly up).
    page.open(server.url("#panel=network&image=people_astronaut&working_size=256&reload=4&log=1", "bench"),
              r"convlab: ready network", timeout=400)
    runs = []
    for text, _ in page.colorized[1:]:
        found = COLORIZED.search(text)
        runs.append((int(found.group(1)), float(found.group(4)), float(found.group(5))))
    print("ECNN on people_astronaut (512x512: 256x256 at working size 256) in the browser, warm runs "
          "(photo to colors / network / longest step), ms: "
          + "; ".join(f"{r[0]} / {r[1]:.0f} / {r[2]:.0f}" for r in runs)
          + f"; median network {statistics.median(r[1] for r in runs):.0f} ms")


def check_remember(page, server, args):
    """Theme and scale chosen in the page are there again after a reload (the browser's storage)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_state(page, server, "#panel=about&log=1", "before")
    before = check_screenshot(page.screenshot(), "before")
    page.driver.find_element("id", "canvas").click()
    # The key is held across frames, as a person's press is (0.15 s, under ImGui's 0.275 s repeat
    # delay). A back-to-back press and release (a clicker's) is kept for one frame by
    # app/key_release_deferral; under a clean clone's full test load that variant still failed
    # once (nothing stored after 20 s) while passing every run alone, so this test, which is
    # about storage, keeps the held press.
    ActionChains(page.driver).key_down(Keys.CONTROL).key_down("=").pause(0.15).key_up("=").key_up(
        Keys.CONTROL).perform()
    deadline = time.time() + 20
    stored = ""
    while time.time() < deadline and "scale=1.1" not in stored:
        time.sleep(0.2)
        stored = page.driver.execute_script(
            "return Object.keys(localStorage).filter(k => k.startsWith('convlab:'))"
            ".map(k => localStorage.getItem(k)).join('\\n')")
    if "scale=1.1" not in stored:
        raise Failure(f"Ctrl+= did not store scale=1.1 in the browser's storage; it holds: {stored!r}")
    open_state(page, server, "#panel=about&log=1", "after")
    after = check_screenshot(page.screenshot(), "after")
    if after == before:
        raise Failure("after a reload the page looks as before Ctrl+=: the scale was not remembered")
    page.driver.execute_script("localStorage.clear()")
    print("ok scale remembered across a reload (local storage: settings.ini with scale=1.1)")


def check_no_webgl2(page, server, args):
    """A browser without WebGL2 gets a plain message instead of a broken page."""
    bare = Page(extra_flags=["--disable-webgl2"])
    try:
        bare.driver.get(server.url("#panel=about&log=1", "no-webgl2"))
        deadline = time.time() + 30
        text = ""
        while time.time() < deadline and "WebGL2" not in text:
            time.sleep(0.2)
            text = bare.driver.find_element("id", "message").text
        if "needs WebGL2" not in text:
            raise Failure(f"without WebGL2 the page says: {text!r}")
        print(f"ok without WebGL2: '{text[:80]}...'")
    finally:
        bare.close()


def check_link_change(page, server, args):
    """A new fragment on the open page (address bar, a link in the page) opens its view."""
    open_state(page, server, "#panel=conv&log=1", "first")
    first = check_screenshot(page.screenshot(), "first")
    page.driver.execute_script("location.hash = '#panel=tconv&input=3x3&stride=2&log=1';")
    lines = page.wait_for(r"convlab: ready tconv ")
    shown, pairs = ready_state(lines)
    if pairs.get("input") != "3x3" or pairs.get("stride") != "2,2" or console_errors(lines):
        raise Failure("after the fragment changed:\n" + dump(lines))
    page.driver.execute_script("location.hash = '#lesson=en/03-stride&step=2&log=1';")
    lines = page.wait_for(r"convlab: ready lesson ")
    shown, pairs = ready_state(lines)
    if pairs.get("lesson") != "en/03-stride" or pairs.get("step") != "2":
        raise Failure("the lesson link did not open:\n" + dump(lines))
    if check_screenshot(page.screenshot(), "lesson") == first:
        raise Failure("the page looks the same after the link changed")
    print("ok a changed fragment opens its view (tconv with stride 2, then a lesson step)")


def differing_share(png_a, png_b):
    """The share of pixels that differ between two same-sized screenshots."""
    a = Image.open(io.BytesIO(png_a)).convert("L")
    b = Image.open(io.BytesIO(png_b)).convert("L")
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 24 else 0)
    return ImageStat.Stat(diff).mean[0] / 255.0


def check_language(page, server, args):
    """lang= in a link picks the UI's language (the page reads the same catalogs as the desktop), and
    without one a browser set to Portuguese gets the app in Portuguese."""
    lines, _ = open_state(page, server, "#panel=about&lang=pt-BR&log=1", "pt-BR")
    shown, pairs = ready_state(lines)
    if pairs.get("lang") != "pt-BR":
        raise Failure("lang=pt-BR is not in the ready line:\n" + dump(lines))
    portuguese = page.screenshot()
    check_screenshot(portuguese, "pt-BR")
    open_state(page, server, "#panel=about&lang=en&log=1", "en")
    english = page.screenshot()
    if differing_share(portuguese, english) < 0.003:
        raise Failure("the About page looks the same in English and Portuguese: the catalog was not used")
    localized = Page(extra_flags=["--lang=pt-BR", "--accept-lang=pt-BR"])
    try:
        localized.driver.execute_cdp_cmd("Emulation.setLocaleOverride", {"locale": "pt-BR"})
        open_state(localized, server, "#panel=about&log=1", "browser-pt")
        browser = localized.screenshot()
        language = localized.driver.execute_script("return navigator.language")
    finally:
        localized.close()
    near_pt, near_en = differing_share(browser, portuguese), differing_share(browser, english)
    if near_pt >= near_en:
        raise Failure(f"a browser in {language} got the English UI (differs from pt-BR by {near_pt:.3f}, "
                      f"from English by {near_en:.3f})")
    if args.out:
        for name, png in (("about-pt-BR", portuguese), ("about-en", english), ("about-browser-pt", browser)):
            with open(os.path.join(args.out, name + ".png"), "wb") as f:
                f.write(png)
    print(f"ok language: lang=pt-BR and a browser in {language} both show Portuguese "
          f"(screens differ from English by {differing_share(portuguese, english):.3f})")


CHECKS = {
    "language": check_language,
    "link-change": check_link_change,
    "no-webgl2": check_no_webgl2,
    "remember": check_remember,
    "panels": check_panels,
    "links": check_links,
    "presenter": check_presenter,
    "network": check_network,
    "play": check_play,
    "bad-link": check_bad_link,
    "single-file": check_single_file,
    "screenshots": check_screenshots,
    "bench": check_bench,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=sorted(CHECKS))
    parser.add_argument("--site", required=True, help="the built site folder (build-web/site)")
    parser.add_argument("--source", default=os.path.join(os.path.dirname(__file__), "..", ".."),
                        help="the source tree (for the list of shipped lessons)")
    parser.add_argument("--single", help="the single-file page (build-web/convlab.html)")
    parser.add_argument("--convlab", help="the desktop convlab, to compare the colorizer's output")
    parser.add_argument("--out", help="folder for screenshots")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.site, "index.html")):
        print(f"site_check: {args.site} holds no index.html: build the site with scripts/web --build-only",
              file=sys.stderr)
        return 2
    server = Server(args.site)
    page = Page()
    try:
        CHECKS[args.check](page, server, args)
    except Failure as failure:
        print(f"FAILED {args.check}: {failure}", file=sys.stderr)
        return 1
    finally:
        page.close()
        server.close()
    print(f"{args.check}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
