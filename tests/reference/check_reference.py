#!/usr/bin/env python3
"""docs/reference.md and README.md against the program (ctest `reference`).

1. The grammar summary in docs/reference.md (between the grammar-summary
   markers) is generated from grammar/Netsep.g4: they cannot drift.
   NETSEP_UPDATE_GOLDEN=1 rewrites the block.
2. Every keyword of the grammar is documented (written as `keyword` in the
   reference outside the generated block).
3. Every ```nsp example of README.md and docs/reference.md is checked with
   netsep: a plain ```nsp block must check clean (exit 0, no diagnostic); a
   ```nsp diagnostics block must give exactly the output of the ```text block
   that follows it. Examples are saved as policy.nsp in a directory where
   `policies/` is the repository's, as if copied to the top of a checkout.

Usage: check_reference.py NETSEP REPO_ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

BEGIN = "<!-- grammar-summary: generated from grammar/Netsep.g4 by tests/reference/check_reference.py -->"
END = "<!-- grammar-summary: end -->"
AS_OF = "2026-12-01"

failures = []
passes = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def grammar_rules(g4):
    """(parser rules [(name, [alternatives])], lexer literals {TOKEN: 'lit'})."""
    text = re.sub(r"//[^\n]*", "", g4)
    literals = dict(re.findall(r"^([A-Z][A-Z_]*)\s*:\s*('[^']*')\s*;", text, re.M))
    rules = []
    for name, body in re.findall(r"^([a-z][A-Za-z]*)\s*:(.*?);", text, re.M | re.S):
        alts = []
        depth = 0
        cur = ""
        for ch in body:  # split on top-level '|'
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            if ch == "|" and depth == 0:
                alts.append(cur)
                cur = ""
            else:
                cur += ch
        alts.append(cur)
        out = []
        for alt in alts:
            alt = re.sub(r"#\s*\w+", "", alt)  # ANTLR alternative labels
            alt = re.sub(r"\b([A-Z][A-Z_]*)\b",
                         lambda m: literals.get(m.group(1), m.group(1)), alt)
            alt = " ".join(alt.replace("( ", "(").split())
            alt = re.sub(r"\(\s+", "(", alt)
            alt = re.sub(r"\s+\)", ")", alt)
            out.append(alt)
        rules.append((name, out))
    return rules, literals


def summary(rules):
    width = max(len(n) for n, _ in rules)
    lines = ["```"]
    for name, alts in rules:
        lines.append(f"{name.ljust(width)} = {alts[0]}")
        for alt in alts[1:]:
            lines.append(f"{' ' * width} | {alt}")
    lines.append("```")
    return "\n".join(lines)


def check_grammar(root, doc_path, doc):
    g4 = open(os.path.join(root, "grammar/Netsep.g4"), encoding="utf-8").read()
    rules, literals = grammar_rules(g4)
    want = summary(rules)
    if BEGIN not in doc or END not in doc:
        fail("docs/reference.md has no grammar-summary block")
        return doc, literals
    head, rest = doc.split(BEGIN, 1)
    have, tail = rest.split(END, 1)
    if have.strip() != want:
        if os.environ.get("NETSEP_UPDATE_GOLDEN") == "1":
            doc = head + BEGIN + "\n" + want + "\n" + END + tail
            open(doc_path, "w", encoding="utf-8").write(doc)
            print("UPDATED grammar summary in docs/reference.md")
        else:
            fail("the grammar summary in docs/reference.md differs from grammar/Netsep.g4 "
                 "(NETSEP_UPDATE_GOLDEN=1 regenerates it; then document what changed)")
    else:
        passes.append("grammar")
        print("PASS grammar summary matches grammar/Netsep.g4")
    return doc, literals


def check_keywords(doc, literals):
    prose = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), "", doc, flags=re.S)
    missing = []
    for lit in sorted(set(literals.values())):
        word = lit.strip("'")
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            continue
        if not re.search(r"`[^`\n]*(?<![A-Za-z0-9-])" + re.escape(word) + r"(?![A-Za-z0-9-])[^`\n]*`", prose):
            missing.append(word)
    if missing:
        fail("keywords of the grammar not documented in docs/reference.md: " + ", ".join(missing))
    else:
        passes.append("keywords")
        print("PASS every keyword of the grammar is documented")


def examples(path):
    """[(line, info, code, expected-or-None)] of the ```nsp blocks of a Markdown file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        m = re.match(r"^( *)```(\S*)\s*(.*)$", lines[i])
        if not m:
            i += 1
            continue
        indent = m.group(1)
        j = i + 1
        while j < len(lines) and lines[j] != indent + "```":
            j += 1
        body = [l[len(indent):] if l.startswith(indent) else l for l in lines[i + 1:j]]
        blocks.append((i + 1, m.group(2), m.group(3).strip(), "\n".join(body)))
        i = j + 1
    out = []
    for k, (line, lang, info, code) in enumerate(blocks):
        if lang != "nsp":
            continue
        expected = None
        if info == "diagnostics":
            if k + 1 < len(blocks) and blocks[k + 1][1] == "text":
                expected = blocks[k + 1][3]
            else:
                fail(f"{path}:{line}: a ```nsp diagnostics block must be followed by a ```text block")
                continue
        elif info:
            fail(f"{path}:{line}: unknown example kind '{info}' (plain ```nsp or ```nsp diagnostics)")
            continue
        out.append((line, code, expected))
    return out


def check_examples(netsep, root, rel):
    path = os.path.join(root, rel)
    found = examples(path)
    updates = []
    for line, code, expected in found:
        with tempfile.TemporaryDirectory() as tmp:
            # A copy, not a link: includes may not leave the policy's tree.
            shutil.copytree(os.path.join(root, "policies"), os.path.join(tmp, "policies"))
            with open(os.path.join(tmp, "policy.nsp"), "w", encoding="utf-8") as f:
                f.write(code + "\n")
            r = subprocess.run([netsep, "check", "policy.nsp", "--as-of", AS_OF], cwd=tmp,
                               capture_output=True, text=True, timeout=60)
        where = f"{rel}:{line}"
        output = r.stderr.rstrip("\n")
        if expected is None:
            diags = [l for l in output.split("\n") if l and not re.match(r"^netsep: policy\.nsp: ok ", l)]
            if r.returncode != 0 or diags:
                fail(f"{where}: example does not check clean (exit {r.returncode}):\n{output}")
                continue
        else:
            if output != expected.rstrip("\n"):
                if os.environ.get("NETSEP_UPDATE_GOLDEN") == "1":
                    updates.append((expected, output))
                    print(f"UPDATED {where}")
                    continue
                fail(f"{where}: example output differs from the text after it:\n--- documented\n"
                     f"{expected}\n--- netsep\n{output}")
                continue
        passes.append(where)
        print(f"PASS {where}")
    if updates:
        # Rewrite each documented output in place (in order of appearance).
        text = open(path, encoding="utf-8").read()
        pos = 0
        for old, new in updates:
            marker = "```text\n" + (old + "\n" if old else "") + "```"
            at = text.index(marker, pos)
            repl = "```text\n" + new + "\n```"
            text = text[:at] + repl + text[at + len(marker):]
            pos = at + len(repl)
        open(path, "w", encoding="utf-8").write(text)
    return len(found)


def main():
    netsep, root = sys.argv[1], sys.argv[2]
    doc_path = os.path.join(root, "docs/reference.md")
    doc = open(doc_path, encoding="utf-8").read()
    doc, literals = check_grammar(root, doc_path, doc)
    check_keywords(doc, literals)
    count = 0
    for rel in ["README.md", "docs/reference.md"]:
        count += check_examples(netsep, root, rel)
    if count < 20:
        fail(f"only {count} examples found")
    print(f"{len(passes)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
