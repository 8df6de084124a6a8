#!/usr/bin/env python3
"""Random small netsep policies with independently computed verdicts.

Each generated case directory holds policy.nsp and flows.txt in the format
of tests/enforce/cases/* (docs/testing-enforcement.md); run.py --random N
runs them like any other case. The verdict of every flow is computed here
from the language's meaning (docs/reference.md), never from the compiler:

  * default deny, order-free (statements are written in random order);
  * a flow is allowed iff some `access` matches it and no `deny` does
    (deny overrides allow);
  * only flows between different zones cross the firewall;
  * a group names part of its zone (two prefixes per family, its host in
    the first, the zone's other host in neither); `any` is every zone;
    every other zone also owns a /26 on no link;
  * a packet whose source address belongs to another zone than the
    interface it arrives on matches no rule of that interface (a spoofing
    sender, udp only, is always denied);
  * every zone is dual-stack, its IPv6 /64 scattered at random in fd99::/16,
    and the same rules hold for both families (IPv6 probes on a subset);
  * with an internet zone, the policy also declares zones on no interface
    of the firewall: they are not internet, so their addresses arriving on
    the internet interface are spoofed too. The catch-all's complement
    (every other declared prefix) is what the backends must leave out.

Addresses are modelled as "atoms": a zone without a group is one atom; a
zone with a group is two (the group, and the rest of the zone). Each atom
gets one host, so host-to-host verdicts are exact, and coverage checks are
exact too.

Policies stay clear of the compiler's analyses and audit errors (no
crown-jewel/classified/datacenter targets, no internet -> non-dmz or
non-dmz -> internet allows, no `any` in allows, no allow fully covered by
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
# what the kernel is asked, for every ordered pair of hosts in different zones
PROBES = [("tcp", 53), ("tcp", 443), ("tcp", 5432), ("tcp", 8000), ("tcp", 8002), ("tcp", 8003),
          ("udp", 53), ("udp", 514)]
ZONE_NAMES = ["red", "blue", "green", "amber", "teal", "plum", "gold", "jade"]
# IPv6 probes: a subset of PROBES, to keep the run short
PROBES6 = [("tcp", 443), ("tcp", 8002), ("udp", 53)]
LEVEL_OF = {"dmz": "open", "internal": "sensitive", "devtest": "open", "admin": "sensitive"}


def parse_inline(spec):
    proto, ports = spec.split("/")
    lo, _, hi = ports.partition("-")
    return [(proto, int(lo), int(hi or lo))]


def service_entries(svc):
    return SERVICES[svc] if svc in SERVICES else parse_inline(svc)


class Net:
    """Zones, groups and the atoms they split the address space into."""

    def __init__(self, zones, groups, v6=None, remote=()):
        self.zones = zones            # [(name, kind)] in interface order
        self.v6 = v6 or {}            # zone -> its scattered /64 ("fd99:a:b:c")
        self.remote = list(remote)    # [(name, v4 /24 third octet, /64)]: on no interface
        self.kind = dict(zones)
        self.groups = groups          # group name -> zone
        self.atoms = []               # (zone, part): part 'all', 'grp' or 'rest'
        for z, _ in zones:
            if z in groups.values():
                self.atoms += [(z, "grp"), (z, "rest")]
            else:
                self.atoms.append((z, "all"))

    def resolve(self, endpoint):
        if endpoint == "any":
            return list(self.atoms)
        if endpoint in self.groups:
            return [(self.groups[endpoint], "grp")]
        return [a for a in self.atoms if a[0] == endpoint]

    def zone_of(self, endpoint):
        return self.groups.get(endpoint, endpoint)


class Rule:
    def __init__(self, kind, name, src, dst, services):
        self.kind, self.name, self.src, self.dst, self.services = kind, name, src, dst, services

    def triples(self, net):
        """Every (src atom, dst atom, proto, port) the rule matches (ports expanded)."""
        srcs = [a for e in self.src for a in net.resolve(e)]
        dsts = [a for e in self.dst for a in net.resolve(e)]
        out = set()
        for s in srcs:
            for d in dsts:
                if s[0] == d[0]:
                    continue            # same zone: no firewall in between
                for svc in self.services:
                    for proto, lo, hi in service_entries(svc):
                        for p in range(lo, hi + 1):
                            out.add((s, d, proto, p))
        return out

    def text(self):
        src, dst, svc = ", ".join(self.src), ", ".join(self.dst), ", ".join(self.services)
        if self.kind == "deny":
            return f"deny {self.name} {{ from {src} to {dst} service {svc} }}"
        return (f"access {self.name} {{ from {src} to {dst} service {svc}\n"
                f"    justification \"random property test\" owner \"qa\" }}")


def _allowed_pair(kind, s, d):
    # ZSG-004/005 and docs/reference.md: internet <-> anything but a dmz only through exceptions
    if kind[d] == "internet":
        return kind[s] == "dmz"
    if kind[s] == "internet":
        return kind[d] == "dmz"
    return True


def make_policy(rng):
    n = rng.choice([3, 4])
    with_internet = rng.random() < 0.5
    names = rng.sample(ZONE_NAMES, n - (1 if with_internet else 0))
    zones = [("internet", "internet")] if with_internet else []
    for i, z in enumerate(names):
        zones.append((z, "dmz" if (with_internet and i == 0) else rng.choice(sorted(LEVEL_OF))))
    groups = {f"{z}-grp": z for z, k in zones if k != "internet" and rng.random() < 0.5}
    net = Net(zones, groups)
    endpoints = [z for z, _ in zones] + sorted(groups)

    def pick_services():
        return rng.sample(sorted(SERVICES) + INLINE, rng.choice([1, 1, 2]))

    accesses = []
    for i in range(rng.randint(3, 6)):
        for _ in range(50):
            src = rng.sample(endpoints, rng.choice([1, 1, 2]))
            szones = {net.zone_of(e) for e in src}
            rest = [e for e in endpoints if net.zone_of(e) not in szones]
            if not rest or len(szones) != len(src):
                continue
            dst = rng.sample(rest, min(len(rest), rng.choice([1, 1, 2])))
            if len({net.zone_of(e) for e in dst}) != len(dst):
                continue
            if all(_allowed_pair(net.kind, net.zone_of(s), net.zone_of(d)) for s in src for d in dst):
                accesses.append(Rule("access", f"allow-{i}", src, dst, pick_services()))
                break
    denies = []
    for i in range(rng.randint(1, 3)):
        src = "any" if rng.random() < 0.2 else rng.choice(endpoints)
        others = [e for e in endpoints if src == "any" or net.zone_of(e) != net.zone_of(src)]
        dst = "any" if rng.random() < 0.2 else rng.choice(others)
        denies.append(Rule("deny", f"deny-{i}", [src], [dst], [rng.choice(sorted(SERVICES) + INLINE)]))
    # Scattered IPv6 /64s, and zones declared on no interface (with internet).
    for z, k in zones:
        net.v6[z] = "fd99" if k == "internet" else _scattered(rng)
    if with_internet:
        net.remote = [(f"remote{j}", 120 + j, _scattered(rng)) for j in range(rng.randint(2, 6))]
    return net, accesses, denies


def _scattered(rng):
    return f"fd99:{rng.randrange(1, 0x10000):x}:{rng.randrange(0x10000):x}:{rng.randrange(0x10000):x}"


def _v6(net, zone, host):
    return f"{net.v6[zone]}::{host}" if zone in net.v6 else None


def acceptable(net, accesses, denies):
    """No allow fully covered by denies or by the other allows (the compiler
    may report those as anomalies), and at least one deny that bites."""
    if len(accesses) < 2:
        return False
    denied = set().union(*(d.triples(net) for d in denies))
    trip = [a.triples(net) for a in accesses]
    for i, t in enumerate(trip):
        others = set().union(*(trip[:i] + trip[i + 1:]))
        if not t or t <= denied | others:
            return False
    return bool(denied & set().union(*trip))


def verdicts(net, accesses, denies):
    """(src atom, dst atom, proto, port) -> allowed?, for every probe."""
    allowed = set().union(*(a.triples(net) for a in accesses))
    denied = set().union(*(d.triples(net) for d in denies))
    out = {}
    for s in net.atoms:
        for d in net.atoms:
            if s[0] == d[0]:
                continue
            for proto, port in PROBES:
                key = (s, d, proto, port)
                out[key] = key in allowed and key not in denied
    return out


def host6(net, atom):
    z, part = atom
    return _v6(net, z, "100" if part == "rest" else "a")


def host_name(atom):
    z, part = atom
    return f"h-{z}-out" if part == "rest" else f"h-{z}"


def render(name, seed, net, accesses, denies, order, spoof):
    pol = [f"# generated by gen_random.py --seed {seed}: {name}",
           f'policy {name} {{ owner "netsec@example.test" }}', ""]
    for svc, entries in sorted(SERVICES.items()):
        pol.append(f"service {svc} " + ", ".join(
            f"{p}/{lo}" if lo == hi else f"{p}/{lo}-{hi}" for p, lo, hi in entries))
    pol.append("")
    fl = [f"# generated by gen_random.py --seed {seed}: {name}",
          "# verdicts computed from the policy semantics, not by netsep", ""]
    for i, (z, k) in enumerate(net.zones):
        if k == "internet":
            pol.append("zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }")
            fl.append(f"router eth{i} zone internet 10.99.0.1/24 {_v6(net, z, '1')}/64")
        else:
            # every other zone also owns a /26 on no link (so its addresses
            # are scattered: the iptables backend matches such a zone as a set)
            extra = f"10.99.{90 + i}.0/26, " if i % 2 == 0 else ""
            pol.append(f"zone {z} {{ kind {k} level {LEVEL_OF[k]} "
                       f"networks 10.99.{60 + i}.0/24, {extra}{net.v6[z]}::/64 }}")
            fl.append(f"router eth{i} zone {z} 10.99.{60 + i}.1/24 {_v6(net, z, '1')}/64")
        base = "10.99.0" if k == "internet" else f"10.99.{60 + i}"
        for atom in net.atoms:
            if atom[0] == z:
                fl.append(f"host {host_name(atom)} zone {z} {base}.{100 if atom[1] == 'rest' else 10} "
                          f"{host6(net, atom)}")
    for name, octet, v6 in net.remote:
        pol.append(f"zone {name} {{ kind internal level sensitive "
                   f"networks 10.99.{octet}.0/24, {v6}::/64 }}")
    for g, z in sorted(net.groups.items()):
        i = [zz for zz, _ in net.zones].index(z)
        # two prefixes per family (a set in iptables); the zone's other
        # host (.100, ::100) lies in neither
        pol.append(f"group {g} in {z} {{ 10.99.{60 + i}.8/29, 10.99.{60 + i}.64/30, "
                   f"{net.v6[z]}::8/125, {net.v6[z]}::40/126 }}")
    pol.append("")
    for r in order:                      # random order: the result must not depend on it
        pol.append(r.text())
    pol += ["", "firewall fw-rand {", "  backend nftables, iptables"]
    pol += [f"  interface eth{i} zone {z}" for i, (z, _) in enumerate(net.zones)]
    pol.append("}")
    # a sender on segment `on` using an address of zone `owner`: the rules of
    # `on`'s interface pairs match `on`'s addresses, so nothing it sends passes
    on, owner = spoof
    zi = [z for z, _ in net.zones]
    fl.append(f"spoof h-spoof iface eth{zi.index(on)} "
              f"{'10.99.0' if net.kind[owner] == 'internet' else f'10.99.{60 + zi.index(owner)}'}.200 "
              f"{_v6(net, owner, '200')}")
    # senders on the internet segment with addresses of zones on no interface
    spoofers = [("h-spoof", on)]
    internet = [z for z, k in net.zones if k == "internet"]
    for name, octet, v6 in net.remote:
        fl.append(f"spoof h-{name} iface eth{zi.index(internet[0])} 10.99.{octet}.200 {v6}::200")
        spoofers.append((f"h-{name}", internet[0]))
    fl.append("")
    for (s, d, proto, port), ok in sorted(verdicts(net, accesses, denies).items()):
        fl.append(f"{proto} {host_name(s)} -> {host_name(d)}:{port} {'reply-only' if ok else 'deny'}")
        if (proto, port) in PROBES6:
            fl.append(f"{proto}6 {host_name(s)} -> {host_name(d)}:{port} "
                      f"{'reply-only' if ok else 'deny'}")
    for spoofer, iface_zone in spoofers:
        for atom in net.atoms:
            if atom[0] != iface_zone:
                for port in (53, 514):
                    fl.append(f"udp {spoofer} -> {host_name(atom)}:{port} deny")
                fl.append(f"udp6 {spoofer} -> {host_name(atom)}:53 deny")
    return "\n".join(pol) + "\n", "\n".join(fl) + "\n"


def generate(seed, count, outdir):
    """Write `count` cases under outdir; returns their directories."""
    rng = random.Random(seed)
    dirs = []
    for i in range(count):
        for _ in range(1000):
            net, accesses, denies = make_policy(rng)
            if acceptable(net, accesses, denies):
                break
        else:
            raise RuntimeError("could not generate an acceptable policy")
        order = accesses + denies
        rng.shuffle(order)
        name = f"random-{seed}-{i}"
        on, owner = rng.sample([z for z, _ in net.zones], 2)
        policy, flows = render(name, seed, net, accesses, denies, order, (on, owner))
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
