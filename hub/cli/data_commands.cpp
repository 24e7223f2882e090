#include <fstream>
#include <iostream>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"

namespace hub {

void add_data_commands(CLI::App& app, Action& action) {
  auto* campaigns = app.add_subcommand("campaigns", "Campaigns in the database");
  campaigns->require_subcommand(1);
  auto campaign_filter = std::make_shared<CampaignFilter>();
  auto* clist = campaigns->add_subcommand("list", "List campaigns");
  clist->add_option("--status", campaign_filter->status, "Only this canonical status");
  clist->add_option("--instance", campaign_filter->instance, "Only this instance's");
  clist->add_flag("--include-deleted", campaign_filter->include_deleted,
                  "Deleted campaigns too (a deleted campaign keeps the status it last had)");
  clist->callback([&action, campaign_filter] {
    action = [campaign_filter](Context& context) {
      print_table(std::cout, list_campaigns(context.database(), *campaign_filter));
      return exit_code::success;
    };
  });

  auto* opportunities = app.add_subcommand("opportunities", "Opportunities in the database");
  opportunities->require_subcommand(1);
  auto filter = std::make_shared<OpportunityFilter>();
  auto* olist = opportunities->add_subcommand("list", "List opportunities");
  olist->add_option("--campaign", filter->campaign, "Only this campaign's (provider id)");
  olist->add_option("--instance", filter->instance, "Only this instance's");
  olist->callback([&action, filter] {
    action = [filter](Context& context) {
      print_table(std::cout, list_opportunities(context.database(), *filter));
      return exit_code::success;
    };
  });

  auto format = std::make_shared<std::string>("csv");
  auto output = std::make_shared<std::string>();
  auto* exporter = opportunities->add_subcommand("export", "Every opportunity, as CSV or JSON");
  exporter->add_option("--format", *format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  exporter->add_option("--output", *output, "Write to this file (default: standard output)");
  exporter->add_option("--campaign", filter->campaign, "Only this campaign's (provider id)");
  exporter->add_option("--instance", filter->instance, "Only this instance's");
  exporter->callback([&action, filter, format, output] {
    action = [filter, format, output](Context& context) {
      std::ofstream file;
      if (!output->empty()) {
        file.open(*output, std::ios::binary);
        if (!file) {
          std::cerr << *output << ": cannot write\n";
          return exit_code::usage;
        }
      }
      std::ostream& out = output->empty() ? std::cout : file;
      bool csv = *format == "csv";
      bool first = true;
      if (!csv)
        out << "[";
      each_opportunity(context.database(), *filter,
                       [&](const std::vector<std::string>& columns,
                           const std::vector<std::optional<std::string>>& row) {
                         if (csv) {
                           if (first)
                             write_csv_row(out, columns);
                           write_csv_row(out, row);
                         } else {
                           out << (first ? "\n" : ",\n") << json_object(columns, row);
                         }
                         first = false;
                       });
      if (!csv)
        out << (first ? "]\n" : "\n]\n");
      return exit_code::success;
    };
  });
}

}  // namespace hub
