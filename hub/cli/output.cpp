#include "hub/cli/output.h"

#include <algorithm>
#include <cstdio>

namespace hub {
namespace {

// Display width of UTF-8 text: one column per code point.
std::size_t width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string shown(const std::optional<std::string>& value, std::size_t limit = 48) {
  if (!value)
    return "-";
  std::string text = *value;
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (width(text) <= limit)
    return text;
  // Cut on a code point boundary.
  std::size_t points = 0, cut = 0;
  for (; cut < text.size() && points < limit - 1; ++cut) {
    if ((static_cast<unsigned char>(text[cut]) & 0xC0) != 0x80)
      ++points;
  }
  while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    ++cut;
  return text.substr(0, cut) + "…";
}

// What the HTTP connector did in a run, when the plugin used it.
void print_http(std::ostream& out, const RunSummary& run) {
  if (run.http_requests == 0)
    return;
  out << "  http: " << run.http_requests << " requests, " << run.http_retries << " retries, "
      << run.http_bytes << " bytes, " << run.rate_limit_wait_ms << " ms waiting on rate limits\n";
}

}  // namespace

void print_table(std::ostream& out, const Table& table) {
  if (table.rows.empty()) {
    out << "(none)\n";
    return;
  }
  std::vector<std::size_t> widths;
  for (const auto& column : table.columns)
    widths.push_back(width(column));
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : table.rows) {
    std::vector<std::string> line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      // The last column is printed whole: it is where long text (a reason, an error) goes.
      line.push_back(i + 1 == row.size() ? shown(row[i], std::string::npos) : shown(row[i]));
      widths[i] = std::max(widths[i], width(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      out << line[i];
      if (i + 1 < line.size())
        out << std::string(widths[i] - width(line[i]) + 2, ' ');
    }
    out << '\n';
  };
  print_line(table.columns);
  for (const auto& line : cells)
    print_line(line);
  out << "(" << table.rows.size() << (table.rows.size() == 1 ? " row" : " rows") << ")\n";
}

void print_view(std::ostream& out, const views::TypedTable& table,
                const std::vector<std::string>& shown) {
  std::vector<std::size_t> picked;
  for (const auto& name : shown) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].name == name)
        picked.push_back(i);
    }
  }
  if (shown.empty()) {
    for (std::size_t i = 0; i < table.columns.size(); ++i)
      picked.push_back(i);
  }
  Table out_table;
  for (std::size_t i : picked)
    out_table.columns.push_back(table.columns[i].name);
  for (const auto& row : table.rows) {
    std::vector<std::optional<std::string>> line;
    line.reserve(picked.size());
    for (std::size_t i : picked)
      line.push_back(row[i]);
    out_table.rows.push_back(std::move(line));
  }
  print_table(out, out_table);
}

void print_run(std::ostream& out, const RunSummary& run) {
  out << "run " << run.id << "  instance " << run.instance << "  " << run.state << "\n"
      << "  started   " << run.started_at << "\n"
      << "  finished  " << (run.finished_at.empty() ? "-" : run.finished_at) << "\n"
      << "  read " << run.read << ", inserted " << run.inserted << ", updated " << run.updated
      << ", unchanged " << run.unchanged << ", quarantined " << run.quarantined << "\n";
  print_http(out, run);
  if (run.full_refresh)
    out << "  full refresh\n";
  if (!run.error.empty())
    out << "  error: " << run.error << "\n";
  if (!run.details.empty())
    out << "  details: " << run.details << "\n";
}

void print_sync_result(std::ostream& out, const InstanceResult& result) {
  const RunSummary& run = result.summary;
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.2fs", run.duration_seconds);
  out << result.instance << ": " << run.state;
  if (run.id)
    out << " (run " << run.id << ")";
  if (result.outcome == Outcome::skipped) {
    out << ": " << result.message << "\n";
    return;
  }
  out << (run.dry_run ? " [dry run: nothing written]" : "") << "\n"
      << "  read " << run.read << ", inserted " << run.inserted << ", updated " << run.updated
      << ", unchanged " << run.unchanged << ", quarantined " << run.quarantined << ", in "
      << duration << "\n";
  print_http(out, run);
  if (result.outcome == Outcome::failed)
    out << "  error: " << result.message << "\n";
  if (run.quarantined > 0 && run.id) {
    out << "  see: campaign-hub quarantine list --run " << run.id << "\n";
  }
}

}  // namespace hub
