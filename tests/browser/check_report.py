#!/usr/bin/env python3
"""Open a local HTML report in headless Chromium and check that it renders.

Usage: check_report.py REPORT_HTML SCREENSHOT_PNG

A report that a person would see as broken should fail CI, so this checks:
  1. no console error (level SEVERE) and no uncaught JS exception or unhandled
     promise rejection; these come from ChromeDriver's browser log
     (goog:loggingPrefs), which also holds errors raised before any script of
     ours could run, and failed resource loads;
  2. every <img> has loaded (complete and naturalWidth > 0) and every inline
     <svg> inside a <figure> has a non-zero rendered width and height;
  3. every <table> has at least one data row (a <tr> with a <td> cell).
A full-page PNG (width 1280, height = the page's scrollHeight) is always saved.
Exit 0 with a one-line summary if all is well, 1 listing every problem, 2 if
the browser cannot be run. Needs Debian's chromium and chromium-driver and
Python selenium; nothing is downloaded (Selenium Manager is bypassed).
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("SE_OFFLINE", "true")  # before selenium reads it

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WIDTH = 1280

# Returns [problems, counts]; runs in the page after it has loaded.
PAGE_CHECKS_JS = r"""
const problems = [];
const label = (el, i) => {
  const cap = el.closest('figure')?.querySelector('figcaption') || el.querySelector?.('caption, th');
  const text = (cap?.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  return `#${i + 1}` + (el.id ? ` id="${el.id}"` : '') + (text ? ` ("${text}")` : '');
};
const imgs = [...document.images];
imgs.forEach((im, i) => {
  if (!im.complete || im.naturalWidth === 0)
    problems.push(`image ${label(im, i)} src="${im.getAttribute('src')}" did not load` +
                  ` (complete=${im.complete}, naturalWidth=${im.naturalWidth})`);
});
const svgs = [...document.querySelectorAll('figure svg')].filter(s => !s.parentElement.closest('svg'));
svgs.forEach((s, i) => {
  const r = s.getBoundingClientRect();
  if (r.width === 0 || r.height === 0)
    problems.push(`figure svg ${label(s, i)} has zero rendered size (${r.width}x${r.height})`);
});
const tables = [...document.querySelectorAll('table')];
tables.forEach((t, i) => {
  const hasData = [...t.rows].some(r => [...r.cells].some(c => c.tagName === 'TD'));
  if (!hasData) problems.push(`table ${label(t, i)} has no data row (no <tr> with <td> cells)`);
});
return [problems, {images: imgs.length, svgs: svgs.length, tables: tables.length}];
"""

FULL_HEIGHT_JS = ("return Math.max(document.documentElement.scrollHeight,"
                  " document.body ? document.body.scrollHeight : 0);")


def make_driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", f"--window-size={WIDTH},800",
                 "--hide-scrollbars"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)


def resize_to_full_page(driver):
    """Make the viewport as tall as the page, so one screenshot holds it all."""
    height = driver.execute_script(FULL_HEIGHT_JS)
    driver.set_window_size(WIDTH, height)
    # Headless Chromium's window is taller than its viewport (by ~140 px):
    # grow it by the difference, or the bottom of the page is cut off.
    inner = driver.execute_script("return window.innerHeight;")
    if inner < height:
        driver.set_window_size(WIDTH, 2 * height - inner)
    return height


def check(report: Path, shot: Path):
    problems, counts, logs = [], {}, []
    driver = make_driver()
    try:
        driver.get(report.resolve().as_uri())  # waits for the load event
        height = resize_to_full_page(driver)
        try:  # lazy images below the first screen start loading only now
            WebDriverWait(driver, 10).until(lambda d: d.execute_script(
                "return [...document.images].every(i => i.complete);"))
        except TimeoutException:
            pass  # reported as not complete below
        page_problems, counts = driver.execute_script(PAGE_CHECKS_JS)
        problems += page_problems
        counts["height"] = height
    finally:
        try:
            shot.parent.mkdir(parents=True, exist_ok=True)
            if not driver.save_screenshot(str(shot)):
                problems.append(f"could not save screenshot to {shot}")
            logs = driver.get_log("browser")
        finally:
            driver.quit()
    for entry in logs:
        if entry.get("level") == "SEVERE":
            problems.append(f"console error: {entry.get('message')}")
    return problems, counts, logs


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    report, shot = Path(argv[1]), Path(argv[2])
    if not report.is_file():
        print(f"check_report: no such file: {report}", file=sys.stderr)
        return 2
    for exe, pkg in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(exe, os.X_OK):
            print(f"check_report: {exe} not found: apt-get install {pkg}", file=sys.stderr)
            return 2
    try:
        problems, counts, logs = check(report, shot)
    except WebDriverException as e:
        print(f"check_report: browser failed on {report}: {e.msg or e}", file=sys.stderr)
        return 2
    if problems:
        print(f"check_report: FAIL {report}: {len(problems)} problem(s) "
              f"(screenshot {shot}):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"check_report: OK {report}: {counts['tables']} tables, "
          f"{counts['images']} images and {counts['svgs']} figure SVGs checked, "
          f"{len(logs)} console messages seen (0 errors); "
          f"screenshot {shot} ({WIDTH}x{counts['height']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
