#include "hub/query/view_json.h"

namespace hub::views {
namespace {

void write_text(JsonWriter& writer, const std::string& text) {
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_table(JsonWriter& writer, const TypedTable& table) {
  writer.StartArray();
  for (const auto& row : table.rows)
    write_row(writer, table.columns, row);
  writer.EndArray();
}

void write_counts(JsonWriter& writer, const std::map<std::string, std::int64_t>& counts) {
  writer.StartObject();
  for (const auto& [name, count] : counts) {
    writer.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    writer.Int64(count);
  }
  writer.EndObject();
}

void write_next(JsonWriter& writer, const std::optional<std::string>& next) {
  writer.Key("next_cursor");
  if (next)
    write_text(writer, *next);
  else
    writer.Null();
}

// A campaign card: its columns, then funnel, participants and latest metrics as objects.
void write_summary(JsonWriter& writer, const CampaignSummary& summary) {
  writer.StartObject();
  for (std::size_t i = 0; i < summary.columns.size(); ++i) {
    writer.Key(summary.columns[i].name.c_str());
    write_typed(writer, summary.columns[i].type, summary.values[i]);
  }
  writer.Key("funnel");
  write_counts(writer, summary.funnel);
  writer.Key("participants");
  writer.StartObject();
  writer.Key("by_status");
  write_counts(writer, summary.participants);
  writer.Key("completion_rate");
  if (summary.completion_rate)
    writer.Double(*summary.completion_rate);
  else
    writer.Null();
  writer.EndObject();
  writer.Key("latest_metrics");
  if (summary.latest_metrics.rows.empty())
    writer.Null();
  else
    write_row(writer, summary.latest_metrics.columns, summary.latest_metrics.rows.front());
  writer.EndObject();
}

}  // namespace

void write_json(JsonWriter& writer, const CampaignPage& page) {
  writer.StartObject();
  writer.Key("items");
  writer.StartArray();
  for (const auto& item : page.items)
    write_summary(writer, item);
  writer.EndArray();
  write_next(writer, page.next_cursor);
  writer.EndObject();
}

void write_json(JsonWriter& writer, const CampaignDetail& detail) {
  writer.StartObject();
  writer.Key("campaign");
  write_summary(writer, detail.summary);
  writer.Key("history");
  write_table(writer, detail.history);
  writer.Key("metrics_trend");
  write_table(writer, detail.metrics_trend);
  writer.EndObject();
}

void write_json(JsonWriter& writer, const RowPage& page) {
  writer.StartObject();
  writer.Key("items");
  write_table(writer, page.table);
  write_next(writer, page.next_cursor);
  writer.EndObject();
}

void write_json(JsonWriter& writer, const RunDetail& detail) {
  writer.StartObject();
  writer.Key("run");
  write_row(writer, detail.run.columns, detail.run.rows.front());
  writer.Key("status_changes");
  write_table(writer, detail.status_changes);
  writer.Key("quarantined");
  write_table(writer, detail.quarantined);
  writer.EndObject();
}

void write_json(JsonWriter& writer, const Changes& changes) {
  writer.StartObject();
  writer.Key("runs");
  write_table(writer, changes.runs);
  writer.Key("status_changes");
  write_table(writer, changes.status_changes);
  writer.Key("truncated");
  writer.Bool(changes.truncated);
  writer.Key("records_written");
  write_counts(writer, changes.records_written);
  writer.EndObject();
}

}  // namespace hub::views
