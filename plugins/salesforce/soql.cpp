#include "plugins/salesforce/soql.h"

#include <chrono>
#include <cstdio>

#include "connectors/http/paging.h"

namespace salesforce {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size())
    return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9')
      return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<std::string> soql_datetime(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok())
    return std::nullopt;
  int offset_minutes = 0;
  if (text.size() > 10) {
    if (text[10] != 'T' || !digits(text, 11, 2, h) || text.size() < 19 || text[13] != ':' ||
        !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s) || h > 23 ||
        mi > 59 || s > 60) {
      return std::nullopt;
    }
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
      ++at;
      std::size_t first = at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9')
        ++at;
      if (at == first)
        return std::nullopt;
    }
    std::string_view zone = text.substr(at);
    int oh = 0, om = 0;
    if (zone == "Z" || zone == "z") {
      offset_minutes = 0;
    } else if ((zone.size() == 5 || (zone.size() == 6 && zone[3] == ':')) &&
               (zone[0] == '+' || zone[0] == '-') && digits(zone, 1, 2, oh) &&
               digits(zone, zone.size() - 2, 2, om) && oh <= 23 && om <= 59) {
      offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
      return std::nullopt;  // no offset: the zone is unknown
    }
  }
  sys_seconds t =
      sys_days{date} + hours{h} + minutes{mi} + seconds{s == 60 ? 59 : s} - minutes{offset_minutes};
  sys_days day_part = floor<days>(t);
  year_month_day utc{day_part};
  hh_mm_ss<seconds> clock{t - day_part};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(utc.year()), static_cast<unsigned>(utc.month()),
                static_cast<unsigned>(utc.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return std::string(buffer);
}

std::string incremental_soql(const ObjectQuery& query, std::string_view since) {
  std::string soql = "SELECT ";
  for (std::size_t i = 0; i < query.fields.size(); ++i) {
    soql += (i == 0 ? "" : ", ") + query.fields[i];
  }
  soql += " FROM " + query.object + " WHERE SystemModstamp >= " + std::string(since) +
          " ORDER BY SystemModstamp ASC, Id ASC";
  return soql;
}

std::string query_url(std::string_view api_version, bool all, std::string_view soql) {
  return "/services/data/v" + std::string(api_version) + (all ? "/queryAll" : "/query") +
         "?q=" + connectors::http::paging::percent_encode(soql);
}

}  // namespace salesforce
