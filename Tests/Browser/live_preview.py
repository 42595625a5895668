#!/usr/bin/env python3
"""Drives `folio serve` in a real headless Chromium (Debian chromium + chromium-driver, Selenium
from PyPI), as an editor would: the page loads without console errors, spreads and thumbnails
show, a thumbnail click shows its page, an edit on disk changes the visible page image within
1 s without a reload, a missing image shows its problem on the article's page, and fixing it
clears the problem. Screenshots go to OUT.

    python3 Tests/Browser/live_preview.py URL ISSUE_FOLDER OUT

Exit status 0 when every check passes; 1 with the failed check on standard error;
77 when no browser is available (the caller skips).
"""
import json
import os
import shutil
import sys
import time
import urllib.request


def main():
    url, folder, out = sys.argv[1], sys.argv[2], sys.argv[3]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("selenium is not installed (pip install selenium)", file=sys.stderr)
        return 77
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 77
    o = Options()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900", "--disable-dev-shm-usage"]:
        o.add_argument(a)
    o.binary_location = shutil.which("chromium")
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=o)
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAILED: " + what, file=sys.stderr)

    def wait(cond, seconds):
        end = time.time() + seconds
        while time.time() < end:
            if cond():
                return True
            time.sleep(0.05)
        return cond()

    def pages_json():
        return json.load(urllib.request.urlopen(url + "pages.json"))

    def shown():
        return d.execute_script("return [...document.querySelectorAll('#spread img')].map(i => [+i.dataset.page, i.getAttribute('src'), i.complete && i.naturalWidth])")

    try:
        d.get(url)
        check(wait(lambda: len(d.find_elements("css selector", "#thumbs figure")) == len(pages_json()["pages"]), 10), "a thumbnail per page")
        check(wait(lambda: all(s[2] for s in shown()), 10), "the first page's image loads")
        loaded_at = d.execute_script("return window.folioLoadedAt")
        # A thumbnail click shows its page as a spread (verso left).
        d.find_elements("css selector", "#thumbs figure")[4].click()
        check(wait(lambda: [s[0] for s in shown()] == [4, 5] and all(s[2] for s in shown()), 5), "clicking thumbnail 5 shows the spread 4–5: %s" % shown())
        d.save_screenshot(os.path.join(out, "1-spread.png"))
        # Edit the article on pages 4–5 on disk: the image in view changes within 1 s, no reload.
        article = os.path.join(folder, "caoyuan-xuexiao.md")
        before = {s[0]: s[1] for s in shown()}
        text = open(article, encoding="utf-8").read()
        start = time.time()
        with open(article, "w", encoding="utf-8") as f:
            f.write(text.replace("清晨六点", "清晨五点半", 1))
        changed = wait(lambda: any(before.get(s[0]) != s[1] and s[2] for s in shown()), 1.0)
        check(changed, "an edit changes the visible page within 1 s (%.2f s)" % (time.time() - start))
        print("edit to visible page: %.0f ms" % ((time.time() - start) * 1000))
        check(d.execute_script("return window.folioLoadedAt") == loaded_at, "no reload")
        check([s[0] for s in shown()] == [4, 5], "the spread in view stays")
        d.save_screenshot(os.path.join(out, "2-after-edit.png"))
        # A missing image: its problem on the article's first page, a badge on the thumbnail.
        with open(article, "a", encoding="utf-8") as f:
            f.write("\n![还没到的图](images/arriving.jpg)\n")
        check(wait(lambda: "arriving.jpg" in d.find_element("id", "problems").text, 3), "the missing image is listed")
        problem = next((p for p in pages_json()["problems"] if "arriving.jpg" in p["message"]), None)
        check(problem is not None and problem["page"] == 4, "the problem is on page 4: %s" % problem)
        check(wait(lambda: d.execute_script("return document.querySelector('#thumbs figure[data-page=\"4\"] .badge') !== null"), 2), "page 4's thumbnail has a badge")
        d.save_screenshot(os.path.join(out, "3-missing-image.png"))
        shutil.copyfile(os.path.join(folder, "images", "grassland.jpg"), os.path.join(folder, "images", "arriving.jpg"))
        check(wait(lambda: "arriving.jpg" not in d.find_element("id", "problems").text, 3), "the problem clears when the image arrives")
        # A syntax error keeps the pages and shows the located error.
        with open(article, "w", encoding="utf-8") as f:
            f.write(text.replace("title:", "title: [unclosed\nx:", 1))
        check(wait(lambda: d.find_element("id", "errors").is_displayed(), 3), "a syntax error is shown")
        check("caoyuan-xuexiao.md:2:" in d.find_element("id", "errors").text, "the error is located: " + d.find_element("id", "errors").text)
        check(all(s[2] for s in shown()), "the last good pages stay")
        d.save_screenshot(os.path.join(out, "4-syntax-error.png"))
        with open(article, "w", encoding="utf-8") as f:
            f.write(text)
        check(wait(lambda: not d.find_element("id", "errors").is_displayed(), 3), "the error clears when mended")
        errors = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
        check(errors == [], "no console errors: %s" % errors)
    finally:
        d.quit()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
