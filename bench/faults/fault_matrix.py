#!/usr/bin/env python3
"""The fault matrix: reruns issue 18's trial classes against the built hub and prints one table.

    bench/faults/fault_matrix.py [--build build] [--quick] [--records N] [--kills-sqlite N]
                                 [--kills-postgresql N] [--kills-mysql N] [--seed S]

Classes: SIGKILLs during a sync on each backend, then a resume (compared row by row with a clean
sync of the same feed); the database lost mid-sync (PostgreSQL stopped as a crash would), then a
resume; every provider fault the simulator has; bad input (deep JSON, NUL and bad UTF-8, a
50 MB one-line CSV, a symlink out of the import folder, a FIFO named as a secret, three syncs on
a fresh database at once, a frozen database server); and a scan of every output and database for
the secrets the configs used. It starts its own simulator and database servers on 127.0.0.1
(tests/db-servers/start.sh) and stops them on the way out, whatever happens. Exit status 1 when a
trial failed. Python's standard library only: it reads the databases through the hub itself
(`export opportunities`), so one comparison serves the three backends.
"""
import argparse
import csv
import io
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_TOKEN = "sim-connect-token"
BOOKKEEPING = {"first_seen", "last_synced", "last_run"}


class Matrix:
    def __init__(self, args):
        self.args = args
        self.build = (ROOT / args.build).resolve()
        self.hub = self.build / "bin" / "campaign-hub"
        self.sim_binary = self.build / "tests" / "provider-sim" / "provider-sim"
        self.work = Path(tempfile.mkdtemp(prefix="fault-matrix-"))
        self.work.chmod(0o755)  # the database servers run as their own users, inside it
        self.rows = []  # (class, backend, trials, passed, figures)
        self.outputs = []  # every stdout and stderr, for the secret scan
        self.servers = {}
        self.sim = None
        self.port = None
        self.random = random.Random(args.seed)
        self.secrets = [SECRET_TOKEN]

    # --- processes -------------------------------------------------------------------------
    def start(self):
        self.sim = subprocess.Popen(
            [str(self.sim_binary), "--port", "0", "--campaigns", "50",
             "--opportunities", str(self.args.records), "--seed", str(self.args.seed)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.port = int(self.sim.stdout.readline().strip().rsplit(":", 1)[1])
        state = self.work / "db-servers"
        started = subprocess.run([str(ROOT / "tests/db-servers/start.sh"), str(state)],
                                 capture_output=True, text=True, timeout=180)
        if started.returncode == 0:
            for line in (state / "servers.env").read_text().splitlines():
                key, _, value = line.partition("=")
                self.servers[key] = value
            for key in ("postgresql", "mysql"):
                self.secrets.append(self.servers[key].split("password=")[1].split()[0])
        else:
            print("fault-matrix: no database servers (" + started.stderr.strip()[-200:] +
                  "); PostgreSQL and MariaDB rows are skipped", file=sys.stderr)

    def stop(self):
        if self.sim:
            self.sim.terminate()
            try:
                self.sim.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.sim.kill()
        if self.servers:
            subprocess.run([str(ROOT / "tests/db-servers/stop.sh"), str(self.work / "db-servers")],
                           capture_output=True, timeout=120)

    def set_faults(self, rules):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/_sim/faults",
                                         data=json.dumps(rules).encode(), method="POST")
        urllib.request.urlopen(request, timeout=10).read()

    # --- the hub ---------------------------------------------------------------------------
    def config(self, name, url, instance, plugin="connect-scouting", settings=None, http=None,
               extra=""):
        if settings is None:
            settings = {"page_size": 500, "streams": ["campaigns", "opportunities"]}
        if http is None and plugin == "connect-scouting":
            http = {"base_url": f"http://127.0.0.1:{self.port}",
                    "auth": {"type": "bearer", "token": "${env:FM_TOKEN}"},
                    "retries": {"max_attempts": 4, "base_delay_ms": 50, "max_delay_ms": 500,
                                "max_total_wait_ms": 20000},
                    "timeouts": {"connect_ms": 2000, "request_ms": 10000,
                                 "low_speed_seconds": 3}}
        entry = {"name": instance, "plugin": plugin, "settings": settings, "batch_size": 2000}
        if http:
            entry["http"] = http
        path = self.work / f"{name}.json"
        text = json.dumps({"database": {"url": url}, "plugin_dir": str(self.build / "plugins"),
                           "instances": [entry]})
        path.write_text(text if not extra else extra)
        return path

    def env(self):
        env = dict(os.environ, FM_TOKEN=SECRET_TOKEN)
        env.pop("CAMPAIGN_HUB_CONFIG", None)
        return env

    def run(self, config, *args, timeout=300):
        start = time.monotonic()
        try:
            done = subprocess.run([str(self.hub), "--config", str(config), *args],
                                  capture_output=True, text=True, timeout=timeout, env=self.env(),
                                  cwd=self.work)
            code, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as expired:
            code, out, err = "timeout", str(expired.stdout or ""), str(expired.stderr or "")
        self.outputs.append(out + err)
        return code, out, err, time.monotonic() - start

    def export(self, config, instance):
        """The instance's opportunities as stored, without the bookkeeping columns."""
        code, out, err, _ = self.run(config, "export", "opportunities", "--format", "csv")
        if code != 0:
            raise RuntimeError("export failed: " + err.strip()[-300:])
        rows = [row for row in csv.DictReader(io.StringIO(out)) if row["instance"] == instance]
        return [{k: v for k, v in row.items() if k not in BOOKKEEPING and k != "instance"}
                for row in rows]

    def compare(self, got, want):
        by_id = {}
        doubled = 0
        for row in got:
            doubled += row["external_id"] in by_id
            by_id[row["external_id"]] = row
        expected = {row["external_id"]: row for row in want}
        missing = len(expected.keys() - by_id.keys())
        extra = len(by_id.keys() - expected.keys())
        differing = sum(by_id[k] != expected[k] for k in expected.keys() & by_id.keys())
        return missing, extra, doubled, differing

    def reference(self):
        if not hasattr(self, "_reference"):
            config = self.config("reference", f"sqlite3://{self.work}/reference.db", "feed")
            code, _, err, seconds = self.run(config, "sync")
            if code != 0:
                raise RuntimeError("the reference sync failed: " + err.strip()[-300:])
            self._reference = (self.export(config, "feed"), seconds)
        return self._reference

    def add(self, name, backend, trials, passed, figures):
        self.rows.append((name, backend, trials, passed, figures))

    # --- trial classes ---------------------------------------------------------------------
    def kills(self, backend, url, kills):
        want, seconds = self.reference()
        config = self.config(f"kill-{backend}", url, f"kill_{backend}")
        for _ in range(kills):
            process = subprocess.Popen([str(self.hub), "--config", str(config), "sync"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=self.env(), cwd=self.work)
            time.sleep(self.random.uniform(0.05, max(0.2, seconds * 1.1)))
            process.send_signal(signal.SIGKILL)
            process.wait()
        for _ in range(3):  # the lease of a killed holder is taken over; allow a retry or two
            code, _, err, _ = self.run(config, "sync")
            if code == 0:
                break
        got = self.export(config, f"kill_{backend}")
        missing, extra, doubled, differing = self.compare(got, want)
        ok = code == 0 and (missing, extra, doubled, differing) == (0, 0, 0, 0)
        self.add("SIGKILL during a sync, then resume", backend, kills, kills if ok else 0,
                 f"{len(got)} rows: {missing} missing, {extra} extra, {doubled} doubled, "
                 f"{differing} differing")

    def database_loss(self):
        ctl = self.servers.get("postgresql_ctl")
        if not ctl:
            return
        want, seconds = self.reference()
        config = self.config("dbloss", self.servers["postgresql"], "dbloss")
        process = subprocess.Popen([str(self.hub), "--config", str(config), "sync"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=self.env(), cwd=self.work)
        time.sleep(max(0.1, seconds * 0.4))
        subprocess.run([ctl, "stop"], timeout=60)
        lost_at = time.monotonic()
        try:
            out, err = process.communicate(timeout=120)
            code = process.returncode
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            code = "timeout"
        waited = time.monotonic() - lost_at
        self.outputs.append(out + err)
        subprocess.run([ctl, "start"], timeout=60)
        resumed, _, _, _ = self.run(config, "sync")
        missing, extra, doubled, differing = self.compare(self.export(config, "dbloss"), want)
        clean_failure = code not in (0, "timeout") and "database" in err
        ok = (clean_failure or code == 0) and resumed == 0 and \
            (missing, extra, doubled, differing) == (0, 0, 0, 0)
        self.add("database lost mid-sync, then resume", "postgresql", 1, int(ok),
                 f"exit {code} after {waited:.1f} s; resume: {missing} missing, {extra} extra, "
                 f"{doubled} doubled, {differing} differing")

    def provider_faults(self):
        faults = [
            ("503 burst", [{"kind": "status", "status": 503, "count": 3}]),
            ("500 once", [{"kind": "status", "status": 500}]),
            ("429 with Retry-After", [{"kind": "status", "status": 429, "retry_after": 1,
                                       "count": 2}]),
            ("429 with an HTTP date", [{"kind": "status", "status": 429,
                                        "retry_after": "date:1"}]),
            ("429 storm, every 3rd", [{"kind": "status", "status": 429, "retry_after": 1,
                                       "every": 3, "count": 6}]),
            ("401 always", [{"kind": "status", "status": 401, "count": -1}]),
            ("403 always", [{"kind": "status", "status": 403, "count": -1}]),
            ("404 on a page", [{"kind": "status", "status": 404, "after": 1}]),
            ("slow answers", [{"kind": "delay", "ms": 300, "count": 5}]),
            ("stalled body", [{"kind": "stall", "ms": 8000, "after": 1}]),
            ("stall forever", [{"kind": "stall", "ms": 60000, "count": -1}]),
            ("connection reset", [{"kind": "reset", "cut": 0.3, "count": 2}]),
            ("reset forever", [{"kind": "reset", "cut": 0.3, "count": -1}]),
            ("truncated JSON", [{"kind": "truncate", "cut": 0.5}]),
            ("malformed JSON", [{"kind": "malformed", "cut": 0.5}]),
            ("truncated forever", [{"kind": "truncate", "cut": 0.5, "count": -1}]),
            ("records repeated across pages", [{"kind": "repeat", "records": 50, "count": 3}]),
            ("records touched while paging", [{"kind": "touch", "table": "connect",
                                               "fraction": 0.05, "count": 3}]),
            ("a record deleted while paging", [{"kind": "delete", "table": "connect.campaigns",
                                                "id": "#3"}]),
            ("everything at once", [{"kind": "status", "status": 503, "every": 4, "count": 4},
                                    {"kind": "delay", "ms": 200, "every": 5, "count": 4},
                                    {"kind": "reset", "cut": 0.5, "after": 2}]),
        ]
        passed, worst, failed_lines = 0, 0.0, []
        for index, (name, rules) in enumerate(faults):
            config = self.config(f"fault-{index}", f"sqlite3://{self.work}/faults.db",
                                 f"fault_{index}")
            self.set_faults(rules)
            code, out, err, seconds = self.run(config, "sync", timeout=180)
            self.set_faults([])
            worst = max(worst, seconds)
            failures = [line for line in (out + err).splitlines() if ": failed" in line]
            if code == 0 or (code == 2 and len(failures) == 1 and f"fault_{index}" in failures[0]):
                passed += 1
            else:
                failed_lines.append(f"{name}: exit {code}")
        self.add("provider faults", "sqlite3", len(faults), passed,
                 f"slowest {worst:.1f} s" + ("; " + "; ".join(failed_lines) if failed_lines else ""))

    def bad_input(self):
        trials = []

        def trial(name, check):
            try:
                ok, figure = check()
            except Exception as error:  # a trial that cannot run is a failed trial
                ok, figure = False, f"{type(error).__name__}: {error}"
            trials.append((name, ok, figure))

        def deep_config():
            path = self.work / "deep-config.json"
            path.write_text('{"instances": ' + "[" * 50000 + "]" * 50000 + "}")
            code, _, err, _ = self.run(path, "sync")
            return code == 3 and "deep" in err, f"exit {code}"

        def import_folder(name, files, secret=False):
            folder = self.work / name
            folder.mkdir()
            for file, data in files.items():
                (folder / file).write_bytes(data) if isinstance(data, bytes) else \
                    (folder / file).symlink_to(data)
            return self.config(name, f"sqlite3://{self.work}/{name}.db", name, "file-import",
                               {"folder": str(folder)})

        def deep_ndjson():
            line = b'{"external_id":"c1","x":' + b"[" * 150000 + b"]" * 150000 + b"}\n"
            code, _, err, _ = self.run(import_folder("deep-ndjson", {"campaigns.ndjson": line}),
                                       "sync")
            return code == 2 and "deep" in err, f"exit {code}"

        def nul_record():
            lines = (b'{"external_id":"c1","name":"a\\u0000b","status":"active"}\n'
                     b'{"external_id":"c2","name":"bad \xff byte","status":"active"}\n')
            config = import_folder("nul", {"campaigns.ndjson": lines})
            code, _, _, _ = self.run(config, "sync")
            listed = self.run(config, "quarantine", "list")[1]
            return code in (1, 2) and code != "timeout" and "c1" in listed, f"exit {code}"

        def wide_csv():
            folder_files = {"campaigns.csv": b"external_id,name\n" + b"x," * 25_000_000 + b"x\n"}
            config = import_folder("wide", folder_files)
            # Measured in a process of its own: RUSAGE_CHILDREN keeps the largest child so far.
            measure = ("import resource, subprocess, sys; "
                       "code = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
                       "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
            done = subprocess.run([sys.executable, "-c", measure, str(self.hub), "--config",
                                   str(config), "sync", "--in-process"], capture_output=True,
                                  text=True, timeout=300, env=self.env(), cwd=self.work)
            code, peak_kib = (int(x) for x in done.stdout.split())
            return code == 2 and peak_kib < 64 * 1024, \
                f"exit {code}, peak RSS {peak_kib / 1024:.0f} MiB (limit 64)"

        def symlink_out():
            config = import_folder("link", {"campaigns.csv": "/etc/passwd"})
            code, out, err, _ = self.run(config, "sync")
            return "root:" not in out + err, f"exit {code}, /etc/passwd not echoed"

        def fifo_secret():
            fifo = self.work / "secret.fifo"
            os.mkfifo(fifo)
            text = json.dumps({"database": {"url": f"sqlite3://{self.work}/fifo.db"},
                               "plugin_dir": str(self.build / "plugins"),
                               "instances": [{"name": "f", "plugin": "connect-scouting",
                                              "http": {"base_url": "http://127.0.0.1:1",
                                                       "auth": {"type": "bearer",
                                                                "token": f"${{file:{fifo}}}"}}}]})
            config = self.config("fifo", "", "f", extra=text)
            code, _, err, seconds = self.run(config, "sync", timeout=30)
            return code in (2, 3) and seconds < 10, f"exit {code} in {seconds:.1f} s"

        def concurrent_fresh(url):
            config = self.config("fresh", url, "fresh")
            processes = [subprocess.Popen([str(self.hub), "--config", str(config), "db", "migrate"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                          text=True, env=self.env(), cwd=self.work)
                         for _ in range(3)]
            codes = [p.wait(timeout=120) for p in processes]
            return codes == [0, 0, 0], f"exits {codes}"

        def frozen_database():
            with socket.socket() as frozen:
                frozen.bind(("127.0.0.1", 0))
                frozen.listen(16)
                port = frozen.getsockname()[1]
                config = self.config("frozen", f"postgresql://host=127.0.0.1 port={port} "
                                     "dbname=hub user=hub", "frozen")
                code, _, err, seconds = self.run(config, "runs", "list", timeout=60)
            return code == 4 and "timeout" in err and seconds < 20, \
                f"exit {code} in {seconds:.1f} s"

        trial("config nested 50,000 deep", deep_config)
        trial("NDJSON line nested 150,000 deep", deep_ndjson)
        trial("NUL and invalid UTF-8 in a record", nul_record)
        trial("one 50 MB CSV line of 25M fields", wide_csv)
        trial("symlink to /etc/passwd in the folder", symlink_out)
        trial("${file:} naming a FIFO", fifo_secret)
        trial("3 migrations at once, fresh SQLite", lambda: concurrent_fresh(
            f"sqlite3://{self.work}/fresh.db"))
        if "postgresql_admin" in self.servers:
            admin = self.servers["postgresql_admin"]
            subprocess.run(["psql", admin.removeprefix("postgresql://"), "-q", "-c",
                            "CREATE DATABASE fresh_fm OWNER hub"], capture_output=True, timeout=60)
            trial("3 migrations at once, fresh PostgreSQL", lambda: concurrent_fresh(
                self.servers["postgresql"].replace("dbname=hub", "dbname=fresh_fm")))
        trial("frozen database server", frozen_database)
        for name, ok, figure in trials:
            self.add("bad input: " + name, "", 1, int(ok), figure)

    def secret_scan(self):
        found = sum(text.count(secret) for text in self.outputs for secret in self.secrets)
        for database in self.work.glob("*.db"):
            data = database.read_bytes()
            found += sum(data.count(secret.encode()) for secret in self.secrets)
        for backend in ("postgresql", "mysql"):
            if backend in self.servers:
                config = self.config(f"scan-{backend}", self.servers[backend], "scan")
                text = self.run(config, "runs", "list")[1]
                found += sum(text.count(secret) for secret in self.secrets)
        self.add("secrets in output and databases", "all", 1, int(found == 0),
                 f"{found} found in {len(self.outputs)} outputs and the databases")

    def table(self):
        header = ("trial class", "backend", "trials", "passed", "figures")
        widths = [max(len(str(row[i])) for row in [header, *self.rows]) for i in range(5)]
        line = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |"
        print(line(header))
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            print(line(row))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--quick", action="store_true", help="20,000 records, 5 kills a backend")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--kills-sqlite", type=int, default=50)
    parser.add_argument("--kills-postgresql", type=int, default=20)
    parser.add_argument("--kills-mysql", type=int, default=10)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    if args.quick:
        args.records, args.kills_sqlite, args.kills_postgresql, args.kills_mysql = 20_000, 5, 5, 5
    matrix = Matrix(args)
    started = time.monotonic()
    try:
        matrix.start()
        matrix.kills("sqlite3", f"sqlite3://{matrix.work}/kills.db", args.kills_sqlite)
        if "postgresql" in matrix.servers:
            matrix.kills("postgresql", matrix.servers["postgresql"], args.kills_postgresql)
        if "mysql" in matrix.servers:
            matrix.kills("mysql", matrix.servers["mysql"], args.kills_mysql)
        matrix.database_loss()
        matrix.provider_faults()
        matrix.bad_input()
        matrix.secret_scan()
    finally:
        matrix.stop()
    matrix.table()
    failed = sum(row[2] != row[3] for row in matrix.rows)
    print(f"\nfault-matrix: {len(matrix.rows)} rows, {failed} failed, "
          f"{args.records} records, {time.monotonic() - started:.0f} s ({matrix.work})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
