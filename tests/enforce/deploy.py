#!/usr/bin/env python3
"""Deployment scenarios on real packets: what happens to a firewall across
loads, reloads, redeploys and kill switches, for netsep's nftables and
iptables output. Uses the namespaces, traffic and kill-switch machinery of
run.py (the enforcement harness); each scenario lives in deploy/<name>/
(topology.txt: the router and host lines of a flows.txt; the policy files)
and its steps are written out below.

- coexist:   a host with its own forwarding rules (a foreign chain, FORWARD
             rules, an interface netsep does not know, an nft table of its
             own). netsep's load and three reloads leave them working and
             unchanged, add exactly one FORWARD jump, and keep netsep's
             default drop between its own interfaces; a redeploy without a
             zone pair leaves no chain of it behind.
- engaged:   `kill-switch GROUP engaged ...` in the policy: a redeploy keeps
             the group's flow cut (open connections too) while other flows
             pass, also after an emergency disable.
- declared-set: the catch-all zone (iptables: the declared-address ipset,
             swapped in by the load script): a redeploy that only declares
             another network moves a host out of the internet zone and
             back; a load whose commit the kernel refuses leaves the old
             rules and the old set.
- two-groups: one flow allowed by exceptions of two kill-switch groups: an
             open connection lives exactly as long as a new one would pass
             (while either group is on), whichever group goes off first.

    python3 tests/enforce/deploy.py --netsep build/netsep [--scenario NAME]...
        [--backend nftables|iptables]... [--verbose] [--keep]
"""

import argparse
import atexit
import difflib
import os
import re
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run as h  # noqa: E402  (the enforcement harness)

SCENARIOS = os.path.join(HERE, "deploy")
AS_OF = h.AS_OF


class Step:
    """What one scenario does on one backend, with the harness's tally."""

    def __init__(self, name, backend, args, tally, workdir):
        self.name, self.backend, self.args, self.tally = name, backend, args, tally
        self.dir = os.path.join(SCENARIOS, name)
        self.work = os.path.join(workdir, f"{name}-{backend}")
        os.makedirs(self.work, exist_ok=True)
        with open(os.path.join(self.dir, "topology.txt"), encoding="utf-8") as f:
            self.topology = f.read()
        self.flow_lines = []  # every flow line any phase checks
        self.held_lines = []
        self.topo = None

    # -- spec and topology ------------------------------------------------

    def spec(self, flows, held=()):
        """A parsed flows.txt: the scenario's topology plus these lines."""
        path = os.path.join(self.work, f"flows-{len(os.listdir(self.work))}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.topology + "\n" + "\n".join(list(flows) + list(held)) + "\n")
        return h.parse_flows(path)

    def start(self, phases, held=()):
        """Build the namespaces, listen for every flow of every phase, and
        check that all of them pass with no rules loaded (the plumbing)."""
        self.flow_lines = [l for p in phases for l in p]
        self.held_lines = list(held)
        spec = self.spec(self.flow_lines, self.held_lines)
        self.topo = h.Topology(spec, f"{self.backend} {self.name}")
        self.topo.create()
        variants = [fl for fl in spec.flows]
        self.topo.start_listeners(variants)
        bad = [r for r in h.run_flows(self.topo, variants, self.args.flow_timeout, enforce=False)
               if not r.ok]
        if bad:
            raise h.SetupError("baseline without rules failed:\n"
                               + "\n".join(f"    {r.flow.text}: {r.detail}" for r in bad))

    def flows(self, label, lines):
        spec = self.spec(lines)
        results = h.run_flows(self.topo, spec.flows, self.args.flow_timeout, enforce=True)
        for r in results:
            self.report(r.ok, f"[{label}] {r.flow.text}", r.detail)
        if not all(r.ok for r in results):
            print(h.indent(h.dump_rules(self.topo, self.backend)), flush=True)

    def report(self, ok, text, detail=""):
        self.tally.report(ok, self.backend, self.name, text, detail)

    # -- artifacts --------------------------------------------------------

    def compile(self, policy, tag):
        out = os.path.join(self.work, tag)
        h.compile_policy(self.args.netsep, os.path.join(self.dir, policy), out, [self.backend], AS_OF)
        return os.path.join(out, "fw")

    def killswitch(self, policy, group, tag):
        out = os.path.join(self.work, tag)
        h.compile_policy(self.args.netsep, os.path.join(self.dir, policy), out, [self.backend], AS_OF,
                         group)
        return os.path.join(out, "fw")

    def load(self, fwdir):
        h.load_rules(self.topo, self.backend, fwdir)

    def switch(self, ksdir, group, action):
        problem = h.apply_killswitch(self.topo, self.backend,
                                     h.killswitch_artifact(ksdir, self.backend, group, action))
        self.report(not problem, f"(killswitch {group} {action} runs)", problem)

    def router(self, *cmd, check=True):
        return h.run(["ip", "netns", "exec", self.topo.router] + list(cmd), check=check)

    # -- held connections -------------------------------------------------

    def hold(self, line):
        """Open one `held tcp SRC -> DST:PORT kept` connection now."""
        spec = self.spec(self.flow_lines[:1], [line])
        conn = h.held_open(self.topo, spec.held, self.args.flow_timeout)[0]
        self.report(conn.opened, f"(open {line.split(None, 1)[1].rsplit(' ', 1)[0]})", conn.detail)
        return conn

    def expect_held(self, label, conn, alive):
        if not conn.opened:
            self.report(False, f"[{label}] held connection", "never opened")
            return
        t = self.args.flow_timeout
        ok, detail = conn.exchange(3 * t if alive else t, alive)
        what = conn.held.text.split(None, 1)[1].rsplit(" ", 1)[0]
        self.report(ok, f"[{label}] open connection {what} {'kept' if alive else 'cut'}", detail)


# --------------------------------------------------------------------------
# coexist

IPT_FOREIGN = [
    # a chain of the host's own, jumped to from FORWARD, that drops 9090 and
    # accepts 8080 (which netsep does not allow between its interfaces)
    ["-N", "HOST-FWD"],
    ["-A", "HOST-FWD", "-p", "tcp", "--dport", "9090", "-j", "DROP"],
    ["-A", "HOST-FWD", "-p", "tcp", "--dport", "8080", "-j", "ACCEPT"],
    ["-A", "FORWARD", "-j", "HOST-FWD"],
    ["-A", "FORWARD", "-i", "e9", "-j", "ACCEPT"],
]
NFT_FOREIGN = """table inet hostfw {
	chain host_forward {
		type filter hook forward priority -10; policy accept;
		tcp dport 9090 counter drop
	}
}
"""


def foreign_state(step):
    """The host's own part of the ruleset, as the kernel shows it."""
    if step.backend == "nftables":
        return step.router("nft", "-s", "list", "table", "inet", "hostfw").stdout
    out = []
    for tool in ("iptables-save", "ip6tables-save"):
        for line in step.router(tool, "-t", "filter").stdout.splitlines():
            if line.startswith("#") or "ns_fw" in line:
                continue
            out.append(re.sub(r"\[\d+:\d+\]", "", line))
    return "\n".join(out)


def netsep_jumps(step):
    """FORWARD rules that jump into netsep's entry chain, per family."""
    return [sum(1 for l in step.router(tool, "-S", "FORWARD").stdout.splitlines()
                if re.fullmatch(r"-A FORWARD .*-j ns_fw", l))
            for tool in ("iptables", "ip6tables")]


def live_chains(step):
    """netsep's chains in the kernel (iptables: both families), sorted."""
    if step.backend == "nftables":
        text = step.router("nft", "list", "table", "inet", "netsep_fw").stdout
        return sorted(re.findall(r"^\tchain (\S+) \{", text, re.M))
    out = set()
    for tool in ("iptables", "ip6tables"):
        for line in step.router(tool, "-S").stdout.splitlines():
            m = re.fullmatch(r"-N (ns_fw(?:_\S+)?)", line)
            if m:
                out.add(m[1])
    return sorted(out)


def declared_chains(step, fwdir):
    if step.backend == "nftables":
        with open(os.path.join(fwdir, "nftables.nft"), encoding="utf-8") as f:
            return sorted(re.findall(r"^\tchain (\S+) \{", f.read(), re.M))
    out = set()
    for name in ("iptables.rules", "ip6tables.rules"):
        with open(os.path.join(fwdir, name), encoding="utf-8") as f:
            out.update(re.findall(r"^:(ns_fw\S*) - ", f.read(), re.M))
    return sorted(out)


def coexist(step):
    v1 = ["tcp lan1 -> dc1:443 allow",
          "tcp lan1 -> ext1:80 allow",
          "tcp dc1 -> lan1:443 deny",    # netsep's default drop, whatever the host accepts
          "tcp lan1 -> dc1:8080 deny",   # the host's chain would accept 8080: netsep decides first
          "tcp lan1 -> f1:8080 allow",   # not between netsep's interfaces: the host decides
          "tcp lan1 -> f1:9090 deny"]    # ... and its own rule still drops this
    v2 = ["tcp lan1 -> dc1:443 allow",
          "tcp lan1 -> ext1:80 deny",    # the zone pair is gone
          "tcp lan1 -> f1:8080 allow",
          "tcp lan1 -> f1:9090 deny"]
    step.start([v1, v2])
    if step.backend == "nftables":
        h.run(["ip", "netns", "exec", step.topo.router, "nft", "-f", "-"], input=NFT_FOREIGN)
    else:
        for tool in ("iptables", "ip6tables"):
            for cmd in IPT_FOREIGN:
                step.router(tool, *cmd)
    host = foreign_state(step)

    fw1 = step.compile("policy.nsp", "v1")
    step.load(fw1)
    step.report(foreign_state(step) == host, "(load: the host's own rules and chain are unchanged)",
                "host rules changed:\n" + foreign_state(step))
    if step.backend == "iptables":
        step.report(netsep_jumps(step) == [1, 1], "(load: one jump from FORWARD per family)",
                    f"jumps: {netsep_jumps(step)}")
    step.flows("loaded", v1)

    first = h._snapshot(step.topo, step.backend)
    for i in range(3):
        step.load(fw1)
    same = h._snapshot(step.topo, step.backend) == first
    step.report(same, "(three reloads: the ruleset is exactly as after the first load)")
    step.report(foreign_state(step) == host, "(reloads: the host's own rules and chain are unchanged)")
    if step.backend == "iptables":
        step.report(netsep_jumps(step) == [1, 1], "(reloads: still one jump from FORWARD per family)",
                    f"jumps: {netsep_jumps(step)}")
    step.flows("reloaded", v1)

    fw2 = step.compile("v2.nsp", "v2")
    step.load(fw2)
    live, want = live_chains(step), declared_chains(step, fw2)
    stale = sorted(set(live) - set(want))
    step.report(live == want, "(redeploy without the lan-ext pair: no chain of it is left)",
                f"stale: {stale}; missing: {sorted(set(want) - set(live))}")
    step.report(foreign_state(step) == host, "(redeploy: the host's own rules and chain are unchanged)")
    if step.backend == "iptables":
        step.report(netsep_jumps(step) == [1, 1], "(redeploy: still one jump from FORWARD per family)",
                    f"jumps: {netsep_jumps(step)}")
    step.flows("redeployed", v2)


# --------------------------------------------------------------------------
# engaged

def engaged(step):
    on = ["tcp scan1 -> ai1:443 allow", "tcp inet1 -> web1:443 allow", "tcp scan1 -> web1:443 deny"]
    off = ["tcp scan1 -> ai1:443 deny", "tcp inet1 -> web1:443 allow", "tcp scan1 -> web1:443 deny"]
    held = "held tcp scan1 -> ai1:443 kept"
    step.start([on, off], [held])
    normal = step.compile("policy.nsp", "normal")
    switched = step.compile("engaged.nsp", "engaged")
    ks = step.killswitch("policy.nsp", "ai-egress", "ks")

    # A deploy of the policy that records the switch as engaged cuts the
    # group's flow, open connections included.
    step.load(normal)
    step.flows("normal", on)
    conn = step.hold(held)
    step.load(switched)
    step.expect_held("engaged deploy", conn, False)
    step.flows("engaged deploy", off)

    # The incident: the emergency disable, then a routine deploy of the
    # policy that now records the switch: the flow stays cut.
    step.load(normal)
    step.flows("released", on)
    conn = step.hold(held)
    step.switch(ks, "ai-egress", "disable")
    step.expect_held("disabled", conn, False)
    step.flows("disabled", off)
    step.load(switched)
    step.expect_held("redeployed engaged", conn, False)
    step.flows("redeployed engaged", off)


# --------------------------------------------------------------------------
# two-groups

def two_groups(step):
    on = ["tcp scan1 -> ai1:443 allow", "tcp inet1 -> web1:443 allow"]
    off = ["tcp scan1 -> ai1:443 deny", "tcp inet1 -> web1:443 allow"]
    held = "held tcp scan1 -> ai1:443 kept"
    step.start([on, off], [held])
    step.load(step.compile("policy.nsp", "compiled"))
    ka = step.killswitch("policy.nsp", "g-a", "ks-a")
    kb = step.killswitch("policy.nsp", "g-b", "ks-b")

    first = step.hold(held)
    # g-a (whose name sorts first) off: g-b still allows the flow, so the open
    # connection stays, as a new one passes
    step.switch(ka, "g-a", "disable")
    step.expect_held("g-a off", first, True)
    step.flows("g-a off", on)
    # opened while g-a is off; then g-a on and g-b off: both live on g-a
    second = step.hold(held)
    step.switch(ka, "g-a", "enable")
    step.switch(kb, "g-b", "disable")
    step.expect_held("g-b off", first, True)
    step.expect_held("g-b off", second, True)
    step.flows("g-b off", on)
    # both off: nothing of the flow passes, old or new
    step.switch(ka, "g-a", "disable")
    step.expect_held("both off", first, False)
    step.expect_held("both off", second, False)
    step.flows("both off", off)
    step.switch(ka, "g-a", "enable")
    step.switch(kb, "g-b", "enable")
    step.flows("both on", on)


# --------------------------------------------------------------------------
# declared-set

def declared_set(step):
    v1 = ["tcp ext1 -> web1:443 allow", "tcp web1 -> ext1:443 deny"]
    v2 = ["tcp ext1 -> web1:443 deny"]
    step.start([v1, v2])
    fw1 = step.compile("policy.nsp", "v1")
    fw2 = step.compile("v2.nsp", "v2")
    if step.backend == "iptables":
        # A set of this firewall that an earlier compile left (netsep's
        # prefix, no rule uses it) and one of the host's own.
        step.router("ipset", "create", "ns_fw_dcl9", "hash:net", "family", "inet")
        step.router("ipset", "create", "hostset", "hash:ip", "family", "inet")
    step.load(fw1)
    step.flows("v1", v1)
    if step.backend == "iptables":
        names = sorted(step.router("ipset", "list", "-n").stdout.split())
        step.report(names == ["hostset", "ns_fw_dcl4"],
                    "(load: the stale set of this firewall is destroyed, the host's set stays)",
                    f"sets: {names}")
        # v2 with an IPv4 file the kernel refuses: the script swaps v2's
        # set in right before that commit, so it must swap it back.
        broken = os.path.join(step.work, "v2-broken")
        shutil.copytree(fw2, broken)
        rules = os.path.join(broken, "iptables.rules")
        with open(rules, encoding="utf-8") as f:
            text = f.read()
        with open(rules, "w", encoding="utf-8") as f:
            f.write(text.replace("\nCOMMIT\n", "\n-A ns_fw -j ns_fw_missing\nCOMMIT\n"))
        before = h._snapshot(step.topo, step.backend)
        p = step.router("sh", os.path.join(broken, "iptables-load.sh"), check=False)
        after = h._snapshot(step.topo, step.backend)
        step.report(p.returncode != 0 and after == before,
                    "(a refused commit: the script fails, v1's rules and set stay, no staging set)",
                    f"exit {p.returncode}; changed:\n" + "\n".join(difflib.unified_diff(
                        before.splitlines(), after.splitlines(), "before", "after", lineterm="")))
        step.flows("v1 after the refused load", v1)
    step.load(fw2)
    step.flows("v2: declared set grew", v2)
    step.load(fw1)
    step.flows("v1 again: declared set shrank", v1)


RUNS = {"coexist": coexist, "declared-set": declared_set, "engaged": engaged,
        "two-groups": two_groups}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netsep", required=True, help="path to the netsep binary")
    ap.add_argument("--scenario", action="append", choices=sorted(RUNS), help="default: all")
    ap.add_argument("--backend", action="append", choices=h.BACKENDS, help="default: all")
    ap.add_argument("--flow-timeout", type=float, default=1.0, help="seconds per connection attempt")
    ap.add_argument("--global-timeout", type=int, default=300, help="hard limit for the whole run")
    ap.add_argument("--keep", action="store_true", help="keep namespaces and files for debugging")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    args.netsep = os.path.abspath(args.netsep)
    h.VERBOSE, h.KEEP = args.verbose, args.keep

    def on_signal(signum, _frame):
        signal.signal(signum, signal.SIG_IGN)
        raise h.Interrupted(signum)

    def on_alarm(_signum, _frame):
        raise h.GuardTimeout()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.global_timeout)
    atexit.register(h.cleanup_all)

    tally = h.Tally()
    start = time.monotonic()
    status = 0
    try:
        problems = h.check_environment()
        if problems:
            for p in problems:
                tally.error("-", "-", f"environment: {p}")
        else:
            h._HOME_NS = os.open("/proc/self/ns/net", os.O_RDONLY)
            h.remove_stale()
            workdir = tempfile.mkdtemp(prefix="netsep-deploy-")
            h._TMPDIRS.append(workdir)
            for name in args.scenario or sorted(RUNS):
                for backend in args.backend or h.BACKENDS:
                    step = Step(name, backend, args, tally, workdir)
                    try:
                        RUNS[name](step)
                    except h.SetupError as e:
                        tally.error(backend, name, str(e))
                    finally:
                        if step.topo:
                            step.topo.destroy()
    except h.GuardTimeout:
        tally.error("-", "-", f"global timeout of {args.global_timeout}s expired; aborting")
    except (h.Interrupted, KeyboardInterrupt) as e:
        signum = getattr(e, "signum", signal.SIGINT)
        tally.error("-", "-", f"interrupted by {signal.Signals(signum).name}; cleaning up")
        status = 128 + signum
    finally:
        signal.alarm(0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        h.cleanup_all()
    print(f"(elapsed {time.monotonic() - start:.1f}s)", flush=True)
    print(f"{tally.passed} passed, {tally.failed} failed, {tally.errors} errors", flush=True)
    if status:
        return status
    return 1 if (tally.failed or tally.errors) else 0


if __name__ == "__main__":
    sys.exit(main())
