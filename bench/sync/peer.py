#!/usr/bin/env python3
"""The script peer of the sync benchmark: what a user would write instead of the hub.

    peer.py --url http://127.0.0.1:PORT --db FILE [--token T] [--instance connect]
            [--initiative "Default Initiative"] [--limit 500]

Standard library only. Pages GET /v1/opportunities (bearer token, limit 500, cursor and
next_cursor) with urllib, maps each record to the hub's opportunity columns (statuses Active /
On-hold / Closed / Declined to active / on_hold / closed / declined, times to UTC, e-mail in
lower case, the record's JSON kept as raw), and writes them with sqlite3's executemany and
INSERT ... ON CONFLICT(instance, external_id) DO UPDATE into the opportunities table of FILE, a
database that `campaign-hub db migrate` created. WAL, synchronous=NORMAL, a commit every 10,000
rows: the same settings as the hub and the write limit. Prints
{"records": n, "seconds": s, "records_per_second": r}; the seconds are end to end.
"""
import argparse
import datetime
import hashlib
import json
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

STATUSES = {"Active": "active", "On-hold": "on_hold", "Closed": "closed", "Declined": "declined"}
COMMIT_EVERY = 10_000

UPSERT = """
INSERT INTO opportunities (instance, external_id, campaign_external_id, initiative, title,
  organisation, contact_name, contact_email, status, raw_status, amount, currency, probability,
  submitted_at, provider_updated_at, deleted, raw, content_hash, first_seen, last_synced, last_run)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, 0, ?, ?, ?, ?, 1)
ON CONFLICT(instance, external_id) DO UPDATE SET
  campaign_external_id = excluded.campaign_external_id, initiative = excluded.initiative,
  title = excluded.title, organisation = excluded.organisation,
  contact_name = excluded.contact_name, contact_email = excluded.contact_email,
  status = excluded.status, raw_status = excluded.raw_status, amount = excluded.amount,
  currency = excluded.currency, probability = excluded.probability,
  submitted_at = excluded.submitted_at, provider_updated_at = excluded.provider_updated_at,
  deleted = excluded.deleted, raw = excluded.raw, content_hash = excluded.content_hash,
  last_synced = excluded.last_synced, last_run = excluded.last_run
"""


def utc(text):
    """RFC 3339 with an offset to the hub's form: 2026-03-01T08:30:00Z (.250 when not zero)."""
    if not text:
        return None
    moment = datetime.datetime.fromisoformat(text).astimezone(datetime.timezone.utc)
    millis = moment.microsecond // 1000
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{millis:03d}Z" if millis else "Z")


def text(value):
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def row_of(record, instance, initiative, now):
    institution = record.get("institution") or {}
    person = record.get("submitted_by") or {}
    email = text(person.get("email"))
    raw_status = text(record.get("status"))
    raw = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return (instance, record["id"], text(record.get("campaign_id")), initiative,
            text(record.get("title")), text(institution.get("name")), text(person.get("name")),
            email.lower() if email else None, STATUSES[raw_status], raw_status,
            utc(record.get("submitted_at")), utc(record.get("updated_at")), raw,
            hashlib.blake2b(raw.encode(), digest_size=8).hexdigest(), now, now)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--token", default="sim-connect-token")
    parser.add_argument("--instance", default="connect")
    parser.add_argument("--initiative", default="Default Initiative")
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()

    start = time.monotonic()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    headers = {"Authorization": "Bearer " + args.token, "Accept": "application/json"}
    base = args.url.rstrip("/") + "/v1/opportunities?limit=" + str(args.limit)
    url, records, pending = base, 0, 0
    db.execute("BEGIN")
    while True:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            page = json.load(answer)
        rows = [row_of(r, args.instance, args.initiative, now) for r in page["data"]]
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
