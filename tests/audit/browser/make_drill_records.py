#!/usr/bin/env python3
"""Writes drill records for examples/bank.nsp's group ai-egress into DIR, sealed
as `netsep killswitch --drill` seals them (docs/audit.md, "Drill records"):
a passed drill of another policy version with long operator and ticket
values, an older failed one, and a tampered one. For the layout check only;
tests/drill/run.py makes records on real packets.

    make_drill_records.py DIR
"""
import hashlib
import json
import os
import sys


def seal(record):
    content = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    record["record_sha256"] = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return record


def record(started, result, operator, ticket):
    flows = [{"role": "exception", "rule": "ai-vuln-scan", "location": "bank.nsp:47",
              "family": "ipv4", "protocol": "tcp", "src": "10.20.5.17", "src_endpoint": "group scanners",
              "dst": "203.0.113.1", "dst_endpoint": "saas claude-api", "port": 443, "checks": [],
              "as_expected": result == "passed"},
             {"role": "control", "rule": "ops-ssh", "location": "bank.nsp:40", "family": "ipv4",
              "protocol": "tcp", "src": "10.20.9.1", "src_endpoint": "zone ops", "dst": "10.20.5.1",
              "dst_endpoint": "zone app", "port": 22, "checks": [], "as_expected": True}]
    return seal({
        "format": "netsep-drill-record/1", "started_utc": started, "finished_utc": started,
        "netsep_version": "0.1.0",
        "policy": {"path": "examples/bank.nsp", "name": "bank", "digest": "sha256:" + "ab" * 32},
        "as_of": started[:10], "firewall": "fw-core", "backend": "nftables", "group": "ai-egress",
        "operator": operator, "ticket": ticket, "exceptions": [{"name": "ai-vuln-scan"}],
        "exceptions_not_covered": [], "artifacts": {}, "flows": flows,
        "timings_ms": {"engage": 14, "engage_to_cut": 17, "restore": 12, "total": 3100},
        "result": result,
        "failed_checks": [] if result == "passed" else ["engaged: exception ai-vuln-scan (established): expected blocked, observed passes"],
    })


def main():
    out = sys.argv[1]
    long_op = "정보보호최고책임자실-네트워크보안운영팀-야간당직-" + "x" * 60
    recs = {
        "drill-2026-11-20T090000Z-fw-core-ai-egress-nftables.json":
            record("2026-11-20T09:00:00Z", "passed", long_op, "CHG-2026-11-20-" + "0" * 80),
        "drill-2026-08-01T090000Z-fw-core-ai-egress-nftables.json":
            record("2026-08-01T09:00:00Z", "failed", "op:lee", "CHG-1"),
    }
    tampered = record("2026-11-21T09:00:00Z", "failed", "op:kim", "CHG-2")
    tampered["result"] = "passed"
    recs["drill-" + "very-long-file-name-" * 6 + "tampered.json"] = tampered
    for name, rec in recs.items():
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(rec, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
