#!/usr/bin/env python3
"""k8s_manifests.py SASIM DEPLOY_DIR: the Kubernetes manifests of deploy/
parse (python3-yaml) and have what the batch/v1 Job and v1
PersistentVolumeClaim APIs require; the Indexed Job's shards cover 0..N-1
once each and the merge Job lists exactly their directories; and the
commands themselves work: each shard's shell line, run here with
JOB_COMPLETION_INDEX set as Kubernetes sets it (the volume a scratch
directory, the campaign made small), writes its shard, and the merge Job's
command merges them into a passing campaign. Each check is also shown to
fail on a broken copy of the manifests. No cluster is needed."""
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("skipped: python3-yaml is not installed (./dev installs it)")
    sys.exit(77)

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# The fields of batch/v1 JobSpec (Kubernetes 1.33): a misspelt one would be
# dropped by the apiserver without a word.
JOB_SPEC_FIELDS = {"activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "completionMode", "completions",
                   "managedBy", "manualSelector", "maxFailedIndexes", "parallelism", "podFailurePolicy",
                   "podReplacementPolicy", "selector", "successPolicy", "suspend", "template",
                   "ttlSecondsAfterFinished"}


def load(deploy):
    docs = []
    for name in sorted(os.listdir(deploy)):
        if name.endswith(".yaml"):
            with open(os.path.join(deploy, name)) as f:
                docs += [(name, d) for d in yaml.safe_load_all(f) if d is not None]
    return docs


def problems_of(docs):
    """Every way the manifests fall short of the API or of each other."""
    out = []
    claims = {d["metadata"]["name"] for _, d in docs if d.get("kind") == "PersistentVolumeClaim"}
    jobs = [(n, d) for n, d in docs if d.get("kind") == "Job"]
    for name, d in docs:
        where = f"{name} ({d.get('kind')})"
        meta = d.get("metadata") or {}
        if not DNS_LABEL.match(str(meta.get("name", ""))) or len(meta.get("name", "")) > 63:
            out.append(f"{where}: metadata.name must be a DNS label of at most 63 characters")
        if d.get("kind") == "PersistentVolumeClaim":
            spec = d.get("spec") or {}
            if d.get("apiVersion") != "v1":
                out.append(f"{where}: apiVersion must be v1")
            if not spec.get("accessModes"):
                out.append(f"{where}: spec.accessModes is required")
            if not ((spec.get("resources") or {}).get("requests") or {}).get("storage"):
                out.append(f"{where}: spec.resources.requests.storage is required")
    for name, d in jobs:
        where = f"{name} (Job {d.get('metadata', {}).get('name')})"
        if d.get("apiVersion") != "batch/v1":
            out.append(f"{where}: apiVersion must be batch/v1")
        spec = d.get("spec") or {}
        for key in sorted(set(spec) - JOB_SPEC_FIELDS):
            out.append(f"{where}: spec.{key} is not a field of JobSpec")
        pod = ((spec.get("template") or {}).get("spec")) or {}
        if pod.get("restartPolicy") not in ("Never", "OnFailure"):
            out.append(f"{where}: a Job's pods must have restartPolicy Never or OnFailure")
        if spec.get("podFailurePolicy") and pod.get("restartPolicy") != "Never":
            out.append(f"{where}: podFailurePolicy needs restartPolicy Never")
        for rule in (spec.get("podFailurePolicy") or {}).get("rules", []):
            if rule.get("action") not in ("FailJob", "FailIndex", "Ignore", "Count"):
                out.append(f"{where}: podFailurePolicy action {rule.get('action')!r}")
            codes = rule.get("onExitCodes") or {}
            if codes.get("operator") not in ("In", "NotIn") or not codes.get("values") or 0 in codes.get("values", []):
                out.append(f"{where}: onExitCodes needs In or NotIn and non-zero values")
        for key in ("completions", "parallelism", "backoffLimit"):
            if key in spec and not (isinstance(spec[key], int) and spec[key] >= 0):
                out.append(f"{where}: spec.{key} must be a non-negative integer")
        if spec.get("completionMode", "NonIndexed") not in ("Indexed", "NonIndexed"):
            out.append(f"{where}: completionMode must be Indexed or NonIndexed")
        if spec.get("completionMode") == "Indexed" and not (isinstance(spec.get("completions"), int) and spec["completions"] >= 1):
            out.append(f"{where}: an Indexed Job needs completions >= 1")
        containers = pod.get("containers") or []
        if not containers:
            out.append(f"{where}: spec.template.spec.containers is required")
        volumes = {v.get("name"): v for v in pod.get("volumes") or []}
        for v in volumes.values():
            claim = (v.get("persistentVolumeClaim") or {}).get("claimName")
            if claim is not None and claim not in claims:
                out.append(f"{where}: volume {v.get('name')} claims {claim!r}, which deploy/ does not define")
        for c in containers:
            if not DNS_LABEL.match(str(c.get("name", ""))):
                out.append(f"{where}: a container needs a name (a DNS label)")
            if not c.get("image"):
                out.append(f"{where}: container {c.get('name')} needs an image")
            for m in c.get("volumeMounts") or []:
                if m.get("name") not in volumes:
                    out.append(f"{where}: volumeMount {m.get('name')} names no volume")
                if not str(m.get("mountPath", "")).startswith("/"):
                    out.append(f"{where}: volumeMount {m.get('name')} needs an absolute mountPath")
    indexed = [d for _, d in jobs if (d.get("spec") or {}).get("completionMode") == "Indexed"]
    merges = [d for _, d in jobs if "merge" in (container(d).get("command") or [])]
    if len(indexed) != 1 or len(merges) != 1:
        return out + [f"expected one Indexed Job and one merge Job, found {len(indexed)} and {len(merges)}"]
    n = indexed[0]["spec"].get("completions")
    line = shard_line(indexed[0])
    shard = re.search(r'--shard "?\$\{?JOB_COMPLETION_INDEX\}?/(\d+)"?', line)
    outdir = re.search(r'--out "?([^" ]*)\$\{?JOB_COMPLETION_INDEX\}?"?', line)
    if not shard or not outdir:
        return out + ["the shard's command needs --shard \"$JOB_COMPLETION_INDEX/N\" and --out DIR$JOB_COMPLETION_INDEX"]
    if int(shard.group(1)) != n:
        out.append(f"--shard .../{shard.group(1)} but completions: {n}: the shards would not cover 0..N-1")
    if indexed[0]["spec"].get("parallelism", 1) > n:
        out.append("parallelism exceeds completions")
    args = container(merges[0]).get("args") or []
    listed = [a for a in args if not a.startswith("--") and args[args.index(a) - 1] != "--out"]
    wanted = [f"{outdir.group(1)}{i}" for i in range(n)]
    if sorted(listed) != sorted(wanted):
        out.append(f"the merge lists {listed}, not the shards' directories {wanted}")
    return out


def container(job):
    return (((job.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers", [{}])[0]


def shard_line(job):
    c = container(job)
    return " ".join((c.get("command") or [])[2:] + (c.get("args") or [])) if c.get("command") == ["sh", "-c"] else ""


def run_for_real(sasim, docs):
    """The shard lines and the merge command, run here on a small campaign."""
    jobs = [d for _, d in docs if d.get("kind") == "Job"]
    indexed = next(d for d in jobs if d["spec"].get("completionMode") == "Indexed")
    merge = next(d for d in jobs if d is not indexed)
    mount = container(indexed)["volumeMounts"][0]["mountPath"]
    scratch = tempfile.mkdtemp()
    try:
        bin_dir = os.path.join(scratch, "bin")
        os.mkdir(bin_dir)
        os.symlink(os.path.abspath(sasim), os.path.join(bin_dir, "sasim"))
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"])
        line = re.sub(r"--cases \d+", "--cases 24", shard_line(indexed)).replace(mount, os.path.join(scratch, "volume"))
        for i in range(indexed["spec"]["completions"]):
            done = subprocess.run(["sh", "-c", line], env=dict(env, JOB_COMPLETION_INDEX=str(i)), capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"shard {i}: exit {done.returncode}\n{done.stdout}{done.stderr}")
        command = container(merge)["command"] + [a.replace(mount, os.path.join(scratch, "volume")) for a in container(merge)["args"]]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0 or not re.search(r"^fuzz: seed \d+, shard 0/1: 24 cases, 0 failures", done.stdout, re.M):
            sys.exit(f"the merge Job's command: exit {done.returncode}\n{done.stdout}{done.stderr}")
        print(done.stdout.splitlines()[0])
    finally:
        shutil.rmtree(scratch)


def main():
    sasim, deploy = sys.argv[1:3]
    docs = load(deploy)
    problems = problems_of(docs)
    if problems:
        sys.exit("\n".join(problems))
    # Each check can fail: broken copies of the manifests are caught.
    def broken(change):
        copied = copy.deepcopy(docs)
        change({d["kind"] + ("-indexed" if (d.get("spec") or {}).get("completionMode") == "Indexed" else ""): d
                for _, d in copied if d.get("kind") != "Job" or (d.get("spec") or {}).get("completionMode") == "Indexed"}
               | {"merge": next(d for _, d in copied if d.get("kind") == "Job" and
                                (d.get("spec") or {}).get("completionMode") != "Indexed")})
        return problems_of(copied)
    for what, change, expected in [
            ("completions", lambda k: k["Job-indexed"]["spec"].update(completions=5), "would not cover"),
            ("merge list", lambda k: container(k["merge"])["args"].pop(), "the merge lists"),
            ("restartPolicy", lambda k: k["merge"]["spec"]["template"]["spec"].update(restartPolicy="Always"), "restartPolicy"),
            ("image", lambda k: container(k["Job-indexed"]).pop("image"), "needs an image"),
            ("claim", lambda k: k["PersistentVolumeClaim"]["metadata"].update(name="other"), "does not define"),
            ("misspelt field", lambda k: k["merge"]["spec"].update(completion=1), "not a field of JobSpec"),
            ("apiVersion", lambda k: k["Job-indexed"].update(apiVersion="batch/v2"), "batch/v1")]:
        found = broken(change)
        if not any(expected in p for p in found):
            sys.exit(f"a broken {what} went unnoticed: {found}")
    run_for_real(sasim, docs)
    print("ok: the manifests parse, have the Job API's fields, cover 0..N-1 and run")


if __name__ == "__main__":
    main()
