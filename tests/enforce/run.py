#!/usr/bin/env python3
"""Real-kernel enforcement tests for netsep's nftables and iptables backends.

For every case directory (policy.nsp + flows.txt, see
docs/testing-enforcement.md) and every backend, this script compiles the
policy, builds the firewall's topology out of Linux network namespaces (one
router namespace holding the firewall's interfaces, one namespace per
interface for the zone behind it), loads the generated rules into the router
namespace for real, and then sends real TCP, UDP and ICMP traffic between
hosts to check that the kernel lets through exactly the flows the policy
allows, replies included, and nothing else. A case whose flows.txt names a
`killswitch GROUP` is also checked with that group's exceptions disabled and
then restored by the artifacts of `netsep killswitch`; its `held` lines keep
TCP connections open across the disable and check that the group's are cut
and the others keep working.

Needs root, iproute2 (`ip netns`), nft, iptables-restore, ip6tables-restore and
ipset (the declared sets of the iptables catch-all zone).
Standard library only. Every namespace it creates is deleted on exit, on
exceptions and on SIGINT/SIGTERM; namespaces left by a crashed earlier run are
removed at start-up when the process that made them is gone.

    python3 tests/enforce/run.py --netsep build/netsep --cases tests/enforce/cases
        [--case NAME]... [--backend nftables|iptables]... [--random N] [--seed S]
        [--as-of DATE] [--keep] [--artifacts DIR] [--verbose]
"""

import argparse
import atexit
import contextlib
import ctypes
import difflib
import ipaddress
import os
import re
import secrets
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = "nse"                       # every namespace we create starts with nse<pid>-
BACKENDS = ("nftables", "iptables")
V4_RANGE = ipaddress.ip_network("10.99.0.0/16")
V6_RANGE = ipaddress.ip_network("fd99::/16")
PROBE_PORT = 47474                   # where reply-only probes are aimed
PROTOS = {"tcp": ("tcp", 4), "udp": ("udp", 4), "icmp": ("icmp", 4),
          "tcp6": ("tcp", 6), "udp6": ("udp", 6), "icmp6": ("icmp", 6)}
VERDICTS = ("allow", "deny", "reply-only")
AS_OF = "2026-11-22"                 # default --as-of for compile and killswitch (fixed: no time bombs)
PHASES = ("loaded", "disabled", "enabled")   # kill-switch phases, in the order they run


class SetupError(Exception):
    """Something other than a flow verdict went wrong (compile, topology, load)."""


class GuardTimeout(BaseException):
    """The global time limit expired (BaseException: not swallowed by handlers)."""


class Interrupted(BaseException):
    """SIGINT/SIGTERM/SIGHUP: clean up, report, exit 128+signal."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


# --------------------------------------------------------------------------
# flows.txt

class RouterIf:
    def __init__(self, name, zone, addrs, line):
        self.name, self.zone, self.addrs, self.line = name, zone, addrs, line

    def addr(self, family):
        """The first address of the family: the segment's gateway."""
        for a in self.addrs:
            if a.version == family:
                return a
        return None

    def subnet_of(self, ip):
        """The router address whose subnet holds ip (None if none)."""
        for a in self.addrs:
            if a.version == ip.version and ip in a.network:
                return a
        return None


class Host:
    def __init__(self, name, zone, iface, addrs, line, spoof=False, saas=None):
        self.name, self.zone, self.iface, self.addrs, self.line = name, zone, iface, addrs, line
        self.spoof = spoof   # a sender on segment `iface` using an address of another zone
        self.saas = saas     # a host of this saas endpoint, on segment `iface`

    def addr(self, family):
        for a in self.addrs:
            if a.version == family:
                return a
        return None

    def ip(self, family):
        return str(self.addr(family).ip)


class Flow:
    def __init__(self, text, line, proto, family, src, sport, dst, dport, verdict, disabled=None):
        self.text, self.line = text, line
        self.proto, self.family = proto, family
        self.src, self.sport, self.dst, self.dport = src, sport, dst, dport
        self.verdict = verdict
        self.disabled = disabled or verdict   # verdict while the kill-switch group is disabled

    def in_phase(self, phase):
        """This flow as checked in a kill-switch phase (verdict and text of that phase)."""
        if phase != "disabled" or self.disabled == self.verdict:
            return self
        text = self.text[:self.text.rfind(" ")] + " " + self.disabled
        return Flow(text, self.line, self.proto, self.family, self.src, self.sport,
                    self.dst, self.dport, self.disabled)


class Held:
    """`held tcp|tcp6 SRC -> DST:PORT cut|kept`: a TCP connection opened in the
    loaded phase and kept open; right after the disable artifact, data must
    (kept) or must not (cut) still cross it in both directions."""

    proto = "tcp"
    sport = None

    def __init__(self, text, line, family, src, dst, dport, expect):
        self.text, self.line, self.family = text, line, family
        self.src, self.dst, self.dport, self.expect = src, dst, dport, expect


class Spec:
    """The parsed flows.txt of one case."""

    def __init__(self):
        self.firewall = None
        self.ifaces = {}     # name -> RouterIf, in file order
        self.hosts = {}      # name -> Host
        self.flows = []
        self.held = []       # Held connections (kill-switch cases only)
        self.killswitch = None   # kill-switch group to disable and restore, if any

    def phase_flows(self, phase):
        return [fl.in_phase(phase) for fl in self.flows]

    def phase_held(self, phase):
        """Held connections reported in a phase: opened in `loaded`, judged in `disabled`."""
        return self.held if phase in ("loaded", "disabled") else []

    def phases(self):
        return PHASES if self.killswitch else (None,)

    def all_variants(self):
        """Every (flow, verdict) variant any phase checks (for listeners and the baseline)."""
        out = list(self.flows)
        if self.killswitch:
            out += [fl.in_phase("disabled") for fl in self.flows if fl.disabled != fl.verdict]
        return out


def _addr_list(words, path, lineno):
    out = []
    for w in words:
        for part in w.split(","):
            if not part:
                continue
            try:
                out.append(ipaddress.ip_interface(part))
            except ValueError:
                raise SetupError(f"{path}:{lineno}: bad address '{part}'")
    return out


def _check_test_range(a, path, lineno):
    rng = V4_RANGE if a.version == 4 else V6_RANGE
    if a.ip not in rng:
        raise SetupError(f"{path}:{lineno}: address {a.ip} is outside the test range {rng}")


_FLOW_RE = re.compile(
    r"^(?P<proto>\S+)\s+(?P<src>[A-Za-z0-9_.-]+)(?::(?P<sport>\d+))?\s*->\s*"
    r"(?P<dst>[A-Za-z0-9_.-]+)(?::(?P<dport>\d+))?\s+(?P<verdict>\S+)"
    r"(?:\s+disabled\s+(?P<disabled>\S+))?$")
_HELD_RE = re.compile(
    r"^held\s+(?P<proto>tcp6?)\s+(?P<src>[A-Za-z0-9_.-]+)\s*->\s*"
    r"(?P<dst>[A-Za-z0-9_.-]+):(?P<dport>\d+)\s+(?P<expect>cut|kept)$")


def parse_flows(path):
    spec = Spec()
    pending_hosts = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for lineno, raw in enumerate(lines, 1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        words = text.split()
        kw = words[0]
        where = f"{path}:{lineno}"
        if kw == "firewall":
            if len(words) != 2:
                raise SetupError(f"{where}: expected 'firewall NAME'")
            spec.firewall = words[1]
        elif kw == "killswitch":
            if len(words) != 2:
                raise SetupError(f"{where}: expected 'killswitch GROUP'")
            if spec.killswitch:
                raise SetupError(f"{where}: one killswitch group per case")
            spec.killswitch = words[1]
        elif kw == "router":
            # router IFACE zone ZONE ADDR/LEN [ADDR/LEN]...: the first address of
            # each family is the segment's gateway; more add connected subnets
            if len(words) < 5 or words[2] != "zone":
                raise SetupError(f"{where}: expected 'router IFACE zone ZONE ADDR/LEN [ADDR/LEN]...'")
            name, zone = words[1], words[3]
            if len(name) > 15 or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
                raise SetupError(f"{where}: '{name}' is not a valid Linux interface name")
            if name in spec.ifaces:
                raise SetupError(f"{where}: interface {name} declared twice")
            addrs = _addr_list(words[4:], path, lineno)
            for a in addrs:
                _check_test_range(a, path, lineno)
            for i, a in enumerate(addrs):
                if any(a.network.overlaps(b.network) for b in addrs[:i] if b.version == a.version):
                    raise SetupError(f"{where}: {a} overlaps another subnet of {name}")
            spec.ifaces[name] = RouterIf(name, zone, addrs, lineno)
        elif kw == "host" and len(words) > 2 and words[2] == "saas":
            # host NAME saas SAAS iface IFACE ADDR[/LEN] [ADDR6[/LEN]]: a host of a
            # saas endpoint, on the segment of the interface the endpoint attaches to
            if len(words) < 7 or words[4] != "iface":
                raise SetupError(f"{where}: expected 'host NAME saas SAAS iface IFACE ADDR [ADDR6]'")
            name = words[1]
            if name in spec.hosts:
                raise SetupError(f"{where}: host {name} declared twice")
            spec.hosts[name] = Host(name, None, words[5], words[6:], lineno, saas=words[3])
            pending_hosts.append((spec.hosts[name], lineno))
        elif kw == "host":
            # host NAME zone ZONE [iface IFACE] ADDR[/LEN] [ADDR6[/LEN]]
            if len(words) < 5 or words[2] != "zone":
                raise SetupError(f"{where}: expected 'host NAME zone ZONE [iface IFACE] ADDR [ADDR6]'")
            name, zone, rest, iface = words[1], words[3], words[4:], None
            if rest[0] == "iface":
                if len(rest) < 3:
                    raise SetupError(f"{where}: 'iface' needs a name and an address must follow")
                iface, rest = rest[1], rest[2:]
            if name in spec.hosts:
                raise SetupError(f"{where}: host {name} declared twice")
            spec.hosts[name] = Host(name, zone, iface, rest, lineno)
            pending_hosts.append((spec.hosts[name], lineno))
        elif kw == "spoof":
            # spoof NAME iface IFACE ADDR [ADDR6]: sends from segment IFACE with
            # another zone's address (anti-spoofing checks; udp deny flows only)
            if len(words) < 5 or words[2] != "iface":
                raise SetupError(f"{where}: expected 'spoof NAME iface IFACE ADDR [ADDR6]'")
            name = words[1]
            if name in spec.hosts:
                raise SetupError(f"{where}: host {name} declared twice")
            spec.hosts[name] = Host(name, None, words[3], words[4:], lineno, spoof=True)
            pending_hosts.append((spec.hosts[name], lineno))
        elif kw == "held":
            m = _HELD_RE.match(text)
            if not m:
                raise SetupError(f"{where}: expected 'held tcp|tcp6 SRC -> DST:PORT cut|kept'")
            dport = int(m["dport"])
            if not 1 <= dport <= 65535 or dport == PROBE_PORT:
                raise SetupError(f"{where}: bad port {dport} (1-65535, not {PROBE_PORT})")
            spec.held.append(Held(" ".join(words), lineno, PROTOS[m["proto"]][1], m["src"], m["dst"], dport,
                                  m["expect"]))
        elif kw in PROTOS:
            m = _FLOW_RE.match(text)
            if not m:
                raise SetupError(f"{where}: expected 'PROTO SRC[:SPORT] -> DST[:PORT] allow|deny|reply-only'")
            proto, family = PROTOS[kw]
            verdict, disabled = m["verdict"], m["disabled"]
            for v in (verdict, disabled or verdict):
                if v not in VERDICTS:
                    raise SetupError(f"{where}: verdict must be one of {', '.join(VERDICTS)}")
            sport = int(m["sport"]) if m["sport"] else None
            dport = int(m["dport"]) if m["dport"] else None
            if disabled and sport:
                raise SetupError(f"{where}: a flow whose verdict changes with the kill switch must not "
                                 "pin its source port (the earlier phase's conntrack entry would carry it)")
            if proto == "icmp":
                if sport or dport:
                    raise SetupError(f"{where}: icmp flows have no ports")
                if "reply-only" in (verdict, disabled):
                    raise SetupError(f"{where}: reply-only needs tcp or udp")
            else:
                if dport is None or not 1 <= dport <= 65535:
                    raise SetupError(f"{where}: {proto} flows need a destination port 1-65535")
                if sport is not None and not 1 <= sport <= 65535:
                    raise SetupError(f"{where}: bad source port")
                if sport is not None and "reply-only" in (verdict, disabled):
                    raise SetupError(f"{where}: reply-only picks its own source ports")
                if PROBE_PORT in (sport, dport):
                    raise SetupError(f"{where}: port {PROBE_PORT} is reserved for reply-only probes")
            shown = text.split()[:-2] if disabled else text.split()   # text as of the loaded phase
            spec.flows.append(Flow(" ".join(shown), lineno, proto, family,
                                   m["src"], sport, m["dst"], dport, verdict, disabled))
        else:
            raise SetupError(f"{where}: unknown line '{words[0]}' (expected firewall, killswitch, "
                             f"router, host, spoof, held or a flow: {', '.join(PROTOS)})")

    if not spec.ifaces:
        raise SetupError(f"{path}: no 'router' lines")
    by_zone = {}
    for i in spec.ifaces.values():
        by_zone.setdefault(i.zone, []).append(i)
    for host, lineno in pending_hosts:
        where = f"{path}:{lineno}"
        if host.spoof:
            rif = spec.ifaces.get(host.iface)
            if rif is None:
                raise SetupError(f"{where}: no router interface {host.iface}")
            host.zone = rif.zone
            addrs = _addr_list(host.addrs, path, lineno)
            for i, a in enumerate(addrs):
                addrs[i] = a = ipaddress.ip_interface(a.ip)          # a host address (/32, /128)
                _check_test_range(a, path, lineno)
                if rif.addr(a.version) is None:
                    raise SetupError(f"{where}: router interface {rif.name} has no IPv{a.version} address")
                if rif.subnet_of(a.ip):
                    raise SetupError(f"{where}: {a.ip} is in {rif.name}'s own subnet; that is not spoofing")
            if not addrs or len({a.version for a in addrs}) != len(addrs):
                raise SetupError(f"{where}: one address per family")
            host.addrs = addrs
            continue
        if host.saas:
            rif = spec.ifaces.get(host.iface)
            if rif is None:
                raise SetupError(f"{where}: no router interface {host.iface}")
            host.zone = rif.zone
        if host.iface is None:
            cands = by_zone.get(host.zone, [])
            if len(cands) != 1:
                raise SetupError(f"{where}: zone {host.zone} has {len(cands)} router interfaces; "
                                 "say 'iface NAME'")
            host.iface = cands[0].name
        rif = spec.ifaces.get(host.iface)
        if rif is None or rif.zone != host.zone:
            raise SetupError(f"{where}: no router interface {host.iface} in zone {host.zone}")
        addrs = []
        for w in host.addrs:
            for part in w.split(","):
                if not part:
                    continue
                try:
                    a = ipaddress.ip_interface(part)
                except ValueError:
                    raise SetupError(f"{where}: bad address '{part}'")
                if rif.addr(a.version) is None:
                    raise SetupError(f"{where}: router interface {rif.name} has no IPv{a.version} address")
                ra = rif.subnet_of(a.ip)
                if ra is None:
                    nets = ", ".join(str(x.network) for x in rif.addrs if x.version == a.version)
                    raise SetupError(f"{where}: {a.ip} is not in {rif.name}'s subnets ({nets})")
                if "/" not in part:
                    a = ipaddress.ip_interface(f"{a.ip}/{ra.network.prefixlen}")
                if a.network != ra.network:
                    raise SetupError(f"{where}: {a} is not in {rif.name}'s subnet {ra.network}")
                if a.ip == ra.ip:
                    raise SetupError(f"{where}: {a.ip} is the router's own address")
                _check_test_range(a, path, lineno)
                addrs.append(a)
        if not addrs or len({a.version for a in addrs}) != len(addrs):
            raise SetupError(f"{where}: a host needs one address per family (IPv4 and/or IPv6)")
        host.addrs = addrs
    seen = {}
    for h in spec.hosts.values():
        for a in h.addrs:
            if a.ip in seen:
                raise SetupError(f"{path}:{h.line}: address {a.ip} also used by {seen[a.ip]}")
            seen[a.ip] = h.name
    for fl in spec.flows + spec.held:
        where = f"{path}:{fl.line}"
        for hn in (fl.src, fl.dst):
            if hn not in spec.hosts:
                raise SetupError(f"{where}: unknown host {hn}")
        s, d = spec.hosts[fl.src], spec.hosts[fl.dst]
        if d.spoof:
            raise SetupError(f"{where}: a spoofing sender cannot be a destination")
        if s.spoof and (fl.proto != "udp" or fl.verdict != "deny" or fl.disabled != "deny" or fl.sport):
            raise SetupError(f"{where}: spoofed flows must be 'udp/udp6 SPOOFER -> HOST:PORT deny' "
                             "(replies cannot come back, so only arrival is checked)")
        if s.addr(fl.family) is None or d.addr(fl.family) is None:
            raise SetupError(f"{where}: both hosts need an IPv{fl.family} address")
        if s.iface == d.iface:
            raise SetupError(f"{where}: {fl.src} and {fl.dst} sit on the same segment; "
                             "no firewall is crossed")
    if not spec.flows:
        raise SetupError(f"{path}: no flows")
    if any(fl.disabled != fl.verdict for fl in spec.flows) and not spec.killswitch:
        raise SetupError(f"{path}: flows say 'disabled VERDICT' but there is no 'killswitch GROUP' line")
    if spec.held and not spec.killswitch:
        raise SetupError(f"{path}:{spec.held[0].line}: 'held' needs a 'killswitch GROUP' line")
    return spec


_NAME = r"[A-Za-z0-9_:*][A-Za-z0-9_.:/*-]*"


def _strip(policy_text):
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', policy_text)   # strings first, they may hold '#'
    return re.sub(r"#[^\n]*", "", text)


def _blocks(kind, policy_text):
    """(name, body) of every `KIND NAME [in PARENT] { ... }` statement (zone, saas)."""
    return [(m[1], m[2]) for m in re.finditer(
        rf"(?<![\w-]){kind}\s+({_NAME})(?:\s+in\s+{_NAME})?\s*\{{([^}}]*)\}}", _strip(policy_text))]


def policy_networks(policy_text):
    """[(network, (kind, name))] from the policy's zone and saas statements (a
    light scan, to catch flows.txt mistakes; the compiler is the real parser)."""
    out = []
    for kind in ("zone", "saas"):
        for name, body in _blocks(kind, policy_text):
            nm = re.search(r"\bnetworks\s+([^\s,]+(?:\s*,\s*[^\s,]+)*)", body)
            for w in (re.split(r"\s*,\s*", nm[1]) if nm else []):
                try:
                    out.append((ipaddress.ip_network(w, strict=False), (kind, name)))
                except ValueError:
                    pass
    return out


def saas_attachment(policy_text, saas, ifaces):
    """The interface a saas endpoint attaches to (docs/language.md): the first
    interface of its `behind` zone, else the first whose zone is of kind internet."""
    blocks = dict(_blocks("saas", policy_text))
    if saas not in blocks:
        raise SetupError(f"policy has no saas {saas}")
    behind = re.search(rf"\bbehind\s+({_NAME})", blocks[saas])
    if behind:
        zones = {behind[1]}
    else:
        zones = {z for z, body in _blocks("zone", policy_text)
                 if re.search(r"\bkind\s+internet\b", body)}
    return next((i for i, z in ifaces.items() if z in zones), None)


def check_host_zones(spec, policy_text, where):
    """Every host address must belong (longest prefix) to the zone (or saas)
    flows.txt says."""
    nets = policy_networks(policy_text)
    for h in spec.hosts.values():
        want = ("saas", h.saas) if h.saas else ("zone", h.zone)
        for a in h.addrs:
            best = max(((n.prefixlen, o) for n, o in nets if n.version == a.version and a.ip in n),
                       default=None)
            if h.spoof:
                if best is None or best[1] == ("zone", h.zone):
                    raise SetupError(f"{where}: spoofed address {a.ip} should belong to a zone other "
                                     f"than {h.zone} (the zone of {h.iface})")
            elif best is None or best[1] != want:
                owner = " ".join(best[1]) if best else "no zone"
                raise SetupError(f"{where}: host {h.name} {a.ip} is in {owner} per the policy, "
                                 f"not in {' '.join(want)}")


def policy_interfaces(policy_text, firewall):
    """(firewall name, {iface: zone}) from the policy's firewall statement(s)."""
    text = _strip(policy_text)
    fws = {}
    for m in re.finditer(r"\bfirewall\s+([A-Za-z0-9_:*][A-Za-z0-9_.:/*-]*)\s*\{([^}]*)\}", text):
        fws[m[1]] = dict((i, z) for i, z in re.findall(
            r"\binterface\s+(\S+)\s+zone\s+([A-Za-z0-9_:*][A-Za-z0-9_.:/*-]*)", m[2]))
    if firewall is None:
        if len(fws) != 1:
            raise SetupError(f"policy has {len(fws)} firewalls; name one with 'firewall NAME' in flows.txt")
        firewall = next(iter(fws))
    if firewall not in fws:
        raise SetupError(f"policy has no firewall {firewall}")
    return firewall, fws[firewall]


# --------------------------------------------------------------------------
# processes and cleanup

VERBOSE = False
KEEP = False
_CREATED = []          # namespaces we made, in creation order
_TMPDIRS = []
_CLEAN_LOCK = threading.Lock()


def log(msg):
    if VERBOSE:
        print(f"  . {msg}", flush=True)


def run(cmd, input=None, timeout=30, check=True):
    log(" ".join(cmd))
    try:
        p = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout, text=True)
    except subprocess.TimeoutExpired:
        raise SetupError(f"timed out after {timeout}s: {' '.join(cmd)}")
    except OSError as e:
        raise SetupError(f"cannot run {cmd[0]}: {e}")
    if check and p.returncode != 0:
        raise SetupError(f"`{' '.join(cmd)}` exited {p.returncode}: {(p.stderr or p.stdout).strip()}")
    return p


def ns_delete(name):
    p = subprocess.run(["ip", "netns", "delete", name], capture_output=True, text=True, timeout=30)
    if p.returncode != 0 and os.path.exists(f"/run/netns/{name}"):
        print(f"WARNING: could not delete namespace {name}: {p.stderr.strip()}", file=sys.stderr)


def cleanup_all():
    with _CLEAN_LOCK:
        if KEEP:
            if _CREATED:
                print(f"kept {len(_CREATED)} namespaces: {' '.join(_CREATED)}", flush=True)
            if _TMPDIRS:
                print(f"kept files in: {' '.join(_TMPDIRS)}", flush=True)
            _CREATED.clear()
            _TMPDIRS.clear()
            return
        while _CREATED:
            name = _CREATED.pop()
            try:
                ns_delete(name)
            except Exception as e:   # keep going: delete the rest
                print(f"WARNING: deleting {name}: {e}", file=sys.stderr)
        while _TMPDIRS:
            shutil.rmtree(_TMPDIRS.pop(), ignore_errors=True)


def remove_stale():
    """Delete nse<pid>-* namespaces whose owning process no longer exists."""
    p = run(["ip", "netns", "list"])
    for line in p.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.match(rf"^{PREFIX}(\d+)-", name)
        if not m:
            continue
        pid = int(m[1])
        alive = pid != os.getpid()
        if alive:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                alive = False
            except PermissionError:
                pass
        if not alive:
            print(f"removing stale namespace {name} (pid {pid} is gone)", flush=True)
            ns_delete(name)


def check_environment():
    problems = []
    if os.geteuid() != 0:
        problems.append("must run as root (network namespaces, nft, iptables-restore)")
    for tool in ("ip", "nft", "iptables-restore", "ip6tables-restore", "ipset", "sysctl"):
        if shutil.which(tool) is None:
            problems.append(f"'{tool}' not found in PATH")
    if not problems:
        p = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
        if p.returncode != 0:
            problems.append(f"'ip netns' unavailable: {p.stderr.strip()}")
    return problems


# --------------------------------------------------------------------------
# namespaces and sockets inside them

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
_HOME_NS = None


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"setns: {os.strerror(e)}")


@contextlib.contextmanager
def in_netns(fd):
    """Run the body in another network namespace (this thread only)."""
    _setns(fd)
    try:
        yield
    finally:
        _setns(_HOME_NS)


_topo_seq = 0


class Topology:
    """A router namespace plus one namespace per firewall interface."""

    def __init__(self, spec, label):
        global _topo_seq
        self.spec, self.label = spec, label
        tag = f"{PREFIX}{os.getpid()}-{_topo_seq}"
        _topo_seq += 1
        self.router = f"{tag}r"
        self.zone_ns = {name: f"{tag}z{i}" for i, name in enumerate(spec.ifaces)}
        self.fds = {}
        self.responder = None
        self.listeners = {}  # (proto, ip, port) -> socket
        self.held = []       # open HeldConn objects (closed by close_held / destroy)

    def host_ns(self, host):
        return self.zone_ns[self.spec.hosts[host].iface]

    def create(self):
        if KEEP:
            print(f"  [keep] {self.label}: router {self.router}, "
                  + ", ".join(f"{i}={n}" for i, n in self.zone_ns.items()), flush=True)
        sysctl_common = ["net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                         "net.ipv6.conf.all.accept_ra=0", "net.ipv6.conf.default.accept_ra=0"]
        for ns in [self.router] + list(self.zone_ns.values()):
            _CREATED.append(ns)       # first: a signal may arrive while `ip` runs
            run(["ip", "netns", "add", ns])
            extra = ["net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
                     # the firewall, not reverse-path filtering, must drop spoofed packets
                     "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0"] \
                if ns == self.router else []
            run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w"] + sysctl_common + extra)
            self.fds[ns] = os.open(f"/run/netns/{ns}", os.O_RDONLY)
        batch = ["link set lo up"]
        for name, rif in self.spec.ifaces.items():
            batch.append(f"link add {name} type veth peer name eth0 netns {self.zone_ns[name]}")
            for a in rif.addrs:
                batch.append(f"addr add {a.with_prefixlen} dev {name}" + (" nodad" if a.version == 6 else ""))
            batch.append(f"link set {name} up")
        self._batch(self.router, batch)
        for name, rif in self.spec.ifaces.items():
            batch = ["link set lo up"]
            for h in self.spec.hosts.values():
                if h.iface == name:
                    for a in h.addrs:
                        batch.append(f"addr add {a.with_prefixlen} dev eth0" + (" nodad" if a.version == 6 else ""))
            batch.append("link set eth0 up")
            for family in (4, 6):
                gw = rif.addr(family)
                if gw:
                    # onlink: the segment's hosts may all sit in another of the router's subnets
                    batch.append(f"route add {'::/0' if family == 6 else '0.0.0.0/0'} via {gw.ip} dev eth0"
                                 + (" onlink" if family == 4 else ""))
            self._batch(self.zone_ns[name], batch)

    def _batch(self, ns, lines):
        run(["ip", "-n", ns, "-batch", "-"], input="\n".join(lines) + "\n")

    def close_held(self):
        while self.held:
            self.held.pop().close()

    def destroy(self):
        self.close_held()
        if self.responder:
            self.responder.stop()
            self.responder = None
        for s in self.listeners.values():
            s.close()
        self.listeners.clear()
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()
        if KEEP:
            return
        for ns in [self.router] + list(self.zone_ns.values()):
            if ns in _CREATED:
                ns_delete(ns)
                _CREATED.remove(ns)

    # -- listeners ---------------------------------------------------------

    def start_listeners(self, flows):
        self.responder = Responder()
        need = set()
        for fl in flows:
            if fl.proto == "icmp":
                continue
            need.add((fl.proto, fl.family, fl.dst, fl.dport))
            if fl.verdict == "reply-only":
                need.add((fl.proto, fl.family, fl.src, PROBE_PORT))
        for h in self.spec.held:
            need.add(("tcp", h.family, h.dst, h.dport))
        for proto, family, host, port in sorted(need):
            ip = self.spec.hosts[host].ip(family)
            fam = socket.AF_INET if family == 4 else socket.AF_INET6
            with in_netns(self.fds[self.host_ns(host)]):
                s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            try:
                s.bind((ip, port))
            except OSError as e:
                s.close()
                raise SetupError(f"cannot listen on {proto} {host} [{ip}]:{port}: {e}")
            if proto == "tcp":
                s.listen(128)
            s.setblocking(False)
            self.listeners[(proto, ip, port)] = s
            self.responder.add(proto, s)
        self.responder.start()


class Responder(threading.Thread):
    """Echo server for every listener of a topology; records who reached it.

    A payload starting with b"Q" (query) is answered with b"R" + the rest;
    anything else is only recorded, so a probe can never start an echo loop.
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.sel = selectors.DefaultSelector()
        self.seen = set()
        self.claims = {}     # (local ip, port, peer ip, port) -> Claim: accepted connections handed over
        self.lock = threading.Lock()
        self.halt = threading.Event()

    def add(self, proto, sock):
        self.sel.register(sock, selectors.EVENT_READ, ("listen-" + proto, sock.getsockname()))

    def forget(self):
        """Drop what was seen (between kill-switch phases: a pinned source port
        seen in one phase must not count as delivered in the next)."""
        with self.lock:
            self.seen.clear()

    def claim(self, local_ip, local_port, peer_ip, peer_port):
        """Ask for the server side of the TCP connection from peer to local
        (register before connecting): it is handed over, not echoed."""
        c = Claim()
        with self.lock:
            self.claims[(ipaddress.ip_address(local_ip).compressed, local_port,
                         ipaddress.ip_address(peer_ip).compressed, peer_port)] = c
        return c

    def saw(self, proto, local_ip, local_port, peer_ip, peer_port):
        with self.lock:
            return (proto, local_ip, local_port, peer_ip, peer_port) in self.seen

    def _record(self, proto, local, peer):
        with self.lock:
            self.seen.add((proto, ipaddress.ip_address(local[0]).compressed, local[1],
                           ipaddress.ip_address(peer[0]).compressed, peer[1]))

    def run(self):
        while not self.halt.is_set():
            for key, _ in self.sel.select(timeout=0.1):
                kind, local = key.data
                sock = key.fileobj
                try:
                    if kind == "listen-tcp":
                        conn, peer = sock.accept()
                        self._record("tcp", local, peer)
                        with self.lock:
                            claim = self.claims.pop((ipaddress.ip_address(local[0]).compressed, local[1],
                                                     ipaddress.ip_address(peer[0]).compressed, peer[1]),
                                                    None)
                            if claim and claim.abandoned:
                                conn.close()
                            elif claim:
                                claim.conn = conn
                                claim.ready.set()
                        if claim:
                            continue
                        conn.setblocking(False)
                        self.sel.register(conn, selectors.EVENT_READ, ("conn", local))
                    elif kind == "listen-udp":
                        data, peer = sock.recvfrom(4096)
                        self._record("udp", local, peer)
                        if data.startswith(b"Q"):
                            sock.sendto(b"R" + data[1:], peer)
                    else:
                        data = sock.recv(4096)
                        if not data:
                            raise ConnectionError
                        if data.startswith(b"Q"):
                            sock.send(b"R" + data[1:])
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    if kind == "conn":
                        self.sel.unregister(sock)
                        sock.close()
        for key in list(self.sel.get_map().values()):
            if key.data[0] == "conn":
                key.fileobj.close()
        self.sel.close()

    def stop(self):
        self.halt.set()
        self.join(timeout=5)


class Claim:
    def __init__(self):
        self.ready = threading.Event()
        self.conn = None
        self.abandoned = False   # the claimer gave up: the responder closes a late accept


# --------------------------------------------------------------------------
# traffic

class Attempt:
    def __init__(self, completed, delivered, detail):
        self.completed, self.delivered, self.detail = completed, delivered, detail


def _family(f):
    return socket.AF_INET if f == 4 else socket.AF_INET6


def tcp_attempt(topo, src, sport, dst, dport, family, timeout):
    spec = topo.spec
    sip, dip = spec.hosts[src].ip(family), spec.hosts[dst].ip(family)
    token = secrets.token_hex(8).encode() + b"\n"
    with in_netns(topo.fds[topo.host_ns(src)]):
        s = socket.socket(_family(family), socket.SOCK_STREAM)
    completed, detail = False, ""
    try:
        if sport:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind((sip, sport or 0))
        lport = s.getsockname()[1]
        deadline = time.monotonic() + timeout
        s.settimeout(timeout)
        try:
            s.connect((dip, dport))
            s.sendall(b"Q" + token)
            buf = b""
            want = b"R" + token
            while len(buf) < len(want):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise socket.timeout
                s.settimeout(left)
                chunk = s.recv(64)
                if not chunk:
                    break
                buf += chunk
            completed = buf == want
            detail = "connected, echo received" if completed else f"connected, bad echo {buf!r}"
        except socket.timeout:
            detail = "timed out"
        except OSError as e:
            detail = f"{e.strerror or e}"
    finally:
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, no TIME_WAIT
        except OSError:
            pass
        s.close()
    delivered = topo.responder.saw("tcp", ipaddress.ip_address(dip).compressed, dport,
                                   ipaddress.ip_address(sip).compressed, lport)
    return Attempt(completed, delivered, detail)


def _rst_close(sock):
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, no TIME_WAIT
    except OSError:
        pass
    sock.close()


class HeldConn:
    """One `held` connection: the client socket in SRC's namespace and the
    server side, taken over from the responder, in DST's."""

    def __init__(self, topo, held):
        self.topo, self.held = topo, held
        self.client = self.server = None
        self.claim = None
        self.opened = False      # connected and exchanged data both ways in the loaded phase
        self.detail = ""

    def close(self):
        if self.claim:
            with self.topo.responder.lock:
                self.claim.abandoned = True
                self.server = self.server or self.claim.conn
        for s in (self.client, self.server):
            if s is not None:
                _rst_close(s)
        self.client = self.server = None

    def open(self, timeout):
        """Connect and exchange data both ways; sets opened and detail."""
        h, spec = self.held, self.topo.spec
        sip, dip = spec.hosts[h.src].ip(h.family), spec.hosts[h.dst].ip(h.family)
        with in_netns(self.topo.fds[self.topo.host_ns(h.src)]):
            self.client = socket.socket(_family(h.family), socket.SOCK_STREAM)
        try:
            self.client.bind((sip, 0))
            lport = self.client.getsockname()[1]
            self.claim = self.topo.responder.claim(dip, h.dport, sip, lport)
            self.client.settimeout(timeout)
            self.client.connect((dip, h.dport))
        except socket.timeout:
            self.detail = "connect timed out"
            return
        except OSError as e:
            self.detail = f"connect: {e.strerror or e}"
            return
        if not self.claim.ready.wait(timeout):
            self.detail = "connected, but the server never accepted"
            return
        self.server = self.claim.conn
        ok, self.detail = self.exchange(timeout, True)
        self.opened = ok
        if ok:
            self.detail = "connected; " + self.detail

    def exchange(self, timeout, expect):
        """Send a fresh token client -> server and another server -> client at
        once, then read both sides for up to `timeout` seconds. expect=True:
        both tokens must arrive intact (returns as soon as they have);
        expect=False: neither side may receive a single byte in `timeout`.
        Returns (ok, detail)."""
        c_tok = b"C" + secrets.token_hex(8).encode() + b"\n"
        s_tok = b"S" + secrets.token_hex(8).encode() + b"\n"
        got = {"server": b"", "client": b""}
        errs = []
        socks = {"server": self.server, "client": self.client}
        for who, sock, tok in (("client", self.client, c_tok), ("server", self.server, s_tok)):
            try:
                sock.settimeout(timeout)
                sock.sendall(tok)
            except OSError as e:
                errs.append(f"{who} send: {e.strerror or e}")
        want = {"server": c_tok, "client": s_tok}
        open_ = {k for k in socks}
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            for who in open_:
                socks[who].setblocking(False)
                sel.register(socks[who], selectors.EVENT_READ, who)
            while sel.get_map():
                if expect and all(len(got[k]) >= len(want[k]) for k in got):
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                for key, _ in sel.select(left):
                    who = key.data
                    try:
                        chunk = key.fileobj.recv(256)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError as e:
                        errs.append(f"{who} recv: {e.strerror or e}")
                        chunk = b""
                    else:
                        if not chunk:
                            errs.append(f"{who}: connection closed by peer")
                    if chunk:
                        got[who] += chunk
                    else:
                        sel.unregister(key.fileobj)
        for sock in socks.values():
            with contextlib.suppress(OSError):
                sock.setblocking(True)
        err = ("; " + "; ".join(errs)) if errs else ""
        if expect:
            bad = [f"{'server got' if k == 'server' else 'client got'} {got[k]!r}, not the token"
                   for k in got if got[k] != want[k]]
            if bad:
                return False, "data does not flow both ways: " + "; ".join(bad) + err
            return True, "data flows both ways (server got the client's bytes, client got the reply)"
        leaked = [("the server received the client's new bytes" if k == "server"
                   else "the client received the server's new bytes") for k in got if got[k]]
        if leaked:
            return False, "not cut: " + "; ".join(leaked) + err
        return True, (f"cut: no byte crossed in either direction in {timeout:g}s" + err)


def held_open(topo, helds, timeout):
    """Open every held connection (the loaded phase, or the baseline)."""
    conns = [HeldConn(topo, h) for h in helds]
    topo.held.extend(conns)
    deadline = time.monotonic() + 7 * timeout + 30
    run_parallel([lambda c=c: c.open(3 * timeout) for c in conns], 64, deadline)
    return conns


def held_check(conns, timeout, expect=None):
    """Judge the held connections after the disable artifact (expect=None: by
    each one's cut/kept; True: all must still carry data, the baseline).
    A `cut` connection is watched for `timeout` seconds; `kept` ones get 3x
    that to deliver (they return as soon as the data is in)."""
    def one(c):
        if not c.opened:
            return FlowResult(c.held, False, f"not checked: the connection was not opened ({c.detail})")
        keep = expect if expect is not None else c.held.expect == "kept"
        ok, detail = c.exchange(3 * timeout if keep else timeout, keep)
        return FlowResult(c.held, ok, detail)
    deadline = time.monotonic() + 4 * timeout + 30
    return run_parallel([lambda c=c: one(c) for c in conns], 64, deadline)


def udp_attempt(topo, src, sport, dst, dport, family, timeout):
    spec = topo.spec
    sip, dip = spec.hosts[src].ip(family), spec.hosts[dst].ip(family)
    token = secrets.token_hex(8).encode()
    with in_netns(topo.fds[topo.host_ns(src)]):
        s = socket.socket(_family(family), socket.SOCK_DGRAM)
    completed, detail = False, "no reply"
    try:
        if sport:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind((sip, sport or 0))
        lport = s.getsockname()[1]
        s.connect((dip, dport))
        start = time.monotonic()
        sends = 0
        while not completed:
            now = time.monotonic() - start
            if now >= timeout:
                break
            if sends < 3 and now >= sends * timeout / 3:   # resend twice in case of loss
                try:
                    s.send(b"Q" + token)
                except OSError as e:
                    detail = e.strerror or str(e)
                sends += 1
            s.settimeout(min(timeout / 3, max(0.01, timeout - now)))
            try:
                data = s.recv(256)
                if data == b"R" + token:
                    completed, detail = True, "reply received"
            except socket.timeout:
                pass
            except OSError as e:          # e.g. ICMP port unreachable
                detail = e.strerror or str(e)
    finally:
        s.close()
    delivered = topo.responder.saw("udp", ipaddress.ip_address(dip).compressed, dport,
                                   ipaddress.ip_address(sip).compressed, lport)
    return Attempt(completed, delivered, detail)


def udp_probe(topo, src, dst, dport, family, timeout):
    """Reply-only probe for udp SRC -> DST:DPORT: DST's service socket (source
    port DPORT) sends unsolicited to SRC:PROBE_PORT; it must not arrive."""
    spec = topo.spec
    sip, dip = spec.hosts[src].ip(family), spec.hosts[dst].ip(family)
    sock = topo.listeners[("udp", dip, dport)]
    try:
        for _ in range(2):
            sock.sendto(b"P" + secrets.token_hex(8).encode(), (sip, PROBE_PORT))
    except OSError as e:
        return Attempt(False, False, f"send failed: {e}")
    deadline = time.monotonic() + timeout
    key = (ipaddress.ip_address(sip).compressed, PROBE_PORT, ipaddress.ip_address(dip).compressed, dport)
    while time.monotonic() < deadline:
        if topo.responder.saw("udp", *key):
            return Attempt(True, True, "probe arrived")
        time.sleep(0.05)
    return Attempt(False, False, "probe did not arrive")


def _checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


_icmp_id_lock = threading.Lock()
_icmp_next_id = [secrets.randbelow(0xFFFF)]


def icmp_attempt(topo, src, dst, family, timeout):
    """One ICMP echo request (raw socket; iputils ping is not a dependency)."""
    spec = topo.spec
    sip, dip = spec.hosts[src].ip(family), spec.hosts[dst].ip(family)
    with _icmp_id_lock:
        ident = _icmp_next_id[0] = (_icmp_next_id[0] + 1) & 0xFFFF
    payload = secrets.token_bytes(16)
    if family == 4:
        req_type, rep_type, proto = 8, 0, socket.IPPROTO_ICMP
    else:
        req_type, rep_type, proto = 128, 129, socket.IPPROTO_ICMPV6
    with in_netns(topo.fds[topo.host_ns(src)]):
        s = socket.socket(_family(family), socket.SOCK_RAW, proto)
    try:
        s.bind((sip, 0))
        start = time.monotonic()
        sends = 0
        while True:
            now = time.monotonic() - start
            if now >= timeout:
                return Attempt(False, False, "no echo reply")
            if sends < 3 and now >= sends * timeout / 3:
                hdr = struct.pack("!BBHHH", req_type, 0, 0, ident, sends)
                csum = _checksum(hdr + payload) if family == 4 else 0   # kernel fills ICMPv6's
                s.sendto(struct.pack("!BBHHH", req_type, 0, csum, ident, sends) + payload, (dip, 0))
                sends += 1
            s.settimeout(min(timeout / 3, max(0.01, timeout - now)))
            try:
                data, peer = s.recvfrom(2048)
            except socket.timeout:
                continue
            if family == 4:
                data = data[(data[0] & 0x0F) * 4:]
            if (len(data) >= 8 and data[0] == rep_type and
                    struct.unpack("!H", data[4:6])[0] == ident and data[8:] == payload and
                    ipaddress.ip_address(peer[0]) == ipaddress.ip_address(dip)):
                return Attempt(True, True, "echo reply received")
    finally:
        s.close()


def run_parallel(jobs, limit, deadline):
    """Run callables on daemon threads (at most `limit` at once); results in order."""
    results = [None] * len(jobs)
    errors = []
    idx = [0]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                i = idx[0]
                if i >= len(jobs):
                    return
                idx[0] += 1
            try:
                results[i] = jobs[i]()
            except Exception as e:  # reported as a setup error below
                errors.append(e)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(limit, len(jobs)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))
        if t.is_alive():
            raise SetupError("traffic threads did not finish in time")
    if errors:
        raise SetupError(f"traffic error: {errors[0]!r}")
    return results


class FlowResult:
    def __init__(self, flow, ok, detail):
        self.flow, self.ok, self.detail = flow, ok, detail


def run_flows(topo, flows, timeout, enforce):
    """Send every flow once (then retry expected-to-pass failures once).

    enforce=False is the baseline run without rules: every flow and every
    reply-only probe must then get through, which proves the topology works
    and that each denied flow is denied by the firewall, not by the plumbing.
    """

    def forward(fl, t):
        if fl.proto == "tcp":
            return tcp_attempt(topo, fl.src, fl.sport, fl.dst, fl.dport, fl.family, t)
        if fl.proto == "udp":
            return udp_attempt(topo, fl.src, fl.sport, fl.dst, fl.dport, fl.family, t)
        return icmp_attempt(topo, fl.src, fl.dst, fl.family, t)

    def probe(fl, t):
        if fl.proto == "tcp":
            # the destination opens a connection *from* its service port: a
            # stateless "allow replies by source port" rule would let it in
            return tcp_attempt(topo, fl.dst, fl.dport, fl.src, PROBE_PORT, fl.family, t)
        return udp_probe(topo, fl.src, fl.dst, fl.dport, fl.family, t)

    def wants_forward(fl):
        return (fl.verdict != "deny" or not enforce) and not topo.spec.hosts[fl.src].spoof

    deadline = time.monotonic() + 8 * timeout + 30
    fwd = run_parallel([lambda fl=fl: forward(fl, timeout) for fl in flows], 256, deadline)
    # retry forward attempts that should have passed (load hiccups), with more time
    again = [i for i, fl in enumerate(flows) if wants_forward(fl) and not fwd[i].completed]
    for i, r in zip(again, run_parallel([lambda fl=flows[i]: forward(fl, 3 * timeout) for i in again],
                                        256, deadline)):
        fwd[i] = r
    ro = [i for i, fl in enumerate(flows) if fl.verdict == "reply-only"]
    prb = dict(zip(ro, run_parallel([lambda fl=flows[i]: probe(fl, timeout) for i in ro], 256, deadline)))
    if not enforce:
        again = [i for i in ro if not prb[i].completed and not prb[i].delivered]
        for i, r in zip(again, run_parallel([lambda fl=flows[i]: probe(fl, 3 * timeout) for i in again],
                                            256, deadline)):
            prb[i] = r

    out = []
    for i, fl in enumerate(flows):
        f, p = fwd[i], prb.get(i)
        if not enforce and topo.spec.hosts[fl.src].spoof:
            ok, detail = f.delivered, ("arrived (replies go astray, as expected)" if f.delivered
                                       else "spoofed datagram did not arrive")
        elif not enforce:
            ok = f.completed and (p is None or p.delivered)
            detail = f.detail if not f.completed else (f"probe: {p.detail}" if p else f.detail)
        elif fl.verdict == "allow":
            ok, detail = f.completed, f.detail
        elif fl.verdict == "deny":
            ok = not f.completed and not f.delivered
            detail = f.detail + ("" if ok or f.completed else "; but the destination saw it")
        else:
            ok = f.completed and not p.completed and not p.delivered
            if not f.completed:
                detail = f"forward: {f.detail}"
            else:
                detail = f"forward ok; unsolicited reverse from port {fl.dport}: " + \
                         ("got through" if (p.completed or p.delivered) else "dropped")
        out.append(FlowResult(fl, ok, detail))
    return out


# --------------------------------------------------------------------------
# compile and load

def compile_policy(netsep, policy, outdir, backends, as_of, group=None):
    """`netsep compile POLICY` or, with a group, `netsep killswitch POLICY GROUP`;
    both with the fixed --as-of date, both must exit 0."""
    cmd = [netsep] + (["killswitch", policy, group] if group else ["compile", policy]) \
        + ["-o", outdir, "--as-of", as_of]
    for b in backends:
        cmd += ["--backend", b]
    p = run(cmd, timeout=120, check=False)
    if p.returncode != 0:
        how = (f"was killed by {signal.Signals(-p.returncode).name} (compiler crash)"
               if p.returncode < 0 else f"exited {p.returncode}")
        raise SetupError(f"`{' '.join(cmd)}` {how} (expected exit 0):\n"
                         + indent(p.stderr.strip() or p.stdout.strip() or "(no output)"))
    if p.stderr.strip():
        log("compiler said:\n" + indent(p.stderr.strip()))


def indent(text, pfx="    "):
    return "\n".join(pfx + line for line in text.splitlines())


def artifact(fwdir, name):
    path = os.path.join(fwdir, name)
    if not os.path.isfile(path):
        have = ", ".join(sorted(os.listdir(fwdir))) if os.path.isdir(fwdir) else "directory missing"
        raise SetupError(f"compiler output {path} not found ({have})")
    return path


def load_rules(topo, backend, fwdir):
    r = topo.router
    if backend == "nftables":
        path = artifact(fwdir, "nftables.nft")
        run(["ip", "netns", "exec", r, "nft", "-c", "-f", path])
        run(["ip", "netns", "exec", r, "nft", "-f", path])
        if not run(["ip", "netns", "exec", r, "nft", "list", "tables"]).stdout.strip():
            raise SetupError(f"{path} loaded but created no table")
    else:
        # the way the files' headers say: the load script feeds both rules
        # files to iptables-restore --noflush and adds the one FORWARD jump
        # (and, when the catch-all zone needs them, swaps in the declared
        # sets of ipset.rules); the router namespace must then hold exactly
        # the sets of ipset.rules, with their members, and no staging copy
        # (of the sets named ns_*: a scenario may give the host sets of its own)
        for name in ("iptables.rules", "ip6tables.rules"):
            artifact(fwdir, name)
        run(["ip", "netns", "exec", r, "sh", artifact(fwdir, "iptables-load.sh")])
        setfile = os.path.join(fwdir, "ipset.rules")
        want = _set_lines(open(setfile).read()) if os.path.exists(setfile) else []
        have = [line for line in _live_sets(r) if line.split()[1].startswith("ns_")]
        if have != want:
            diff = "\n".join(list(difflib.unified_diff(want, have, "ipset.rules", "live",
                                                       lineterm=""))[:40])
            raise SetupError("the live ipsets are not those of ipset.rules:\n" + indent(diff))


def _set_lines(text):
    """The sets of an `ipset restore`/`ipset save` text as sorted lines
    "create NAME TYPE family F" / "add NAME MEMBER" (a /32 or /128 member
    spelled as ipset prints it: without the length)."""
    out = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and f[0] == "create":
            out.append(" ".join(f[:5]))
        elif len(f) == 3 and f[0] == "add":
            member = f[2].removesuffix("/128" if ":" in f[2] else "/32")
            out.append(f"add {f[1]} {member}")
    return sorted(out)


def _live_sets(router):
    return _set_lines(run(["ip", "netns", "exec", router, "ipset", "save"]).stdout)


def _snapshot(topo, backend):
    r = topo.router
    if backend == "nftables":
        return run(["ip", "netns", "exec", r, "nft", "-s", "list", "ruleset"]).stdout
    out = ""
    for tool in ("iptables-save", "ip6tables-save"):
        text = run(["ip", "netns", "exec", r, tool]).stdout
        out += "".join(re.sub(r"\[\d+:\d+\]", "", line) + "\n"
                       for line in text.splitlines() if not line.startswith("#"))
    return out + "".join(line + "\n" for line in _live_sets(r))


def reload_rules(topo, backend, fwdir):
    """Apply the artifacts a second time, the way an operator re-deploys them
    (`nft -f` again; `sh iptables-load.sh` again, as the files' headers say):
    it must succeed and leave exactly the same ruleset. Returns a problem or ''."""
    before = _snapshot(topo, backend)
    r = topo.router
    if backend == "nftables":
        p = run(["ip", "netns", "exec", r, "nft", "-f", os.path.join(fwdir, "nftables.nft")], check=False)
        if p.returncode:
            return f"second `nft -f` failed: {p.stderr.strip()}"
    else:
        p = run(["ip", "netns", "exec", r, "sh", os.path.join(fwdir, "iptables-load.sh")], check=False)
        if p.returncode:
            return f"second `sh iptables-load.sh` failed: {p.stderr.strip()}"
    after = _snapshot(topo, backend)
    if after != before:
        diff = "\n".join(list(difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                   "first load", "reloaded", lineterm=""))[:40])
        return "ruleset changed on reload:\n" + indent(diff)
    return ""


# --------------------------------------------------------------------------
# kill switch

def killswitch_artifact(ksdir, backend, group, action):
    """DIR/<firewall>/nftables-killswitch-GROUP-ACTION.nft or iptables-killswitch-GROUP-ACTION.sh."""
    if backend == "nftables":
        return artifact(ksdir, f"nftables-killswitch-{group}-{action}.nft")
    return artifact(ksdir, f"iptables-killswitch-{group}-{action}.sh")


def apply_killswitch(topo, backend, path):
    """Run a kill-switch artifact in the router namespace the way an operator
    does (`nft -f FILE`; `sh FILE`, which calls iptables-restore --noflush and
    ip6tables-restore --noflush). Returns a problem or ''."""
    cmd = ["nft", "-f", path] if backend == "nftables" else ["sh", path]
    p = run(["ip", "netns", "exec", topo.router] + cmd, check=False)
    if p.returncode:
        return f"`{' '.join(cmd)}` exited {p.returncode}: {(p.stderr or p.stdout).strip()}"
    return ""


def ruleset_entries(topo, backend):
    """The ruleset as the kernel holds it, as a list of (context, line): context
    is the enclosing table/chain/set (nft) or family/table/chain (iptables).
    Counters are left out, so two snapshots compare by content only."""
    r = topo.router
    out = []
    if backend == "nftables":
        ctx = []
        for line in run(["ip", "netns", "exec", r, "nft", "-s", "list", "ruleset"]).stdout.splitlines():
            t = line.strip()
            if not t:
                continue
            if t == "}":
                out.append((" ".join(ctx), t))
                ctx = ctx[:-1]
                continue
            out.append((" ".join(ctx), t))
            if t.endswith("{"):
                ctx.append(t[:-1].strip())
        return out
    for tool in ("iptables-save", "ip6tables-save"):
        table = ""
        for line in run(["ip", "netns", "exec", r, tool]).stdout.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            line = re.sub(r"\s*\[\d+:\d+\]", "", line)
            if line.startswith("*"):
                table = line[1:]
            m = re.match(r"-A (\S+)", line)
            out.append((f"{tool[:-5]} {table}" + (f" {m[1]}" if m else ""), line))
    return out


def _fmt_entries(entries, mark, limit=20):
    lines = [f"{mark} [{c}] {t}" for c, t in entries[:limit]]
    if len(entries) > limit:
        lines.append(f"  ... {len(entries) - limit} more")
    return lines


_MARK_SET_RE = re.compile(r"(?:\bct mark set|--set-x?mark)\s+(0x[0-9a-fA-F]+|\d+)")
_ELEMENTS_RE = re.compile(r"^elements = \{(.*)\}$")


def group_marks(entries, tok):
    """Conntrack marks the loaded ruleset puts on the group's connections: the
    value of every `ct mark set X` (nft) / `--set-xmark X` (iptables) on a
    line that names the group (its exception rule, or its marking chain)."""
    return {int(m[1], 0) for c, t in entries if tok.search(f"{c} {t}") for m in _MARK_SET_RE.finditer(t)}


def _elements(line):
    """The members of an nft `elements = { ... }` line, or None."""
    m = _ELEMENTS_RE.match(line)
    if not m:
        return None
    try:
        return {int(w.strip(), 0) for w in m[1].split(",") if w.strip()}
    except ValueError:
        return None


def check_disable(before, after, group):
    """After the disable artifact: rules of the group are gone (each must name
    the group: in its kill-switch comment or its chain) and at least one rule
    was removed; nothing else was removed or changed. The only additions
    allowed are the group's cut of its open connections: drop rules that name
    the group (iptables: the DROP of its conntrack mark in its own chain) or, in an
    nft set, the group's conntrack mark(s) (group_marks) added to the set's
    elements. Returns a problem or ''."""
    tok = re.compile(rf"(?<![A-Za-z0-9-]){re.escape(group)}(?![A-Za-z0-9-])")
    marks = group_marks(before, tok)
    removed, foreign, added, cut = [], [], [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        gone, new = list(before[i1:i2]) if op in ("delete", "replace") else [], \
            list(after[j1:j2]) if op in ("insert", "replace") else []
        # a set's elements line that gained only the group's marks
        for e in list(new):
            grown = _elements(e[1])
            if grown is None:
                continue
            old = next((g for g in gone if g[0] == e[0] and _elements(g[1]) is not None), None)
            had = _elements(old[1]) if old else set()
            if had <= grown and grown - had and grown - had <= marks:
                new.remove(e)
                cut.append(e)
                if old:
                    gone.remove(old)
        for e in gone:
            (removed if tok.search(f"{e[0]} {e[1]}") else foreign).append(e)
        for e in new:
            drops = re.search(r"(?:-j DROP|\bdrop)\b", e[1])
            (cut if drops and tok.search(f"{e[0]} {e[1]}") else added).append(e)
    if foreign or added:
        return "the disable artifact touched more than the group's rules:\n" + indent(
            "\n".join(_fmt_entries(foreign, "-") + _fmt_entries(added, "+")))
    if not removed:
        return f"the disable artifact removed no rule of group {group}"
    log(f"disable removed {len(removed)} line(s) and added {len(cut)} (the cut of open connections, "
        f"group marks {', '.join(hex(m) for m in sorted(marks)) or 'none'}):\n"
        + indent("\n".join(_fmt_entries(removed, "-") + _fmt_entries(cut, "+"))))
    return ""


def check_same(before, after, what_before, what_after):
    if before == after:
        return ""
    diff = list(difflib.unified_diff([f"[{c}] {t}" for c, t in before], [f"[{c}] {t}" for c, t in after],
                                     what_before, what_after, lineterm=""))
    return "ruleset differs:\n" + indent("\n".join(diff[:40]))


def killswitch_step(topo, backend, ksdir, group, action, reference):
    """Apply the ACTION (disable/enable) artifact, check the ruleset against
    `reference` (the loaded ruleset), apply it a second time (an operator may
    hit the switch twice) and check nothing changes. Returns a problem or ''."""
    path = killswitch_artifact(ksdir, backend, group, action)
    problem = apply_killswitch(topo, backend, path)
    if problem:
        return problem
    now = ruleset_entries(topo, backend)
    if action == "disable":
        problem = check_disable(reference, now, group)
    else:
        problem = check_same(reference, now, "loaded", "after enable")
        if problem:
            problem = "the enable artifact did not restore the loaded ruleset: " + problem
    if problem:
        return problem
    problem = apply_killswitch(topo, backend, path)
    if problem:
        return "second run: " + problem
    problem = check_same(now, ruleset_entries(topo, backend), f"after {action}", f"after a second {action}")
    return f"second {action} changed the ruleset: {problem}" if problem else ""


def dump_rules(topo, backend):
    r = topo.router
    if backend == "nftables":
        cmds = [["nft", "list", "ruleset"]]
    else:
        cmds = [["iptables-save"], ["ip6tables-save"]]
    out = []
    for c in cmds:
        p = run(["ip", "netns", "exec", r] + c, check=False)
        out.append(f"# {' '.join(c)} in the router namespace\n{p.stdout.strip()}")
    return "\n".join(out)


# --------------------------------------------------------------------------
# driver

class Case:
    def __init__(self, name, policy, flows_path, spec=None, error=None):
        self.name, self.policy, self.flows_path = name, policy, flows_path
        self.spec, self.error = spec, error
        self.firewall = None


def discover(cases_dir, only):
    """Each case dir holds flows.txt and policy.nsp; policy-VARIANT.nsp files
    are extra variants checked against the same flows (case name CASE/VARIANT)."""
    out = []
    if not os.path.isdir(cases_dir):
        raise SetupError(f"no cases directory {cases_dir}")
    names = sorted(d for d in os.listdir(cases_dir) if os.path.isdir(os.path.join(cases_dir, d)))
    if only:
        missing = [n for n in only if n not in names]
        if missing:
            raise SetupError(f"no such case: {', '.join(missing)} (have: {', '.join(names)})")
        names = [n for n in names if n in only]
    for n in names:
        out.extend(load_case_dir(os.path.join(cases_dir, n), n))
    return out


def load_case_dir(d, name):
    flows_path = os.path.join(d, "flows.txt")
    policies = sorted(f for f in os.listdir(d) if re.fullmatch(r"policy(-[A-Za-z0-9_-]+)?\.nsp", f))
    if "policy.nsp" not in policies:
        return [Case(name, os.path.join(d, "policy.nsp"), flows_path, error=f"{d}: no policy.nsp")]
    out = []
    try:
        spec = parse_flows(flows_path)
    except (SetupError, OSError) as e:
        spec, err = None, str(e)
    else:
        err = None
    for p in policies:
        cname = name if p == "policy.nsp" else f"{name}/{p[len('policy-'):-len('.nsp')]}"
        c = Case(cname, os.path.join(d, p), flows_path, spec, err)
        if spec is not None:
            try:
                with open(c.policy, encoding="utf-8") as f:
                    text = f.read()
                fw, ifs = policy_interfaces(text, spec.firewall)
                check_host_zones(spec, text, flows_path)
                c.firewall = fw
                declared = {n: i.zone for n, i in spec.ifaces.items()}
                if declared != ifs:
                    raise SetupError(f"{flows_path}: router lines {declared} do not match firewall "
                                     f"{fw}'s interfaces {ifs} in {c.policy}")
                for h in spec.hosts.values():
                    if h.saas:
                        att = saas_attachment(text, h.saas, ifs)
                        if att != h.iface:
                            raise SetupError(f"{flows_path}:{h.line}: saas {h.saas} attaches to "
                                             f"{att or 'no interface'} of {fw}, not {h.iface}")
            except (SetupError, OSError) as e:
                c.error = str(e)
        out.append(c)
    return out


class Tally:
    def __init__(self):
        self.passed = self.failed = self.errors = 0

    def report(self, ok, backend, case, text, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {backend} {case}: {text}"
              + (f"  -- {detail}" if detail and (not ok or VERBOSE) else ""), flush=True)

    def error(self, backend, case, msg):
        self.errors += 1
        print(f"ERROR {backend} {case}: {msg}", flush=True)


def run_case(case, args, tally, workdir):
    spec = case.spec
    group = spec.killswitch if spec else None

    def label(phase, text):
        return f"[{phase}] {text}" if phase else text

    def fail_all(backends, why):
        if spec:
            for b in backends:
                for phase in spec.phases():
                    for fl in spec.phase_held(phase) + spec.phase_flows(phase):
                        tally.report(False, b, case.name, label(phase, fl.text), f"not run: {why}")
        else:
            for b in backends:
                tally.report(False, b, case.name, "(case)", f"not run: {why}")

    if case.error:
        tally.error("-", case.name, case.error)
        fail_all(args.backend, "bad case")
        return
    t0 = time.monotonic()
    outdir = os.path.join(workdir, re.sub(r"[^A-Za-z0-9_.-]", "_", case.name))
    try:
        if args.artifacts:
            outdir = ksout = args.artifacts
        else:
            compile_policy(args.netsep, case.policy, outdir, args.backend, args.as_of)
            ksout = outdir + ".killswitch"
            if group:
                compile_policy(args.netsep, case.policy, ksout, args.backend, args.as_of, group)
        fwdir = os.path.join(outdir, case.firewall)
        ksdir = os.path.join(ksout, case.firewall)
        if group:
            for b in args.backend:
                for action in ("disable", "enable"):
                    killswitch_artifact(ksdir, b, group, action)
        # baseline: same topology, no rules: everything must get through
        topo = Topology(spec, f"baseline (no rules) {case.name}")
        try:
            topo.create()
            variants = spec.all_variants()
            topo.start_listeners(variants)
            bad = [r for r in run_flows(topo, variants, args.flow_timeout, enforce=False) if not r.ok]
            # held connections: open, then data must still flow both ways (no rules to cut them)
            conns = held_open(topo, spec.held, args.flow_timeout)
            bad += [FlowResult(c.held, False, c.detail) for c in conns if not c.opened]
            bad += [r for r in held_check([c for c in conns if c.opened], args.flow_timeout, True)
                    if not r.ok]
        finally:
            topo.destroy()
        if bad:
            raise SetupError("baseline without firewall rules failed (topology or flows.txt problem):\n"
                             + "\n".join(f"    {r.flow.text}: {r.detail}" for r in bad))
    except SetupError as e:
        tally.error("-", case.name, str(e))
        fail_all(args.backend, "setup error")
        return
    for backend in args.backend:
        topo = Topology(spec, f"{backend} {case.name}")
        done = set()      # phases whose flows were reported
        try:
            topo.create()
            load_rules(topo, backend, fwdir)
            problem = reload_rules(topo, backend, fwdir)
            tally.report(not problem, backend, case.name,
                         "(reload: applying the rules again changes nothing)", problem)
            topo.start_listeners(spec.all_variants())
            loaded = ruleset_entries(topo, backend) if group else None
            for phase in spec.phases():
                if phase in ("disabled", "enabled"):
                    action = phase[:-1]
                    problem = killswitch_step(topo, backend, ksdir, group, action, loaded)
                    what = ("removes only the group's rules" if action == "disable"
                            else "restores the loaded ruleset exactly")
                    tally.report(not problem, backend, case.name,
                                 f"(killswitch {group} {action}: {what}; a second run changes nothing)",
                                 problem)
                    topo.responder.forget()
                results = []
                if phase == "loaded" and spec.held:
                    # open the held connections through the freshly loaded rules
                    results += [FlowResult(c.held, c.opened, c.detail)
                                for c in held_open(topo, spec.held, args.flow_timeout)]
                elif phase == "disabled" and spec.held:
                    # right after the disable artifact: cut or kept, on the same connections
                    results += held_check(topo.held, args.flow_timeout)
                    topo.close_held()
                flows = spec.phase_flows(phase)
                results += run_flows(topo, flows, args.flow_timeout, enforce=True)
                done.add(phase)
                for r in results:
                    tally.report(r.ok, backend, case.name, label(phase, r.flow.text), r.detail)
                if not all(r.ok for r in results):
                    state = f" ({phase})" if phase else ""
                    print(f"  artifacts: {fwdir}" + (f", {ksdir}" if group else "")
                          + f"\n  ruleset{state}:\n{indent(dump_rules(topo, backend))}", flush=True)
                    if case.name.startswith("random-"):
                        with open(case.policy, encoding="utf-8") as f:
                            print(f"  generated policy {case.policy}:\n{indent(f.read())}", flush=True)
        except SetupError as e:
            tally.error(backend, case.name, str(e))
            for phase in spec.phases():
                if phase not in done:
                    for fl in spec.phase_held(phase) + spec.phase_flows(phase):
                        tally.report(False, backend, case.name, label(phase, fl.text), "not run: setup error")
        finally:
            topo.destroy()
    nflows = sum(len(spec.flows) + len(spec.phase_held(p)) for p in spec.phases())
    log(f"{case.name}: {nflows} flows x {len(args.backend)} backends in {time.monotonic() - t0:.1f}s")


def main(argv=None):
    global VERBOSE, KEEP, _HOME_NS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netsep", help="path to the netsep binary")
    ap.add_argument("--cases", default=os.path.join(HERE, "cases"), help="directory of case directories")
    ap.add_argument("--case", action="append", default=[],
                    help="run only this case (repeatable; 'property' = only the random policies)")
    ap.add_argument("--backend", action="append", choices=BACKENDS, help="default: all")
    ap.add_argument("--random", type=int, default=None,
                    help="number of random property-test policies (default 3; 0 with --case unless given)")
    ap.add_argument("--seed", type=int, default=None, help="seed for the random policies (default: random)")
    ap.add_argument("--as-of", default=AS_OF,
                    help=f"date passed to compile and killswitch (default {AS_OF}, fixed so that "
                         "exception validity does not depend on the day of the run)")
    ap.add_argument("--keep", action="store_true", help="keep namespaces and compiler output for debugging")
    ap.add_argument("--artifacts", help="use these compiler outputs (DIR/<firewall>/...) instead of compiling")
    ap.add_argument("--flow-timeout", type=float, default=1.0, help="seconds per connection attempt")
    ap.add_argument("--global-timeout", type=int, default=600, help="hard limit for the whole run, seconds")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    VERBOSE, KEEP = args.verbose, args.keep
    args.backend = list(dict.fromkeys(args.backend or BACKENDS))
    if not args.netsep and not args.artifacts:
        ap.error("--netsep is required (or --artifacts)")
    if args.netsep:
        args.netsep = os.path.abspath(args.netsep)
    if args.random is None:
        args.random = 0 if (args.case and "property" not in args.case) else 3
    if args.seed is None:
        args.seed = int(os.environ.get("NETSEP_ENFORCE_SEED", secrets.randbelow(10**6)))

    def on_signal(signum, _frame):
        signal.signal(signum, signal.SIG_IGN)    # one is enough; cleanup must not be interrupted
        raise Interrupted(signum)

    def on_alarm(_signum, _frame):
        raise GuardTimeout()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.global_timeout)
    atexit.register(cleanup_all)

    tally = Tally()
    start = time.monotonic()
    status = 0
    try:
        cases = []
        try:
            named = [c for c in args.case if c != "property"]
            if named or not args.case:
                cases = discover(args.cases, named)
            if args.random > 0:
                sys.path.insert(0, HERE)
                import gen_random
                workdir = tempfile.mkdtemp(prefix="netsep-enforce-random-")
                _TMPDIRS.append(workdir)
                print(f"property: {args.random} random policies, seed {args.seed} "
                      f"(reproduce with --case property --random {args.random} --seed {args.seed})", flush=True)
                for d in gen_random.generate(args.seed, args.random, workdir):
                    cases.extend(load_case_dir(d, os.path.basename(d)))
        except SetupError as e:
            tally.error("-", "-", str(e))
        problems = check_environment()
        if problems:
            for p in problems:
                tally.error("-", "-", f"environment: {p}")
            for c in cases:
                for phase in (c.spec.phases() if c.spec else ()):
                    for fl in c.spec.phase_held(phase) + c.spec.phase_flows(phase):
                        for b in args.backend:
                            tally.report(False, b, c.name, (f"[{phase}] " if phase else "") + fl.text,
                                         "not run: environment")
        else:
            _HOME_NS = os.open("/proc/self/ns/net", os.O_RDONLY)
            remove_stale()
            workdir = tempfile.mkdtemp(prefix="netsep-enforce-")
            _TMPDIRS.append(workdir)
            for c in cases:
                run_case(c, args, tally, workdir)
    except GuardTimeout:
        tally.error("-", "-", f"global timeout of {args.global_timeout}s expired; aborting")
    except SetupError as e:
        tally.error("-", "-", str(e))
    except (Interrupted, KeyboardInterrupt) as e:
        signum = getattr(e, "signum", signal.SIGINT)
        tally.error("-", "-", f"interrupted by {signal.Signals(signum).name}; cleaning up")
        status = 128 + signum
    finally:
        signal.alarm(0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        cleanup_all()
    print(f"(elapsed {time.monotonic() - start:.1f}s)", flush=True)
    print(f"{tally.passed} passed, {tally.failed} failed", flush=True)
    if status:
        return status
    return 1 if (tally.failed or tally.errors) else 0


if __name__ == "__main__":
    sys.exit(main())
