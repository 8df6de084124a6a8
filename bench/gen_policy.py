#!/usr/bin/env python3
"""Generate large synthetic netsep policies for benchmarks.

The output is deterministic for a given set of parameters and seed, and is a
plausible bank network: one catch-all internet zone, and per firewall a block
of zones with a realistic tiering

    internet -> dmz -> app (front-end internal) -> svc (back-end internal)
    svc -> dc (datacenter, classified), adm (admin) -> everything over ssh
    lab (rnd) zones hold the AI/SaaS exceptions and receive only admin traffic

so that `netsep check` passes: no exposed zone (internet, exception holders)
has a lateral-movement path to a datacenter zone (app -> svc carries only
no-pivot services), no datacenter zone has a path to the internet or a saas
endpoint, and every audit rule is satisfied on --as-of 2026-07-01.
`--findings N` adds N app -> dc rules, each of which opens an
internet -> dmz -> app -> dc lateral-movement path (for analysis benchmarks;
`check` then exits 1).

Two address shapes (`--shape`), so that a benchmark is not tuned to the
generator's own numbering:
  contiguous  the first quarter of the zones is dual-stack, with IPv6 /48s
              numbered one after the other (the internet catch-all stays a
              short prefix list);
  scattered   every zone is dual-stack with its own IPv4 /24 and its own
              IPv6 /64 placed at random inside a few ULA site blocks of
              /16 to /48 (one /64 per VLAN, as enterprises number them), so
              the internet catch-all is the complement of thousands of
              scattered prefixes; it also adds `any` rules (`--any-rules`),
              a few very wide groups (`--wide-groups`) and services whose
              port ranges overlap.

Usage: gen_policy.py [--shape contiguous|scattered] [--zones N] [--rules N]
                     [--firewalls N] [--groups N] [--services N]
                     [--exceptions N] [--findings N] [--any-rules N]
                     [--wide-groups N] [--backends LIST] [--seed N] [-o FILE]
"""

import argparse
import ipaddress
import random
import sys

AS_OF = "2026-07-01"  # the date the generated exceptions and waivers are valid on

# Zone classes: (name prefix, kind, level)
CLASSES = {
    "dmz": ("dmz", "open"),
    "app": ("internal", "sensitive"),
    "svc": ("internal", "sensitive"),
    "dc": ("datacenter", "classified"),
    "adm": ("admin", "sensitive"),
    "lab": ("rnd", "open"),
}

FIXED_SERVICES = [
    ("https", "tcp/443", ""),
    ("http", "tcp/80", ""),
    ("ssh", "tcp/22", ""),
    ("dns", "udp/53, tcp/53", ""),
    ("ntp", "udp/123", " no-pivot"),
    ("syslog", "udp/514", " no-pivot"),
    ("postgres", "tcp/5432", ""),
    ("oracle", "tcp/1521", ""),
    ("ping", "icmp/echo-request, icmpv6/echo-request", ""),
]


def block_composition(m):
    """Class of each zone in a block of m zones (at least one dmz, app, svc, dc)."""
    if m < 4:
        return ["dmz", "app", "svc", "dc"][:m]
    n = {
        "dmz": max(1, round(0.10 * m)),
        "adm": max(1, round(0.05 * m)) if m >= 6 else 0,
        "lab": max(1, round(0.10 * m)) if m >= 7 else 0,
        "dc": max(1, round(0.20 * m)),
        "svc": max(1, round(0.25 * m)),
    }
    n["app"] = m - sum(n.values())
    if n["app"] < 1:
        n["svc"] -= 1 - n["app"]
        n["app"] = 1
    order = ["dmz", "app", "svc", "dc", "adm", "lab"]
    out = []
    for c in order:
        out += [c] * n.get(c, 0)
    return out


class Gen:
    def __init__(self, a):
        self.a = a
        self.rnd = random.Random(a.seed)
        self.out = []
        self.zones = []  # (name, cls, block, index)
        self.blocks = []  # per block: {cls: [zone idx]}
        self.groups = []  # (name, zone idx)
        self.zone_groups = {}  # zone idx -> [group names]
        self.services = []  # names of non-no-pivot app services
        self.rule_no = 0
        self.flows = []  # (kind, src, dst, service) for expects/waivers
        self.zone_names = {"internet"}
        self.used = {}  # (src zone, dst zone) -> service -> [(src, dst endpoint)]
        self.inline = {}  # (src zone, dst zone) -> inline ports handed out
        self.nopivot = []
        self.v6base = {}  # zone index -> its IPv6 network as an int

    def dual_stack(self, idx):
        # Contiguous shape: the first quarter of the zones is dual-stack, their
        # IPv6 prefixes contiguous, as an address plan would make them, so the
        # internet zone (::/0 minus every inside prefix) stays a short list.
        if self.a.shape == "scattered":
            return True
        return idx <= max(1, (self.a.zones - 1) // 4)

    def zone_v6(self, idx):
        """The zone's IPv6 network, as (prefix text, base address int, length)."""
        if self.a.shape != "scattered":
            return f"fd00:0:{idx:x}::/48", (0xfd00 << 112) | (idx << 80), 48
        if not hasattr(self, "_sites"):
            # A few ULA site blocks, /16 (sparse) to /48 (dense), each a
            # random place in fd00::/8; every zone's /64 lands at random in
            # one of them, never twice.
            self._v6rnd = random.Random(self.a.seed * 7919 + 17)
            n = max(4, self.a.zones // 250)
            self._sites = []
            for i in range(n):
                length = [16, 24, 32, 40, 48][i % 5]
                base = (0xfd << 120) | (self._v6rnd.getrandbits(length - 8) << (128 - length))
                self._sites.append((base, length))
            self._taken = set()
        while True:
            base, length = self._sites[self._v6rnd.randrange(len(self._sites))]
            net = base | (self._v6rnd.getrandbits(64 - length) << 64)
            if net not in self._taken:
                self._taken.add(net)
                return f"{ipaddress.IPv6Address(net)}/64", net, 64

    def w(self, line):
        self.out.append(line)

    # ---- declarations -----------------------------------------------------
    def header(self):
        a = self.a
        self.w(f"# Synthetic netsep policy ({a.shape} shape): {a.zones} zones, {a.rules} rules, "
               f"{a.firewalls} firewalls, {a.groups} groups, {a.services} services, "
               f"{a.exceptions} exceptions, {a.findings} findings, seed {a.seed}.")
        self.w("# Generated by bench/gen_policy.py; do not edit.")
        self.w(f'policy bench-{a.zones}z-{a.rules}r {{ owner "netsec@bench.example" }}')
        self.w("")

    def declare_services(self):
        for name, spec, flags in FIXED_SERVICES:
            self.w(f"service {name} {spec}{flags}")
        for i in range(self.a.services):
            port = 2000 + i
            r = i % 10
            if r == 7:
                spec = f"tcp/{20000 + 10 * i}-{20000 + 10 * i + 9}"
            elif r == 8:
                spec = f"tcp/{port}, udp/{port}"
            elif r == 9:
                spec = f"udp/{port}"
            else:
                spec = f"tcp/{port}"
            name = f"app-svc-{i}"
            self.w(f"service {name} {spec}")
            self.services.append(name)
        for i in range(20):
            name = f"log-{i}"
            self.w(f"service {name} udp/{5140 + i} no-pivot")
            self.nopivot.append(name)
        self.w("service rdp tcp/3389")
        if self.a.shape == "scattered":
            # Overlapping port ranges, as application teams declare them.
            for i, spec in enumerate(["tcp/8000-8999", "tcp/8080", "tcp/8443, tcp/8080",
                                      "tcp/8000-8099, udp/8000-8099", "tcp/30000-32767",
                                      "tcp/31000-31999"]):
                self.w(f"service overlap-{i} {spec}")
                self.services.append(f"overlap-{i}")
        if not self.services:
            self.services.append("https")
        self.w("")

    def declare_zones(self):
        a = self.a
        self.w("zone internet { kind internet level open networks 0.0.0.0/0, ::/0 }")
        inner = a.zones - 1
        nb = max(1, a.firewalls)
        sizes = [inner // nb + (1 if b < inner % nb else 0) for b in range(nb)]
        idx = 0
        for b, m in enumerate(sizes):
            comp = block_composition(m)
            blk = {c: [] for c in CLASSES}
            for c in comp:
                idx += 1
                z = len(self.zones)
                name = f"{c}-{idx}"
                self.zones.append((name, c, b, idx))
                self.zone_names.add(name)
                blk[c].append(z)
                kind, level = CLASSES[c]
                nets = f"10.{idx >> 8}.{idx & 255}.0/24"
                if self.dual_stack(idx):
                    v6, v6base, _ = self.zone_v6(idx)
                    self.v6base[z] = v6base
                    nets += f", {v6}"
                extra = ""
                if c == "dc" and idx % 3 == 0:
                    extra = " crown-jewel"
                if c == "lab" and idx % 2 == 0:
                    extra = " isolated"
                self.w(f"zone {name} {{ kind {kind} level {level} networks {nets}{extra} }}")
            self.blocks.append(blk)
        self.w("")

    def declare_groups(self):
        # Groups sit in every class but admin, spread round-robin over zones.
        cand = [z for z, (_, c, _, _) in enumerate(self.zones) if c != "adm"]
        if not cand:
            return
        per_zone = {}
        for g in range(self.a.groups):
            z = cand[(g * 7919) % len(cand)] if len(cand) > 1 else cand[0]
            k = per_zone.get(z, 0)
            per_zone[z] = k + 1
            name, _, _, idx = self.zones[z]
            base = f"10.{idx >> 8}.{idx & 255}"
            sub = (k % 15) * 16 + 16
            addrs = f"{base}.{sub}/28, {base}.{(k * 37) % 254 + 1}"
            if self.dual_stack(idx):
                if self.a.shape == "scattered":
                    g6 = ipaddress.IPv6Address(self.v6base[z] | ((k + 1) << 32))
                    addrs += f", {g6}/96"
                else:
                    addrs += f", fd00:0:{idx:x}:{k:x}::/64"
            gname = f"g{g}-{name}"
            self.w(f"group {gname} in {name} {{ {addrs} }}")
            self.groups.append((gname, z))
            self.zone_groups.setdefault(z, []).append(gname)
        # A few very wide groups: hundreds of scattered hosts of one zone
        # (a server farm named host by host), used by rules like any group.
        for g in range(self.a.wide_groups):
            z = cand[(g * 104729 + 13) % len(cand)]
            name, _, _, idx = self.zones[z]
            hosts = [f"10.{idx >> 8}.{idx & 255}.{h}" for h in range(2, 254, 2)]
            if z in self.v6base:
                hosts += [str(ipaddress.IPv6Address(self.v6base[z] | (0x1000 + 17 * h)))
                          for h in range(128)]
            gname = f"wide{g}-{name}"
            self.w(f"group {gname} in {name} {{ {', '.join(hosts)} }}")
            self.groups.append((gname, z))
            self.zone_groups.setdefault(z, []).append(gname)
        self.w("")

    def declare_saas(self):
        self.nsaas = max(1, min(20, self.a.exceptions)) if self.a.exceptions else 0
        for s in range(self.nsaas):
            self.w(f"saas ai-{s} {{")
            self.w(f'  provider "Provider {s}"')
            self.w(f"  fqdn api{s}.ai-vendor.example")
            self.w(f"  networks 198.18.{s}.0/24")
            self.w(f'  screening "FSI-SAAS-2026-{100 + s:03d}" on 2026-05-30')
            self.w("}")
        self.w('identity dba { idp "corp-sso" group "DBA" device managed mfa required }')
        self.w("")

    # ---- rules ------------------------------------------------------------
    def endpoint(self, z, prefer_group=0.4):
        gs = self.zone_groups.get(z)
        if gs and self.rnd.random() < prefer_group:
            return self.rnd.choice(gs)
        return self.zones[z][0]

    def pick(self, blk, cls):
        zs = blk.get(cls) or []
        return self.rnd.choice(zs) if zs else None

    # Services a rule kind prefers; the generator then takes the first one
    # that no earlier rule of the same zone pair already allows, so no rule is
    # covered by another (no ANO-001/ANO-002 warnings in a clean policy).
    def preferred(self, kind):
        r = self.rnd
        if kind == "web":
            return ["https", "http"]
        if kind == "nopivot":
            return ["syslog", "ntp"] + self.nopivot
        if kind == "ssh":
            return ["ssh"]
        if kind == "db":
            return [r.choice(["postgres", "oracle"]), r.choice(self.services)]
        return [r.choice(self.services)]

    @staticmethod
    def overlaps(a, b, zone_names):
        return a == b or a in zone_names or b in zone_names

    def conflict(self, pair, se, de, svc):
        for (s2, d2) in self.used.get(pair, {}).get(svc, ()):
            if self.overlaps(se, s2, self.zone_names) and self.overlaps(de, d2, self.zone_names):
                return True
        return False

    def choose_services(self, kind, pairs):
        """pairs: [(pair key, src endpoint, dst endpoint)]. Returns service names."""
        r = self.rnd
        cands = self.preferred(kind)
        if kind == "nopivot":
            fallback = self.nopivot
        else:
            fallback = [r.choice(self.services) for _ in range(4)]
        chosen = []
        want = 1 if r.random() < 0.75 else 2
        for svc in cands + fallback:
            if svc in chosen:
                continue
            if any(self.conflict(p, se, de, svc) for p, se, de in pairs):
                continue
            chosen.append(svc)
            if len(chosen) == want:
                break
        if not chosen:
            if kind == "nopivot":
                return None
            # An inline clause on a port no rule of these zone pairs uses yet.
            port = 50000 + max(self.inline.get(p, 0) for p, _, _ in pairs)
            for p, _, _ in pairs:
                self.inline[p] = port - 50000 + 1
            chosen.append(f"tcp/{port}")
        for svc in chosen:
            for p, se, de in pairs:
                self.used.setdefault(p, {}).setdefault(svc, []).append((se, de))
        return chosen

    # (weight, src class, dst class, service kind)
    TEMPLATES = [
        (15, "internet", "dmz", "web"),
        (20, "dmz", "app", "app"),
        (12, "app", "app", "app"),
        (5, "app", "svc", "nopivot"),
        (12, "svc", "svc", "app"),
        (15, "svc", "dc", "db"),
        (5, "dc", "dc", "db"),
        (3, "dc", "svc", "nopivot"),
        (10, "adm", "*", "ssh"),
        (3, "lab", "lab", "app"),
    ]

    def one_rule(self):
        r = self.rnd
        total = sum(t[0] for t in self.TEMPLATES)
        x = r.uniform(0, total)
        for wgt, sc, dc, sk in self.TEMPLATES:
            x -= wgt
            if x <= 0:
                break
        blk = self.blocks[r.randrange(len(self.blocks))]
        if dc == "*":
            dc = r.choice(["dmz", "app", "svc", "dc", "lab"])
        if sc == "internet":
            s, src = -1, "internet"
        else:
            s = self.pick(blk, sc)
            if s is None:
                return None
            src = self.endpoint(s)
        dzs = [self.pick(blk, dc)]
        if dzs[0] is None:
            return None
        # Some rules name two destinations (same class, same block).
        if r.random() < 0.1:
            dzs.append(self.pick(blk, dc))
        dsts, pairs = [], []
        for d in dzs:
            e = self.endpoint(d)
            if e in dsts or e == src or d == s:
                continue
            dsts.append(e)
            pairs.append(((s, d), src, e))
        if not dsts:
            return None
        svc = self.choose_services(sk, pairs)
        if svc is None:
            return None
        return [src], dsts, ", ".join(svc), sc, dc

    def rules(self):
        a = self.a
        r = self.rnd
        self.w("deny no-telnet { from any to any service tcp/23 }")
        any_services = ["rdp", "tcp/445", "tcp/135-139", "udp/137-138", "tcp/5985-5986",
                        "udp/161-162", "tcp/3306", "tcp/1433"]
        for i in range(self.a.any_rules):
            svc = any_services[i % len(any_services)]
            src = "any" if i % 2 == 0 else "internet"
            self.w(f"deny any{i} {{ from {src} to any service {svc} }}")
        written = 0
        while written < a.rules:
            self.rule_no += 1
            n = self.rule_no
            if r.random() < 0.01:
                # Denies name services no allow uses: defence in depth, never
                # shadowing an allow (that would be an ANO-001 warning).
                blk = self.blocks[r.randrange(len(self.blocks))]
                s, d = self.pick(blk, "app"), self.pick(blk, r.choice(["svc", "dc"]))
                if s is None or d is None or s == d:
                    continue
                svc = r.choice(["rdp", "tcp/445", "tcp/135-139", "rdp, tcp/445"])
                self.w(f"deny d{n} {{ from {self.zones[s][0]} to {self.zones[d][0]} "
                       f"service {svc} }}")
                written += 1
                continue
            made = self.one_rule()
            if made is None:
                continue
            src, dst, svc, sc, dc = made
            ident = ""
            if sc == "svc" and dc == "dc" and r.random() < 0.002:
                ident = " as dba"
            log = " log" if r.random() < 0.3 else ""
            self.w(f"access r{n} {{ from {', '.join(src)}{ident} to {', '.join(dst)} "
                   f"service {svc}{log} justification \"flow {sc} to {dc}\" "
                   f"owner \"team-{n % 97}\" }}")
            self.flows.append((sc, dc, src[0], dst[0], svc))
            written += 1
        self.w("")

    def findings(self):
        # app -> dc: the app zone is reached from the dmz, the dmz from the
        # internet, so each rule opens a lateral-movement path.
        r = self.rnd
        made = 0
        tries = 0
        while made < self.a.findings and tries < 100 * (self.a.findings + 1):
            tries += 1
            blk = self.blocks[r.randrange(len(self.blocks))]
            s, d = self.pick(blk, "app"), self.pick(blk, "dc")
            if s is None or d is None:
                continue
            self.rule_no += 1
            self.w(f"access finding{made} {{ from {self.zones[s][0]} to {self.zones[d][0]} "
                   f"service https justification \"shortcut\" owner \"team-x\" }}")
            # make sure the app zone is reachable from the internet
            dmz = self.pick(blk, "dmz")
            if dmz is not None:
                self.w(f"access finding{made}-in {{ from {self.zones[dmz][0]} to "
                       f"{self.zones[s][0]} service tcp/{64000 + made} justification \"front\" "
                       f"owner \"team-x\" }}")
                self.w(f"access finding{made}-web {{ from internet to {self.zones[dmz][0]} "
                       f"service tcp/{64000 + made} justification \"web\" owner \"team-x\" }}")
            made += 1
        self.w("")

    def exceptions(self):
        # Holders are groups in lab zones (created on demand) that reach a saas endpoint.
        labs = [z for z, (_, c, _, _) in enumerate(self.zones) if c == "lab"]
        if not labs:
            labs = [z for z, (_, c, _, _) in enumerate(self.zones) if c == "app"]
        holders = []
        for i in range(self.a.exceptions):
            z = labs[i % len(labs)]
            zname, _, _, idx = self.zones[z]
            gname = f"scan{i}-{zname}"
            holders.append(gname)
            self.w(f"group {gname} in {zname} {{ 10.{idx >> 8}.{idx & 255}.{200 + i % 50} }}")
            self.w(f"exception x{i} {{")
            self.w(f"  from {gname} to ai-{i % self.nsaas} service https")
            self.w("  purpose vulnerability-assessment")
            self.w('  basis "FSC-NAL-2026-017"')
            self.w("  expires 2027-06-22")
            self.w('  approved-by "ciso:kim"')
            self.w(f"  kill-switch ai-egress-{i % 5}")
            self.w("  log")
            self.w('  justification "AI vulnerability scanning" owner "secops"')
            self.w("}")
        if holders:
            # The no-action letter every exception cites, with its scope.
            self.w('letter "FSC-NAL-2026-017" {')
            self.w("  kind no-action-letter issued 2026-06-23 expires 2027-06-22")
            self.w(f"  scope {{ purpose vulnerability-assessment from {', '.join(holders)}")
            saas = ", ".join(f"ai-{k}" for k in range(min(self.nsaas, len(holders))))
            self.w(f"          to {saas} service https }}")
            self.w("}")
        self.w("")

    def firewalls(self):
        a = self.a
        listed = a.backends.split(",")
        backends = ", ".join(listed)

        # SRX and PAN-OS take their own interface names (port k of slot 1).
        def alias(k):
            names = []
            if "juniper-srx" in listed:
                names.append(f"juniper-srx ge-0/0/{k}.0")
            if "paloalto" in listed:
                names.append(f"paloalto ethernet1/{k + 1}")
            return " on " + ", ".join(names) if names else ""

        for b, blk in enumerate(self.blocks):
            self.w(f"firewall fw-{b} {{")
            self.w(f"  backend {backends}")
            self.w(f"  interface wan0 zone internet{alias(0)}")
            k = 0
            for z, (name, _, zb, _) in enumerate(self.zones):
                if zb == b:
                    self.w(f"  interface e{k} zone {name}{alias(k + 1)}")
                    k += 1
            self.w("  identity-enforced-by corp-sso-proxy")
            self.w("}")
        self.w("")

    def expects(self):
        r = self.rnd
        dcs = [z for z, (_, c, _, _) in enumerate(self.zones) if c == "dc"]
        for z in dcs[: min(10, len(dcs))]:
            self.w(f"expect deny internet -> {self.zones[z][0]} service any")
            if not self.a.findings:
                self.w(f"expect no-path internet -> {self.zones[z][0]}")
        adm_ssh = [f for f in self.flows if f[0] == "adm" and f[1] == "dc" and f[4] == "ssh"]
        for f in adm_ssh[:10]:
            self.w(f"expect allow {f[2]} -> {f[3]} service ssh")
        # Waivers on dmz -> app hops (reviewed risks; they do not change the result).
        dmz_app = [f for f in self.flows if f[0] == "dmz" and f[1] == "app"]
        for f in dmz_app[:10]:
            first = f[4].split(",")[0].strip()
            self.w(f"waive hop {f[2]} -> {f[3]} service {first} until 2027-06-30")
            self.w(f'    because "front end behind WAF, reviewed quarterly" '
                   f'ticket "RISK-{r.randint(100, 999)}"')
        self.w("")

    def run(self):
        self.header()
        self.declare_services()
        self.declare_zones()
        self.declare_groups()
        self.declare_saas()
        self.rules()
        self.findings()
        self.exceptions()
        self.firewalls()
        self.expects()
        return "\n".join(self.out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--zones", type=int, default=2000, help="zones including internet")
    p.add_argument("--rules", type=int, default=100000, help="access + deny rules")
    p.add_argument("--firewalls", type=int, default=200)
    p.add_argument("--groups", type=int, default=None, help="default: zones / 2")
    p.add_argument("--services", type=int, default=50, help="application services")
    p.add_argument("--exceptions", type=int, default=20)
    p.add_argument("--findings", type=int, default=0,
                   help="add N rules that open lateral-movement paths (check fails)")
    p.add_argument("--backends", default="nftables,iptables",
                   help="comma-separated backends every firewall lists")
    p.add_argument("--shape", choices=["contiguous", "scattered"], default="contiguous",
                   help="address plan (see the module documentation)")
    p.add_argument("--any-rules", type=int, default=None,
                   help="deny rules from any/internet to any (default: 0, scattered 6)")
    p.add_argument("--wide-groups", type=int, default=None,
                   help="groups of hundreds of hosts (default: 0, scattered 10)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", default="-")
    a = p.parse_args()
    scattered = a.shape == "scattered"
    if a.any_rules is None:
        a.any_rules = 6 if scattered else 0
    if a.wide_groups is None:
        a.wide_groups = 10 if scattered else 0
    if a.groups is None:
        a.groups = a.zones // 2
    if a.zones < 2 or a.firewalls < 1 or a.rules < 0:
        p.error("need at least 2 zones and 1 firewall")
    if a.zones - 1 < a.firewalls:
        p.error("need at least one zone per firewall besides internet")
    text = Gen(a).run()
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
