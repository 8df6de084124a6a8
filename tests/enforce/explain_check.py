#!/usr/bin/env python3
"""`netsep explain` against the real kernel.

For the shipped examples (examples/*.nsp, addresses moved into the test
ranges, see remap_policy) and random policies (gen_random.py), and for every
firewall of each: pick one host per zone (outside its groups), per group and
per saas endpoint on that firewall, draw random flows between hosts on
different interfaces (tcp/udp ports the policy names and others, icmp echo,
IPv4 and IPv6), ask `netsep explain --batch --format json` for the verdict on
that firewall, write the verdicts as a flows.txt and run it through the
enforcement harness of run.py: the policy is compiled, the nftables and
iptables rulesets are loaded into namespaces, and real packets must get
exactly the verdict explain gave. For random policies explain is also
checked against the verdicts gen_random.py computes from the language's
meaning, without the kernel.

    python3 tests/enforce/explain_check.py --netsep build/netsep
        [--seed S] [--random N] [--flows N] [--backend nftables|iptables]... [-v]
"""

import argparse
import ipaddress
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import gen_random  # noqa: E402
import run as harness  # noqa: E402

AS_OF = harness.AS_OF
V4_BASE = ipaddress.ip_network("10.99.0.0/16")
V4_INTERNET_HOSTS = ipaddress.ip_network("10.99.254.0/24")   # owned by the internet zone
V4_DUMMY = ipaddress.ip_network("10.99.250.0/24")            # router ends with no host behind
V6_INTERNET_HOSTS = ipaddress.ip_network("fd99:ffff::/64")
V6_BASE = ipaddress.ip_network("fd99::/32")
RESERVE = 8   # addresses a zone or saas network keeps for its own host and the router


# --------------------------------------------------------------------------
# moving a policy's addresses into the test ranges

def _address_tokens(text):
    """Every word of the policy that is an address or prefix (strings and
    comments skipped), as (start, end, network, bare)."""
    out = []
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[^\s,{}"#]+', text):
        w = m.group(0)
        if w.startswith('"') or w.startswith('#') or ('.' not in w and ':' not in w):
            continue
        try:
            net = ipaddress.ip_network(w, strict=True)
        except ValueError:
            continue
        out.append((m.start(), m.end(), net, '/' not in w))
    return out


class Node:
    def __init__(self, net):
        self.net, self.children, self.new = net, [], None
        self.is_network = False   # a zone's or saas endpoint's `networks` entry
        self._need = None

    def _kids(self):
        return sorted(self.children, key=lambda c: (-c.need(), int(c.net.network_address)))

    def _pack(self, base):
        """Children's offsets from `base` and where the free rest starts. A
        block's first address is never a host's: IPv6 routers answer the
        subnet-router anycast address themselves."""
        at = base + (1 if (self.is_network or self.children) else 0)
        offsets = []
        for c in self._kids():
            n = c.need()
            at = (at + n - 1) // n * n
            offsets.append((c, at))
            at += n
        return offsets, at

    def need(self):
        """Addresses its new block needs: its children, plus room of its own."""
        if self._need is None:
            own = RESERVE if self.is_network else (1 if not self.children else 0)
            size = 1
            while self._pack(0)[1] + own > size:
                size *= 2
            self._need = size
        return self._need

    def place(self, base, version):
        size = self.need()
        bits = 32 if version == 4 else 128
        self.new = ipaddress.ip_network((base, bits - (size.bit_length() - 1)))
        offsets, rest = self._pack(base)
        for c, at in offsets:
            c.place(at, version)
        self.reserve = (rest, base + size - 1)   # [first, last] not in a child


def remap_policy(text):
    """The policy with every zone, group and saas address moved into
    10.99.0.0/16 and fd99::/32, nesting and disjointness kept (so ownership,
    hence every rule's meaning, is unchanged). Returns (text, nodes by new
    network)."""
    tokens = _address_tokens(text)
    network_words = set()
    for m in re.finditer(r"\bnetworks\s+([^\n{}]*?)(?=\s+(?:screening|kind|level|crown-jewel|isolated|"
                         r"fqdn|provider|behind)\b|\s*}|\n)", text):
        for w in re.split(r"\s*,\s*", m.group(1).strip()):
            network_words.add(w)
    nodes = {}
    for _, _, net, _ in tokens:
        if net.prefixlen == 0 or net in nodes:
            continue
        nodes[net] = Node(net)
    for net, node in nodes.items():
        node.is_network = any(str(net) == w or str(net.network_address) == w for w in network_words)
    roots = {4: [], 6: []}
    for net, node in sorted(nodes.items(), key=lambda kv: (kv[0].version, kv[0].prefixlen)):
        parents = [n for m, n in nodes.items()
                   if m.version == net.version and m != net and m.prefixlen < net.prefixlen
                   and net.subnet_of(m)]
        if parents:
            max(parents, key=lambda n: n.net.prefixlen).children.append(node)
        else:
            roots[net.version].append(node)
    for version, base, limit in ((4, int(V4_BASE.network_address) + 256, int(V4_DUMMY.network_address)),
                                 (6, int(V6_BASE.network_address) + (1 << 16), int(V6_INTERNET_HOSTS.network_address))):
        at = base
        for r in sorted(roots[version], key=lambda n: int(n.net.network_address)):
            n = r.need()
            at = (at + n - 1) // n * n
            r.place(at, version)
            at += n
        if at > limit:
            raise RuntimeError("remapped addresses do not fit the test range")
    out, last = [], 0
    for start, end, net, bare in tokens:
        out.append(text[last:start])
        if net.prefixlen == 0:
            out.append(text[start:end])
        else:
            new = nodes[net].new
            out.append(str(new.network_address) if bare and new.num_addresses == 1 else str(new))
        last = end
    out.append(text[last:])
    return "".join(out), {n.new: n for n in nodes.values()}


def inline_includes(path):
    """The policy text with `include "X"` replaced by X's text (one file for the harness)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()

    def sub(m):
        inc = os.path.join(os.path.dirname(path), m.group(1))
        return inline_includes(inc)
    return re.sub(r'^\s*include\s+"([^"]+)"\s*$', sub, text, flags=re.M)


# --------------------------------------------------------------------------
# hosts and flows for one firewall

class Plan:
    """Hosts for one firewall: name -> (zone or None, saas or None, iface, [addrs])."""

    def __init__(self):
        self.hosts = {}
        self.router = {}   # iface -> [ip_interface]

    def add_router(self, iface, addr):
        lst = self.router.setdefault(iface, [])
        if not any(a.network.overlaps(addr.network) and a.version == addr.version for a in lst):
            lst.append(addr)


def _zone_blocks(text):
    """zone/saas name -> (kind, networks, behind) from the policy text."""
    out = {}
    for kind in ("zone", "saas"):
        for name, body in harness._blocks(kind, text):
            nets = []
            m = re.search(r"\bnetworks\s+([^\s,]+(?:\s*,\s*[^\s,]+)*)", body)
            for w in (re.split(r"\s*,\s*", m.group(1)) if m else []):
                try:
                    nets.append(ipaddress.ip_network(w, strict=False))
                except ValueError:
                    pass
            zk = re.search(r"\bkind\s+(\S+)", body)
            bh = re.search(r"\bbehind\s+(\S+)", body)
            out[(kind, name)] = (zk.group(1) if zk else None, nets, bh.group(1) if bh else None)
    return out


def _groups(text):
    """group name -> (zone, [networks])."""
    out = {}
    for m in re.finditer(r"\bgroup\s+(\S+)\s+in\s+(\S+)\s*\{([^}]*)\}", harness._strip(text)):
        nets = []
        for w in re.split(r"[\s,]+", m.group(3).strip()):
            try:
                nets.append(ipaddress.ip_network(w, strict=False))
            except ValueError:
                pass
        out[m.group(1)] = (m.group(2), nets)
    return out


def plan_hosts(text, nodes, firewall):
    fw, ifaces = harness.policy_interfaces(text, firewall)
    blocks = _zone_blocks(text)
    groups = _groups(text)
    plan = Plan()
    first_iface = {}
    for i, z in ifaces.items():
        first_iface.setdefault(z, i)

    def own_host(net):
        """A host of `net` outside its children, and the router's end there."""
        node = nodes[net]
        lo, hi = node.reserve
        host = ipaddress.ip_address(lo + 1 if hi - lo >= 3 else lo)
        router = ipaddress.ip_interface((hi - 1 if hi - lo >= 3 else hi, net.prefixlen))
        return host, router

    for (kind, name), (zkind, nets, behind) in sorted(blocks.items()):
        if kind == "zone":
            if name not in first_iface:
                continue
            iface = first_iface[name]
            addrs = []
            for version in (4, 6):
                vnets = [n for n in nets if n.version == version]
                if vnets and vnets[0].prefixlen == 0:
                    block = V4_INTERNET_HOSTS if version == 4 else V6_INTERNET_HOSTS
                    addrs.append(block.network_address + 10)
                    plan.add_router(iface, ipaddress.ip_interface((block.network_address + 1,
                                                                   block.prefixlen)))
                elif vnets:
                    for net in vnets:   # the router's end on every network of the zone
                        plan.add_router(iface, own_host(net)[1])
                    for net in vnets:   # the zone's own host: outside its groups
                        host = own_host(net)[0]
                        if not any(ipaddress.ip_network(host).subnet_of(g)
                                   for gz, gnets in groups.values() if gz == name
                                   for g in gnets if g.version == version):
                            addrs.append(host)
                            break
            if addrs:
                plan.hosts[f"z-{name}"] = (name, None, iface, addrs)
        else:
            if behind:
                iface = first_iface.get(behind)
            else:
                iface = next((i for i, z in ifaces.items()
                              if blocks.get(("zone", z), (None,))[0] == "internet"), None)
            if iface is None or not nets:
                continue
            host, router = own_host(nets[0])
            plan.add_router(iface, router)
            plan.hosts[f"s-{name}"] = (None, name, iface, [host])
    for gname, (zone, nets) in sorted(groups.items()):
        if zone not in first_iface:
            continue
        iface = first_iface[zone]
        addrs = []
        for version in (4, 6):
            vnets = [n for n in nets if n.version == version]
            if vnets:
                g = vnets[0]
                addrs.append(g.network_address + (1 if g.num_addresses > 2 else 0))
                # the router's end on the zone network that holds the group
        if addrs:
            plan.hosts[f"g-{gname}"] = (zone, None, iface, addrs)
    # every interface needs a router line; ones without hosts get a spare /30
    spare = iter(V4_DUMMY.subnets(new_prefix=30))
    for i in ifaces:
        if i not in plan.router:
            plan.router[i] = [ipaddress.ip_interface((next(spare).network_address + 1, 30))]
    return fw, ifaces, plan


def policy_ports(text):
    out = set()
    for proto, lo, hi in re.findall(r"\b(tcp|udp)/(\d+)(?:-(\d+))?", text):
        lo = int(lo)
        hi = int(hi) if hi else lo
        out.update({(proto, lo), (proto, hi), (proto, (lo + hi) // 2)})
    return sorted(p for p in out if p[1] != harness.PROBE_PORT and 1 <= p[1] <= 65535)


EXTRA_PORTS = [("tcp", 22), ("tcp", 23), ("tcp", 80), ("tcp", 443), ("tcp", 3389), ("tcp", 8443),
               ("udp", 53), ("udp", 123), ("udp", 514), ("udp", 161)]


def candidate_flows(plan, ports):
    """Every host pair on different segments x every service to try."""
    names = sorted(plan.hosts)
    out = []
    services = [("icmp", None)] + sorted(set(ports) | set(EXTRA_PORTS))
    for a in names:
        for b in names:
            if a == b or plan.hosts[a][2] == plan.hosts[b][2]:
                continue
            fams = sorted({x.version for x in plan.hosts[a][3]} & {x.version for x in plan.hosts[b][3]})
            for fam in fams:
                for proto, port in services:
                    out.append((a, b, proto, port, fam))
    return out


def draw_flows(rng, candidates, verdicts, count):
    """`count` flows, half of them allowed ones when there are enough (a random
    draw would be almost all denied: default deny)."""
    allowed = [f for f, v in zip(candidates, verdicts) if v == "allow"]
    denied = [f for f, v in zip(candidates, verdicts) if v == "deny"]
    take_a = min(len(allowed), count // 2)
    take_d = min(len(denied), count - take_a)
    picked = rng.sample(allowed, take_a) + rng.sample(denied, take_d)
    return sorted(picked, key=lambda f: (f[0], f[1], f[2], f[3] or 0, f[4]))


def service_of(proto, port, fam):
    if proto == "icmp":
        return "icmp/echo-request" if fam == 4 else "icmpv6/echo-request"
    return f"{proto}/{port}"


def explain_batch(netsep, policy, queries):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("".join(f"{s} {d} {svc}\n" for s, d, svc in queries))
        path = f.name
    try:
        p = subprocess.run([netsep, "explain", policy, "--batch", path, "--format", "json",
                            "--no-suggest", "--as-of", AS_OF], capture_output=True, text=True,
                           timeout=120)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        raise harness.SetupError(f"explain --batch exited {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)


def firewall_verdict(answer, firewall):
    if answer.get("error"):
        raise harness.SetupError(f"explain: {answer['error']}")
    for fw in answer["firewalls"]:
        if fw["name"] == firewall:
            if fw["verdict"] not in ("allow", "deny"):
                raise harness.SetupError(f"explain gives a partial verdict for one port: {answer}")
            return fw["verdict"]
    raise harness.SetupError(f"explain does not cross {firewall}: {answer['verdict']} "
                             f"({answer.get('note')})")


def write_case(outdir, name, text, firewall, ifaces, plan, flows, verdicts):
    d = os.path.join(outdir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "policy.nsp"), "w", encoding="utf-8") as f:
        f.write(text)
    lines = [f"# explain_check.py: verdicts from netsep explain, checked on real packets",
             f"firewall {firewall}"]
    for i in ifaces:
        lines.append(f"router {i} zone {ifaces[i]} " + " ".join(str(a) for a in plan.router[i]))
    for h, (zone, saas, iface, addrs) in sorted(plan.hosts.items()):
        a = " ".join(str(x) for x in addrs)
        if saas:
            lines.append(f"host {h} saas {saas} iface {iface} {a}")
        else:
            lines.append(f"host {h} zone {zone} iface {iface} {a}")
    for (a, b, proto, port, fam), v in zip(flows, verdicts):
        p = proto + ("6" if fam == 6 else "")
        dst = f"{b}:{port}" if port else b
        lines.append(f"{p} {a} -> {dst} {v}")
    with open(os.path.join(d, "flows.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return d


def host_ip(plan, name, fam):
    return next(str(a) for a in plan.hosts[name][3] if a.version == fam)


def build_cases(args, workdir, rng):
    """Case directories (policy + flows with explain's verdicts), and the
    number of explain/gen_random agreements checked on the way."""
    sources = []
    for f in sorted(os.listdir(os.path.join(ROOT, "examples"))):
        if f.endswith(".nsp"):
            text, nodes = remap_policy(inline_includes(os.path.join(ROOT, "examples", f)))
            sources.append((f"example-{f[:-4]}", text, nodes))
    rand_dir = os.path.join(workdir, "random")
    agreements = 0
    for d in gen_random.generate(args.seed, args.random, rand_dir):
        with open(os.path.join(d, "policy.nsp"), encoding="utf-8") as f:
            text = f.read()
        agreements += check_against_generator(args, d)
        sources.append((os.path.basename(d), text, None))
    cases = []
    for name, text, nodes in sources:
        if nodes is None:
            text, nodes = remap_policy(text)
        policy = os.path.join(workdir, f"{name}.nsp")
        with open(policy, "w", encoding="utf-8") as f:
            f.write(text)
        for fw in re.findall(r"\bfirewall\s+(\S+)\s*\{", harness._strip(text)):
            firewall, ifaces, plan = plan_hosts(text, nodes, fw)
            candidates = candidate_flows(plan, policy_ports(text))
            queries = [(host_ip(plan, a, fam), host_ip(plan, b, fam), service_of(p, port, fam))
                       for a, b, p, port, fam in candidates]
            answers = explain_batch(args.netsep, policy, queries)
            every = [firewall_verdict(x, firewall) for x in answers]
            flows = draw_flows(rng, candidates, every, args.flows)
            verdict_of = dict(zip(candidates, every))
            verdicts = [verdict_of[f] for f in flows]
            cases.append(write_case(workdir, f"{name}-{firewall}", text, firewall, ifaces, plan,
                                    flows, verdicts))
            print(f"{name} {firewall}: {len(flows)} flows, "
                  f"{sum(v == 'allow' for v in verdicts)} allowed by explain", flush=True)
    return cases, agreements


def check_against_generator(args, case_dir):
    """explain on gen_random's own flows (verdicts from the language's
    meaning): every one must agree. Returns how many were compared."""
    spec = harness.parse_flows(os.path.join(case_dir, "flows.txt"))
    policy = os.path.join(case_dir, "policy.nsp")
    flows = [fl for fl in spec.flows if not spec.hosts[fl.src].spoof]
    queries = [(spec.hosts[fl.src].ip(fl.family), spec.hosts[fl.dst].ip(fl.family),
                service_of(fl.proto, fl.dport, fl.family)) for fl in flows]
    answers = explain_batch(args.netsep, policy, queries)
    bad = 0
    for fl, ans in zip(flows, answers):
        want = "deny" if fl.verdict == "deny" else "allow"
        got = firewall_verdict(ans, spec.firewall or "fw-rand")
        if got != want:
            bad += 1
            print(f"FAIL explain vs gen_random {os.path.basename(case_dir)}: {fl.text}: "
                  f"explain says {got}", flush=True)
    if bad:
        raise harness.SetupError(f"explain disagrees with gen_random on {bad} flows")
    return len(flows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netsep", required=True)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--random", type=int, default=3, help="random policies (gen_random.py)")
    ap.add_argument("--flows", type=int, default=70, help="flows drawn per firewall")
    ap.add_argument("--backend", action="append", choices=harness.BACKENDS)
    ap.add_argument("--flow-timeout", type=float, default=1.0)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    args.netsep = os.path.abspath(args.netsep)
    args.backend = list(dict.fromkeys(args.backend or harness.BACKENDS))
    args.as_of = AS_OF
    args.artifacts = None
    harness.VERBOSE, harness.KEEP = args.verbose, args.keep

    def on_signal(signum, _frame):
        signal.signal(signum, signal.SIG_IGN)
        raise harness.Interrupted(signum)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    start = time.monotonic()
    tally = harness.Tally()
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="netsep-explain-")
    harness._TMPDIRS.append(workdir)
    status = 0
    try:
        problems = harness.check_environment()
        if problems:
            for p in problems:
                tally.error("-", "-", f"environment: {p}")
        else:
            harness._HOME_NS = os.open("/proc/self/ns/net", os.O_RDONLY)
            harness.remove_stale()
            cases, agreements = build_cases(args, workdir, rng)
            print(f"explain agrees with gen_random's verdicts on {agreements} flows", flush=True)
            outdir = os.path.join(workdir, "compiled")
            os.makedirs(outdir)
            for d in cases:
                for case in harness.load_case_dir(d, os.path.basename(d)):
                    harness.run_case(case, args, tally, outdir)
    except harness.SetupError as e:
        tally.error("-", "-", str(e))
    except harness.Interrupted as e:
        tally.error("-", "-", f"interrupted by signal {e.signum}")
        status = 128 + e.signum
    finally:
        harness.cleanup_all()
    print(f"(elapsed {time.monotonic() - start:.1f}s)", flush=True)
    print(f"{tally.passed} passed, {tally.failed} failed", flush=True)
    if status:
        return status
    return 1 if (tally.failed or tally.errors) else 0


if __name__ == "__main__":
    sys.exit(main())
