#!/usr/bin/env python3
"""netsep benchmark harness (python3 standard library only).

Generates the benchmark policies with bench/gen_policy.py, runs `netsep check`
and `netsep compile` several times on each, and prints medians of the whole
process (wall, CPU, peak RSS from /usr/bin/time -v) and of every phase
(from `--phase-times`), compared with the targets of issue 7. With root, the
single-firewall nftables output is also loaded into a fresh network namespace
(`nft -f`) and its kernel rule and set counts reported.

Run it through bench/run.sh; see docs/performance.md. Nothing here is a test:
timings depend on the machine, so nothing fails on a missed target unless
--strict is given.
"""

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
AS_OF = "2026-07-01"
ALL_BACKENDS = ["nftables", "iptables", "cisco-asa", "juniper-srx", "paloalto", "fortios"]

# name: (generator arguments, description)
SCENARIOS = {
    "10k": (["--zones", "2000", "--firewalls", "200", "--rules", "10000"],
            "10,000 rules, 2,000 zones, 200 firewalls"),
    "100k": (["--zones", "2000", "--firewalls", "200", "--rules", "100000"],
             "100,000 rules, 2,000 zones, 200 firewalls"),
    "single": (["--zones", "100", "--firewalls", "1", "--rules", "100000"],
               "100,000 rules on one firewall (100 zones)"),
    "findings": (["--zones", "2000", "--firewalls", "200", "--rules", "100000",
                  "--findings", "50"],
                 "100k with 50 lateral-movement leaks (check exits 1)"),
    # The scattered shape: every zone dual-stack with its own /64 placed at
    # random in ULA site blocks, `any` rules, wide groups, overlapping ports.
    "10k-scattered": (["--shape", "scattered", "--zones", "2000", "--firewalls", "200",
                       "--rules", "10000"],
                      "10,000 rules, 2,000 dual-stack zones with scattered /64s"),
    "100k-scattered": (["--shape", "scattered", "--zones", "2000", "--firewalls", "200",
                        "--rules", "100000"],
                       "100,000 rules, 2,000 dual-stack zones with scattered /64s"),
}

# Device rules per backend, counted in the emitted text: what an engineer
# reviewing the config would count as one rule (a line of the rule list).
DEVICE_RULE = {
    # a rule line of a chain: it has a verdict or a counter (exceptions end
    # in "ct mark set ..."), usually followed by its comment
    "nftables": re.compile(r"^\t\t(?!type |policy |elements|flags |#|\})\S.*"
                           r"(\b(accept|drop|reject|jump \S+|goto \S+|return)|\bcounter\b.*)"
                           r"( comment \"[^\"]*\")?$"),
    "iptables": re.compile(r"^-A "),
    "ip6tables": re.compile(r"^-A "),
    "cisco-asa": re.compile(r"^access-list \S+ extended "),
    "juniper-srx": re.compile(r"^set (groups \S+ )?security policies .* then (permit|deny|reject)$"),
    "paloalto": re.compile(r"^set rulebase security rules \S+ action "),
    "fortios": re.compile(r"^\s+set action (accept|deny)$"),
}
FILE_BACKEND = {
    "nftables.nft": "nftables", "iptables.rules": "iptables",
    "ip6tables.rules": "ip6tables", "cisco-asa.cfg": "cisco-asa",
    "juniper-srx.set": "juniper-srx", "paloalto.set": "paloalto", "fortios.conf": "fortios",
}

PHASE_RE = re.compile(
    r"^netsep: phase (\S+): ([0-9.]+) s, cpu ([0-9.]+) s, peak RSS ([0-9.]+) MiB$")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def parse_time_v(text):
    """Wall seconds, user+sys seconds and max RSS (KiB) from GNU time -v."""
    wall = cpu = rss = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            v = line.rsplit(" ", 1)[1]
            parts = [float(p) for p in v.split(":")]
            wall = 0.0
            for p in parts:
                wall = wall * 60 + p
        elif line.startswith("User time (seconds):"):
            cpu = (cpu or 0.0) + float(line.split(":")[1])
        elif line.startswith("System time (seconds):"):
            cpu = (cpu or 0.0) + float(line.split(":")[1])
        elif line.startswith("Maximum resident set size (kbytes):"):
            rss = int(line.split(":")[1])
    return wall, cpu, rss


def tree_digest(path):
    h = hashlib.sha256()
    for base, dirs, files in sorted(os.walk(path)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(base, f)
            h.update(os.path.relpath(p, path).encode())
            with open(p, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


def output_size(outdir):
    """Per backend: bytes, device rules, and the largest firewall's bytes."""
    out = {}
    for base, _, files in os.walk(outdir):
        for f in files:
            backend = FILE_BACKEND.get(f)
            if not backend:
                continue
            path = os.path.join(base, f)
            size = os.path.getsize(path)
            rules = 0
            pat = DEVICE_RULE[backend]
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if pat.search(line.rstrip("\n")):
                        rules += 1
            e = out.setdefault(backend, {"bytes": 0, "rules": 0, "max_file_bytes": 0})
            e["bytes"] += size
            e["rules"] += rules
            e["max_file_bytes"] = max(e["max_file_bytes"], size)
    return out


def policy_rules(path):
    """access + deny + exception statements of a generated policy."""
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("access ", "deny ", "exception ")):
                n += 1
    return n


class Bench:
    def __init__(self, a):
        self.a = a
        self.netsep = a.netsep
        self.work = a.work
        os.makedirs(self.work, exist_ok=True)
        self.results = {"machine": {}, "runs": {}, "nft": None, "targets": []}

    # ---- setup -------------------------------------------------------------
    def machine(self):
        info = {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
        }
        try:
            info["netsep"] = subprocess.run([self.netsep, "--version"], capture_output=True,
                                            text=True).stdout.strip()
        except OSError:
            pass
        self.results["machine"] = info

    def available_backends(self):
        """Backends this build implements (the others are E502 at compile time)."""
        d = tempfile.mkdtemp(dir=self.work)
        pol = os.path.join(d, "probe.nsp")
        with open(pol, "w") as f:
            f.write("zone a { kind dmz level open networks 10.0.0.0/24 }\n"
                    "zone b { kind dmz level open networks 10.0.1.0/24 }\n"
                    "access r { from a to b service tcp/443 justification \"j\" owner \"o\" }\n"
                    "firewall f { backend " + ", ".join(ALL_BACKENDS) +
                    " interface e0 zone a interface e1 zone b }\n")
        p = subprocess.run([self.netsep, "compile", "--as-of", AS_OF, pol, "-o",
                            os.path.join(d, "out")], capture_output=True, text=True)
        shutil.rmtree(d, ignore_errors=True)
        missing = set(re.findall(r"backend '([a-z-]+)' of firewall 'f' is not implemented",
                                 p.stderr))
        return [b for b in ALL_BACKENDS if b not in missing]

    def generate(self, name, extra=()):
        args, _ = SCENARIOS[name]
        args = list(args) + list(extra) + ["--seed", str(self.a.seed)]
        tag = hashlib.sha256((" ".join(args)).encode())
        with open(os.path.join(HERE, "gen_policy.py"), "rb") as f:
            tag.update(f.read())
        path = os.path.join(self.work, f"{name}-{tag.hexdigest()[:12]}.nsp")
        if not os.path.exists(path):
            log(f"bench: generating {name} policy ({' '.join(args)})")
            tmp = path + ".tmp"
            subprocess.run([sys.executable, os.path.join(HERE, "gen_policy.py"), *args,
                            "-o", tmp], check=True)
            os.replace(tmp, path)
        return path

    # ---- measuring ---------------------------------------------------------
    def run(self, key, argv, expect_rc=(0,), outdir=None):
        """Runs argv `runs` times; stores medians under results["runs"][key]."""
        samples = []
        digests = set()
        for i in range(self.a.runs):
            if outdir:
                shutil.rmtree(outdir, ignore_errors=True)
                os.sync()  # the previous run's files are not this run's writeback
            timefile = os.path.join(self.work, "time.txt")
            cmd = ["/usr/bin/time", "-v", "-o", timefile, self.netsep, *argv, "--phase-times"]
            if self.a.realtime:
                cmd = ["chrt", "-f", "10", *cmd]
            log(f"bench: {key} run {i + 1}/{self.a.runs}")
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, errors="replace")
            if p.returncode not in expect_rc:
                tail = "\n".join(p.stderr.splitlines()[-15:])
                raise SystemExit(f"bench: {key}: netsep exited {p.returncode}\n{tail}")
            with open(timefile) as f:
                wall, cpu, rss = parse_time_v(f.read())
            phases = {}
            for line in p.stderr.splitlines():
                m = PHASE_RE.match(line)
                if m:
                    phases[m.group(1)] = (float(m.group(2)), float(m.group(3)),
                                          float(m.group(4)))
            samples.append({"wall": wall, "cpu": cpu, "rss_kib": rss, "phases": phases,
                            "rc": p.returncode})
            if outdir:
                digests.add(tree_digest(outdir))
        names = []
        for s in samples:
            for n in s["phases"]:
                if n not in names:
                    names.append(n)
        res = {
            "argv": argv,
            "runs": len(samples),
            "rc": samples[0]["rc"],
            "wall": median([s["wall"] for s in samples]),
            "cpu": median([s["cpu"] for s in samples]),
            "rss_mib": median([s["rss_kib"] for s in samples]) / 1024,
            "wall_all": [s["wall"] for s in samples],
            "phases": {
                n: {
                    "wall": median([s["phases"][n][0] for s in samples if n in s["phases"]]),
                    "cpu": median([s["phases"][n][1] for s in samples if n in s["phases"]]),
                    "rss_mib": median([s["phases"][n][2] for s in samples if n in s["phases"]]),
                }
                for n in names
            },
        }
        if outdir:
            res["deterministic"] = len(digests) == 1
            res["output_mib"] = sum(
                os.path.getsize(os.path.join(b, f)) for b, _, fs in os.walk(outdir)
                for f in fs) / (1 << 20)
            res["size"] = output_size(outdir)
        self.results["runs"][key] = res
        return res

    def nft_load(self, outdir):
        """Loads fw-0's nftables script into a fresh network namespace."""
        script = os.path.join(outdir, "fw-0", "nftables.nft")
        if not os.path.exists(script):
            return {"skipped": "no nftables output"}
        if os.geteuid() != 0 or not shutil.which("nft") or not shutil.which("ip"):
            return {"skipped": "needs root, nft and ip"}
        ns = f"netsep-bench-{os.getpid()}"
        try:
            subprocess.run(["ip", "netns", "add", ns], check=True)
            t0 = time.monotonic()
            p = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", script],
                               capture_output=True, text=True)
            load_s = time.monotonic() - t0
            if p.returncode != 0:
                return {"loaded": False, "error": p.stderr[-2000:]}
            p = subprocess.run(["ip", "netns", "exec", ns, "nft", "-j", "list", "ruleset"],
                               capture_output=True, text=True, check=True)
            items = json.loads(p.stdout).get("nftables", [])
            sets = [i["set"] for i in items if "set" in i]
            maps = [i["map"] for i in items if "map" in i]
            return {
                "loaded": True,
                "load_seconds": round(load_s, 3),
                "script_mib": round(os.path.getsize(script) / (1 << 20), 2),
                "tables": sum(1 for i in items if "table" in i),
                "chains": sum(1 for i in items if "chain" in i),
                "rules": sum(1 for i in items if "rule" in i),
                "sets": len(sets),
                "set_elements": sum(len(s.get("elem", [])) for s in sets),
                "maps": len(maps),
                "map_elements": sum(len(m.get("elem", [])) for m in maps),
            }
        finally:
            subprocess.run(["ip", "netns", "delete", ns], stderr=subprocess.DEVNULL)

    # ---- the suite ---------------------------------------------------------
    def suite(self):
        self.machine()
        backends = self.available_backends()
        self.results["machine"]["backends"] = backends
        log(f"bench: backends in this build: {', '.join(backends)}")
        nftipt = ["--backend", "nftables", "--backend", "iptables"]
        out = os.path.join(self.work, "out")
        only = set(self.a.only.split(",")) if self.a.only else None

        def want(name):
            return only is None or name in only

        for scale in ("10k", "100k"):
            if not want(scale):
                continue
            pol = self.generate(scale)
            self.run(f"check-{scale}", ["check", "--as-of", AS_OF, pol])
            self.run(f"compile-nft-ipt-{scale}",
                     ["compile", "--as-of", AS_OF, pol, "-o", out, *nftipt], outdir=out)
        if want("100k") and not self.a.no_all_backends:
            pol = self.generate("100k", ["--backends", ",".join(backends)])
            self.results.setdefault("policy_rules", {})["all-100k"] = policy_rules(pol)
            self.run("compile-all-100k", ["compile", "--as-of", AS_OF, pol, "-o", out],
                     outdir=out)
        for scale in ("10k-scattered", "100k-scattered"):
            if not want(scale):
                continue
            pol = self.generate(scale)
            self.results.setdefault("policy_rules", {})[scale] = policy_rules(pol)
            self.run(f"check-{scale}", ["check", "--as-of", AS_OF, pol])
            self.run(f"compile-nft-ipt-{scale}",
                     ["compile", "--as-of", AS_OF, pol, "-o", out, *nftipt], outdir=out)
        if want("100k-scattered") and not self.a.no_all_backends:
            pol = self.generate("100k-scattered", ["--backends", ",".join(backends)])
            self.results.setdefault("policy_rules", {})["all-100k-scattered"] = policy_rules(pol)
            self.run("compile-all-100k-scattered", ["compile", "--as-of", AS_OF, pol, "-o", out],
                     outdir=out)
        if want("single"):
            pol = self.generate("single")
            self.run("check-single", ["check", "--as-of", AS_OF, pol])
            self.run("compile-nft-ipt-single",
                     ["compile", "--as-of", AS_OF, pol, "-o", out, *nftipt], outdir=out)
            self.results["nft"] = self.nft_load(out)
        if want("findings"):
            pol = self.generate("findings")
            self.run("check-findings", ["check", "--as-of", AS_OF, pol], expect_rc=(1,))
        shutil.rmtree(out, ignore_errors=True)
        self.targets()

    def targets(self):
        r = self.results["runs"]
        t = []

        def add(what, key, field, limit, unit="s"):
            if key in r:
                v = r[key][field]
                t.append({"target": what, "value": v, "limit": limit, "unit": unit,
                          "met": v <= limit})

        for shape in ("", "-scattered"):
            add(f"check, 100k rules{shape}", f"check-100k{shape}", "wall", 1.0)
            add(f"compile nftables+iptables, 100k rules{shape}", f"compile-nft-ipt-100k{shape}",
                "wall", 2.0)
            add(f"compile every backend, 100k rules{shape}", f"compile-all-100k{shape}", "wall",
                3.0)
            for key in (f"check-100k{shape}", f"compile-nft-ipt-100k{shape}",
                        f"compile-all-100k{shape}"):
                add(f"peak memory, {key}", key, "rss_mib", 1024.0, "MiB")
            for cmd in ("check", "compile-nft-ipt"):
                a, b = r.get(f"{cmd}-10k{shape}"), r.get(f"{cmd}-100k{shape}")
                if a and b:
                    for field in ("wall", "cpu"):
                        ratio = b[field] / a[field] if a[field] else float("inf")
                        t.append({"target": f"{cmd}{shape} 100k/10k {field} ratio",
                                  "value": ratio, "limit": 11.0, "unit": "x",
                                  "met": ratio <= 11.0})
            # Device rules per policy rule, per backend, on the every-backend compile.
            run = r.get(f"compile-all-100k{shape}")
            n = self.results.get("policy_rules", {}).get(f"all-100k{shape}")
            if run and n:
                for backend, e in sorted(run.get("size", {}).items()):
                    t.append({"target": f"device rules per policy rule, {backend}{shape}",
                              "value": e["rules"] / n, "limit": 2.0, "unit": "x",
                              "met": e["rules"] / n <= 2.0})
        add("compile one firewall with 100k rules", "compile-nft-ipt-single", "wall", 3.0)
        nft = self.results.get("nft") or {}
        if "load_seconds" in nft:
            t.append({"target": "single-firewall nftables kernel load", "value":
                      nft["load_seconds"], "limit": 3.0, "unit": "s",
                      "met": nft["load_seconds"] <= 3.0})
        self.results["targets"] = t

    # ---- report ------------------------------------------------------------
    def report(self):
        r = self.results
        m = r["machine"]
        rt = ", chrt -f 10" if self.a.realtime else ""
        print(f"# netsep benchmark ({m.get('netsep', '?')}, {m['cpus']} CPUs, "
              f"load {m['load'][0]:.1f} at start, {self.a.runs} runs, medians{rt})\n")
        print("| command | wall s | cpu s | peak MiB | output MiB | deterministic |")
        print("|---|---:|---:|---:|---:|---|")
        for key, v in r["runs"].items():
            out = f"{v['output_mib']:.0f}" if "output_mib" in v else ""
            det = {True: "yes", False: "NO"}.get(v.get("deterministic"), "")
            print(f"| {key} | {v['wall']:.2f} | {v['cpu']:.2f} | {v['rss_mib']:.0f} | {out} "
                  f"| {det} |")
        print()
        print("## output size per backend (bytes, device rules, largest firewall file)")
        for key, v in r["runs"].items():
            for backend, e in sorted(v.get("size", {}).items()):
                print(f"  {key:<28} {backend:<12} {e['bytes'] / (1 << 20):9.1f} MiB "
                      f"{e['rules']:10d} rules  max file {e['max_file_bytes'] / (1 << 20):7.2f} MiB")
        print()
        for key, v in r["runs"].items():
            print(f"## {key}: phases (median wall s / cpu s / peak MiB)")
            print(" ".join(v["argv"]))
            for name, p in v["phases"].items():
                print(f"  {name:<16} {p['wall']:8.3f} {p['cpu']:8.3f} {p['rss_mib']:8.0f}")
            print()
        if r["nft"] is not None:
            print("## single firewall: nftables output in a fresh network namespace")
            print(json.dumps(r["nft"], indent=1))
            print()
        print("## targets")
        for t in r["targets"]:
            mark = "met" if t["met"] else "MISSED"
            print(f"  {t['target']:<48} {t['value']:9.2f} {t['unit']:<3} "
                  f"(<= {t['limit']:g}) {mark}")
        path = os.path.join(self.work, "results.json")
        with open(path, "w") as f:
            json.dump(r, f, indent=1)
        print(f"\n(raw figures: {path})")


def main():
    p = argparse.ArgumentParser(description="netsep benchmarks (issue 7)")
    p.add_argument("--netsep", default=os.environ.get("NETSEP"),
                   help="netsep binary (default: $NETSEP, build/netsep)")
    p.add_argument("--runs", type=int, default=5, help="runs per command (median)")
    p.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "netsep-bench"),
                   help="directory for generated policies and outputs")
    p.add_argument("--only", help="comma-separated scenarios: 10k,100k,10k-scattered,"
                   "100k-scattered,single,findings")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-all-backends", action="store_true",
                   help="skip the every-backend compiles (the vendor backends still list the "
                        "catch-all zone's complement: gigabytes on the scattered shape)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    p.add_argument("--realtime", action="store_true",
                   help="run netsep under chrt -f 10 (root): background jobs on a shared "
                        "machine then barely disturb the wall times (the disk still is shared)")
    a = p.parse_args()
    if not a.netsep:
        a.netsep = os.path.join(ROOT, "build", "netsep")
    if not os.access(a.netsep, os.X_OK):
        raise SystemExit(f"bench: no netsep binary at {a.netsep}; build first "
                         "(cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && "
                         "cmake --build build) or pass --netsep PATH")
    if not os.access("/usr/bin/time", os.X_OK):
        raise SystemExit("bench: /usr/bin/time is missing (Debian package 'time')")
    a.netsep = os.path.abspath(a.netsep)
    if a.realtime and (os.geteuid() != 0 or not shutil.which("chrt")):
        raise SystemExit("bench: --realtime needs root and chrt (util-linux)")
    b = Bench(a)
    b.suite()
    b.report()
    if a.strict and not all(t["met"] for t in b.results["targets"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
