#!/usr/bin/env python3
"""The latency benchmark of issue 14: the hub against a provider that answers every request late.

    latency_bench.py [--build-dir DIR] [--delay-ms 100] [--work DIR]

The simulator delays every request by --delay-ms (its `delay` fault, count -1) and serves with
16 threads. Each run is `campaign-hub sync` into a fresh SQLite file, timed end to end:
  (a) the eight instances of config/demo.json (pointed at the simulator; partner-spreadsheets
      reads the repository's config/demo-data), on a simulator of the demo's size (20 campaigns,
      500 opportunities, as scripts/demo.sh): each instance alone, then all eight in one `sync`
      with serve.max_parallel_runs as config/demo.json sets it (8), then with 1 (one after another).
      Ratio: all eight / the slowest alone (target <= 1.3).
  (b) on a second simulator (100 campaigns, 20,000 opportunities): the Connect instance of
      config/examples/connect-scouting.json, and the clover rest-json preset (campaigns, then
      one child request per campaign for its assignments), each as configured and with
      http.max_in_flight 1, the sequential baseline. Ratio: as configured / sequential
      (target <= 0.3, which needs the prefetch of issue 14).
Prints a table; with --json FILE writes the figures. Standard library only. run_bench.py calls
measure() as its latency step.
"""
import argparse
import copy
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIM_PORT_IN_CONFIGS = "http://127.0.0.1:8787"
DEMO_SIM = {"campaigns": 20, "opportunities": 500}  # scripts/demo.sh
PREFETCH_SIM = {"campaigns": 100, "opportunities": 20_000}
TARGET_DEMO = 1.3
TARGET_PREFETCH = 0.3


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class DelayedSimulator:
    """provider-sim on a free port with every request delayed; stopped on exit."""

    def __init__(self, binary, work, name, campaigns, opportunities, delay_ms, threads=16):
        faults = json.dumps([{"kind": "delay", "ms": delay_ms, "count": -1}])
        self.command = [str(binary), "--port", "0", "--campaigns", str(campaigns),
                        "--opportunities", str(opportunities), "--threads", str(threads),
                        "--faults", faults]
        self.stderr_path = work / f"{name}.stderr"

    def __enter__(self):
        with open(self.stderr_path, "ab") as err:
            self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=err,
                                            text=True)
        first = self.process.stdout.readline().strip()
        if not first.startswith("listening on "):
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"provider-sim did not start: {first!r} (see {self.stderr_path})")
        self.url = "http://127.0.0.1:" + first.rsplit(":", 1)[1]
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        return self

    def requests(self):
        with urllib.request.urlopen(self.url + "/_sim/stats") as answer:
            return json.load(answer)["requests"]

    def __exit__(self, *_):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def pointed_at(instance, sim_url):
    instance = copy.deepcopy(instance)
    http = instance.get("http")
    if http and "base_url" in http:
        http["base_url"] = http["base_url"].replace(SIM_PORT_IN_CONFIGS, sim_url)
    if instance.get("plugin") == "file-import":
        folder = instance["settings"]["folder"]
        instance["settings"]["folder"] = str((ROOT / folder).resolve())
    return instance


def demo_instances(sim_url):
    demo = json.loads((ROOT / "config" / "demo.json").read_text())
    return [pointed_at(i, sim_url) for i in demo["instances"]]


def example_connect(sim_url):
    example = json.loads((ROOT / "config" / "examples" / "connect-scouting.json").read_text())
    instance = next(i for i in example["instances"] if i["plugin"] == "connect-scouting")
    return pointed_at(instance, sim_url)


def sequential(instance):
    """The same instance with one request at a time: the baseline a prefetch is measured against."""
    instance = copy.deepcopy(instance)
    instance.setdefault("http", {})["max_in_flight"] = 1
    return instance


class Runner:
    def __init__(self, hub_binary, plugin_dir, work):
        self.hub, self.plugin_dir, self.work = hub_binary, plugin_dir, work

    def sync(self, name, instances, sim, max_parallel_runs=None):
        """One `campaign-hub sync` of these instances into a fresh file: wall seconds, runs."""
        db = self.work / f"latency-{name}.db"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        config = {"database": {"url": f"sqlite3://db={db}"}, "plugin_dir": str(self.plugin_dir),
                  "logging": {"level": "warn", "format": "text"}, "instances": instances}
        if max_parallel_runs is not None:
            config["serve"] = {"max_parallel_runs": max_parallel_runs}
        path = self.work / f"latency-{name}.json"
        path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
        requests_before = sim.requests()
        with open(self.work / f"latency-{name}.stdout", "wb") as out, \
                open(self.work / f"latency-{name}.stderr", "wb") as err:
            start = time.monotonic()
            code = subprocess.call([str(self.hub), "--config", str(path), "--log-level", "warn",
                                    "sync"], stdout=out, stderr=err)
            seconds = time.monotonic() - start
        requests = sim.requests() - requests_before
        with sqlite3.connect(db) as database:
            runs = database.execute(
                "SELECT instance, state, records_read FROM runs ORDER BY id").fetchall()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        failed = [f"{i}: {s}" for i, s, _ in runs if s not in ("succeeded", "partial")]
        result = {"seconds": round(seconds, 2), "exit_code": code, "requests": requests,
                  "records": sum(r for _, _, r in runs), "runs": len(runs)}
        if failed or code != 0:
            result["problems"] = failed or [f"exit code {code}"]
        log(f"  {name}: {seconds:.2f} s, {result['records']:,} records, {requests} requests"
            + (f", PROBLEMS {result['problems']}" if result.get("problems") else ""))
        return result


def ratio(a, b):
    return round(a / b, 2) if a and b else None


def measure(hub_binary, plugin_dir, sim_binary, work, delay_ms=100):
    """Runs (a) and (b); answers a dict of figures and ratios."""
    runner = Runner(hub_binary, plugin_dir, work)
    out = {"delay_ms": delay_ms, "simulator_threads": 16}

    with DelayedSimulator(sim_binary, work, "latency-sim-demo", delay_ms=delay_ms,
                          **DEMO_SIM) as sim:
        instances = demo_instances(sim.url)
        alone = {i["name"]: runner.sync("alone-" + i["name"], [i], sim) for i in instances}
        # As config/demo.json runs them: its serve.max_parallel_runs (8), or serve's default 4.
        demo_cap = json.loads((ROOT / "config" / "demo.json").read_text()).get(
            "serve", {}).get("max_parallel_runs", 4)
        together = runner.sync("demo-all", instances, sim, max_parallel_runs=demo_cap)
        one_by_one = runner.sync("demo-all-sequential", instances, sim, max_parallel_runs=1)
    slowest = max(alone, key=lambda name: alone[name]["seconds"])
    out["demo"] = {
        "simulator": DEMO_SIM, "alone": alone, "slowest_alone": slowest,
        "max_parallel_runs": demo_cap,
        "all_max_parallel_runs_default": together, "all_max_parallel_runs_1": one_by_one,
        "sum_alone_seconds": round(sum(a["seconds"] for a in alone.values()), 2),
        "ratio_all_vs_slowest": ratio(together["seconds"], alone[slowest]["seconds"]),
        "ratio_sequential_vs_slowest": ratio(one_by_one["seconds"], alone[slowest]["seconds"]),
    }

    with DelayedSimulator(sim_binary, work, "latency-sim-prefetch", delay_ms=delay_ms,
                          **PREFETCH_SIM) as sim:
        connect = example_connect(sim.url)
        clover = next(i for i in demo_instances(sim.url) if i["name"] == "clover")
        figures = {}
        for key, instance in (("connect", connect), ("clover", clover)):
            configured = runner.sync(key, [instance], sim)
            one_at_a_time = runner.sync(key + "-sequential", [sequential(instance)], sim)
            figures[key] = {"configured": configured, "sequential": one_at_a_time,
                            "ratio": ratio(configured["seconds"], one_at_a_time["seconds"]),
                            "delay_floor_seconds": round(
                                one_at_a_time["requests"] * delay_ms / 1000, 2)}
        out["prefetch"] = {"simulator": PREFETCH_SIM, **figures}
    return out


def print_latency(latency):
    demo = latency["demo"]
    print(f"Latency (every request {latency['delay_ms']} ms late, simulator "
          f"{latency['simulator_threads']} threads):")
    print(f"  (a) demo, {demo['simulator']['campaigns']} campaigns, "
          f"{demo['simulator']['opportunities']} opportunities")
    for name, figure in demo["alone"].items():
        print(f"      {name:<24} alone {figure['seconds']:>7.2f} s {figure['requests']:>5} requests")
    a, s = demo["all_max_parallel_runs_default"], demo["all_max_parallel_runs_1"]
    print(f"      {'all 8, max_parallel_runs ' + str(demo.get('max_parallel_runs', 4)):<30} "
          f"{a['seconds']:>7.2f} s  "
          f"{demo['ratio_all_vs_slowest']}x the slowest alone ({demo['slowest_alone']})")
    print(f"      {'all 8, max_parallel_runs 1':<30} {s['seconds']:>7.2f} s  "
          f"{demo['ratio_sequential_vs_slowest']}x (sum of alone {demo['sum_alone_seconds']} s)")
    prefetch = latency["prefetch"]
    print(f"  (b) {prefetch['simulator']['campaigns']} campaigns, "
          f"{prefetch['simulator']['opportunities']:,} opportunities")
    for key in ("connect", "clover"):
        f = prefetch[key]
        print(f"      {key:<10} configured {f['configured']['seconds']:>7.2f} s "
              f"({f['configured']['requests']} requests), max_in_flight 1 "
              f"{f['sequential']['seconds']:>7.2f} s ({f['sequential']['requests']} requests, "
              f"{f['delay_floor_seconds']} s of delays): {f['ratio']}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build-bench")
    parser.add_argument("--delay-ms", type=int, default=100)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "results" / "work")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    build = args.build_dir.resolve()
    sim = next((p for p in (build / "bench/sync/provider-sim/provider-sim",
                            build / "tests/provider-sim/provider-sim") if p.exists()), None)
    if sim is None:
        raise SystemExit(f"latency_bench: no provider-sim in {build}; run bench/run.sh")
    args.work.mkdir(parents=True, exist_ok=True)
    latency = measure(build / "bin" / "campaign-hub", build / "plugins", sim, args.work,
                      args.delay_ms)
    print_latency(latency)
    if args.json:
        args.json.write_text(json.dumps(latency, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
