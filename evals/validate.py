#!/usr/bin/env python3
"""Checks that every task of a bundled eval suite is sound.

For a SWE-bench-style task (task.json + repo/ + test.patch + gold.patch) it copies repo/ to a
temporary directory, applies test.patch, checks that every FAIL_TO_PASS test fails and every
PASS_TO_PASS test passes, applies gold.patch and checks that all of them pass.
For a Terminal-Bench-style task (instruction.md + workspace/ + check.sh [+ gold.patch]) it checks
that check.sh fails on the workspace as given and passes once gold.patch is applied.

Usage: validate.py [SUITE_DIR] [TASK_ID ...]    (SUITE_DIR defaults to evals/bundled)
Exit status: 0 when every task validates, 1 when one does not, 2 on a usage error.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run(command, cwd, timeout):
    """Runs a shell command; returns (exit code, combined output). A timeout counts as failure."""
    try:
        proc = subprocess.run(command, shell=True, cwd=cwd, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as ex:
        out = ex.stdout.decode(errors="replace") if isinstance(ex.stdout, bytes) else (ex.stdout or "")
        return 124, out + f"\n[timed out after {timeout}s]"


def apply_patch(patch, cwd):
    code, out = run(f"git apply --whitespace=nowarn '{patch}'", cwd, 60)
    if code != 0:
        raise ValidationError(f"{os.path.basename(patch)} does not apply: {out.strip()}")


class ValidationError(Exception):
    pass


def test_runs(task, ids):
    """Yields (ids covered, command) pairs for a set of test ids, per the task's test_command."""
    command = task["test_command"]
    if "{tests}" in command:
        if ids:
            yield ids, command.replace("{tests}", " ".join(ids))
    elif "{test}" in command:
        for test in ids:
            yield [test], command.replace("{test}", test)
    else:
        raise ValidationError("test_command contains neither {test} nor {tests}")


def expect(task, ids, should_pass, cwd, phase, individually=False):
    timeout = task.get("timeout_seconds", 120)
    runs = [([t], task["test_command"].replace("{tests}", t).replace("{test}", t)) for t in ids] \
        if individually else list(test_runs(task, ids))
    for covered, command in runs:
        code, out = run(command, cwd, timeout)
        if (code == 0) != should_pass:
            want = "pass" if should_pass else "fail"
            raise ValidationError(f"{phase}: expected {covered} to {want}, exit {code}:\n{out[-3000:]}")


def validate_swe(path, task):
    for key in ("instance_id", "repo", "problem_statement", "FAIL_TO_PASS", "PASS_TO_PASS",
                "test_command", "language"):
        if key not in task:
            raise ValidationError(f"task.json lacks '{key}'")
    if not task["FAIL_TO_PASS"]:
        raise ValidationError("FAIL_TO_PASS is empty")
    with tempfile.TemporaryDirectory(prefix="memfun-validate-") as tmp:
        work = os.path.join(tmp, "repo")
        shutil.copytree(os.path.join(path, "repo"), work, symlinks=True)
        if task.get("setup_command"):
            code, out = run(task["setup_command"], work, task.get("timeout_seconds", 120))
            if code != 0:
                raise ValidationError(f"setup_command failed ({code}): {out[-2000:]}")
        apply_patch(os.path.join(path, "test.patch"), work)
        # Each FAIL_TO_PASS test must fail on its own (a set failing proves nothing about each).
        expect(task, task["FAIL_TO_PASS"], False, work, "before gold", individually=True)
        expect(task, task["PASS_TO_PASS"], True, work, "before gold")
        apply_patch(os.path.join(path, "gold.patch"), work)
        expect(task, task["FAIL_TO_PASS"] + task["PASS_TO_PASS"], True, work, "after gold")


def validate_terminal(path):
    gold = os.path.join(path, "gold.patch")
    if not os.path.isfile(gold):
        raise ValidationError("terminal task has no gold.patch to prove check.sh can pass")
    check = os.path.join(path, "check.sh")
    with tempfile.TemporaryDirectory(prefix="memfun-validate-") as tmp:
        work = os.path.join(tmp, "workspace")
        shutil.copytree(os.path.join(path, "workspace"), work, symlinks=True)
        code, out = run(f"/bin/sh '{check}'", work, 120)
        if code == 0:
            raise ValidationError("check.sh passes on the unsolved workspace")
        apply_patch(gold, work)
        code, out = run(f"/bin/sh '{check}'", work, 120)
        if code != 0:
            raise ValidationError(f"check.sh fails after gold.patch ({code}):\n{out[-3000:]}")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    suite = os.path.join(here, "bundled")
    if argv and os.path.isdir(argv[0]):
        suite, argv = argv[0], argv[1:]
    if not os.path.isdir(suite):
        print(f"usage: validate.py [SUITE_DIR] [TASK_ID ...]; no suite at {suite}", file=sys.stderr)
        return 2
    tasks = sorted(d for d in os.listdir(suite) if os.path.isdir(os.path.join(suite, d)))
    unknown = [t for t in argv if t not in tasks]
    if unknown:
        print(f"usage: unknown task(s) {', '.join(unknown)} in {suite}", file=sys.stderr)
        return 2
    selected = argv or tasks
    failures, started = 0, time.monotonic()
    for name in selected:
        path = os.path.join(suite, name)
        begin = time.monotonic()
        try:
            if os.path.isfile(os.path.join(path, "task.json")):
                with open(os.path.join(path, "task.json"), encoding="utf-8") as f:
                    task = json.load(f)
                if task.get("instance_id") != name:
                    raise ValidationError(f"instance_id '{task.get('instance_id')}' is not the folder name")
                kind = task["language"]
                validate_swe(path, task)
            elif os.path.isfile(os.path.join(path, "instruction.md")):
                kind = "terminal"
                validate_terminal(path)
            else:
                raise ValidationError("neither task.json nor instruction.md")
            print(f"ok    {name:<32} {kind:<10} {time.monotonic() - begin:6.1f}s", flush=True)
        except (ValidationError, OSError, ValueError, KeyError) as ex:
            failures += 1
            print(f"FAIL  {name:<32} {time.monotonic() - begin:6.1f}s  {ex}", flush=True)
    print(f"{len(selected) - failures}/{len(selected)} tasks valid in {time.monotonic() - started:.1f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
