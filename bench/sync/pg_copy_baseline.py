#!/usr/bin/env python3
"""The PostgreSQL baseline of the sync benchmark: COPY into staging, then one upsert, by psql.

    pg_copy_baseline.py --url "postgresql://host=... port=... dbname=... user=... password=..."
                        --tsv FILE

FILE holds the rows the hub stores, in COPY text format, written untimed by
`write_limit --tsv` from the same simulator. Timed: one psql run that, in one transaction,
creates TEMP TABLE staging (LIKE opportunities), \\copy-s FILE into it, and runs
INSERT INTO opportunities SELECT ... FROM staging ON CONFLICT (instance, external_id) DO UPDATE.
The database must have been migrated by `campaign-hub db migrate`. The URL is the hub's
database.url form; its password goes to psql through PGPASSWORD, never on a command line.
Prints {"records": n, "seconds": s, "records_per_second": r}.
"""
import argparse
import json
import os
import subprocess
import sys
import time

# write_limit's column order (write_tsv): the key, hub::columns(opportunity) in order
# (hub/model/canonical.h), then the bookkeeping. Not the table's order: migrations append.
COLUMNS = ("instance, external_id, campaign_external_id, initiative, title, summary, "
           "organisation, country, contact_name, contact_email, status, raw_status, amount, "
           "currency, probability, readiness_level, attachment_count, owner, submitted_at, "
           "provider_updated_at, attributes, deleted, raw, content_hash, first_seen, "
           "last_synced, last_run")
KEY = ("instance", "external_id")
NOT_UPDATED = ("first_seen",)


def libpq_environment(url):
    """postgresql://host=H port=P dbname=D user=U password=W -> PGHOST, PGPORT, ... ."""
    names = {"host": "PGHOST", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER",
             "password": "PGPASSWORD"}
    env = dict(os.environ)
    for pair in url.removeprefix("postgresql://").split():
        key, _, value = pair.partition("=")
        if key in names:
            env[names[key]] = value
    return env


def script(tsv):
    columns = [c.strip() for c in COLUMNS.split(",")]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns
                        if c not in KEY and c not in NOT_UPDATED)
    path = tsv.replace("'", "''")
    return f"""\\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE staging (LIKE opportunities) ON COMMIT DROP;
ALTER TABLE staging ALTER COLUMN id DROP NOT NULL;
\\copy staging ({COLUMNS}) FROM '{path}'
INSERT INTO opportunities ({COLUMNS})
  SELECT {COLUMNS} FROM staging
  ON CONFLICT (instance, external_id) DO UPDATE SET {updates};
COMMIT;
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--tsv", required=True)
    args = parser.parse_args()

    with open(args.tsv, "rb") as rows:
        records = sum(1 for _ in rows)
    start = time.monotonic()
    subprocess.run(["psql", "-X", "-q", "-f", "-"], input=script(args.tsv).encode(),
                   env=libpq_environment(args.url), check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    json.dump({"records": records, "seconds": round(seconds, 3),
               "records_per_second": round(records / seconds) if seconds else 0}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
