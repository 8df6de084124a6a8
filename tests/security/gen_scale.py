#!/usr/bin/env python3
"""Writes the inputs of scale.sh into the given directory: lists of n
elements for n = 4,096, 16,384 and 65,536 in every place a list can grow
(each in shuffled order, so no input is sorted for the code that reads it),
a policy that needs a few hundred MB, a long name, and wide analyses."""
import os
import random
import sys

out = sys.argv[1]
SIZES = (4096, 16384, 65536)
TWO = ("zone a { kind internal networks 10.1.0.0/16 }\n"
       "zone b { kind internal networks 10.2.0.0/16 }\n")
TAIL = ' justification "j" owner "o" }\n'
FW = ("firewall fw { backend nftables, iptables, cisco-asa, juniper-srx, paloalto, fortios "
      "interface e0 zone a on juniper-srx ge-0/0/0.0, paloalto ethernet1/1 "
      "interface e1 zone b on juniper-srx ge-0/0/1.0, paloalto ethernet1/2 }\n")


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


def addr(i):
    return f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}"


def ports(n, rnd):
    """n distinct, non-adjacent port clauses (tcp, then udp)."""
    ps = [f"tcp/{2 * i + 1}" for i in range(min(n, 32768))]
    ps += [f"udp/{2 * i + 1}" for i in range(max(0, n - 32768))]
    rnd.shuffle(ps)
    return ps


for n in SIZES:
    rnd = random.Random(n)
    # Ports of one service; inline port clauses of one rule (compiled for
    # all six backends); networks of one zone; zones nested in the internet
    # catch-all; members of one group.
    write(f"service-ports-{n}.nsp", "service big " + ", ".join(ports(n, rnd)) + "\n" + TWO
          + "access r { from a to b service big" + TAIL)
    write(f"rule-ports-{n}.nsp", TWO + "access r { from a to b service "
          + ", ".join(ports(n, rnd)) + TAIL + FW)
    nets = [f"{addr(2 * i)}/32" for i in range(n)]
    rnd.shuffle(nets)
    write(f"zone-networks-{n}.nsp", "zone a { kind internal networks " + ", ".join(nets) + " }\n")
    ids = list(range(n))
    rnd.shuffle(ids)
    write(f"nested-zones-{n}.nsp", "zone internet { kind internet networks 0.0.0.0/0 }\n"
          + "".join(f"zone z{i} {{ kind internal networks {addr(8 * i)}/30 }}\n" for i in ids))
    members = [addr(2 * i) for i in range(n)]
    rnd.shuffle(members)
    write(f"group-members-{n}.nsp", "zone a { kind internal networks 10.0.0.0/8 }\n"
          + "group g in a { " + ", ".join(members) + " }\n")

# A policy that needs ~80 MB: for the memory cap.
n = 20000
write("memory.nsp",
      "".join(f"zone z{i} {{ kind internal level sensitive networks {addr(4 * i)}/30 }}\n"
              for i in range(n))
      + "".join(f"access r{i} {{ from z{i} to z{(i + 1) % n} service tcp/{i % 60000 + 1}"
                + TAIL for i in range(n))
      + "firewall fw { backend nftables, iptables interface e0 zone z0 interface e1 zone z1 }\n")

# 1,000 exposed sources x 1,000 target zones through one hub: a million
# source/target pairs.
n = 1000
write("fan.nsp",
      "".join(f"zone s{i} {{ kind internet level open networks 11.{i // 256}.{i % 256}.0/24 }}\n"
              for i in range(n))
      + "zone hub { kind internal level sensitive networks 10.0.0.0/16 }\n"
      + "".join(f"zone t{i} {{ kind internal level sensitive networks "
                f"10.{1 + i // 256}.{i % 256}.0/24 crown-jewel }}\n" for i in range(n))
      + "access inbound { from " + ", ".join(f"s{i}" for i in range(n)) + " to hub service tcp/22"
      + TAIL + "access outbound { from hub to " + ", ".join(f"t{i}" for i in range(n))
      + " service tcp/22" + TAIL)
# The same with one zone name of 100 KB (E107), and with names of 255 bytes.
big = "x" * 100_000
write("long-name.nsp",
      f"zone {big} {{ kind internal level sensitive networks 10.0.0.0/16 }}\n"
      + "".join(f"zone s{i} {{ kind internet level open networks 11.{i // 256}.{i % 256}.0/24 }}\n"
                for i in range(n))
      + "zone core { kind datacenter level classified networks 10.1.0.0/16 crown-jewel }\n"
      + "access inbound { from " + ", ".join(f"s{i}" for i in range(n)) + f" to {big} service tcp/22"
      + TAIL + f"access outbound {{ from {big} to core service tcp/22" + TAIL)
long = "h" * 255
write("long-names.nsp",
      "".join(f"zone s{i}{'s' * 250} {{ kind internet level open networks "
              f"11.{i // 256}.{i % 256}.0/24 }}\n" for i in range(n))
      + f"zone {long} {{ kind internal level sensitive networks 10.0.0.0/16 }}\n"
      + "".join(f"zone t{i}{'t' * 250} {{ kind internal level sensitive networks "
                f"10.{1 + i // 256}.{i % 256}.0/24 crown-jewel }}\n" for i in range(n))
      + "access inbound { from " + ", ".join(f"s{i}{'s' * 250}" for i in range(n))
      + f" to {long} service tcp/22" + TAIL + f"access outbound {{ from {long} to "
      + ", ".join(f"t{i}{'t' * 250}" for i in range(n)) + " service tcp/22" + TAIL)
# A full mesh of 1,500 zones (2.25 million edges): an analysis long enough
# for a progress line.
n = 1500
names = ", ".join(f"z{i}" for i in range(n))
write("mesh.nsp", "zone internet { kind internet level open networks 0.0.0.0/0 }\n"
      + "".join(f"zone z{i} {{ kind internal level sensitive networks 10.{i // 256}.{i % 256}.0/24 }}\n"
                for i in range(n))
      + f"access mesh {{ from {names} to {names} service tcp/443" + TAIL)
