#!/usr/bin/env python3
"""The kill-switch drill (`netsep killswitch --drill`) and its evidence in the
audit, for real: the drill builds its own network namespaces, loads the
compiled ruleset and sends real TCP.

  - policy.nsp, nftables and iptables: the drill passes (exit 0); its record
    says passed, the established exception connection was cut, the control
    flow kept passing, and its record_sha256 matches the content, recomputed
    here independently of netsep;
  - policy-leaky.nsp (NEGATIVE): a second exception in another group opens
    the same flow, so the kill switch cannot cut it: the drill must fail
    (exit 1) and still write a record with result "failed";
  - audit --drill-records (text, JSON) and register (CSV) show the last
    drill; a record edited after the drill is reported as tampered
    (DRL-005) and never trusted; a record of another policy version is
    flagged (DRL-004); a group without records is DRL-001; a failed last
    drill is DRL-003;
  - no namespace of this run survives (`ip netns list`: nsd<pid>-* of its drills).

Needs root, iproute2, nft, iptables. Addresses in 10.99.0.0/16 only. Other
tests may create namespaces at the same time: only this run's drills'
namespaces (nsd<pid>-*) are checked.

    python3 tests/drill/run.py --netsep build/netsep
"""

import argparse
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2026-11-22"
GROUP = "ai-egress"

failures = []


def check(ok, what, detail=""):
    print(("PASS " if ok else "FAIL ") + what + (f"\n    {detail}" if detail and not ok else ""),
          flush=True)
    if not ok:
        failures.append(what)
    return ok


def netsep(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


def namespaces():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def root_links():
    out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
    return {line.split(":")[1].strip() for line in out.splitlines() if ":" in line}


def interrupted_drill(binary, records):
    """SIGINT while the drill's namespaces exist: the process guard's cleanup
    must delete every one of them."""
    p = subprocess.Popen([binary, "killswitch", os.path.join(HERE, "policy.nsp"), GROUP, "--drill",
                          "--backend", "nftables", "--by", "op:lee", "--ticket", "T",
                          "--record-dir", records, "--as-of", AS_OF],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    prefix = f"nsd{p.pid}-"
    DRILL_PIDS.append(p.pid)
    seen = False
    end = time.monotonic() + 20
    while time.monotonic() < end and p.poll() is None:
        if any(n.startswith(prefix) for n in namespaces()):
            seen = True
            time.sleep(0.3)   # inside the drill (loading, probing)
            break
        time.sleep(0.02)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=30)
    left = sorted(n for n in namespaces() if n.startswith(prefix))
    return seen, p.returncode, left


def canonical_sha256(record):
    content = {k: v for k, v in record.items() if k != "record_sha256"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


DRILL_PIDS = []   # every drill process of this run: its namespaces are nsd<pid>-*


def ours():
    """Namespaces of this run's drills (other tests may run beside us)."""
    return sorted(n for n in namespaces() for pid in DRILL_PIDS if n.startswith(f"nsd{pid}-"))


def drill(binary, policy, backend, records):
    t0 = time.monotonic()
    proc = subprocess.Popen([binary, "killswitch", os.path.join(HERE, policy), GROUP, "--drill",
                             "--backend", backend, "--by", "op:lee", "--ticket", "CHG-2026-1207",
                             "--record-dir", records, "--as-of", AS_OF,
                             "--probe-timeout-ms", "700"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    DRILL_PIDS.append(proc.pid)
    out, err = proc.communicate(timeout=120)
    p = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    took = time.monotonic() - t0
    files = sorted(f for f in os.listdir(records) if f.endswith(f"-{backend}.json"))
    record = None
    if files:
        with open(os.path.join(records, files[-1]), encoding="utf-8") as f:
            record = json.load(f)
    return p, record, took, files[-1] if files else None


def checks_of(record, role, phase, connection):
    return [c for f in record["flows"] if f["role"] == role for c in f["checks"]
            if c["phase"] == phase and c["connection"] == connection]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--netsep", required=True)
    args = ap.parse_args()
    binary = os.path.abspath(args.netsep)
    if os.geteuid() != 0:
        print("SKIP: needs root")
        return 77
    links_before = root_links()
    work = tempfile.mkdtemp(prefix="netsep-drill-test-")
    try:
        good, leaky = os.path.join(work, "good"), os.path.join(work, "leaky")
        os.makedirs(good)
        os.makedirs(leaky)

        # Usage and environment errors: exit 2, no record.
        p = netsep(binary, "killswitch", os.path.join(HERE, "policy.nsp"), GROUP, "--drill",
                   "--backend", "nftables", "--record-dir", good, "--as-of", AS_OF)
        check(p.returncode == 2 and "--by" in p.stderr, "--drill without --by/--ticket: exit 2",
              p.stderr)
        p = netsep(binary, "killswitch", os.path.join(HERE, "policy.nsp"), "no-such-group",
                   "--drill", "--backend", "nftables", "--by", "x", "--ticket", "y",
                   "--record-dir", good, "--as-of", AS_OF)
        check(p.returncode == 2 and "no-such-group" in p.stderr, "unknown group: exit 2",
              p.stderr)
        check(not os.listdir(good), "no record written on a usage error")

        # An iptables config whose catch-all is an ipset needs the ipset
        # tool: without it on PATH the drill says so before any namespace.
        bare = os.path.join(work, "path-without-ipset")
        os.makedirs(bare)
        for d in ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"):
            if os.path.isdir(d):
                for f in os.listdir(d):
                    if f != "ipset" and not os.path.lexists(os.path.join(bare, f)):
                        os.symlink(os.path.join(d, f), os.path.join(bare, f))
        # A rule from the catch-all zone: the iptables config classifies
        # declared sources by an ipset.
        with open(os.path.join(HERE, "policy.nsp"), encoding="utf-8") as f:
            text = f.read()
        with_set = os.path.join(work, "policy-ipset.nsp")
        with open(with_set, "w", encoding="utf-8") as f:
            f.write(text + '\naccess web-in { from internet to dmz service https\n'
                    '                justification "public web" owner "web-team" }\n')
        before = namespaces()
        p = subprocess.run([binary, "killswitch", with_set, GROUP,
                            "--drill", "--backend", "iptables", "--by", "op:lee", "--ticket", "T",
                            "--record-dir", good, "--as-of", AS_OF],
                           capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, PATH=bare))
        check(p.returncode == 2 and "the drill needs `ipset`" in p.stderr,
              "iptables drill without the ipset tool: exit 2, says it needs ipset",
              f"exit {p.returncode}\n{p.stderr}")
        check(namespaces() == before and not os.listdir(good),
              "iptables drill without ipset: no namespace, no record")

        for backend in ("nftables", "iptables"):
            p, rec, took, name = drill(binary, "policy.nsp", backend, good)
            print(f"     [{backend}] drill took {took:.1f} s")
            if not check(p.returncode == 0 and rec is not None,
                         f"[{backend}] drill passes (exit 0) and writes a record",
                         f"exit {p.returncode}\n{p.stdout}{p.stderr}"):
                continue
            check(rec["result"] == "passed" and rec["failed_checks"] == [],
                  f"[{backend}] record: result passed", json.dumps(rec["failed_checks"]))
            check(rec["record_sha256"] == canonical_sha256(rec),
                  f"[{backend}] record: record_sha256 matches the canonical content")
            cut = checks_of(rec, "exception", "engaged", "established")
            check(len(cut) == 1 and cut[0]["observed"] == "blocked",
                  f"[{backend}] record: the established exception connection was cut", cut)
            new = checks_of(rec, "exception", "engaged", "new")
            check(len(new) == 2 and all(c["observed"] == "blocked" for c in new),
                  f"[{backend}] record: new exception connections (IPv4 and IPv6) blocked", new)
            ctl = checks_of(rec, "control", "engaged", "new") + \
                checks_of(rec, "control", "engaged", "established")
            check(len(ctl) == 2 and all(c["observed"] == "passes" for c in ctl),
                  f"[{backend}] record: the control flow kept passing (new and established)", ctl)
            back = checks_of(rec, "exception", "restored", "new")
            check(back and all(c["observed"] == "passes" for c in back),
                  f"[{backend}] record: exception flows pass again after the restore", back)
            ms = rec["timings_ms"].get("engage_to_cut")
            check(isinstance(ms, int) and 0 <= ms < 2000,
                  f"[{backend}] record: engage to cut measured ({ms} ms)")
            check(rec["operator"] == "op:lee" and rec["ticket"] == "CHG-2026-1207"
                  and rec["backend"] == backend and rec["firewall"] == "fw-drill"
                  and rec["policy"]["digest"].startswith("sha256:")
                  and [e["name"] for e in rec["exceptions"]] == ["ai-scan"],
                  f"[{backend}] record: sign-off, target, policy digest, exceptions")
            check(not ours(), f"[{backend}] no namespace left after the drill", ours())

        # NEGATIVE: the kill switch cannot cut an exception another group also opens.
        p, rec, took, leaky_name = drill(binary, "policy-leaky.nsp", "nftables", leaky)
        print(f"     [nftables] negative drill took {took:.1f} s")
        check(p.returncode == 1, "negative drill: a kill switch that does not cut fails (exit 1)",
              f"exit {p.returncode}\n{p.stdout}{p.stderr}")
        check(rec is not None and rec["result"] == "failed" and rec["failed_checks"],
              "negative drill: record written with result failed and the failed checks")
        if rec:
            cut = checks_of(rec, "exception", "engaged", "established")
            check(cut and cut[0]["observed"] == "passes",
                  "negative drill: the record shows the established connection was NOT cut")
            check(rec["record_sha256"] == canonical_sha256(rec), "negative drill: record sealed")
        check(not ours(), "no namespace left after the negative drill", ours())

        # Interrupted: every namespace goes (also on SIGINT).
        seen, rc, left = interrupted_drill(binary, os.path.join(work, "interrupted"))
        check(seen and rc == -signal.SIGINT and not left,
              "SIGINT during a drill: exit by the signal, none of its namespaces left",
              f"seen={seen} rc={rc} left={left}")

        # The audit shows the drill.
        pol = os.path.join(HERE, "policy.nsp")
        p = netsep(binary, "audit", pol, "--as-of", AS_OF, "--drill-records", good)
        check(p.returncode == 0 and "== Kill-switch drills ==" in p.stdout
              and "ai-egress  [exercised]" in p.stdout and "Result: passed" in p.stdout
              and "this policy version" in p.stdout and "Engage to cut:" in p.stdout,
              "audit text: last drill of ai-egress, passed, this policy version",
              p.stdout[-3000:] + p.stderr)
        p = netsep(binary, "audit", pol, "--as-of", AS_OF, "--drill-records", good,
                   "--format", "json")
        try:
            d = json.loads(p.stdout)["killSwitchDrills"]
            g = d["groups"][0]
            check(g["group"] == GROUP and g["state"] == "current" and g["drills"] == 2
                  and g["lastDrill"]["result"] == "passed" and g["lastDrill"]["samePolicy"]
                  and g["lastDrill"]["exceptionFlows"] == 2 and d["rejected"] == [],
                  "audit json: killSwitchDrills group current, 2 drills, same policy", g)
        except (ValueError, KeyError, IndexError) as e:
            check(False, "audit json: killSwitchDrills", f"{e}: {p.stdout[:500]}")
        p = netsep(binary, "audit", pol, "--as-of", AS_OF, "--drill-records", good,
                   "--lang", "ko")
        check("킬스위치 모의훈련" in p.stdout and "통과" in p.stdout, "audit text --lang ko")
        p = netsep(binary, "audit", pol, "--as-of", AS_OF, "--drill-records", good,
                   "--format", "html")
        check('<h2 id="drills">' in p.stdout and 'href="#drills"' in p.stdout,
              "audit html: drills section and its nav entry")
        p = netsep(binary, "register", pol, "--as-of", AS_OF, "--drill-records", good)
        rows = list(csv.DictReader(io.StringIO(p.stdout.lstrip("\ufeff"))))
        today = time.strftime("%Y-%m-%d", time.gmtime())
        check(len(rows) == 1 and rows[0]["last_drill"] == today
              and rows[0]["last_drill_result"] == "passed",
              "register csv: last_drill and last_drill_result from the records", rows)

        # Without records for the group: never drilled (DRL-001).
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        p = netsep(binary, "audit", pol, "--as-of", AS_OF, "--drill-records", empty)
        check("DRL-001" in p.stdout and "[never drilled]" in p.stdout,
              "audit: a group without records is DRL-001, never drilled", p.stdout[-2000:])

        # A record edited after the drill is tampered (DRL-005), never trusted.
        tampered = os.path.join(work, "tampered")
        os.makedirs(tampered)
        with open(os.path.join(leaky, leaky_name), encoding="utf-8") as f:
            forged = json.load(f)
        forged["result"] = "passed"
        forged["failed_checks"] = []
        with open(os.path.join(tampered, "forged.json"), "w", encoding="utf-8") as f:
            json.dump(forged, f, indent=2)
        p = netsep(binary, "audit", os.path.join(HERE, "policy-leaky.nsp"), "--as-of", AS_OF,
                   "--drill-records", tampered, "--format", "json")
        try:
            j = json.loads(p.stdout)
            d = j["killSwitchDrills"]
            check(p.returncode == 1 and [r["file"] for r in d["rejected"]] == ["forged.json"]
                  and d["groups"][0]["state"] == "never",
                  "audit: a record edited after the drill is rejected (tampered), never trusted",
                  json.dumps(d)[:800])
        except (ValueError, KeyError, IndexError) as e:
            check(False, "audit json with a tampered record", f"{e}: {p.stdout[:300]}")
        p = netsep(binary, "audit", os.path.join(HERE, "policy-leaky.nsp"), "--as-of", AS_OF,
                   "--drill-records", tampered, "--format", "sarif")
        check("DRL-005" in p.stdout, "audit sarif: DRL-005 for the tampered record")

        # The failed drill is a finding of the policy it was run on (DRL-003).
        p = netsep(binary, "audit", os.path.join(HERE, "policy-leaky.nsp"), "--as-of", AS_OF,
                   "--drill-records", leaky)
        check(p.returncode == 1 and "DRL-003" in p.stdout and "[last drill FAILED]" in p.stdout,
              "audit: a failed last drill is DRL-003 (exit 1)", p.stdout[-2000:])

        # A record of another policy version is flagged (DRL-004, text and SARIF).
        p = netsep(binary, "audit", os.path.join(HERE, "policy-leaky.nsp"), "--as-of", AS_OF,
                   "--drill-records", good)
        check("drilled on an earlier policy version (sha256:" in p.stdout,
              "audit: a drill of another policy version is flagged", p.stdout[-2000:])
        p = netsep(binary, "audit", os.path.join(HERE, "policy-leaky.nsp"), "--as-of", AS_OF,
                   "--drill-records", good, "--format", "sarif")
        check("DRL-004" in p.stdout, "audit sarif: DRL-004 for the earlier policy version")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    check(DRILL_PIDS and not ours(), "no namespace of this run survives", ours())
    # The drill's veths live in its namespaces; none may appear here (its
    # interface names are the policy's eth0-eth3).
    leaked = sorted(n.split("@")[0] for n in root_links() - links_before
                    if n.split("@")[0] in ("eth0", "eth1", "eth2", "eth3"))
    check(not leaked, "no veth of this run in the host namespace", leaked)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
