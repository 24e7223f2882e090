#include "hub/api/api_module.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <httplib.h>
#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include "hub/query/export.h"
#include "hub/query/view_json.h"
#include "hub/store/triage.h"
#include "hub/supervise/replay_child.h"

namespace hub {
namespace {

using views::BadQuery;
constexpr const char* kJson = "application/json";
constexpr std::size_t kMaxPoolSize = 8;

void write_text(JsonWriter& writer, const std::string& text) {
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

// The request's query parameters, checked against what the endpoint takes.
class Params {
 public:
  Params(const httplib::Request& request, std::set<std::string> known)
      : request_(request), known_(std::move(known)) {
    for (const auto& [name, value] : request.params) {
      if (!known_.contains(name)) {
        std::string list;
        for (const auto& each : known_)
          list += (list.empty() ? "" : ", ") + each;
        throw BadQuery(name, "this endpoint takes no such parameter; it takes " +
                                 (list.empty() ? std::string("none") : list));
      }
    }
  }

  std::optional<std::string> text(const std::string& name) const {
    if (!request_.has_param(name))
      return std::nullopt;
    std::string value = request_.get_param_value(name);
    if (value.empty())
      throw BadQuery(name, "is empty");
    return value;
  }

  std::optional<std::int64_t> integer(const std::string& name, std::int64_t low) const {
    auto value = text(name);
    if (!value)
      return std::nullopt;
    std::int64_t number = 0;
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
    if (error != std::errc() || end != value->data() + value->size() || number < low)
      throw BadQuery(name, "'" + *value + "' is not a whole number from " + std::to_string(low));
    return number;
  }

  bool flag(const std::string& name) const {
    auto value = text(name);
    if (!value || *value == "false" || *value == "0")
      return false;
    if (*value == "true" || *value == "1")
      return true;
    throw BadQuery(name, "'" + *value + "' is not true or false");
  }

  views::Paging paging() const {
    views::Paging paging;
    if (auto limit = integer("limit", 1))
      paging.limit = static_cast<std::size_t>(*limit);
    paging.cursor = text("cursor");
    return paging;
  }

 private:
  const httplib::Request& request_;
  std::set<std::string> known_;
};

// A JSON object sent with a change: its text members (null or "" clears), and nothing else.
class JsonBody {
 public:
  explicit JsonBody(const std::string& text) {
    document_.Parse(text.c_str(), text.size());
    if (document_.HasParseError() || !document_.IsObject())
      throw BadQuery("body", "not a JSON object");
  }
  std::optional<std::string> text(const char* name) const {
    auto found = document_.FindMember(name);
    if (found == document_.MemberEnd())
      return std::nullopt;
    if (found->value.IsNull())
      return std::string();
    if (!found->value.IsString())
      throw BadQuery(name, "must be text or null");
    return std::string(found->value.GetString(), found->value.GetStringLength());
  }
  void only(std::initializer_list<const char*> names) const {
    for (const auto& member : document_.GetObject()) {
      const std::string name(member.name.GetString(), member.name.GetStringLength());
      if (std::none_of(names.begin(), names.end(), [&](const char* each) { return name == each; }))
        throw BadQuery(name, "this change takes no such field");
    }
  }

 private:
  rapidjson::Document document_;
};

const std::set<std::string> kPaged = {"limit", "cursor"};
std::set<std::string> paged(std::set<std::string> names) {
  names.insert(kPaged.begin(), kPaged.end());
  return names;
}

}  // namespace

class ApiModule::Lease {
 public:
  explicit Lease(ApiModule& module) : module_(module), database_(module.borrow()) {}
  ~Lease() {
    if (database_)
      module_.give_back(std::move(database_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Database& operator*() { return *database_; }
  // A connection that failed mid-request is not given back.
  void discard() { database_.reset(); }

 private:
  ApiModule& module_;
  std::unique_ptr<Database> database_;
};

ApiModule::ApiModule(std::string database_url, Access access, std::function<std::string()> today)
    : database_url_(std::move(database_url)),
      access_(std::move(access)),
      today_(today ? std::move(today) : std::function<std::string()>(views::utc_today)) {}

ApiModule::~ApiModule() = default;

std::unique_ptr<Database> ApiModule::borrow() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      auto database = std::move(pool_.back());
      pool_.pop_back();
      return database;
    }
  }
  return std::make_unique<Database>(database_url_);
}

void ApiModule::give_back(std::unique_ptr<Database> database) {
  std::lock_guard lock(pool_mutex_);
  if (pool_.size() < kMaxPoolSize)
    pool_.push_back(std::move(database));
}

void ApiModule::attach(httplib::Server& server) {
  // Every endpoint: its answer written by `body` into a JSON writer, or an error status.
  using Body = std::function<int(const httplib::Request&, Database&, JsonWriter&)>;
  // An endpoint that needs `role`: the caller is checked before anything is read.
  using CallerBody =
      std::function<int(const httplib::Request&, Database&, JsonWriter&, const Caller&)>;
  const auto guarded = [this](Role role, CallerBody body) {
    return [this, role, body = std::move(body)](const httplib::Request& request,
                                                httplib::Response& response) {
      const AccessDecision access = access_.check(request, role);
      if (!access.caller) {
        response.status = access.status;
        if (access.status == 401)
          response.set_header("WWW-Authenticate", "Bearer");
        response.set_content(error_json(access.reason), kJson);
        return;
      }
      rapidjson::StringBuffer buffer;
      JsonWriter writer(buffer);
      Lease database(*this);
      try {
        response.status = body(request, *database, writer, *access.caller);
        response.set_content(std::string(buffer.GetString(), buffer.GetSize()) + "\n", kJson);
      } catch (const BadQuery& bad) {
        response.status = 400;
        response.set_content(error_json(bad.what(), bad.parameter()), kJson);
      } catch (const std::exception& error) {
        database.discard();
        spdlog::error("api: {} {}: {}", request.method, request.path, error.what());
        response.status = 500;
        response.set_content(error_json("the hub could not answer; its log says why"), kJson);
      }
    };
  };
  // A read: any role.
  const auto endpoint = [guarded](Body body) {
    return guarded(Role::viewer,
                   [body = std::move(body)](const httplib::Request& request, Database& database,
                                            JsonWriter& writer, const Caller&) {
                     return body(request, database, writer);
                   });
  };
  const auto not_found = [](JsonWriter& writer, const std::string& what) {
    writer.StartObject();
    writer.Key("error");
    write_text(writer, what);
    writer.EndObject();
    return 404;
  };

  server.Get("/api/v1/campaigns",
             endpoint([this](const auto& request, Database& database, JsonWriter& writer) {
               Params params(request, paged({"instance", "status", "kind", "include_deleted"}));
               views::CampaignQuery query;
               query.instance = params.text("instance");
               query.status = params.text("status");
               query.kind = params.text("kind");
               query.include_deleted = params.flag("include_deleted");
               query.paging = params.paging();
               views::write_json(writer, views::list_campaigns(database, query, today_()));
               return 200;
             }));

  server.Get(
      R"(/api/v1/campaigns/([^/]+)/(.+))",
      endpoint([this, not_found](const auto& request, Database& database, JsonWriter& writer) {
        Params params(request, {});
        const std::string instance = request.matches[1];
        const std::string id = request.matches[2];
        auto detail = views::campaign_detail(database, instance, id, today_());
        if (!detail)
          return not_found(writer, "no campaign '" + id + "' in instance '" + instance + "'");
        views::write_json(writer, *detail);
        return 200;
      }));

  server.Get("/api/v1/opportunities",
             endpoint([](const auto& request, Database& database, JsonWriter& writer) {
               Params params(request, paged({"instance", "campaign", "status", "initiative",
                                             "triage", "changed_since_run", "include_deleted"}));
               views::OpportunityQuery query;
               query.instance = params.text("instance");
               query.campaign = params.text("campaign");
               query.status = params.text("status");
               query.initiative = params.text("initiative");
               query.triage = params.text("triage");
               query.changed_since_run = params.integer("changed_since_run", 0);
               query.include_deleted = params.flag("include_deleted");
               query.paging = params.paging();
               views::write_json(writer, views::list_opportunities(database, query));
               return 200;
             }));

  const auto records = [&](const char* path, const char* parent, bool steps) {
    server.Get(path, endpoint([parent, steps](const auto& request, Database& database,
                                              JsonWriter& writer) {
                 Params params(request, paged({"instance", parent, "status", "include_deleted"}));
                 views::RecordQuery query;
                 query.instance = params.text("instance");
                 query.parent = params.text(parent);
                 query.status = params.text("status");
                 query.include_deleted = params.flag("include_deleted");
                 query.paging = params.paging();
                 views::write_json(writer, steps ? views::list_steps(database, query)
                                                 : views::list_participants(database, query));
                 return 200;
               }));
  };
  records("/api/v1/participants", "campaign", false);
  records("/api/v1/steps", "participant", true);

  server.Get("/api/v1/metrics",
             endpoint([](const auto& request, Database& database, JsonWriter& writer) {
               Params params(request, paged({"instance", "campaign"}));
               views::MetricsQuery query;
               query.instance = params.text("instance");
               query.campaign = params.text("campaign");
               query.paging = params.paging();
               views::write_json(writer, views::list_metrics(database, query));
               return 200;
             }));

  server.Get("/api/v1/runs",
             endpoint([](const auto& request, Database& database, JsonWriter& writer) {
               Params params(request, paged({"instance"}));
               views::RunQuery query;
               query.instance = params.text("instance");
               query.paging = params.paging();
               views::write_json(writer, views::list_runs(database, query));
               return 200;
             }));

  server.Get(R"(/api/v1/runs/([^/]+))",
             endpoint([not_found](const auto& request, Database& database, JsonWriter& writer) {
               Params params(request, {});
               const std::string text = request.matches[1];
               std::int64_t id = 0;
               auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
               if (error != std::errc() || end != text.data() + text.size())
                 throw BadQuery("run", "'" + text + "' is not a run id");
               auto detail = views::run_detail(database, id);
               if (!detail)
                 return not_found(writer, "no run " + text);
               views::write_json(writer, *detail);
               return 200;
             }));

  server.Get("/api/v1/changes",
             endpoint([](const auto& request, Database& database, JsonWriter& writer) {
               Params params(request, {"since_run", "since", "instance", "limit"});
               views::ChangesQuery query;
               query.since_run = params.integer("since_run", 0);
               query.since_time = params.text("since");
               query.instance = params.text("instance");
               if (auto limit = params.integer("limit", 1))
                 query.limit = static_cast<std::size_t>(std::min<std::int64_t>(*limit, 10000));
               views::write_json(writer, views::changes_since(database, query));
               return 200;
             }));

  server.Get("/api/v1/quarantine",
             endpoint([](const auto& request, Database& database, JsonWriter& writer) {
               Params params(request, paged({"instance", "run", "include_replayed"}));
               views::QuarantineQuery query;
               query.instance = params.text("instance");
               query.run_id = params.integer("run", 1);
               query.include_replayed = params.flag("include_replayed");
               query.paging = params.paging();
               views::write_json(writer, views::list_quarantine(database, query));
               return 200;
             }));

  // Exports, as downloads streamed a piece at a time (the connection is held until the last
  // row is sent). The raw payloads are a manager's.
  server.Get(R"(/api/v1/export/([a-z-]+))", [this](const httplib::Request& request,
                                                   httplib::Response& response) {
    const auto refuse = [&response](int status, const std::string& message,
                                    const std::string& parameter = "") {
      response.status = status;
      response.set_content(error_json(message, parameter), kJson);
    };
    const AccessDecision access = access_.check(request, Role::viewer);
    if (!access.caller) {
      if (access.status == 401)
        response.set_header("WWW-Authenticate", "Bearer");
      return refuse(access.status, access.reason);
    }
    std::optional<std::string> instance;
    std::optional<ExportFormat> format;
    bool raw = false;
    try {
      Params params(request, {"format", "instance", "raw"});
      const std::string format_name = params.text("format").value_or("csv");
      format = export_format(format_name);
      if (!format)
        throw BadQuery("format", "'" + format_name + "' is not csv, json or ndjson");
      instance = params.text("instance");
      raw = params.flag("raw");
    } catch (const BadQuery& bad) {
      return refuse(400, bad.what(), bad.parameter());
    }
    if (raw && access.caller->role != Role::manager)
      return refuse(403, "raw payloads are exported by a manager only");
    const std::string entity = request.matches[1];
    auto source = export_source(entity, raw);
    if (!source)
      return refuse(404, "nothing to export named '" + entity + "'");
    static constexpr const char* kTypes[] = {"text/csv; charset=utf-8", kJson,
                                             "application/x-ndjson"};
    static constexpr const char* kExtensions[] = {"csv", "json", "ndjson"};
    const auto index = static_cast<std::size_t>(*format);
    response.set_header("Content-Disposition", "attachment; filename=\"campaign-hub-" + entity +
                                                   (raw ? "-raw" : "") + "." + kExtensions[index] +
                                                   "\"");
    response.set_chunked_content_provider(
        kTypes[index], [this, source = std::move(*source), instance, format = *format,
                        path = request.path](std::size_t, httplib::DataSink& sink) {
          struct Gone {};
          Lease database(*this);
          try {
            write_export(*database, source, instance, format, [&sink](std::string_view piece) {
              if (!sink.write(piece.data(), piece.size()))
                throw Gone{};
            });
          } catch (const Gone&) {
            return false;  // the client went away
          } catch (const std::exception& error) {
            // Past the status line: the download ends short, and the log says why.
            database.discard();
            spdlog::error("api: GET {}: {}", path, error.what());
            return false;
          }
          sink.done();
          return true;
        });
  });

  // Replay: the kept records through the current mappings again, in a process of its own.
  server.Post("/api/v1/quarantine/replay",
              guarded(Role::manager, [this](const auto& request, Database&, JsonWriter& writer,
                                            const Caller& caller) {
                Params params(request, {});
                std::optional<std::int64_t> run;
                if (!request.body.empty()) {
                  rapidjson::Document body;
                  body.Parse(request.body.c_str(), request.body.size());
                  if (body.HasParseError() || !body.IsObject())
                    throw BadQuery("body", "not a JSON object");
                  for (const auto& member : body.GetObject()) {
                    if (std::string_view(member.name.GetString()) != "run")
                      throw BadQuery(member.name.GetString(), "a replay takes only run");
                    if (!member.value.IsInt64() || member.value.GetInt64() < 1)
                      throw BadQuery("run", "must be a run id");
                    run = member.value.GetInt64();
                  }
                }
                if (!replay_) {
                  writer.StartObject();
                  writer.Key("error");
                  write_text(writer, "this listener does not replay");
                  writer.EndObject();
                  return 501;
                }
                spdlog::info("api: {} replays the quarantine{}", caller.name,
                             run ? " of run " + std::to_string(*run) : std::string());
                const auto results = replay_(run);
                writer.StartObject();
                writer.Key("results");
                writer.StartArray();
                for (const auto& result : results)
                  write_replay_result(writer, result);
                writer.EndArray();
                writer.EndObject();
                return 200;
              }));

  // Triage and owners, the hub's own fields: a contributor's or a manager's, named after the
  // caller.
  const auto write = [guarded](CallerBody body) {
    return guarded(Role::contributor, std::move(body));
  };
  server.Patch(R"(/api/v1/opportunities/([^/]+)/(.+)/triage)",
               write([not_found](const auto& request, Database& database, JsonWriter& writer,
                                 const Caller& caller) {
                 Params params(request, {});
                 const JsonBody body(request.body);
                 TriageChange change;
                 change.instance = request.matches[1];
                 change.external_id = request.matches[2];
                 change.initiative = body.text("initiative");
                 change.state = body.text("state");
                 change.note = body.text("note");
                 body.only({"initiative", "state", "note"});
                 change.changed_by = caller.name;
                 try {
                   const Triage triage = set_triage(database, change);
                   writer.StartObject();
                   writer.Key("initiative");
                   write_typed(writer, ExportType::text, triage.initiative);
                   writer.Key("state");
                   write_text(writer, triage.state);
                   writer.Key("note");
                   write_typed(writer, ExportType::text, triage.note);
                   writer.Key("changed_by");
                   write_text(writer, triage.changed_by);
                   writer.Key("changed_at");
                   write_text(writer, triage.changed_at);
                   writer.EndObject();
                   return 200;
                 } catch (const NoSuchRecord& missing) {
                   return not_found(writer, missing.what());
                 } catch (const BadChange& bad) {
                   throw BadQuery(bad.field(), bad.reason());
                 }
               }));
  server.Put(R"(/api/v1/campaigns/([^/]+)/(.+)/owner)",
             write([not_found](const auto& request, Database& database, JsonWriter& writer,
                               const Caller& caller) {
               Params params(request, {});
               const JsonBody body(request.body);
               body.only({"owner"});
               const std::string instance = request.matches[1];
               const std::string id = request.matches[2];
               try {
                 set_campaign_owner(database, instance, id, body.text("owner").value_or(""),
                                    caller.name);
               } catch (const NoSuchRecord& missing) {
                 return not_found(writer, missing.what());
               }
               writer.StartObject();
               writer.Key("owner");
               write_typed(writer, ExportType::text, body.text("owner"));
               writer.EndObject();
               return 200;
             }));
}

}  // namespace hub
