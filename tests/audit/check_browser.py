#!/usr/bin/env python3
"""Opens audit HTML reports in a real headless browser (Debian's chromium)
and checks their structure and that no text overflows its box.

    check_browser.py LANG REPORT.html [REPORT.html ...]

For each report, a copy gets a checking script appended (the report itself
has none) that runs after layout and writes its verdict into the DOM;
chromium --dump-dom prints the DOM and the verdict is read back from it.
The layout is checked in a 1280 px window, then again with the body
narrowed to 720 px (about an A4 page printed in portrait). Checked:
  - <html lang> is LANG; one h1; every section of the report is present
    (h2 ids), in order (the drill section after the kill switches when
    present); every in-page link resolves;
  - every table row has as many cells (colspan counted) as its header row;
  - no horizontal scrolling of the page;
  - no element's content is wider than its box (scrollWidth > clientWidth),
    and no element sticks out of the right edge of the body.
Exits 0 when every report passes, 1 otherwise, 77 when chromium is missing
(the caller decides whether that skips or fails).
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SECTIONS = ["provenance", "summary", "exceptions", "letters", "killswitches", "assumptions", "calendar",
            "matrix", "findings", "rules"]
SUBSECTIONS = ["waivers", "isolated", "delegations", "held-back"]
NARROW = 720

CHECKER = r"""
<script>
(function () {
  const out = {lang: document.documentElement.lang, errors: [], h1: 0, sections: [], subsections: []};
  const err = (m) => { if (out.errors.length < 40) out.errors.push(m); };
  out.h1 = document.querySelectorAll('h1').length;
  document.querySelectorAll('h2[id]').forEach(h => out.sections.push(h.id));
  document.querySelectorAll('h3[id]').forEach(h => out.subsections.push(h.id));
  document.querySelectorAll('a[href^="#"]').forEach(a => {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    if (!document.getElementById(id)) err('link to missing #' + id);
  });
  document.querySelectorAll('table').forEach((t, ti) => {
    const width = (tr) => Array.from(tr.cells).reduce((n, c) => n + (c.colSpan || 1), 0);
    const rows = Array.from(t.rows);
    if (!rows.length) { err('table ' + ti + ' has no rows'); return; }
    const w = width(rows[0]);
    rows.forEach((tr, ri) => {
      if (width(tr) !== w && !(tr.cells.length === 1 && tr.cells[0].colSpan === w))
        err('table ' + ti + ' row ' + ri + ' has ' + width(tr) + ' cells, header ' + w);
    });
  });
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      ' "' + (e.textContent || '').trim().slice(0, 50) + '"';
  const layout = (label) => {
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1)
      err(label + ': page scrolls horizontally: ' + doc.scrollWidth + ' > ' + window.innerWidth);
    const bodyRight = document.body.getBoundingClientRect().right;
    document.body.querySelectorAll('*').forEach(e => {
      if (e.tagName === 'SCRIPT') return;
      const style = getComputedStyle(e);
      if (style.display === 'none') return;
      if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && style.overflowX === 'visible')
        err(label + ': content wider than its box (' + e.scrollWidth + ' > ' + e.clientWidth + '): ' + describe(e));
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.right > bodyRight + 1)
        err(label + ': sticks out of the page (' + Math.round(r.right) + ' > ' + Math.round(bodyRight) + '): ' + describe(e));
    });
  };
  layout(window.innerWidth + ' px');
  document.body.style.maxWidth = 'none';
  document.body.style.width = '__NARROW__px';
  layout('__NARROW__ px');
  out.text = document.body.innerText.length;
  const pre = document.createElement('pre');
  pre.id = 'netsep-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(browser, page, profile):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--no-default-browser-check", "--disable-extensions",
           "--user-data-dir=" + profile, "--window-size=1280,900",
           "--dump-dom", "file://" + page]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    m = re.search(r'<pre id="netsep-check">(.*?)</pre>', proc.stdout, re.S)
    if not m:
        raise RuntimeError("no verdict in the DOM (exit %d): %s" % (proc.returncode,
                                                                     proc.stderr[-400:]))
    return json.loads(html.unescape(m.group(1)))


def check(verdict, lang, name):
    errors = list(verdict["errors"])
    if verdict["lang"] != lang:
        errors.append("lang is %r, expected %r" % (verdict["lang"], lang))
    if verdict["h1"] != 1:
        errors.append("%d h1 elements" % verdict["h1"])
    # The drill section is there when the report was made with --drill-records.
    expected = SECTIONS
    if "drills" in verdict["sections"]:
        expected = SECTIONS[:SECTIONS.index("killswitches") + 1] + ["drills"] + \
            SECTIONS[SECTIONS.index("killswitches") + 1:]
    if verdict["sections"] != expected:
        errors.append("sections %s, expected %s" % (verdict["sections"], expected))
    missing = [s for s in SUBSECTIONS if s not in verdict["subsections"]]
    if missing:
        errors.append("missing subsections %s" % missing)
    if verdict["text"] < 500:
        errors.append("almost no text rendered (%d characters)" % verdict["text"])
    for e in errors:
        print("browser: %s: %s" % (name, e))
    return not errors


def main():
    lang, reports = sys.argv[1], sys.argv[2:]
    browser = chromium()
    if not browser:
        print("browser: chromium not installed (scripts/install-deps.sh installs it)")
        return 77
    ok = True
    work = tempfile.mkdtemp(prefix="netsep-browser-")
    try:
        for report in reports:
            text = open(report, encoding="utf-8").read()
            if "<script" in text:
                print("browser: %s contains a script; the report must have none" % report)
                ok = False
            page = os.path.join(work, os.path.basename(report))
            with open(page, "w", encoding="utf-8") as f:
                f.write(text.replace("</body>", CHECKER.replace("__NARROW__", str(NARROW)) +
                                     "</body>"))
            start = time.monotonic()
            verdict = run(browser, page, tempfile.mkdtemp(prefix="profile-", dir=work))
            good = check(verdict, lang, os.path.basename(report))
            print("%s browser %s %s (%.1f s)" % ("PASS" if good else "FAIL", lang,
                                                 os.path.basename(report),
                                                 time.monotonic() - start))
            ok = ok and good
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
