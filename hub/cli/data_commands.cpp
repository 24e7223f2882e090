#include <cstdlib>
#include <fstream>
#include <iostream>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"
#include "hub/store/triage.h"

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

  // The hub's own fields: no sync overwrites them (hub/store/triage.h).
  auto change = std::make_shared<TriageChange>();
  auto* triage = opportunities->add_subcommand(
      "triage", "Move an opportunity to an initiative, give it a triage state or a note");
  triage->add_option("--instance", change->instance, "The instance it came from")->required();
  triage->add_option("id", change->external_id, "The provider's opportunity id")->required();
  triage->add_option("--initiative", change->initiative, "The initiative (\"\" clears it)");
  triage->add_option("--state", change->state, "new, reviewing, shortlisted or rejected")
      ->check(CLI::IsMember({"new", "reviewing", "shortlisted", "rejected"}));
  triage->add_option("--note", change->note, "A note (\"\" clears it)");
  triage->add_option("--by", change->changed_by, "Who makes the change (default: $USER)");
  triage->callback([&action, change] {
    action = [change](Context& context) {
      if (change->changed_by.empty()) {
        const char* user = std::getenv("USER");
        change->changed_by = user != nullptr && *user != '\0' ? user : "cli";
      }
      try {
        const Triage now = set_triage(context.database(), *change);
        std::cout << change->instance << " " << change->external_id << ": " << now.state
                  << ", initiative " << now.initiative.value_or("(as synced)")
                  << (now.note ? ", note: " + *now.note : std::string()) << " (" << now.changed_by
                  << ", " << now.changed_at << ")\n";
        return exit_code::success;
      } catch (const NoSuchRecord& missing) {
        std::cerr << missing.what() << "\n";
        return exit_code::usage;
      } catch (const BadChange& bad) {
        std::cerr << bad.what() << "\n";
        return exit_code::usage;
      }
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
