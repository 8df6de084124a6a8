#!/usr/bin/env python3
"""Runs the pipelines of docs/ci.md, so its examples cannot rot.

The GitHub Actions workflow and the GitLab CI file are read from the page
(its ```yaml blocks), and their steps run the way each service would run
them, on a scratch git repository: a base commit with
tests/review/cases/base.nsp, a pull request that adds a SaaS exception
(saas-exception.nsp). `gh` and `curl` are replaced by recorders; the
install steps are skipped (netsep is the one under test); every netsep
command gets a fixed --as-of, so the outcome never depends on the day.

Scenarios:
  * pull request, 2026-11-22: the gate passes, the SARIF file is valid, the
    diff is posted as a comment and, since it adds an exception (exit 4),
    the pull request is labelled / the GitLab job ends "allowed to fail";
  * scheduled run, 2027-06-30: the exception has expired, so the gate fails
    with CIG-001 without any change, and SARIF still carries it.

    python3 tests/review/ci_examples.py --netsep build/netsep
"""

import argparse
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(HERE, "cases")

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"PASS {what}", flush=True)
    else:
        failed += 1
        print(f"FAIL {what}" + (f"\n{detail}" if detail else ""), flush=True)


def yaml_blocks(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def git(repo, *args):
    """Runs a git command in the scratch repository; returns HEAD afterwards."""
    subprocess.run(["git", "-C", repo, "-c", "user.name=ci", "-c", "user.email=ci@example.test",
                    *args], check=True, capture_output=True)
    p = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "-q", "HEAD"],
                       capture_output=True, text=True)
    return p.stdout.strip()


def write_exe(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def sandbox(netsep, as_of):
    """A bin directory: netsep with a fixed date, gh and curl recorders."""
    d = tempfile.mkdtemp(prefix="netsep-ci-")
    bin_dir = os.path.join(d, "bin")
    os.makedirs(bin_dir)
    write_exe(os.path.join(bin_dir, "netsep"), f"""#!/bin/sh
case "$1" in
  check|compile|diff|audit|paths|explain|killswitch) exec "{netsep}" "$@" --as-of {as_of} ;;
esac
exec "{netsep}" "$@"
""")
    recorder = """#!/bin/sh
# records its arguments; keeps a copy of any file it is asked to send
echo "$(basename "$0") $*" >> "$STUB_DIR/calls.log"
prev=""
for a in "$@"; do
  case "$prev" in --body-file) cp "$a" "$STUB_DIR/sent.md" ;; esac
  case "$a" in body@*) cp "${a#body@}" "$STUB_DIR/sent.md" ;; esac
  prev="$a"
done
"""
    write_exe(os.path.join(bin_dir, "gh"), recorder)
    write_exe(os.path.join(bin_dir, "curl"), recorder)
    os.makedirs(os.path.join(d, "home"))
    return d


def scratch_repo(root):
    repo = os.path.join(root, "repo")
    os.makedirs(os.path.join(repo, "policy"))
    shutil.copy(os.path.join(CASES, "services.nsp"), os.path.join(repo, "policy", "services.nsp"))
    shutil.copy(os.path.join(CASES, "base.nsp"), os.path.join(repo, "policy", "trade-bank.nsp"))
    subprocess.run(["git", "init", "-q", repo], check=True)
    git(repo, "add", "-A")
    base = git(repo, "commit", "-qm", "base")
    shutil.copy(os.path.join(CASES, "saas-exception.nsp"),
                os.path.join(repo, "policy", "trade-bank.nsp"))
    git(repo, "commit", "-qam", "add a SaaS exception for the scanners")
    return repo, base


def run_script(script, env, cwd, shell):
    p = subprocess.run(shell + [script], env=env, cwd=cwd, capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout + p.stderr


def github(workflow, netsep, event, as_of):
    """Runs job `policy` of the workflow for `event`; returns (step results, sandbox)."""
    sb = sandbox(netsep, as_of)
    repo, base = scratch_repo(sb)
    job = workflow["jobs"]["policy"]
    expr = {"github.event.pull_request.base.sha": base,
            "github.event.pull_request.number": "42",
            "github.token": "test-token"}
    env = dict(os.environ, PATH=os.path.join(sb, "bin") + os.pathsep + os.environ["PATH"],
               HOME=os.path.join(sb, "home"), STUB_DIR=sb, GITHUB_EVENT_NAME=event)
    env.update({k: str(v) for k, v in job.get("env", {}).items()})
    failed_job = False
    results = {}
    for step in job["steps"]:
        name = step.get("name") or step.get("uses")
        cond = step.get("if", "success()")
        run = True
        for part in [c.strip() for c in cond.split("&&")]:
            if part == "always()":
                continue
            if part == "success()":
                run = run and not failed_job
            elif (m := re.fullmatch(r"github\.event_name == '(\w+)'", part)):
                run = run and event == m.group(1)
            else:
                raise SystemExit(f"docs/ci.md: unsupported if: {part}")
        if not run or name.startswith("Install"):
            results[name] = None
            continue
        if "uses" in step:
            results[name] = (0, "")
            if step["uses"].startswith("actions/checkout"):
                check(step.get("with", {}).get("fetch-depth") == 0,
                      f"github {event}: checkout fetches the history diff --git needs")
            elif step["uses"].startswith("github/codeql-action/upload-sarif"):
                path = os.path.join(repo, step["with"]["sarif_file"])
                try:
                    with open(path, encoding="utf-8") as f:
                        doc = json.load(f)
                    ok = doc["version"] == "2.1.0" and doc["runs"][0]["tool"]["driver"]["name"] == "netsep"
                except (OSError, ValueError, KeyError) as e:
                    ok, doc = False, str(e)
                check(ok, f"github {event}: {step['with']['sarif_file']} is the SARIF 2.1.0 the upload takes")
                results[name] = (0 if ok else 1, json.dumps(doc)[:20000] if ok else doc)
            continue
        step_env = dict(env)
        for k, v in step.get("env", {}).items():
            step_env[k] = re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: expr[m.group(1)], str(v))
        rc, out = run_script(step["run"], step_env, repo, ["bash", "--noprofile", "--norc", "-eo",
                                                             "pipefail", "-c"])
        results[name] = (rc, out)
        failed_job = failed_job or rc != 0
    return results, sb


def gitlab(ci, netsep, source, as_of):
    """Runs every job whose rules admit `source`; returns {job: (rc, output)}, sandbox."""
    sb = sandbox(netsep, as_of)
    repo, base = scratch_repo(sb)
    env = dict(os.environ, PATH=os.path.join(sb, "bin") + os.pathsep + os.environ["PATH"],
               HOME=os.path.join(sb, "home"), STUB_DIR=sb, CI_PIPELINE_SOURCE=source,
               CI_MERGE_REQUEST_DIFF_BASE_SHA=base, CI_API_V4_URL="https://gitlab.example/api/v4",
               CI_PROJECT_ID="7", CI_MERGE_REQUEST_IID="12", NETSEP_BOT_TOKEN="test-token")
    env.update({k: str(v) for k, v in ci.get("variables", {}).items()})
    results = {}
    for name, job in ci.items():
        if name.startswith(".") or not isinstance(job, dict) or "script" not in job:
            continue
        if not any(f'"{source}"' in r.get("if", "") for r in job.get("rules", [])):
            continue
        job_env = dict(env)
        job_env.update({k: str(v) for k, v in job.get("variables", {}).items()})
        rc, out = run_script("\n".join(job["script"]), job_env, repo, ["bash", "-eo", "pipefail", "-c"])
        allowed = job.get("allow_failure", {})
        results[name] = (rc, out, rc in (allowed.get("exit_codes", []) if isinstance(allowed, dict) else []))
    return results, sb


def sent(sb):
    p = os.path.join(sb, "sent.md")
    return open(p, encoding="utf-8").read() if os.path.exists(p) else ""


def calls(sb):
    p = os.path.join(sb, "calls.log")
    return open(p, encoding="utf-8").read() if os.path.exists(p) else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--netsep", required=True)
    args = ap.parse_args()
    netsep = os.path.abspath(args.netsep)
    blocks = yaml_blocks(os.path.join(ROOT, "docs", "ci.md"))
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    gitlab_ci = next(b for b in blocks if isinstance(b, dict) and "netsep-check" in b)
    sandboxes = []
    try:
        # GitHub, pull request: gate passes, SARIF uploaded, diff posted, exit 4 -> label.
        res, sb = github(workflow, netsep, "pull_request", "2026-11-22")
        sandboxes.append(sb)
        gate = res["Check (everything compile checks, expiry gates)"]
        check(gate and gate[0] == 0, "github pull_request: the gate passes", gate and gate[1])
        diff = res["Semantic diff on the pull request"]
        check(diff and diff[0] == 0, "github pull_request: the diff step succeeds", diff and diff[1])
        log = calls(sb)
        check("gh pr comment 42 --body-file netsep-diff.md" in log,
              "github pull_request: the diff is posted as a comment", log)
        check("gh pr edit 42 --add-label netsep: second approver" in log,
              "github pull_request: exit 4 labels the pull request", log)
        body = sent(sb)
        check("adds exception ai-triage" in body and "FSC-NAL-2026-031" in body
              and "### netsep diff" in body, "github pull_request: the comment names the new exception", body)
        # GitHub, scheduled: the exception expired; the gate fails with no change.
        res, sb = github(workflow, netsep, "schedule", "2027-06-30")
        sandboxes.append(sb)
        gate = res["Check (everything compile checks, expiry gates)"]
        check(gate and gate[0] == 1 and "error[CIG-001]" in gate[1],
              "github schedule: an expired exception fails the gate (CIG-001)", gate and gate[1])
        check(res["Semantic diff on the pull request"] is None, "github schedule: no diff step")
        up = res["Upload to code scanning"]
        check(up and up[0] == 0 and "CIG-001" in up[1],
              "github schedule: the SARIF upload still runs and carries CIG-001")

        # GitLab, merge request.
        res, sb = gitlab(gitlab_ci, netsep, "merge_request_event", "2026-11-22")
        sandboxes.append(sb)
        rc, out, _ = res["netsep-check"]
        check(rc == 0 and os.path.exists(os.path.join(sb, "repo", "netsep.sarif")),
              "gitlab merge request: the gate passes and keeps netsep.sarif", out)
        rc, out, allowed = res["netsep-diff"]
        check(rc == 4 and allowed, "gitlab merge request: the diff job exits 4, allowed to fail", out)
        log = calls(sb)
        check("/projects/7/merge_requests/12/notes" in log and "PRIVATE-TOKEN: test-token" in log,
              "gitlab merge request: the diff is posted as a note", log)
        check("adds exception ai-triage" in sent(sb), "gitlab merge request: the note names the new exception")
        # GitLab, scheduled.
        res, sb = gitlab(gitlab_ci, netsep, "schedule", "2027-06-30")
        sandboxes.append(sb)
        check(set(res) == {"netsep-check"}, "gitlab schedule: only the gate runs", str(res.keys()))
        rc, out, allowed = res["netsep-check"]
        check(rc == 1 and not allowed and "error[CIG-001]" in out,
              "gitlab schedule: an expired exception fails the gate (CIG-001)", out)
    finally:
        for d in sandboxes:
            shutil.rmtree(d, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
