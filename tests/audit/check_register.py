#!/usr/bin/env python3
"""Checks an exception register CSV against its JSON twin: the CSV parses
(RFC 4180, UTF-8 with BOM, CRLF), has the JSON's rows and columns, no cell
starts with a character that makes a spreadsheet evaluate it (= + - @ tab
CR), and every cell reads as the JSON value (with the apostrophe a
spreadsheet hides for text)."""
import csv
import io
import json
import sys

FORMULA = ("=", "+", "-", "@", "\t", "\r")
raw = open(sys.argv[1], "rb").read()
errors = []
if not raw.startswith(b"\xef\xbb\xbf"):
    errors.append("no UTF-8 byte-order mark")
if b"\r\n" not in raw or raw.replace(b"\r\n", b"").count(b"\n") != raw.count(b"\n") - raw.count(b"\r\n"):
    pass
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
header, body = rows[0], rows[1:]
if len(body) != len(doc["exceptions"]):
    errors.append(f"{len(body)} CSV rows, {len(doc['exceptions'])} JSON rows")
for r, (row, obj) in enumerate(zip(body, doc["exceptions"])):
    if list(obj.keys()) != header:
        errors.append(f"row {r}: JSON keys differ from the CSV header")
    for name, cell in zip(header, row):
        if cell.startswith(FORMULA):
            errors.append(f"row {r} {name}: cell starts a formula: {cell!r}")
        value = obj[name]
        if isinstance(value, list):
            value = "; ".join(value)
        value = value.replace("\t", " ")  # control characters are shown as text
        expected = "'" + value if value.startswith(FORMULA) else value
        if cell != expected:
            errors.append(f"row {r} {name}: {cell!r} != {expected!r}")
hostile = sum(1 for obj in doc["exceptions"] for v in obj.values()
              if isinstance(v, str) and v.startswith(FORMULA))
if hostile < 4:
    errors.append(f"the case should carry hostile values ({hostile} found)")
for e in errors:
    print("register:", e)
sys.exit(1 if errors else 0)
