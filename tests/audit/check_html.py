#!/usr/bin/env python3
"""Checks that an HTML file is well formed: every non-void element closed in
order, no external resources (the report must be self-contained)."""
import sys
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.errors.append(f"external resource {name}={value}")
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unexpected </{tag}> at {self.getpos()}, open: {self.stack[-1:]}")
            return
        self.stack.pop()


text = open(sys.argv[1], encoding="utf-8").read()
c = Checker()
c.feed(text)
c.close()
if not text.startswith("<!DOCTYPE html>"):
    c.errors.append("missing doctype")
if c.stack:
    c.errors.append(f"unclosed: {c.stack}")
for e in c.errors:
    print("html:", e)
sys.exit(1 if c.errors else 0)
