// The cursor of one stream: the latest `updated_at` emitted and the ids emitted at that very
// instant. The feed's `updated_since` is strictly later, so asking from the instant itself would
// lose a record that shares it but sat on the next, unread page; we ask from one second earlier
// and skip what the cursor says was emitted. See README.md, "Incremental sync".
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "connectors/time/rfc3339.h"

namespace connect_scouting {

// The feed's RFC 3339 times as instants, so that "2026-03-01T09:30:00+01:00" and
// "2026-03-01T08:30:00Z" compare equal: the cursor needs the order, not the text.
using connectors::time::Instant;

class FeedCursor {
 public:
  FeedCursor() = default;

  // The saved cursor text: empty or absent (a first sync), our JSON form
  // {"updated_at": "...", "ids": [...]}, or a bare RFC 3339 time (an operator's hand-set cursor).
  // Throws std::invalid_argument naming the stream and what is wrong.
  static FeedCursor parse(std::string_view stream, const std::optional<std::string>& saved);

  // The `updated_since` to send: one second before the cursor's instant, in UTC; nothing on a
  // first sync.
  std::optional<std::string> updated_since() const;

  // Whether a record was emitted already: it is older than the cursor's instant (the feed is
  // oldest first), or at that instant with an id the cursor holds.
  bool seen(Instant updated, std::string_view id) const;

  // Takes in a record just emitted.
  void advance(Instant updated, std::string_view updated_text, std::string_view id);

  bool empty() const { return !at_.has_value(); }
  std::string text() const;  // the JSON form, for emit.checkpoint

  const std::optional<Instant>& at() const { return at_; }
  const std::set<std::string, std::less<>>& ids() const { return ids_; }

 private:
  std::optional<Instant> at_;
  std::string at_text_;  // as the provider wrote it, for people reading the cursor
  std::set<std::string, std::less<>> ids_;
};

}  // namespace connect_scouting
