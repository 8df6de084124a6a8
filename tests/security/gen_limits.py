#!/usr/bin/env python3
"""Writes the hostile-size inputs of limits.sh into the given directory."""
import os
import sys

out = sys.argv[1]
N = 100_000


def write(name, text, mode="w"):
    with open(os.path.join(out, name), mode) as f:
        f.write(text)


def addr(i):
    return f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}"


TAIL = ' justification "j" owner "o" }\n'
TWO_ZONES = ("zone a { kind internal networks 10.1.0.0/16 }\n"
             "zone b { kind internal networks 10.2.0.0/16 }\n")

# 100k-element lists, each on one (very long) line.
write("list-networks.nsp",
      "zone a { kind internal networks " + ", ".join(f"{addr(i)}/32" for i in range(N)) + " }\n")
write("list-group.nsp",
      "zone a { kind internal networks 10.0.0.0/8 }\ngroup g in a { "
      + ", ".join(addr(i) for i in range(N)) + " }\n")
write("list-ports.nsp",
      "service big " + ", ".join(f"tcp/{i % 65535 + 1}" for i in range(N)) + "\n")
write("list-services.nsp",
      "".join(f"service s{i} tcp/{i % 65535 + 1}\n" for i in range(N)) + TWO_ZONES
      + "access r { from a to b service " + ", ".join(f"s{i}" for i in range(N)) + TAIL)
write("list-endpoints.nsp",
      "".join(f"zone z{i} {{ kind internal networks {addr(i * 4)}/30 }}\n" for i in range(20_000))
      + "access r { from " + ", ".join(f"z{i}" for i in range(20_000))
      + " to z0 service tcp/1" + TAIL)
# 20k statements.
write("many-zones.nsp",
      "".join(f"zone z{i} {{ kind internal networks {addr(i * 4)}/30 }}\n" for i in range(20_000)))
# 10 MB string, 5 MB name, 5 MB comment.
write("huge-string.nsp", 'policy p { owner "' + "x" * (10 << 20) + '" }\n')
write("huge-name.nsp", "zone " + "n" * (5 << 20) + " { kind internal networks 10.0.0.0/8 }\n")
write("huge-comment.nsp", "# " + "c" * (5 << 20) + "\nzone a { kind internal networks 10.0.0.0/8 }\n")
# 100k unmatched braces (no nesting in the grammar: must not recurse).
write("braces.nsp", "zone a " + "{" * N + "}" * N + "\n")
# 1M stray bytes: syntax errors are capped.
write("stray-bytes.nsp", "@" * 1_000_000 + "\n")
# 20k errors on one 200 kB line: each diagnostic quotes a window, not the line.
write("errors-one-line.nsp",
      "zone a { kind internal networks " + ", ".join(f"bad{i}" for i in range(20_000)) + " }\n")
# 20k undefined names against 20k definitions ("did you mean" is bounded).
write("undefined-names.nsp",
      "".join(f"zone z{i} {{ kind internal networks {addr(i * 4)}/30 }}\n" for i in range(20_000))
      + "access r { from " + ",\n".join(f"y{i}" for i in range(20_000)) + " to z0 service tcp/1"
      + TAIL)
# Include chain 40 deep (limit 32).
for d in range(40):
    write(f"chain{d}.nsp", f'include "chain{d + 1}.nsp"\n')
write("chain40.nsp", "service x tcp/1\n")
write("include-zero.nsp", 'include "/dev/zero"\n')
write("include-dir.nsp", 'include "."\n')
