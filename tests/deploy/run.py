#!/usr/bin/env python3
"""Real-kernel tests of `netsep apply` and `netsep quarantine`.

For each backend (nftables, iptables) this builds the router and hosts of
topology.txt out of network namespaces (the tests/enforce machinery), and
drives the real netsep binary against the router namespace (`--netns`),
proving each claim with real TCP connections:

  - apply of the compiled policy (version 1) gives version 1's flows;
  - apply --confirm-within of a change that cuts the confirming path (the
    operator's SSH to app): the confirmer cannot get through, so it does not
    confirm, and the confirm timer rolls the change back by itself: version
    1's flows again and the very same ruleset as before;
  - a second apply during a confirm window is refused;
  - apply --confirm-within of a good change, confirmed over the path: it
    stays after the deadline;
  - a hand-made change to netsep's ruleset is drift: apply refuses and shows
    it, --force replaces it;
  - quarantine of zone app: its flows stop both ways, an established
    connection too, while the forensics zone keeps its access (an
    established connection of its stays up) and everything else passes;
    apply of the compiled config is refused while it is in force; the
    release restores exactly the compiled state (nft list table /
    iptables-save compared) and its flows;
  - the apply log holds every step;
  - the catch-all zone (iptables: an ipset of the declared addresses): an
    apply that only changes the declared set changes who is internet, a
    rollback and a failed commit (IPv6 refused after IPv4 was committed)
    restore the old rules with the old set, and a config without the
    catch-all destroys the set it no longer uses.

Needs root, iproute2, nft, iptables-restore/-save. Namespaces are named
nse<pid>-* and always removed. Addresses in 10.99.0.0/16 only.

    python3 tests/deploy/run.py --netsep build/netsep [--backend B]... [--keep] [-v]
"""

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ENFORCE = os.path.join(HERE, "..", "enforce", "run.py")
AS_OF = "2026-11-22"
FIREWALL = "fw"
TIMEOUT = 1.0            # seconds per connection attempt

_spec = importlib.util.spec_from_file_location("netsep_enforce", ENFORCE)
enforce = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(enforce)


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, backend, what, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS [{backend}] {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL [{backend}] {what}" + (f"\n    {detail}" if detail else ""), flush=True)
        return ok


def netsep(binary, *args, timeout=60):
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)
    enforce.log(f"netsep {' '.join(args)} -> {p.returncode}\n{p.stderr}{p.stdout}")
    return p


def flow(text):
    """'tcp SRC -> DST:PORT allow|deny' as an enforce Flow."""
    m = re.match(r"^tcp (\S+) -> (\S+):(\d+) (allow|deny)$", text)
    return enforce.Flow(text, 0, "tcp", 4, m[1], None, m[2], int(m[3]), m[4])


def flows_ok(topo, texts):
    results = enforce.run_flows(topo, [flow(t) for t in texts], TIMEOUT, True)
    bad = [f"{r.flow.text}: {r.detail}" for r in results if not r.ok]
    return not bad, "; ".join(bad)


V1 = ["tcp op -> a:22 allow", "tcp op -> d:22 allow", "tcp w -> a:8080 allow",
      "tcp a -> d:5432 allow", "tcp a -> w:80 deny", "tcp w -> d:5432 deny"]
V2_KEEPS = ["tcp op -> a:22 allow", "tcp w -> a:8080 allow", "tcp a -> d:5432 allow",
            "tcp a -> w:80 allow", "tcp w -> d:5432 deny"]
CATCHALL_V3 = ["tcp w -> a:8080 allow", "tcp op -> a:22 allow", "tcp w -> d:22 deny"]
CATCHALL_V4 = ["tcp w -> a:8080 deny", "tcp op -> a:22 deny"]
QUARANTINED = ["tcp op -> a:22 allow",      # forensics zone ops keeps its access
               "tcp op -> d:22 allow",      # unrelated flows pass
               "tcp a -> d:5432 deny",      # app's flows stop both ways
               "tcp w -> a:8080 deny",
               "tcp a -> w:80 deny",
               "tcp w -> d:5432 deny"]


def ruleset(topo, backend):
    """netsep's part of the router's ruleset as the kernel lists it (the
    router holds nothing else), counters and timestamps left out."""
    r = topo.router
    if backend == "nftables":
        return enforce.run(["ip", "netns", "exec", r, "nft", "-s", "list", "ruleset"]).stdout
    # The order iptables-save lists chains in is creation order, which
    # means nothing: chains sorted, rules in order within each chain.
    out = ""
    for tool in ("iptables-save", "ip6tables-save"):
        text = enforce.run(["ip", "netns", "exec", r, tool, "-t", "filter"]).stdout
        decls, rules = [], {}
        for line in text.splitlines():
            if line.startswith(":"):
                decls.append(re.sub(r"\[\d+:\d+\]", "[0:0]", line))
            elif line.startswith("-A "):
                rules.setdefault(line.split()[1], []).append(line)
        out += f"*{tool}\n" + "".join(d + "\n" for d in sorted(decls))
        out += "".join(line + "\n" for c in sorted(rules) for line in rules[c])
    return out + "*ipset\n" + "".join(line + "\n" for line in live_sets(topo))


def live_sets(topo):
    """netsep's ipsets in the router (named ns_*): "create NAME TYPE family F"
    and "add NAME MEMBER" lines, sorted (hash tuning left out)."""
    return [l for l in enforce._live_sets(topo.router) if l.split()[1].startswith("ns_")]


def file_sets(path):
    with open(path, encoding="utf-8") as f:
        return enforce._set_lines(f.read())


def log_entries(state, router):
    path = os.path.join(state, f"netns-{router}", FIREWALL, "apply.log")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def wait_for(pred, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


def run_backend(args, backend, out, tally):
    spec = enforce.parse_flows(os.path.join(HERE, "topology.txt"))
    topo = enforce.Topology(spec, backend)
    state = tempfile.mkdtemp(prefix="netsep-deploy-state-")
    enforce._TMPDIRS.append(state)
    t0 = time.monotonic()
    try:
        topo.create()
        topo.start_listeners([flow(t) for t in V1 + V2_KEEPS])
        where = ["--netns", topo.router, "--state-dir", state, "--backend", backend]
        conf = ["--firewall", FIREWALL] + where

        def apply(path, *extra):
            return netsep(args.netsep, "apply", path, *where, *extra)

        def check(ok, what, detail=""):
            return tally.check(ok, backend, what, detail)

        # 1. The compiled policy.
        p = apply(out["v1"])
        check(p.returncode == 0, "apply of version 1", p.stderr)
        ok, why = flows_ok(topo, V1)
        check(ok, "version 1 flows after apply", why)
        compiled = ruleset(topo, backend)

        # 2. A change that cuts the confirming path: rolled back by itself.
        p = apply(out["v2-cuts"], "--confirm-within", "2")
        check(p.returncode == 0 and "confirm within 2 s" in p.stderr,
              "apply --confirm-within 2 of a change that cuts the operator's path", p.stderr)
        p2 = apply(out["v2-keeps"], "--confirm-within", "5")
        check(p2.returncode == 1 and "awaits confirmation" in p2.stderr,
              "a second apply during the confirm window is refused (exit 1)",
              f"exit {p2.returncode}: {p2.stderr}")
        st = netsep(args.netsep, "apply", "--status", *where)
        check("AWAITING CONFIRMATION" in st.stdout and "running" in st.stdout,
              "status shows the open confirm window and its timer", st.stdout)
        # The confirmer reaches the firewall over the path the change cut:
        # it cannot get through, so it never confirms.
        reach = enforce.tcp_attempt(topo, "op", None, "a", 22, 4, TIMEOUT)
        check(not reach.completed, "the change really cut the confirming path (op -> a:22)",
              reach.detail)
        if reach.completed:
            netsep(args.netsep, "apply", "--confirm", *conf)
        rolled = wait_for(lambda: any(e["action"] == "auto-rollback"
                                      for e in log_entries(state, topo.router)), 8)
        check(rolled, "the confirm timer rolled the change back by itself")
        after = ruleset(topo, backend)
        check(after == compiled, "after the automatic rollback the ruleset is version 1's again",
              "ruleset differs from version 1's")
        ok, why = flows_ok(topo, V1)
        check(ok, "version 1 flows after the automatic rollback", why)
        p = netsep(args.netsep, "apply", "--confirm", *conf)
        check(p.returncode == 1 and "rolled back by its confirm timer" in p.stderr,
              "a confirm after the rollback is refused and says why", p.stderr)

        # 3. A good change, confirmed over the path: it stays.
        p = apply(out["v2-keeps"], "--confirm-within", "3")
        check(p.returncode == 0, "apply --confirm-within 3 of a change that keeps the path",
              p.stderr)
        reach = enforce.tcp_attempt(topo, "op", None, "a", 22, 4, TIMEOUT)
        confirmed = False
        if reach.completed:
            c = netsep(args.netsep, "apply", "--confirm", *conf)
            confirmed = c.returncode == 0
        check(confirmed, "confirmed over the operator's path", reach.detail)
        time.sleep(3.5)
        ok, why = flows_ok(topo, V2_KEEPS)
        check(ok, "the confirmed change stays after its deadline", why)

        # 4. Drift: a hand-made change is refused and shown; --force replaces it.
        r = topo.router
        if backend == "nftables":
            enforce.run(["ip", "netns", "exec", r, "nft", "add", "rule", "inet", f"netsep_{FIREWALL}",
                         "forward", "counter", "comment", "\"added by hand\""])
        else:
            chain = next(c for c in re.findall(r"^:(\S+) - ", ruleset(topo, backend), re.M))
            enforce.run(["ip", "netns", "exec", r, "iptables", "-A", chain, "-m", "comment",
                         "--comment", "added by hand", "-j", "RETURN"])
        p = apply(out["v1"])
        check(p.returncode == 1 and "added by hand" in p.stderr and "+" in p.stderr,
              "drift is refused, and the diff shows the hand-made rule", p.stderr)
        st = netsep(args.netsep, "apply", "--status", *where)
        check(st.returncode == 1 and "DRIFT" in st.stdout, "status reports the drift (exit 1)",
              st.stdout)
        p = apply(out["v1"], "--force")
        check(p.returncode == 0 and ruleset(topo, backend) == compiled,
              "apply --force replaces the drifted ruleset with version 1", p.stderr)

        # 5. Quarantine of zone app, with established connections open.
        helds = [enforce.Held("held tcp a -> d:5432 cut", 0, 4, "a", "d", 5432, "cut"),
                 enforce.Held("held tcp op -> a:22 kept", 0, 4, "op", "a", 22, "kept")]
        conns = [enforce.HeldConn(topo, h) for h in helds]
        topo.held.extend(conns)
        for c in conns:
            c.open(3 * TIMEOUT)
        check(all(c.opened for c in conns), "connections a -> d:5432 and op -> a:22 are open",
              "; ".join(c.detail for c in conns))
        qfile = os.path.join(out["quarantine"], FIREWALL,
                             "nftables-quarantine.nft" if backend == "nftables"
                             else "iptables-quarantine.sh")
        p = apply(qfile, "--confirm-within", "30")
        check(p.returncode == 0, "apply of the quarantine of zone app", p.stderr)
        cut_ok, cut_why = conns[0].exchange(TIMEOUT, False)
        check(cut_ok, "the established connection a -> d:5432 is cut both ways", cut_why)
        kept_ok, kept_why = conns[1].exchange(3 * TIMEOUT, True)
        check(kept_ok, "the forensics zone's established connection op -> a:22 stays up",
              kept_why)
        ok, why = flows_ok(topo, QUARANTINED)
        check(ok, "quarantined: app's flows stop both ways, ops keeps access, the rest passes",
              why)
        p = netsep(args.netsep, "apply", "--confirm", *conf)
        check(p.returncode == 0, "the quarantine is confirmed", p.stderr)
        p = apply(out["v1"])
        check(p.returncode == 1 and "quarantine is in force" in p.stderr,
              "apply of the compiled config is refused while the quarantine is in force",
              p.stderr)
        topo.close_held()
        rel = os.path.join(out["quarantine"], FIREWALL,
                           "nftables-quarantine-release.nft" if backend == "nftables"
                           else "iptables-quarantine-release.sh")
        p = apply(rel)
        check(p.returncode == 0, "apply of the quarantine release", p.stderr)
        released = ruleset(topo, backend)
        check(released == compiled, "the release restores exactly the compiled ruleset",
              "\n".join(l for l in __import__("difflib").unified_diff(
                  compiled.splitlines(), released.splitlines(), "compiled", "released",
                  lineterm=""))[:3000])
        ok, why = flows_ok(topo, V1)
        check(ok, "version 1 flows after the release", why)

        # 6. The log: every step, in order.
        actions = [(e["action"], e["result"]) for e in log_entries(state, topo.router)]
        want = [("apply", "ok"), ("apply", "ok"), ("apply", "refused"), ("auto-rollback", "ok"),
                ("apply", "ok"), ("confirm", "ok"), ("apply", "refused"),
                ("apply", "ok"), ("apply", "ok"), ("confirm", "ok"), ("apply", "refused"),
                ("apply", "ok")]
        check(actions == want, "the apply log records every step", f"{actions}")

        # 7. The catch-all zone (iptables: an ipset of the declared
        # addresses). v3: host w is internet and reaches app:8080; v4 only
        # declares w's network for another zone (a new set member), so w
        # loses it. Rollback and a failed commit bring v3's set back with
        # v3's rules.
        ipt = backend == "iptables"
        if ipt:
            # A set of another tool (a hash:net with timeouts and comments,
            # options netsep's sets never have), which netsep must neither
            # trip over nor touch.
            enforce.run(["ip", "netns", "exec", r, "ipset", "create", "f2b-test", "hash:net",
                         "timeout", "600", "comment"])
            enforce.run(["ip", "netns", "exec", r, "ipset", "add", "f2b-test", "192.0.2.7",
                         "comment", "banned"])
        v3sets = file_sets(os.path.join(out["v3"], FIREWALL, "ipset.rules")) if ipt else []
        v4sets = file_sets(os.path.join(out["v4"], FIREWALL, "ipset.rules")) if ipt else []
        p = apply(out["v3"])
        check(p.returncode == 0, "apply of the catch-all policy (v3)", p.stderr)
        ok, why = flows_ok(topo, CATCHALL_V3)
        check(ok, "v3: internet host w reaches app:8080", why)
        check(live_sets(topo) == v3sets, "v3: the live sets are those of its ipset.rules",
              f"{live_sets(topo)} != {v3sets}")
        at_v3 = ruleset(topo, backend)
        p = apply(out["v4"])
        check(p.returncode == 0, "apply of v4 (the declared set and group admins change)", p.stderr)
        ok, why = flows_ok(topo, CATCHALL_V4)
        check(ok, "v4: w is declared now and loses app:8080; op left group admins", why)
        if ipt:
            # group admins is a set of its own, named by its members: v4
            # replaces v3's (the rollback below must bring it back)
            objsets = [[l for l in s if l.startswith("create ns_fw_o4_")] for s in (v3sets, v4sets)]
            check(len(objsets[0]) == 1 and len(objsets[1]) == 1 and objsets[0] != objsets[1],
                  "v3 and v4 each match group admins through one set of their own", f"{objsets}")
        check(live_sets(topo) == v4sets and (v4sets != v3sets or not ipt),
              "v4: the live sets are v4's ipset.rules", f"{live_sets(topo)} != {v4sets}")
        p = netsep(args.netsep, "apply", "--rollback", *conf)
        check(p.returncode == 0, "rollback of v4", p.stderr)
        check(ruleset(topo, backend) == at_v3, "the rollback restores v3's rules and sets",
              "\n".join(__import__("difflib").unified_diff(
                  at_v3.splitlines(), ruleset(topo, backend).splitlines(), "v3", "now",
                  lineterm="")))
        ok, why = flows_ok(topo, CATCHALL_V3)
        check(ok, "after the rollback w reaches app:8080 again", why)
        if ipt:
            # v4 with an IPv6 file the kernel refuses: IPv4 (rules and set)
            # is committed first, then put back when IPv6 fails.
            p = apply(out["v4-broken"])
            # "nothing changed": the load itself put IPv4's rules and set
            # back (apply's own restore of the old snapshot was not needed).
            check(p.returncode == 2 and "kernel refused" in p.stderr
                  and "nothing changed" in p.stderr,
                  "apply of v4 with a refused ip6tables.rules fails (exit 2), nothing changed",
                  f"exit {p.returncode}: {p.stderr}")
            check(ruleset(topo, backend) == at_v3,
                  "after the failed commit v3's rules and set are live, no staging set left",
                  "\n".join(__import__("difflib").unified_diff(
                      at_v3.splitlines(), ruleset(topo, backend).splitlines(), "v3", "now",
                      lineterm="")))
            ok, why = flows_ok(topo, CATCHALL_V3)
            check(ok, "after the failed commit w reaches app:8080 as in v3", why)
        p = apply(out["v1"])
        check(p.returncode == 0 and live_sets(topo) == [],
              "apply of a config without the catch-all destroys the set it no longer uses",
              f"exit {p.returncode}: {p.stderr} {live_sets(topo)}")
        if ipt:
            p = enforce.run(["ip", "netns", "exec", r, "ipset", "list", "f2b-test"], check=False)
            check(p.returncode == 0 and "192.0.2.7" in p.stdout,
                  "the other tool's set is untouched", p.stdout + p.stderr)
    except enforce.SetupError as e:
        tally.check(False, backend, "setup", str(e))
    finally:
        topo.destroy()
        print(f"[{backend}] {time.monotonic() - t0:.1f}s", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netsep", required=True)
    ap.add_argument("--backend", action="append", choices=enforce.BACKENDS)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    args.netsep = os.path.abspath(args.netsep)
    enforce.VERBOSE, enforce.KEEP = args.verbose, args.keep
    backends = list(dict.fromkeys(args.backend or enforce.BACKENDS))

    def on_signal(signum, _frame):
        signal.signal(signum, signal.SIG_IGN)
        raise enforce.Interrupted(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    tally = Tally()
    status = 0
    try:
        problems = enforce.check_environment()
        if problems:
            for p in problems:
                tally.check(False, "-", f"environment: {p}")
            return 1
        enforce._HOME_NS = os.open("/proc/self/ns/net", os.O_RDONLY)
        enforce.remove_stale()
        work = tempfile.mkdtemp(prefix="netsep-deploy-")
        enforce._TMPDIRS.append(work)
        out = {}
        for name in ("v1", "v2-cuts", "v2-keeps", "v3-catchall", "v4-catchall"):
            key = name.removesuffix("-catchall")
            out[key] = os.path.join(work, name)
            p = netsep(args.netsep, "compile", os.path.join(HERE, f"policy-{name}.nsp"),
                       "-o", out[key], "--as-of", AS_OF)
            if p.returncode != 0:
                tally.check(False, "-", f"compile policy-{name}.nsp", p.stderr)
                return 1
        # v4 whose IPv6 file the kernel refuses (a jump to a missing chain).
        out["v4-broken"] = os.path.join(work, "v4-broken")
        shutil.copytree(out["v4"], out["v4-broken"])
        v6 = os.path.join(out["v4-broken"], FIREWALL, "ip6tables.rules")
        with open(v6, encoding="utf-8") as f:
            text = f.read()
        with open(v6, "w", encoding="utf-8") as f:
            f.write(text.replace("\nCOMMIT\n", "\n-A ns_fw -j ns_fw_missing\nCOMMIT\n"))
        out["quarantine"] = os.path.join(work, "quarantine")
        p = netsep(args.netsep, "quarantine", os.path.join(HERE, "policy-v1.nsp"), "app",
                   "-o", out["quarantine"], "--as-of", AS_OF)
        tally.check(p.returncode == 0 and "access kept: zone ops (quarantine-access" in p.stdout
                    and "cut off" in p.stdout, "-", "netsep quarantine policy-v1.nsp app",
                    p.stderr + p.stdout)
        if p.returncode != 0:
            return 1
        for b in backends:
            run_backend(args, b, out, tally)
    except (enforce.Interrupted, KeyboardInterrupt) as e:
        signum = getattr(e, "signum", signal.SIGINT)
        tally.check(False, "-", f"interrupted by {signal.Signals(signum).name}")
        status = 128 + signum
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        enforce.cleanup_all()
        print(f"{tally.passed} passed, {tally.failed} failed", flush=True)
    return status or (1 if tally.failed else 0)


if __name__ == "__main__":
    sys.exit(main())
