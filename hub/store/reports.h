// What operators read back: campaigns, opportunities and quarantined records, as rows of
// text ready to print or export.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hub/store/database.h"

namespace hub {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

struct CampaignFilter {
  std::optional<std::string> instance;
  std::optional<std::string> status;
};
Table list_campaigns(Database& database, const CampaignFilter& filter);

struct OpportunityFilter {
  std::optional<std::string> instance;
  std::optional<std::string> campaign;  // the provider's campaign id
};
Table list_opportunities(Database& database, const OpportunityFilter& filter);

// Every opportunity column, streamed row by row, for exports of any size.
void each_opportunity(
    Database& database, const OpportunityFilter& filter,
    const std::function<void(const std::vector<std::string>& columns,
                             const std::vector<std::optional<std::string>>& row)>& visit);

struct QuarantineFilter {
  std::optional<std::int64_t> run_id;
  bool include_replayed = false;
};
Table list_quarantine(Database& database, const QuarantineFilter& filter);

}  // namespace hub
