#include "plugins/file-import/file_reader.h"

#include <fstream>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connectors/files/content_hash.h"
#include "connectors/files/csv_reader.h"
#include "connectors/files/ndjson_reader.h"
#include "connectors/json/depth.h"

namespace file_import {
namespace {

using connectors::files::ParseError;

// A mistake in a file, found by this plugin rather than by a reader.
[[noreturn]] void fail(std::size_t line, const std::string& reason) {
  throw ParseError(line, reason);
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    text += (text.empty() ? "'" : ", '") + name + "'";
  }
  return text;
}

// Emits rows as records of one entity and reports numbers it cannot read, the first few one by
// one, so a bad column in a large file does not flood the log.
class RowEmitter {
 public:
  // `dry`: count rows, emit and log nothing (the checking pass).
  RowEmitter(const ImportFile& file, const Settings& settings, campaign_hub::Emitter& emit,
             campaign_hub::Logger& log, bool dry = false)
      : file_(file), settings_(settings), emit_(emit), log_(log), dry_(dry) {}

  Entity entity() const { return *file_.entity; }

  // The column (or key) each canonical field is read from: the mapped one, else its own name.
  std::string_view wanted_column(std::string_view field) const {
    const auto& columns = settings_.columns(entity());
    const auto mapped = columns.find(field);
    return mapped == columns.end() ? field : std::string_view(mapped->second);
  }
  bool is_mapped(std::string_view field) const {
    return settings_.columns(entity()).contains(field);
  }

  // A row whose number cell cannot be read (`12k`, `1,200`, `€300`) is not stored with that
  // field blank: it goes to quarantine under the field, with the file, line and text.
  void emit(std::span<const FieldText> fields, std::string raw, std::size_t line) {
    if (dry_) {
      ++records_;
      return;
    }
    std::string bad_field;
    std::string reason;
    std::size_t bad = 0;
    const auto bad_number = [&](std::string_view field, std::string_view column,
                                std::string_view text) {
      if (bad++ == 0) {
        bad_field = field;
        reason = file_.name + " line " + std::to_string(line) + ", column '" + std::string(column) +
                 "': '" + std::string(text) + "' is not a number";
      }
    };
    const auto quarantine = [&](const std::string& external_id, std::string record_raw) {
      if (bad > 1)
        reason += " (and " + std::to_string(bad - 1) + " more cells of the row)";
      emit_.reject(entity() == Entity::campaign ? "campaign" : "opportunity", external_id,
                   bad_field, reason, std::move(record_raw));
    };
    if (entity() == Entity::campaign) {
      auto campaign = make_campaign(fields, std::move(raw), bad_number);
      if (bad > 0) {
        quarantine(campaign.external_id, std::move(campaign.raw));
        ++rejected_;
        return;
      } else {
        if (!campaign.kind)
          campaign.kind = settings_.kind;
        emit_.campaign(std::move(campaign));
      }
    } else {
      auto opportunity = make_opportunity(fields, std::move(raw), bad_number);
      if (bad > 0) {
        quarantine(opportunity.external_id, std::move(opportunity.raw));
        ++rejected_;
        return;
      }
      emit_.opportunity(std::move(opportunity));
    }
    ++records_;
  }

  std::size_t records() const { return records_; }
  std::size_t rejected() const { return rejected_; }

 private:
  const ImportFile& file_;
  const Settings& settings_;
  campaign_hub::Emitter& emit_;
  [[maybe_unused]] campaign_hub::Logger& log_;  // kept for the callers; nothing logs here now
  bool dry_ = false;
  std::size_t records_ = 0;
  std::size_t rejected_ = 0;
};

void import_csv(std::istream& input, const Settings& settings, RowEmitter& rows) {
  connectors::files::CsvReader csv(input, {.delimiter = settings.delimiter});
  const auto& header = csv.header();
  if (header.empty()) {
    return;
  }
  const auto fields = field_names(rows.entity());
  const std::string settings_key = "settings columns." + std::string(entity_name(rows.entity()));

  // Which column fills each field, decided once from the header.
  std::vector<std::optional<std::size_t>> column_of(fields.size());
  for (std::size_t f = 0; f < fields.size(); ++f) {
    const auto wanted = rows.wanted_column(fields[f]);
    std::vector<std::string> matches;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (same_column(header[c], wanted)) {
        column_of[f] = c;
        matches.push_back(header[c]);
      }
    }
    if (matches.size() > 1) {
      fail(csv.header_line(), "columns " + quoted_list(matches) + " all match " +
                                  std::string(fields[f]) + "; rename all but one, or map " +
                                  std::string(fields[f]) + " in " + settings_key);
    }
    if (matches.empty() && rows.is_mapped(fields[f])) {
      fail(csv.header_line(), "no column '" + std::string(wanted) + "' (" + settings_key + "." +
                                  std::string(fields[f]) + "); the header has " +
                                  quoted_list(header));
    }
  }
  if (!column_of.front()) {  // external_id
    fail(csv.header_line(), "no column for external_id; name it in " + settings_key +
                                ".external_id (the header has " + quoted_list(header) + ")");
  }

  // Raw keys: the header, with a name for any column that has none.
  std::vector<std::string> keys = header;
  for (std::size_t c = 0; c < keys.size(); ++c) {
    if (keys[c].empty()) {
      keys[c] = "column " + std::to_string(c + 1);
    }
  }

  std::vector<FieldText> texts(fields.size());
  for (connectors::files::CsvRow row; csv.next(row);) {
    for (std::size_t f = 0; f < fields.size(); ++f) {
      texts[f] = column_of[f] ? FieldText{header[*column_of[f]], row.fields[*column_of[f]]}
                              : FieldText{fields[f], std::nullopt};
    }
    rapidjson::StringBuffer raw;
    rapidjson::Writer<rapidjson::StringBuffer> writer(raw);
    writer.StartObject();
    for (std::size_t c = 0; c < keys.size(); ++c) {
      writer.Key(keys[c].data(), static_cast<rapidjson::SizeType>(keys[c].size()));
      writer.String(row.fields[c].data(), static_cast<rapidjson::SizeType>(row.fields[c].size()));
    }
    writer.EndObject();
    rows.emit(texts, {raw.GetString(), raw.GetSize()}, row.line);
  }
}

// A JSON value as the text a field takes: strings as they are, numbers as written (they are
// parsed as strings), true/false, and objects or arrays as compact JSON; null is no value.
std::optional<std::string> text_of(const rapidjson::Value& value) {
  if (value.IsNull()) {
    return std::nullopt;
  }
  if (value.IsString()) {
    return std::string(value.GetString(), value.GetStringLength());
  }
  if (value.IsBool()) {
    return value.GetBool() ? "true" : "false";
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const rapidjson::Value* member_for(const rapidjson::Value& object, std::string_view wanted) {
  const rapidjson::Value* loose = nullptr;
  for (const auto& member : object.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key == wanted) {
      return &member.value;
    }
    if (loose == nullptr && same_column(key, wanted)) {
      loose = &member.value;
    }
  }
  return loose;
}

void import_ndjson(std::istream& input, RowEmitter& rows) {
  connectors::files::NdjsonReader ndjson(input);
  const auto fields = field_names(rows.entity());
  std::vector<std::optional<std::string>> values(fields.size());
  std::vector<FieldText> texts(fields.size());
  for (connectors::files::NdjsonLine line; ndjson.next(line);) {
    if (auto at = connectors::json::too_deep(line.text)) {
      fail(line.line, "the line " + connectors::json::too_deep_reason(*at) + ", past column " +
                          std::to_string(*at + 1));
    }
    rapidjson::Document document;
    // Numbers as their text: an id stays "00123", an amount keeps its digits.
    document.Parse<rapidjson::kParseNumbersAsStringsFlag>(line.text.data(), line.text.size());
    if (document.HasParseError()) {
      fail(line.line, "not valid JSON at column " + std::to_string(document.GetErrorOffset() + 1) +
                          ": " + rapidjson::GetParseError_En(document.GetParseError()));
    }
    if (!document.IsObject()) {
      fail(line.line, "each line must be a JSON object");
    }
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const auto wanted = rows.wanted_column(fields[f]);
      const auto* value = member_for(document, wanted);
      values[f] = value != nullptr ? text_of(*value) : std::nullopt;
      texts[f] = {wanted, values[f] ? std::optional<std::string_view>(*values[f]) : std::nullopt};
    }
    // The line is the provider's record exactly as it came.
    rows.emit(texts, line.text, line.line);
  }
}

}  // namespace

FileImported import_file(const ImportFile& file, const Settings& settings,
                         campaign_hub::Emitter& emit, campaign_hub::Logger& log) {
  if (!file.entity) {
    throw std::logic_error("file-import: " + file.name + " has no entity");
  }
  // Two passes: the first reads the whole file and emits nothing, so a file that fails to
  // parse at line 1,502 leaves nothing stored, not its first 1,500 rows. Memory stays flat;
  // the file is read twice.
  const auto parse = [&](std::istream& input, RowEmitter& rows) {
    try {
      if (file.format == FileFormat::csv) {
        import_csv(input, settings, rows);
      } else {
        import_ndjson(input, rows);
      }
    } catch (const ParseError& error) {
      throw std::runtime_error(file.path.string() + " " + error.what() +
                               " (nothing of the file was imported)");
    }
  };
  {
    std::ifstream check(file.path, std::ios::binary);
    if (!check) {
      throw std::runtime_error("cannot read " + file.path.string());
    }
    RowEmitter counting(file, settings, emit, log, true);
    parse(check, counting);
  }
  std::ifstream stream(file.path, std::ios::binary);
  if (!stream) {
    throw std::runtime_error("cannot read " + file.path.string());
  }
  connectors::files::HashingStreambuf hashing(*stream.rdbuf());
  std::istream input(&hashing);
  RowEmitter rows(file, settings, emit, log);
  parse(input, rows);
  return {hashing.finish(), rows.records(), rows.rejected()};
}

}  // namespace file_import
