#!/usr/bin/env python3
"""Drives procd's web dashboard in headless Chromium (Selenium), as a user would.

Usage: dashboard.py URL [SCREENSHOT_DIR]
URL is what `procctl web --print-url` printed. The table must hold an app named
`ticker` (id 0) that prints "started PID" and then a line every fraction of a second,
and a second app. Exits 0 when every check passed; otherwise prints what failed.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

URL = sys.argv[1]
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
ORIGIN = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(URL))


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def http(path, method="GET", headers=None, body=None):
    """A request outside the browser; returns (status, body)."""
    request = urllib.request.Request(ORIGIN + path, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def browser():
    options = Options()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,860", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    for binary in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        try:
            open(binary).close()
            options.binary_location = binary
            break
        except OSError:
            pass
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def row(driver, process_id):
    return driver.find_element(By.CSS_SELECTOR, 'tr[data-id="%d"]' % process_id)


def cell(driver, process_id, name):
    return row(driver, process_id).find_element(By.CSS_SELECTOR, "td." + name).text


def main():
    # Without the token or cookie: 401 and no data.
    status, body = http("/api/processes")
    check(status == 401 and "ticker" not in body, "an anonymous /api/processes got %d: %s" % (status, body[:200]))
    status, body = http("/")
    check(status == 401 and "ticker" not in body, "an anonymous / got %d" % status)
    status, _ = http("/?token=wrong")
    check(status == 401, "a wrong token got %d" % status)

    driver = browser()
    wait = WebDriverWait(driver, 20, poll_frequency=0.1)
    try:
        driver.get(URL)
        # The token left the address bar; the cookie is HttpOnly and SameSite=Strict.
        wait.until(lambda d: d.current_url.rstrip("/") == ORIGIN)
        cookie = driver.get_cookie("procd_web")
        check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", "cookie: %r" % cookie)
        check(driver.execute_script("return document.cookie") == "", "the page's script can read the cookie")

        # The processes, live.
        wait.until(lambda d: cell(d, 0, "status") == "online" and len(d.find_elements(By.CSS_SELECTOR, "#rows tr")) >= 2)
        check(cell(driver, 0, "name") == "ticker", "row 0 is %r" % cell(driver, 0, "name"))
        check(driver.find_element(By.ID, "live").text == "live", "the live indicator says %r" % driver.find_element(By.ID, "live").text)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, 'tr[data-id="0"] svg.spark polyline')) == 2)

        # Select it: details, stderr tail, log following.
        row(driver, 0).click()
        wait.until(lambda d: d.find_element(By.ID, "detail-panel").is_displayed())
        wait.until(lambda d: "ticker" in d.find_element(By.ID, "detail-title").text)
        wait.until(lambda d: "tick" in d.find_element(By.ID, "log").text)
        old_pid = cell(driver, 0, "pid")
        old_restarts = int(cell(driver, 0, "restarts"))
        details = driver.find_element(By.ID, "details").text
        check(old_pid in details, "describe does not show pid %s: %s" % (old_pid, details))

        # Restart from the page: a confirmation, then the pid and count change in place.
        driver.execute_script("window.__sameDocument = true")
        driver.find_element(By.ID, "action-restart").click()
        wait.until(lambda d: d.find_element(By.ID, "confirm").is_displayed())
        driver.find_element(By.ID, "confirm-ok").click()
        wait.until(lambda d: cell(d, 0, "pid") not in ("–", old_pid) and int(cell(d, 0, "restarts")) == old_restarts + 1)
        new_pid = cell(driver, 0, "pid")
        check(driver.execute_script("return window.__sameDocument === true"), "the page reloaded instead of updating live")
        # The log follows across the restart: the new process's first line arrives.
        wait.until(lambda d: "started " + new_pid in d.find_element(By.ID, "log").text)
        wait.until(lambda d: new_pid in d.find_element(By.ID, "details").text)
        # The details are current after the restart, in words and units, and keep counting.
        def detail(d, key):
            found = d.find_elements(By.CSS_SELECTOR, '#details dd[data-key="%s"]' % key)
            return found[0].text if found else None
        wait.until(lambda d: detail(d, "restarts") == str(old_restarts + 1))
        details = driver.find_element(By.ID, "details").text
        for label in ("Status", "PID", "Restarts", "Uptime", "Memory", "Min uptime", "Kill timeout"):
            check(label in details, "the details lack %r: %s" % (label, details))
        for raw in ("uptime_ms", "app.min_uptime", "kill_timeout", "unstable_restarts"):
            check(raw not in details, "the details show the raw key %r: %s" % (raw, details))
        check(detail(driver, "app.min_uptime") == "1 s", "min uptime reads %r" % detail(driver, "app.min_uptime"))
        check(detail(driver, "app.kill_timeout") == "1.6 s", "kill timeout reads %r" % detail(driver, "app.kill_timeout"))
        first_uptime = detail(driver, "uptime_ms")
        wait.until(lambda d: detail(d, "uptime_ms") not in (None, first_uptime))
        wait.until(lambda d: detail(d, "uptime_ms") == cell(d, 0, "uptime"))

        # Cancelling a confirmation does nothing.
        driver.find_element(By.ID, "action-stop").click()
        wait.until(lambda d: d.find_element(By.ID, "confirm").is_displayed())
        driver.find_element(By.ID, "confirm-cancel").click()
        time_limit = time.monotonic() + 1.5
        while time.monotonic() < time_limit:
            check(cell(driver, 0, "status") == "online", "a cancelled stop stopped the app")
            time.sleep(0.1)

        # Pause holds new lines back; resume shows them; search hides the others.
        driver.find_element(By.ID, "pause").click()
        shown = len(driver.find_elements(By.CSS_SELECTOR, "#log .line"))
        wait.until(lambda d: "held while paused" in d.find_element(By.ID, "log-count").text)
        check(len(driver.find_elements(By.CSS_SELECTOR, "#log .line")) == shown, "lines were added while paused")
        driver.find_element(By.ID, "pause").click()
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#log .line")) > shown)
        search = driver.find_element(By.ID, "search")
        search.send_keys("started")
        visible = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#log .line") if e.is_displayed()]
        check(visible and all("started" in text for text in visible), "search shows %r" % visible[:5])
        check(driver.find_elements(By.CSS_SELECTOR, "#log .line mark"), "search highlights nothing")
        search.send_keys(Keys.ESCAPE)
        search.clear()
        driver.execute_script("document.getElementById('search').dispatchEvent(new Event('input'))")

        # The keyboard: down selects the next process.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_DOWN)
        wait.until(lambda d: row(d, 1).get_attribute("aria-selected") == "true")
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_UP)
        wait.until(lambda d: row(d, 0).get_attribute("aria-selected") == "true")

        # A cross-origin POST is refused even with the cookie and the page's CSRF token.
        token = cookie["value"]
        csrf = driver.execute_script("return document.querySelector('meta[name=procd-csrf]').content")
        body = json.dumps({"action": "stop", "target": "0"}).encode()
        headers = {"Cookie": "procd_web=" + token, "Content-Type": "application/json", "X-Procd-CSRF": csrf}
        status, _ = http("/api/action", "POST", dict(headers, Origin="http://evil.example"), body)
        check(status == 403, "a cross-origin POST got %d" % status)
        status, _ = http("/api/action", "POST", {k: v for k, v in headers.items() if k != "X-Procd-CSRF"}, body)
        check(status == 403, "a POST without the CSRF token got %d" % status)
        # A page of another origin cannot read or act: the browser sends no cookie and the
        # listener grants no CORS.
        outcome = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const frame = document.createElement('iframe');
            frame.srcdoc = '<p>x</p>';
            fetch(arguments[0] + '/api/processes', {mode: 'cors', credentials: 'include', headers: {'X-Test': '1'}})
              .then(r => done('status ' + r.status)).catch(e => done('blocked'));
        """, ORIGIN.replace("127.0.0.1", "localhost"))
        check(outcome == "blocked", "a cross-origin fetch was answered: %s" % outcome)
        check(cell(driver, 0, "status") == "online", "the app stopped")

        if SHOTS:
            driver.set_window_size(1280, 1000)
            driver.execute_script("window.scrollTo(0, 0)")
            for scheme, background in (("light", "rgb(250, 250, 250)"), ("dark", "rgb(20, 22, 26)")):
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
                wait.until(lambda d: d.execute_script("return getComputedStyle(document.body).backgroundColor") == background)
                driver.save_screenshot("%s/dashboard-%s.png" % (SHOTS, scheme))
    finally:
        driver.quit()
    print("dashboard: every check passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print("dashboard check failed: %s" % failure)
        sys.exit(1)
