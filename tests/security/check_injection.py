#!/usr/bin/env python3
"""Checks generated configs for injected policy text (used by injection.sh).

check_injection.py REFERENCE_DIR CANDIDATE_DIR [--markers]

- Both trees hold the same files with the same number of lines: a payload
  never adds a line, a rule or a file.
- No output holds a control character other than newline and tab, nor a
  Unicode line or paragraph separator, NEL or C1 control.
- With --markers, every occurrence of a payload marker (INJ) is inside a
  comment: a comment line ('#', '!'), the rest of an ASA 'remark', or a
  quoted comment/description argument that the payload did not close (no
  unescaped '"' between the opening quote and the marker).
Prints one line per problem; exits 1 if there is any.
"""
import os
import re
import sys

ref, cand = sys.argv[1], sys.argv[2]
markers = "--markers" in sys.argv[3:]
problems = []

BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u2028\u2029]")
OPENERS = ('comment "', 'comments "', 'description "')


def files(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            out[os.path.relpath(p, root)] = p
    return out


def in_quoted_comment(line, pos):
    start = max(line.rfind(o, 0, pos) for o in OPENERS)
    if start < 0:
        return False
    quote = line.index('"', start)
    between = line[quote + 1:pos]
    return re.search(r'(?<!\\)"', between) is None


def marker_ok(line, pos):
    stripped = line.lstrip()
    if stripped.startswith(("#", "!")):
        return True
    if " remark " in line[:pos]:
        return True
    return in_quoted_comment(line, pos)


a, b = files(ref), files(cand)
if sorted(a) != sorted(b):
    problems.append(f"different files: {sorted(a)} vs {sorted(b)}")
for rel in sorted(set(a) & set(b)):
    with open(a[rel], encoding="utf-8", errors="replace") as f:
        la = f.read().split("\n")
    with open(b[rel], "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"{rel}: not UTF-8 ({e})")
        text = raw.decode("utf-8", errors="replace")
    lb = text.split("\n")
    if len(la) != len(lb):
        problems.append(f"{rel}: {len(lb)} lines, reference has {len(la)}")
    for no, line in enumerate(lb, 1):
        m = BAD_CHARS.search(line)
        if m:
            problems.append(f"{rel}:{no}: control character U+{ord(m.group()):04X}: {line[:160]!r}")
        if markers:
            for mm in re.finditer("INJ", line):
                if not marker_ok(line, mm.start()):
                    problems.append(f"{rel}:{no}: payload outside a comment: {line[:200]!r}")
                    break
for p in problems[:50]:
    print(p)
if len(problems) > 50:
    print(f"... {len(problems) - 50} more")
sys.exit(1 if problems else 0)
