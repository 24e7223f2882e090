#!/usr/bin/env python3
"""The MariaDB baseline of the sync benchmark: LOAD DATA into staging, then one upsert, by the client.

    mariadb_load_baseline.py --url "mysql://host=... port=... db=... user=... password=..."
                             --tsv FILE

FILE is the COPY text file `write_limit --tsv` writes untimed for the COPY baseline
(pg_copy_baseline.py): the rows the hub stores, raw JSON included. What write_limit puts in it
(tabs between fields, \\N for null, \\\\ \\t \\n \\r escaped) is also LOAD DATA's default format,
so both servers load the same bytes. Untimed: the file's lines are counted and its width
checked against COLUMNS, and the secondary indexes of opportunities are looked up. Timed: one
`mariadb --local-infile=1` run that creates TEMPORARY TABLE staging LIKE opportunities, drops
the secondary indexes LIKE copied, then in one transaction LOAD DATA LOCAL INFILE-s FILE into
it and runs INSERT INTO opportunities SELECT ... FROM staging ON DUPLICATE KEY UPDATE.
The database must have been migrated by `campaign-hub db migrate`, and the user needs CREATE
TEMPORARY TABLES on it; the server needs local_infile ON (MariaDB's default). The URL is the
hub's database.url form; its password goes to the client through MYSQL_PWD, never on a command
line. Prints {"records": n, "seconds": s, "records_per_second": r}.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

# The same file and columns as the COPY baseline: one list, kept there.
from pg_copy_baseline import COLUMNS, KEY, NOT_UPDATED  # noqa: E402


def client_command(url, *arguments):
    """mysql://host=H port=P db=D user=U password=W -> the client's command line (without the
    password) and the environment that holds the password."""
    binary = shutil.which("mariadb") or shutil.which("mysql")
    if binary is None:
        raise SystemExit("mariadb_load_baseline: no mariadb (or mysql) client on PATH")
    settings = {}
    for pair in url.removeprefix("mysql://").removeprefix("mariadb://").split():
        key, _, value = pair.partition("=")
        settings[key] = value
    # --no-defaults: no ~/.my.cnf changes what is measured (psql -X does the same there).
    # utf8mb4, as the hub sets its connection (hub/store/database.cpp).
    command = [binary, "--no-defaults", "--default-character-set=utf8mb4", "--batch"]
    for key, option in (("host", "--host"), ("port", "--port"), ("user", "--user"),
                        ("unix_socket", "--socket")):
        if key in settings:
            command.append(f"{option}={settings[key]}")
    env = dict(os.environ)
    if "password" in settings:
        env["MYSQL_PWD"] = settings["password"]
    database = settings.get("db") or settings.get("dbname")
    return command + list(arguments) + ([database] if database else []), env


def run_sql(url, sql, *arguments):
    """Runs sql through the client; answers its stdout (tab-separated, no column names)."""
    command, env = client_command(url, "--skip-column-names", *arguments)
    result = subprocess.run(command, input=sql, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"{os.path.basename(command[0])}: {result.stderr.strip()[-500:]}")
    return result.stdout.strip()


def secondary_indexes(url):
    """The indexes of opportunities other than its primary key: LIKE copies them into staging,
    where PostgreSQL's (LIKE opportunities) copies none."""
    return run_sql(url, "SELECT DISTINCT index_name FROM information_schema.statistics "
                        "WHERE table_schema = DATABASE() AND table_name = 'opportunities' "
                        "AND index_name <> 'PRIMARY'").split()


def script(tsv, indexes):
    columns = [c.strip() for c in COLUMNS.split(",")]
    updates = ", ".join(f"{c} = VALUES({c})" for c in columns
                        if c not in KEY and c not in NOT_UPDATED)
    path = tsv.replace("\\", "\\\\").replace("'", "\\'")
    drops = ", ".join(f"DROP INDEX `{name}`" for name in indexes)
    alter = f"ALTER TABLE staging {drops};" if drops else ""
    # The ALTER comes before the transaction: MySQL documents ALTER TABLE as committing
    # implicitly even on a temporary table (CREATE and DROP TEMPORARY TABLE do not). LOCAL
    # turns bad rows into warnings, not errors: the warnings are shown, and main fails on any.
    return f"""CREATE TEMPORARY TABLE staging LIKE opportunities;
{alter}
START TRANSACTION;
LOAD DATA LOCAL INFILE '{path}' INTO TABLE staging CHARACTER SET utf8mb4
  FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({COLUMNS});
SHOW WARNINGS LIMIT 5;
INSERT INTO opportunities ({COLUMNS})
  SELECT {COLUMNS} FROM staging
  ON DUPLICATE KEY UPDATE {updates};
SHOW WARNINGS LIMIT 5;
COMMIT;
DROP TEMPORARY TABLE staging;
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--tsv", required=True)
    args = parser.parse_args()

    # A file of another width would load without an error (LOCAL makes it warnings): a column
    # added to the hub must be added to COLUMNS too.
    width = len(COLUMNS.split(","))
    records = 0
    with open(args.tsv, "rb") as rows:
        for line in rows:
            fields = line.count(b"\t") + 1
            if records == 0 and fields != width:
                raise SystemExit(f"mariadb_load_baseline: {args.tsv} has {fields} fields a "
                                 f"line, COLUMNS {width}")
            records += 1
    sql = script(os.path.abspath(args.tsv), secondary_indexes(args.url))
    command, env = client_command(args.url, "--local-infile=1")
    start = time.monotonic()
    result = subprocess.run(command, input=sql.encode(), capture_output=True, env=env)
    seconds = time.monotonic() - start
    if result.returncode != 0 or result.stdout.strip():
        raise SystemExit("mariadb_load_baseline: " +
                         (result.stderr or result.stdout).decode(errors="replace").strip()[-800:])
    json.dump({"records": records, "seconds": round(seconds, 3),
               "records_per_second": round(records / seconds) if seconds else 0}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
