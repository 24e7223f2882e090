#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "hub/cli/commands.h"
#include "hub/cli/exit_codes.h"
#include "hub/cli/output.h"
#include "hub/query/view_json.h"
#include "hub/store/triage.h"

// The account managers' reads on the command line: the same query layer as the API
// (hub/query/views.h), presented as tables for people or, with --json, as the API's own bodies.
namespace hub {
namespace {

// What every list takes: how many rows, from where, and in which form.
struct ListOptions {
  std::size_t limit = 50;
  std::optional<std::string> cursor;
  bool json = false;
  views::Paging paging() const { return {limit, cursor}; }
};

void add_list_options(CLI::App* command, ListOptions& options) {
  command->add_option("--limit", options.limit, "At most this many rows (1 to 1000)")
      ->check(CLI::Range(1, 1000));
  command->add_option("--cursor", options.cursor, "Go on from where the previous list stopped");
  command->add_flag("--json", options.json, "Print the API's JSON body (docs/api.md)");
}

void add_json_flag(CLI::App* command, bool& json) {
  command->add_flag("--json", json, "Print the API's JSON body (docs/api.md)");
}

// A page as a table, or as JSON; where more rows follow, how to read them.
void print_page(const views::RowPage& page, const ListOptions& options,
                const std::vector<std::string>& shown) {
  if (options.json) {
    std::cout << views::to_json(page);
    return;
  }
  print_view(std::cout, page.table, shown);
  if (page.next_cursor)
    std::cerr << "more rows: add --cursor " << *page.next_cursor << "\n";
}

// A query the layer refused (a status that is no status, a cursor it never gave): said, as a
// usage error.
int answer(const std::function<void()>& read) {
  try {
    read();
    return exit_code::success;
  } catch (const views::BadQuery& bad) {
    std::cerr << "--" << bad.what() << "\n";
    return exit_code::usage;
  }
}

const views::Value* column(const views::CampaignSummary& summary, std::string_view name) {
  for (std::size_t i = 0; i < summary.columns.size(); ++i) {
    if (summary.columns[i].name == name)
      return &summary.values[i];
  }
  return nullptr;
}

std::string text(const views::CampaignSummary& summary, std::string_view name,
                 const std::string& none = "-") {
  const views::Value* value = column(summary, name);
  return value && *value ? **value : none;
}

std::string counts(const std::map<std::string, std::int64_t>& by_status) {
  std::string out;
  for (const auto& [status, count] : by_status)
    out += (out.empty() ? "" : ", ") + status + " " + std::to_string(count);
  return out.empty() ? "none" : out;
}

// One campaign for a person: what its card says, then its history and metrics trend.
void print_detail(std::ostream& out, const views::CampaignDetail& detail) {
  const views::CampaignSummary& card = detail.summary;
  out << "campaign " << text(card, "external_id") << " (" << text(card, "instance")
      << "): " << text(card, "name", "(no name)") << "\n"
      << "  status        " << text(card, "status") << " (provider: " << text(card, "raw_status")
      << "), kind " << text(card, "kind") << "\n";
  const std::string assigned = text(card, "assigned_owner", "");
  out << "  owner         "
      << (assigned.empty() ? text(card, "owner")
                           : assigned + " (assigned by " + text(card, "assigned_by") + ")")
      << ", manager " << text(card, "manager_email") << "\n"
      << "  dates         " << text(card, "start_at") << " to " << text(card, "end_at") << "\n";
  if (const std::string review = text(card, "review_by", ""); !review.empty()) {
    const std::string days = text(card, "days_left", "");
    out << "  review by     " << review;
    if (!days.empty() && days.front() == '-')
      out << " (" << days.substr(1) << " days past)";
    else if (!days.empty())
      out << " (" << days << " days left)";
    out << "\n";
  }
  out << "  last synced   " << text(card, "last_synced") << " (run " << text(card, "last_run")
      << ")\n"
      << "  opportunities " << text(card, "opportunities") << ": " << counts(card.funnel) << "\n"
      << "  participants  " << text(card, "participant_count") << ": " << counts(card.participants);
  if (card.completion_rate) {
    char rate[16];
    std::snprintf(rate, sizeof rate, "%.0f%%", *card.completion_rate * 100);
    out << ", " << rate << " completed";
  }
  out << "\n\nstatus history\n";
  print_view(
      out, detail.history,
      {"changed_at", "from_status", "to_status", "from_raw_status", "to_raw_status", "run_id"});
  out << "\nmetrics trend\n";
  print_view(out, detail.metrics_trend,
             {"taken_at", "sent", "delivered", "opens", "unique_opens", "clicks", "bounces",
              "unsubscribes", "responses", "deals_won", "run_id"});
}

const std::vector<std::string> kCampaignColumns = {
    "instance", "external_id", "name",      "status",        "raw_status",        "kind",
    "owner",    "review_by",   "days_left", "opportunities", "participant_count", "last_synced"};

void add_campaign_commands(CLI::App& app, Action& action) {
  auto* campaigns = app.add_subcommand("campaigns", "Campaigns in the database");
  campaigns->require_subcommand(1);
  auto query = std::make_shared<views::CampaignQuery>();
  auto options = std::make_shared<ListOptions>();
  auto* list = campaigns->add_subcommand("list", "Campaigns with their counts, by instance and id");
  list->add_option("--status", query->status, "Only this canonical status");
  list->add_option("--instance", query->instance, "Only this instance's");
  list->add_option("--kind", query->kind, "Only this kind (scouting, email, partner, ...)");
  list->add_flag("--include-deleted", query->include_deleted,
                 "Deleted campaigns too (a deleted campaign keeps the status it last had)");
  add_list_options(list, *options);
  list->callback([&action, query, options] {
    action = [query, options](Context& context) {
      return answer([&] {
        query->paging = options->paging();
        auto page = views::list_campaigns(context.database(), *query, views::utc_today());
        if (options->json) {
          std::cout << views::to_json(page);
          return;
        }
        views::TypedTable table;
        for (auto& item : page.items) {
          if (table.columns.empty())
            table.columns = item.columns;
          // The owner a person assigned, where there is one, over the provider's.
          if (const views::Value* assigned = column(item, "assigned_owner");
              assigned && *assigned) {
            for (std::size_t i = 0; i < item.columns.size(); ++i) {
              if (item.columns[i].name == "owner")
                item.values[i] = *assigned;
            }
          }
          table.rows.push_back(item.values);
        }
        print_view(std::cout, table, kCampaignColumns);
        if (page.next_cursor)
          std::cerr << "more rows: add --cursor " << *page.next_cursor << "\n";
      });
    };
  });

  auto instance = std::make_shared<std::optional<std::string>>();
  auto id = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto* show =
      campaigns->add_subcommand("show", "One campaign: its card, status history and metrics trend");
  show->add_option("id", *id, "The provider's campaign id")->required();
  show->add_option("--instance", *instance, "The instance (needed when two hold that id)");
  add_json_flag(show, *json);
  show->callback([&action, instance, id, json] {
    action = [instance, id, json](Context& context) {
      Database& database = context.database();
      std::string from;
      if (*instance) {
        from = **instance;
      } else {
        auto holders = views::campaign_instances(database, *id);
        if (holders.size() > 1) {
          std::string list;
          for (const auto& each : holders)
            list += (list.empty() ? "" : ", ") + each;
          std::cerr << "campaign " << *id << " is in several instances (" << list
                    << "): say which with --instance\n";
          return exit_code::usage;
        }
        from = holders.empty() ? std::string() : holders.front();
      }
      auto detail = views::campaign_detail(database, from, *id, views::utc_today());
      if (!detail) {
        std::cerr << "no campaign " << *id
                  << (*instance ? " in instance " + **instance : std::string()) << "\n";
        return exit_code::usage;
      }
      if (*json)
        std::cout << views::to_json(*detail);
      else
        print_detail(std::cout, *detail);
      return exit_code::success;
    };
  });
}

void add_opportunity_commands(CLI::App& app, Action& action) {
  auto* opportunities = app.add_subcommand("opportunities", "Opportunities in the database");
  opportunities->require_subcommand(1);
  auto query = std::make_shared<views::OpportunityQuery>();
  auto options = std::make_shared<ListOptions>();
  auto* list = opportunities->add_subcommand("list", "Opportunities, with their triage");
  list->add_option("--campaign", query->campaign, "Only this campaign's (provider id)");
  list->add_option("--instance", query->instance, "Only this instance's");
  list->add_option("--status", query->status, "Only this canonical status");
  list->add_option("--initiative", query->initiative, "Only this initiative's (as triaged)");
  list->add_option("--triage", query->triage, "Only this triage state");
  list->add_option("--changed-since-run", query->changed_since_run,
                   "Only those a run after this one wrote");
  list->add_flag("--include-deleted", query->include_deleted, "Deleted opportunities too");
  add_list_options(list, *options);
  list->callback([&action, query, options] {
    action = [query, options](Context& context) {
      return answer([&] {
        query->paging = options->paging();
        print_page(views::list_opportunities(context.database(), *query), *options,
                   {"instance", "external_id", "campaign_external_id", "title", "organisation",
                    "status", "raw_status", "amount", "currency", "initiative", "triage_state",
                    "provider_updated_at"});
      });
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
}

// participants list, steps list: records under a parent (a campaign, a participant).
void add_record_command(CLI::App& app, Action& action, const char* name, const char* what,
                        const char* parent_option, const char* parent_help, bool steps) {
  auto* records = app.add_subcommand(name, what);
  records->require_subcommand(1);
  auto query = std::make_shared<views::RecordQuery>();
  auto options = std::make_shared<ListOptions>();
  auto* list = records->add_subcommand("list", std::string("List ") + name);
  list->add_option(parent_option, query->parent, parent_help);
  list->add_option("--instance", query->instance, "Only this instance's");
  list->add_option("--status", query->status, "Only this canonical status");
  list->add_flag("--include-deleted", query->include_deleted, "Deleted ones too");
  add_list_options(list, *options);
  list->callback([&action, query, options, steps] {
    action = [query, options, steps](Context& context) {
      return answer([&] {
        query->paging = options->paging();
        if (steps) {
          print_page(views::list_steps(context.database(), *query), *options,
                     {"instance", "external_id", "participant_external_id", "name", "channel",
                      "status", "raw_status", "due_at", "executed_at", "provider_updated_at"});
        } else {
          print_page(
              views::list_participants(context.database(), *query), *options,
              {"instance", "external_id", "campaign_external_id", "name", "status", "raw_status",
               "started_at", "finished_at", "completion", "provider_updated_at"});
        }
      });
    };
  });
}

void add_metrics_command(CLI::App& app, Action& action) {
  auto* metrics = app.add_subcommand("metrics", "E-mail campaigns' figures, one per sync");
  metrics->require_subcommand(1);
  auto query = std::make_shared<views::MetricsQuery>();
  auto options = std::make_shared<ListOptions>();
  auto* list = metrics->add_subcommand("list", "Metrics snapshots, newest first");
  list->add_option("--campaign", query->campaign, "Only this campaign's (provider id)");
  list->add_option("--instance", query->instance, "Only this instance's");
  add_list_options(list, *options);
  list->callback([&action, query, options] {
    action = [query, options](Context& context) {
      return answer([&] {
        query->paging = options->paging();
        print_page(views::list_metrics(context.database(), *query), *options,
                   {"instance", "campaign_external_id", "taken_at", "sent", "delivered", "opens",
                    "unique_opens", "clicks", "bounces", "unsubscribes", "responses", "deals_won",
                    "spend", "run_id"});
      });
    };
  });
}

void add_changes_command(CLI::App& app, Action& action) {
  auto query = std::make_shared<views::ChangesQuery>();
  auto json = std::make_shared<bool>(false);
  auto* changes = app.add_subcommand(
      "changes",
      "What the runs after a run, or since a time, changed: runs, status changes, "
      "records written");
  auto* since_run =
      changes->add_option("--since-run", query->since_run, "After this run (not counting it)");
  auto* since =
      changes->add_option("--since", query->since_time, "Since this time or date (ISO 8601, UTC)");
  since_run->excludes(since);
  changes->add_option("--instance", query->instance, "Only this instance's");
  changes->add_option("--limit", query->limit, "At most this many status changes")
      ->check(CLI::Range(1, 100000));
  add_json_flag(changes, *json);
  changes->callback([&action, query, json] {
    action = [query, json](Context& context) {
      return answer([&] {
        auto found = views::changes_since(context.database(), *query);
        if (*json) {
          std::cout << views::to_json(found);
          return;
        }
        std::cout << "runs\n";
        print_view(std::cout, found.runs,
                   {"id", "instance", "state", "started_at", "records_read", "inserted", "updated",
                    "quarantined", "error"});
        std::cout << "\nstatus changes\n";
        print_view(std::cout, found.status_changes,
                   {"changed_at", "instance", "entity", "external_id", "from_status", "to_status",
                    "to_raw_status", "run_id"});
        if (found.truncated)
          std::cout << "(more status changes than --limit " << query->limit << ")\n";
        std::cout << "\nrecords written:";
        for (const auto& [table, count] : found.records_written)
          std::cout << " " << table << " " << count;
        std::cout << "\n";
      });
    };
  });
}

}  // namespace

void add_data_commands(CLI::App& app, Action& action) {
  add_campaign_commands(app, action);
  add_opportunity_commands(app, action);
  add_record_command(app, action, "participants", "Participants of partner campaigns", "--campaign",
                     "Only this campaign's (provider id)", false);
  add_record_command(app, action, "steps", "Participants' steps", "--participant",
                     "Only this participant's (provider id)", true);
  add_metrics_command(app, action);
  add_changes_command(app, action);
}

}  // namespace hub
