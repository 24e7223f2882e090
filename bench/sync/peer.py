#!/usr/bin/env python3
"""The script peer of the sync benchmark (issue 14): what a user would write instead of the hub.

    peer.py --url http://127.0.0.1:PORT --db FILE [--token T] [--instance connect] [--limit 500]

Standard library only. Pages GET /v1/opportunities (bearer token, limit 500, cursor and
next_cursor) with urllib and upserts the fields a user wants into a table of its own in FILE
(created when absent): id, campaign, title, summary, organisation, country, contact name and
e-mail, status (mapped to the hub's statuses by a small dict), raw status, TRL, submitted and
updated times (in UTC, as the hub stores them). No raw JSON, no hash, no bookkeeping.
sqlite3 executemany with INSERT ... ON CONFLICT(instance, external_id) DO UPDATE; WAL,
synchronous=NORMAL, a commit every 10,000 rows: the same settings as the hub and the write
limit (write_limit.cpp writes the same table). Prints
{"records": n, "seconds": s, "records_per_second": r}; the seconds are end to end.
"""
import argparse
import datetime
import json
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

STATUSES = {"Active": "active", "On-hold": "on_hold", "Closed": "closed", "Declined": "declined"}
COMMIT_EVERY = 10_000

# write_limit.cpp (kUserTable) creates the same table.
TABLE = """
CREATE TABLE IF NOT EXISTS opportunities (instance TEXT NOT NULL, external_id TEXT NOT NULL,
  campaign_id TEXT, title TEXT, summary TEXT, organisation TEXT, country TEXT,
  contact_name TEXT, contact_email TEXT, status TEXT, raw_status TEXT, trl INTEGER,
  submitted_at TEXT, updated_at TEXT, UNIQUE (instance, external_id))
"""
UPSERT = """
INSERT INTO opportunities (instance, external_id, campaign_id, title, summary, organisation,
  country, contact_name, contact_email, status, raw_status, trl, submitted_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(instance, external_id) DO UPDATE SET
  campaign_id = excluded.campaign_id, title = excluded.title, summary = excluded.summary,
  organisation = excluded.organisation, country = excluded.country,
  contact_name = excluded.contact_name, contact_email = excluded.contact_email,
  status = excluded.status, raw_status = excluded.raw_status, trl = excluded.trl,
  submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
"""


def utc(text):
    """RFC 3339 with an offset to the hub's form: 2026-03-01T08:30:00Z (.250 when not zero)."""
    if not text:
        return None
    moment = datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc)
    millis = moment.microsecond // 1000
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{millis:03d}Z" if millis else "Z")


def row_of(record, instance):
    institution = record.get("institution") or {}
    person = record.get("submitted_by") or {}
    email = person.get("email")
    status = record.get("status")
    return (instance, record["id"], record.get("campaign_id"), record.get("title"),
            record.get("summary"), institution.get("name"), institution.get("country"),
            person.get("name"), email.lower() if email else None, STATUSES.get(status), status,
            record.get("trl"), utc(record.get("submitted_at")), utc(record.get("updated_at")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--token", default="sim-connect-token")
    parser.add_argument("--instance", default="connect")
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()

    start = time.monotonic()
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(TABLE)
    headers = {"Authorization": "Bearer " + args.token, "Accept": "application/json"}
    base = args.url.rstrip("/") + "/v1/opportunities?limit=" + str(args.limit)
    url, records, pending = base, 0, 0
    db.execute("BEGIN")
    while True:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            page = json.load(answer)
        rows = [row_of(r, args.instance) for r in page["data"]]
        db.executemany(UPSERT, rows)
        records += len(rows)
        pending += len(rows)
        if pending >= COMMIT_EVERY:
            db.execute("COMMIT")
            db.execute("BEGIN")
            pending = 0
        cursor = page.get("next_cursor")
        if not cursor:
            break
        url = base + "&cursor=" + urllib.parse.quote(cursor, safe="")
    db.execute("COMMIT")
    db.close()
    seconds = time.monotonic() - start
    json.dump({"records": records, "seconds": round(seconds, 3),
               "records_per_second": round(records / seconds) if seconds else 0}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
