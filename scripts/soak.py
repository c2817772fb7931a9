#!/usr/bin/env python3
"""Plays the whole scenario suite RUNS times and reports every scenario whose status ever differs.

    scripts/soak.py --runs 100 [--backend process|container] [--natsfault target/debug/natsfault]
                    [--out soak.json] [-- extra natsfault run arguments]

Each run is `natsfault run scenarios --backend B --format json`. A scenario is *flaky* when its
status (passed, failed, n/a) is not the same in every run; the report gives the counts and, for
every run where it failed, the failures and the observations of the failing phase, so the cause
can be read without running again. The full record goes to --out (default soak-BACKEND.json).

Exit codes: 0 every scenario kept one status, 1 a scenario's status differed (or a run failed to
report), 2 bad arguments.
"""

import argparse
import collections
import json
import subprocess
import sys
import time


def play(natsfault, backend, extra):
    cmd = [natsfault, "run", "scenarios", "--backend", backend, "--format", "json", *extra]
    began = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.monotonic() - began
    try:
        reports = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None, took, proc
    return reports, took, proc


def failing_phases(report):
    out = []
    for phase in report.get("phases", []):
        if phase.get("status") == "failed":
            out.append({
                "phase": phase["phase"],
                "failures": phase.get("failures", []),
                "steps": phase.get("steps", []),
                "observations": phase.get("observations", []),
                "log_excerpt": phase.get("log_excerpt", []),
            })
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--backend", choices=["process", "container"], default="process")
    ap.add_argument("--natsfault", default="target/debug/natsfault")
    ap.add_argument("--out", default=None)
    ap.add_argument("extra", nargs="*", help="more `natsfault run` arguments (after --)")
    args = ap.parse_args()
    if args.runs < 1:
        print("soak: --runs must be at least 1", file=sys.stderr)
        return 2
    out_path = args.out or f"soak-{args.backend}.json"

    statuses = collections.defaultdict(collections.Counter)
    failures = collections.defaultdict(list)
    broken_runs = []
    times = []
    for run in range(1, args.runs + 1):
        reports, took, proc = play(args.natsfault, args.backend, args.extra)
        times.append(took)
        if reports is None:
            broken_runs.append({"run": run, "exit": proc.returncode, "stderr": proc.stderr[-4000:]})
            print(f"run {run}/{args.runs}: no report (exit {proc.returncode}): {proc.stderr.strip()[-300:]}",
                  file=sys.stderr)
            continue
        failed_now = []
        for r in reports:
            key = r["file"]
            statuses[key][r["status"]] += 1
            if r["status"] == "failed":
                failed_now.append(key)
                failures[key].append({"run": run, "phases": failing_phases(r)})
        note = f"  failed: {', '.join(failed_now)}" if failed_now else ""
        print(f"run {run}/{args.runs}: {len(reports)} scenarios in {took:.1f}s{note}", file=sys.stderr, flush=True)

    flaky = {k: dict(c) for k, c in statuses.items() if len(c) > 1}
    always_failed = {k: dict(c) for k, c in statuses.items() if len(c) == 1 and "failed" in c}
    record = {
        "backend": args.backend,
        "runs": args.runs,
        "run_seconds": {"min": min(times), "max": max(times), "total": sum(times)},
        "statuses": {k: dict(c) for k, c in sorted(statuses.items())},
        "flaky": flaky,
        "always_failed": always_failed,
        "failures": failures,
        "runs_without_report": broken_runs,
    }
    with open(out_path, "w") as f:
        json.dump(record, f, indent=2)

    print(f"soak: {args.runs} runs on {args.backend}, {len(statuses)} scenarios, "
          f"{sum(times):.0f}s ({min(times):.1f}s..{max(times):.1f}s a run); record in {out_path}")
    for key, counts in sorted({**flaky, **always_failed}.items()):
        shown = ", ".join(f"{s} {n}" for s, n in sorted(counts.items()))
        print(f"  {'FLAKY ' if key in flaky else 'FAILED'} {key}: {shown}")
        seen = collections.Counter()
        for f in failures[key]:
            for p in f["phases"]:
                for m in p["failures"]:
                    seen[f"{p['phase']} step {m['step']} {m['action']} {m['expectation']}: "
                         f"expected {m['expected']}, observed {m['observed']}"] += 1
        for text, n in seen.most_common(5):
            print(f"      {n}x {text}")
    if broken_runs:
        print(f"  {len(broken_runs)} run(s) gave no report")
    if not flaky and not always_failed and not broken_runs:
        print("  every scenario kept one status")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
