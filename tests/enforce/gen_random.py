#!/usr/bin/env python3
"""Random small netsep policies with independently computed verdicts.

Each generated case directory holds policy.nsp and flows.txt in the format
of tests/enforce/cases/*; run.py --random N runs them like any other case.
The verdict of every (source zone, destination zone, protocol, port) flow is
computed here from the language's meaning (SPEC §2), not from the compiler:

  * default deny, order-free;
  * a flow is allowed iff some `access` matches it and no `deny` does
    (deny overrides allow);
  * only flows between different zones cross the firewall.

Policies stay clear of the compiler's analyses and audit errors (no
crown-jewel/classified/datacenter targets, no internet -> internal or
internal -> internet allows, no `any` in allows, no allow fully covered by
denies or other allows), so a compile failure is itself a bug.

    python3 tests/enforce/gen_random.py --seed 42 --count 5 --out /tmp/rand
"""

import argparse
import os
import random

# name -> entries (proto, lo, hi)
SERVICES = {
    "https":  [("tcp", 443, 443)],
    "dns":    [("udp", 53, 53), ("tcp", 53, 53)],
    "pgsql":  [("tcp", 5432, 5432)],
    "webalt": [("tcp", 8000, 8002)],
    "syslog": [("udp", 514, 514)],
}
INLINE = ["tcp/443", "udp/53", "tcp/5432", "tcp/8001", "tcp/8002-8003", "udp/514", "udp/53-54"]
# what the kernel is asked about, per ordered zone pair
PROBES = [("tcp", 53), ("tcp", 443), ("tcp", 5432), ("tcp", 8000), ("tcp", 8002), ("tcp", 8003),
          ("udp", 53), ("udp", 514)]
ZONE_NAMES = ["red", "blue", "green", "amber", "teal", "plum", "gold", "jade"]
KINDS = {"dmz": "open", "internal": "sensitive", "devtest": "open", "admin": "sensitive"}


def parse_inline(spec):
    proto, ports = spec.split("/")
    lo, _, hi = ports.partition("-")
    return [(proto, int(lo), int(hi or lo))]


def service_entries(svc):
    return SERVICES[svc] if svc in SERVICES else parse_inline(svc)


class Rule:
    def __init__(self, kind, name, src, dst, services):
        self.kind, self.name, self.src, self.dst, self.services = kind, name, src, dst, services

    def pairs(self, zones):
        srcs = [z for z, *_ in zones] if self.src == ["any"] else self.src
        dsts = [z for z, *_ in zones] if self.dst == ["any"] else self.dst
        return [(s, d) for s in srcs for d in dsts if s != d]

    def triples(self, zones):
        """Every (src, dst, proto, port) the rule matches (ports expanded)."""
        out = set()
        for s, d in self.pairs(zones):
            for svc in self.services:
                for proto, lo, hi in service_entries(svc):
                    for p in range(lo, hi + 1):
                        out.add((s, d, proto, p))
        return out

    def text(self, owner):
        src = ", ".join(self.src)
        dst = ", ".join(self.dst)
        svc = ", ".join(self.services)
        if self.kind == "deny":
            return f"deny {self.name} {{ from {src} to {dst} service {svc} }}"
        return (f"access {self.name} {{ from {src} to {dst} service {svc}\n"
                f"    justification \"random property test\" owner \"{owner}\" }}")


def _allowed_pair(kinds, s, d):
    # ZSG-004/005 and SPEC §2: nothing internal <-> internet except through a dmz
    if kinds[d] == "internet":
        return kinds[s] == "dmz"
    if kinds[s] == "internet":
        return kinds[d] == "dmz"
    return True


def make_policy(rng):
    n = rng.choice([3, 4])
    with_internet = rng.random() < 0.5
    names = rng.sample(ZONE_NAMES, n - (1 if with_internet else 0))
    kinds = {}
    zones = []   # (name, kind, iface index)
    if with_internet:
        kinds["internet"] = "internet"
        zones.append(("internet", "internet"))
    for i, z in enumerate(names):
        k = "dmz" if (with_internet and i == 0) else rng.choice(sorted(KINDS))
        kinds[z] = k
        zones.append((z, k))
    zone_names = [z for z, _ in zones]

    def pick_services():
        pool = sorted(SERVICES) + INLINE
        return rng.sample(pool, rng.choice([1, 1, 2]))

    accesses = []
    for i in range(rng.randint(3, 6)):
        for _ in range(50):
            src = rng.sample(zone_names, rng.choice([1, 1, 2]))
            rest = [z for z in zone_names if z not in src]
            dst = rng.sample(rest, min(len(rest), rng.choice([1, 1, 2])))
            if all(_allowed_pair(kinds, s, d) for s in src for d in dst):
                accesses.append(Rule("access", f"allow-{i}", src, dst, pick_services()))
                break
    denies = []
    for i in range(rng.randint(1, 3)):
        src = ["any"] if rng.random() < 0.25 else [rng.choice(zone_names)]
        dst = ["any"] if rng.random() < 0.25 else [rng.choice([z for z in zone_names if z not in src])]
        denies.append(Rule("deny", f"deny-{i}", src, dst, [rng.choice(sorted(SERVICES) + INLINE)]))
    return zones, kinds, accesses, denies


def acceptable(zones, accesses, denies):
    """No allow fully covered by denies or by the other allows (the compiler
    may report those as anomalies), and at least one deny that bites."""
    if not accesses:
        return False
    denied = set().union(*(d.triples(zones) for d in denies))
    trip = [a.triples(zones) for a in accesses]
    for i, t in enumerate(trip):
        others = set().union(*(trip[:i] + trip[i + 1:]))
        if not t or t <= denied | others:
            return False
    return bool(denied & set().union(*trip))


def verdicts(zones, accesses, denies):
    """(src, dst, proto, port) -> True if allowed, for every probe."""
    allowed = set().union(*(a.triples(zones) for a in accesses))
    denied = set().union(*(d.triples(zones) for d in denies))
    out = {}
    for s, _ in zones:
        for d, _ in zones:
            if s == d:
                continue
            for proto, port in PROBES:
                key = (s, d, proto, port)
                out[key] = key in allowed and key not in denied
    return out


def render(name, seed, zones, accesses, denies, order):
    lines = [f"# generated by gen_random.py, seed {seed}: {name}",
             f'policy {name} {{ owner "netsec@example.test" }}', ""]
    for svc, entries in sorted(SERVICES.items()):
        lines.append(f"service {svc} " + ", ".join(
            f"{p}/{lo}" if lo == hi else f"{p}/{lo}-{hi}" for p, lo, hi in entries))
    lines.append("")
    fl = ["# generated by gen_random.py; verdicts computed from the policy semantics", ""]
    for i, (z, k) in enumerate(zones):
        if k == "internet":
            lines.append("zone internet { kind internet level open networks 0.0.0.0/0 }")
            fl.append(f"router eth{i} zone internet 10.99.0.1/24")
            fl.append("host h-internet zone internet 10.99.0.10")
        else:
            lines.append(f"zone {z} {{ kind {k} level {KINDS[k]} networks 10.99.{60 + i}.0/24 }}")
            fl.append(f"router eth{i} zone {z} 10.99.{60 + i}.1/24")
            fl.append(f"host h-{z} zone {z} 10.99.{60 + i}.10")
    lines.append("")
    # statement order is random too: the result must not depend on it
    for r in order:
        lines.append(r.text("qa"))
    lines.append("")
    lines.append("firewall fw-rand {")
    lines.append("  backend nftables, iptables")
    for i, (z, _) in enumerate(zones):
        lines.append(f"  interface eth{i} zone {z}")
    lines.append("}")
    fl.append("")
    for (s, d, proto, port), ok in sorted(verdicts(zones, accesses, denies).items()):
        fl.append(f"{proto} h-{s} -> h-{d}:{port} {'reply-only' if ok else 'deny'}")
    return "\n".join(lines) + "\n", "\n".join(fl) + "\n"


def generate(seed, count, outdir):
    """Write `count` cases under outdir; returns their directories."""
    rng = random.Random(seed)
    dirs = []
    for i in range(count):
        for _ in range(1000):
            zones, kinds, accesses, denies = make_policy(rng)
            if acceptable(zones, accesses, denies):
                break
        else:
            raise RuntimeError("could not generate an acceptable policy")
        order = accesses + denies
        rng.shuffle(order)
        name = f"random-{seed}-{i}"
        policy, flows = render(name, seed, zones, accesses, denies, order)
        d = os.path.join(outdir, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "policy.nsp"), "w", encoding="utf-8") as f:
            f.write(policy)
        with open(os.path.join(d, "flows.txt"), "w", encoding="utf-8") as f:
            f.write(flows)
        dirs.append(d)
    return dirs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    for d in generate(args.seed, args.count, args.out):
        print(d)


if __name__ == "__main__":
    main()
