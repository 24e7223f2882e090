// The query layer's answers as JSON bodies: what the API sends and what `--json` prints on the
// command line, so that both presenters say the same thing in the same shape (docs/api.md).
#pragma once

#include <string>

#include "hub/query/typed_json.h"
#include "hub/query/views.h"

namespace hub::views {

// {"items": [campaign card...], "next_cursor": ...}
void write_json(JsonWriter& writer, const CampaignPage& page);
// {"campaign": card, "history": [...], "metrics_trend": [...]}
void write_json(JsonWriter& writer, const CampaignDetail& detail);
// {"items": [row...], "next_cursor": ...}
void write_json(JsonWriter& writer, const RowPage& page);
// {"run": row, "status_changes": [...], "quarantined": [...]}
void write_json(JsonWriter& writer, const RunDetail& detail);
// {"runs": [...], "status_changes": [...], "truncated": bool, "records_written": {...}}
void write_json(JsonWriter& writer, const Changes& changes);

// Any of the above as a finished body, ending in a line break.
template <typename Answer>
std::string to_json(const Answer& answer) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  write_json(writer, answer);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace hub::views
