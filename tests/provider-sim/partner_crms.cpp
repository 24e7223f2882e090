// The four partner-CRM shapes (../shared/providers/partner-crms.md): BNTouch (X-Api-Key,
// page/pages), Clover (bearer, offset/limit with total), ARTIS (basic auth, `depuis` filter,
// `suivant` next URL in the body), Interactive Medica (bearer, page_token).
#include <algorithm>

#include "ids.h"
#include "sim.h"

namespace provider_sim {
namespace {

Answer body_of(rapidjson::StringBuffer& buffer) {
  Answer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

// ---- BNTouch ----

void write_enrolment(JsonWriter& w, const Simulator::State& state, const Row& row) {
  static const char* kStatuses[] = {"Active", "Active", "Paused", "Finished"};
  static const char* kSteps[][2] = {{"Welcome e-mail", "email"},
                                    {"Rate sheet", "email"},
                                    {"Follow-up call", "task"},
                                    {"Text reminder", "sms"},
                                    {"Anniversary card", "mail"}};
  static const char* kStepStatuses[] = {"Done", "Pending", "Skipped"};
  Dice d(state.options.seed, 60, row.index);
  const char* status = d.pick(kStatuses);
  Epoch start = row.updated - 86400 * d.below(40);
  w.StartObject();
  w.Key("partner_id");
  w.Int64(5000 + row.index);
  put(w, "partner_name", d.pick(text::companies));
  w.Key("campaign_id");
  w.Int64(80 + d.below(20));
  put(w, "campaign_name", text::title(d) + " nurture");
  put(w, "trigger", d.below(3) == 0 ? "Manual" : "Automatic");
  put(w, "start_date", us_date(start));
  w.Key("finish_date");
  if (std::string_view(status) == "Finished") {
    put(w, us_date(start + 86400 * 30));
  } else {
    w.Null();
  }
  put(w, "status", status);
  w.Key("steps");
  w.StartArray();
  for (std::int64_t s = 0, n = 1 + d.below(5); s < n; ++s) {
    w.StartObject();
    w.Key("step_id");
    w.Int64(s + 1);
    put(w, "name", kSteps[s][0]);
    put(w, "type", kSteps[s][1]);
    put(w, "status", kStepStatuses[d.below(3)]);
    put(w, "date", us_date(start + 86400 * 7 * s));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

Answer bntouch(Simulator::State& state, const httplib::Request& request, const FaultPlan& plan) {
  if (request.get_header_value("X-Api-Key") != credentials::bntouch_key) {
    return error_answer(Provider::bntouch, 401, "unauthorized", "invalid API key");
  }
  auto page = int_param(request, "page", 1);
  auto per_page = int_param(request, "per_page", state.page_size(100));
  if (!page || *page < 1 || !per_page || *per_page < 1 || *per_page > 500) {
    return error_answer(Provider::bntouch, 400, "bad_request",
                        "page must be >= 1 and per_page 1 to 500");
  }
  const Table& table = state.table(tables::bntouch_enrolments);
  std::int64_t live = table.live();
  std::int64_t pages = std::max<std::int64_t>(1, (live + *per_page - 1) / *per_page);
  std::int64_t offset = std::max<std::int64_t>(0, (*page - 1) * *per_page - plan.repeat);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("page");
  w.Int64(*page);
  w.Key("pages");
  w.Int64(pages);
  w.Key("per_page");
  w.Int64(*per_page);
  w.Key("campaigns");
  w.StartArray();
  for (const Row& row : table.slice(offset, static_cast<std::size_t>(*per_page))) {
    write_enrolment(w, state, row);
  }
  w.EndArray();
  w.EndObject();
  return body_of(buffer);
}

// ---- Clover ----

const char* clover_status(const Simulator::State& state, std::int64_t index) {
  static const char* kStatuses[] = {"DRAFT", "PUBLISHED", "PUBLISHED", "PUBLISHED", "CLOSED"};
  Dice d(state.options.seed, 70, index);
  return d.pick(kStatuses);
}

std::int64_t clover_assignments(const Simulator::State& state, std::int64_t index) {
  Dice d(state.options.seed, 71, index);
  return 5 + d.below(36);
}

bool clover_authorized(const httplib::Request& request) {
  auto token = bearer_token(request);
  return token && *token == credentials::clover_token;
}

std::optional<Answer> offset_limit(Simulator::State& state, const httplib::Request& request,
                                   std::int64_t& offset, std::int64_t& limit) {
  auto o = int_param(request, "offset", 0);
  auto l = int_param(request, "limit", state.page_size(50));
  if (!o || *o < 0 || !l || *l < 1 || *l > 200) {
    return error_answer(Provider::clover, 400, "bad_request", "offset >= 0 and limit 1 to 200");
  }
  offset = *o;
  limit = *l;
  return std::nullopt;
}

Answer clover_campaigns(Simulator::State& state, const httplib::Request& request,
                        const FaultPlan& plan) {
  if (!clover_authorized(request)) {
    return error_answer(Provider::clover, 401, "unauthorized", "invalid bearer token");
  }
  std::int64_t offset, limit;
  if (auto error = offset_limit(state, request, offset, limit))
    return *error;
  const Table& table = state.table(tables::clover_campaigns);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (const Row& row : table.slice(std::max<std::int64_t>(0, offset - plan.repeat),
                                    static_cast<std::size_t>(limit))) {
    Dice d(state.options.seed, 72, row.index);
    const char* status = clover_status(state, row.index);
    std::int64_t assigned = clover_assignments(state, row.index);
    std::int64_t completed = d.below(assigned + 1);
    w.StartObject();
    put(w, "uuid", record_id(tables::clover_campaigns, row.index));
    put(w, "name", "2026 " + text::title(d) + " renewal");
    put(w, "workflow", d.below(2) == 0 ? "Certificate upload" : "Questionnaire");
    put(w, "status", status);
    w.Key("published_at");
    if (std::string_view(status) == "DRAFT") {
      w.Null();
    } else {
      put(w, rfc3339(row.updated));
    }
    w.Key("closed_at");
    if (std::string_view(status) == "CLOSED") {
      put(w, rfc3339(row.updated + 86400 * 60));
    } else {
      w.Null();
    }
    w.Key("kpis");
    w.StartObject();
    w.Key("assigned");
    w.Int64(assigned);
    w.Key("completed");
    w.Int64(completed);
    w.Key("completion_rate");
    w.Double(static_cast<double>(completed) / static_cast<double>(assigned));
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.Key("total");
  w.Int64(table.live());
  w.EndObject();
  return body_of(buffer);
}

Answer clover_assignment_list(Simulator::State& state, const httplib::Request& request,
                              const FaultPlan& plan) {
  if (!clover_authorized(request)) {
    return error_answer(Provider::clover, 401, "unauthorized", "invalid bearer token");
  }
  const Table& table = state.table(tables::clover_campaigns);
  std::int64_t campaign = record_index(tables::clover_campaigns, std::string(request.matches[1]));
  if (campaign < 0 || campaign >= table.count() || table.row(campaign).deleted) {
    return error_answer(Provider::clover, 404, "not_found", "no such campaign");
  }
  std::int64_t offset, limit;
  if (auto error = offset_limit(state, request, offset, limit))
    return *error;
  static const char* kTaskStatuses[] = {"Waiting for connection", "Not Started", "In Progress",
                                        "Completed", "Closed"};
  static const char* kDepartments[] = {"General Management", "Quality", "Finance", "Logistics",
                                       "Compliance"};
  std::int64_t total = clover_assignments(state, campaign);
  Epoch base = table.base_updated(campaign);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("items");
  w.StartArray();
  for (std::int64_t i = std::max<std::int64_t>(0, offset - plan.repeat);
       i < std::min(total, offset + limit); ++i) {
    Dice d(state.options.seed, 73 + static_cast<std::uint64_t>(campaign) * 64, i);
    auto status = d.below(5);
    w.StartObject();
    put(w, "company_id", "c-" + std::to_string(9000 + campaign * 50 + i));
    put(w, "company", d.pick(text::companies));
    w.Key("assignee");
    w.StartObject();
    put(w, "department", d.pick(kDepartments));
    w.EndObject();
    put(w, "task_status", kTaskStatuses[status]);
    w.Key("percent_complete");
    w.Int64(status >= 3 ? 100 : status == 2 ? 10 * (1 + d.below(9)) : 0);
    w.Key("reminders_sent");
    w.Int64(d.below(4));
    put(w, "last_reminder_at", rfc3339(base + 86400 * (5 + d.below(30))));
    put(w, "updated_at", rfc3339(base + 86400 * (6 + d.below(40)) + d.below(86400)));
    w.EndObject();
  }
  w.EndArray();
  w.Key("total");
  w.Int64(total);
  w.EndObject();
  return body_of(buffer);
}

// ---- ARTIS ----

// The « Actions suivantes » tab: up to three follow-up actions, each for another targeted site
// (its « Destinataire »), with due, executed and cancelled dates and its state.
void write_actions(JsonWriter& w, Dice& d, std::int64_t campaign, Epoch start) {
  static const char* kActions[] = {"Appel téléphonique", "Envoi courrier", "Visite", "E-mail"};
  static const char* kReasons[] = {"Relance contrat", "Prise de rendez-vous", "Devis à relancer"};
  static const char* kCities[] = {"Lyon", "Nantes", "Lille", "Besançon", "Saint-Étienne"};
  // Générée (to do), Exécutée, Suspendue, Annulée, Terminée, as the synthèse counts them.
  static const char* kStates[] = {"Générée", "Exécutée", "Suspendue", "Annulée", "Terminée"};
  w.Key("actions_suivantes");
  w.StartArray();
  for (std::int64_t k = 0, n = d.below(4); k < n; ++k) {
    const char* state = kStates[d.below(5)];
    const std::string_view word(state);
    const Epoch due = start + 86400 * (3 + 7 * k);
    w.StartObject();
    put(w, "numero", "ACT-" + std::to_string(1000 + campaign) + "-" + std::to_string(k + 1));
    put(w, "action", d.pick(kActions));
    put(w, "motif", d.pick(kReasons));
    put(w, "etat", state);
    w.Key("destinataire");
    w.StartObject();
    put(w, "code_site", "S-" + std::to_string(10000 + campaign * 4 + k));
    put(w, "site", d.pick(text::companies));
    put(w, "ville", d.pick(kCities));
    w.EndObject();
    put(w, "echeance", french_time(due));
    w.Key("executee_le");
    if (word == "Exécutée" || word == "Terminée")
      put(w, french_time(due - 3600 * d.below(48)));
    else
      w.Null();
    w.Key("annulee_le");
    if (word == "Annulée")
      put(w, french_time(due - 86400));
    else
      w.Null();
    w.Key("compte_rendu");
    if (word == "Terminée")
      put(w, "Client rappelé, devis envoyé");
    else
      w.Null();
    put(w, "creee_le", french_time(start - 86400));
    w.EndObject();
  }
  w.EndArray();
}

Answer artis(Simulator::State& state, const httplib::Request& request, const FaultPlan& plan) {
  auto basic = basic_credentials(request);
  if (!basic || basic->first != credentials::artis_user ||
      basic->second != credentials::artis_password) {
    return error_answer(Provider::artis, 401, "non_autorise", "identifiants invalides");
  }
  static const char* kStates[] = {"Nouveau",
                                  "Prête à exécuter",
                                  "Prêt à tester",
                                  "BAT en attente de validation",
                                  "BAT en cours de génération",
                                  "En cours d'exécution",
                                  "Suspendue",
                                  "Terminée",
                                  "Annulée",
                                  "Erreur"};
  static const char* kManagers[] = {"m.dupont", "c.lefevre", "a.girard", "s.benali", "j.muller"};
  auto page = int_param(request, "page", 1);
  if (!page || *page < 1)
    return error_answer(Provider::artis, 400, "requete_invalide", "page >= 1");
  Key after;
  std::string depuis = request.get_param_value("depuis");
  if (!depuis.empty()) {
    Epoch t;
    if (!parse_time(depuis, t)) {
      return error_answer(Provider::artis, 400, "requete_invalide",
                          "depuis doit être une date AAAA-MM-JJTHH:MM:SS");
    }
    // Local Paris time when no offset is given.
    if (depuis.find_first_of("Z+", 10) == std::string::npos &&
        depuis.find('-', 10) == std::string::npos)
      t -= 3600;
    after = Key{t, INT64_MAX};
  }
  const Table& table = state.table(tables::artis_campagnes);
  std::size_t size = static_cast<std::size_t>(state.page_size(100));
  std::size_t skip =
      std::max<std::int64_t>(0, (*page - 1) * static_cast<std::int64_t>(size) - plan.repeat);
  auto rows = table.after(after, skip + size + 1, false);
  bool more = rows.size() > skip + size;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("resultats");
  w.StartArray();
  for (std::size_t i = skip; i < std::min(rows.size(), skip + size); ++i) {
    const Row& row = rows[i];
    Dice d(state.options.seed, 80, row.index);
    Dice v(
        state.options.seed,
        81 + (row.updated != table.base_updated(row.index) ? static_cast<std::uint64_t>(row.updated)
                                                           : 0),
        row.index);
    Epoch start = table.base_updated(row.index) - 86400 * 2;
    std::int64_t executed = d.below(20);
    w.StartObject();
    put(w, "identifiant", record_id(tables::artis_campagnes, row.index));
    put(w, "libelle", std::string("Relance ") + text::topics[d.below(20)]);
    put(w, "etat", kStates[v.below(10)]);
    put(w, "date_debut", french_time(start));
    put(w, "date_fin", french_time(start + 86400 * (30 + d.below(60))));
    put(w, "geree_par", d.pick(kManagers));
    put(w, "creee_le", french_time(start - 86400 * 3));
    put(w, "modifiee_le", french_time(row.updated));
    w.Key("synthese");
    w.StartObject();
    w.Key("elements_cibles");
    w.Int64(1 + d.below(40));
    // Deals won and follow-up actions draw from their own stream, so that the fields above
    // read as they always did.
    Dice later(state.options.seed, 82, row.index);
    const std::int64_t generated = d.below(5);
    const std::int64_t won = later.below(generated + 1);
    w.Key("affaires_generees");
    w.Int64(generated);
    w.Key("actions_generees");
    w.Int64(executed + 5);
    w.Key("actions_annulees");
    w.Int64(d.below(3));
    w.Key("actions_executees");
    w.Int64(executed);
    w.Key("actions_suspendues");
    w.Int64(d.below(2));
    w.Key("actions_terminees");
    w.Int64(executed);
    w.Key("affaires_obtenues");
    w.Int64(won);
    w.EndObject();
    write_actions(w, later, row.index, start);
    w.EndObject();
  }
  w.EndArray();
  if (more) {
    std::string next = "/artis/api/campagnes?page=" + std::to_string(*page + 1);
    if (!depuis.empty())
      next += "&depuis=" + depuis;
    put(w, "suivant", next);
  }
  w.EndObject();
  return body_of(buffer);
}

// ---- Interactive Medica ----

Answer medica(Simulator::State& state, const httplib::Request& request, const FaultPlan& plan) {
  auto token = bearer_token(request);
  if (!token || *token != credentials::medica_token) {
    return error_answer(Provider::medica, 401, "unauthenticated", "invalid bearer token");
  }
  Key after;
  if (request.has_param("page_token") && !request.get_param_value("page_token").empty()) {
    auto key = decode_key(request.get_param_value("page_token"));
    if (!key)
      return error_answer(Provider::medica, 400, "invalid_argument", "bad page_token");
    after = *key;
  }
  static const char* kStates[] = {"draft", "activated", "activated", "paused", "completed"};
  static const char* kChannels[] = {"email", "rep_visit", "webinar", "sms"};
  const Table& table = state.table(tables::medica_campaigns);
  auto size = static_cast<std::size_t>(state.page_size(50));
  auto rows = table.after(after, size + 1, false);
  bool more = rows.size() > size;
  if (more)
    rows.pop_back();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("campaigns");
  w.StartArray();
  for (const Row& row : rows) {
    Dice d(state.options.seed, 90, row.index);
    double budget = 1000.0 * static_cast<double>(10 + d.below(90));
    w.StartObject();
    put(w, "campaign_id", record_id(tables::medica_campaigns, row.index));
    put(w, "name", std::string(d.pick(text::qualifiers)) + " launch - hospital accounts");
    put(w, "state", d.pick(kStates));
    w.Key("budget");
    w.StartObject();
    w.Key("amount");
    w.Double(budget);
    put(w, "currency", "EUR");
    w.EndObject();
    w.Key("spend");
    w.StartObject();
    w.Key("amount");
    w.Double(budget * static_cast<double>(d.below(1000)) / 1000.0);
    put(w, "currency", "EUR");
    w.EndObject();
    w.Key("journey");
    w.StartArray();
    w.StartObject();
    put(w, "event_id", "e1");
    w.Key("parent");
    w.Null();
    put(w, "channel", "segment");
    put(w, "label", std::string("Hospital pharmacists, ") + d.pick(text::countries));
    w.EndObject();
    for (std::int64_t e = 2, n = 2 + d.below(3); e <= n; ++e) {
      std::int64_t expected = 50 + d.below(500);
      w.StartObject();
      put(w, "event_id", "e" + std::to_string(e));
      put(w, "parent", "e" + std::to_string(e - 1));
      put(w, "channel", d.pick(kChannels));
      if (e > 2)
        put(w, "on", "no_response");
      w.Key("expected_responses");
      w.Int64(expected);
      w.Key("responses");
      w.Int64(d.below(expected + 1));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  if (more) {
    std::size_t last = rows.size() - 1 - std::min<std::size_t>(plan.repeat, rows.size() - 1);
    put(w, "next_page_token", encode_key({rows[last].updated, rows[last].index}));
  }
  w.EndObject();
  return body_of(buffer);
}

}  // namespace

void add_partner_crms(Simulator::State& state) {
  state.route(
      "GET", "/api/partners/campaigns", Provider::bntouch,
      [&state](const httplib::Request& r, const FaultPlan& p) { return bntouch(state, r, p); });
  state.route("GET", "/v2/campaigns", Provider::clover,
              [&state](const httplib::Request& r, const FaultPlan& p) {
                return clover_campaigns(state, r, p);
              });
  state.route("GET", R"(/v2/campaigns/([0-9a-zA-Z-]+)/assignments)", Provider::clover,
              [&state](const httplib::Request& r, const FaultPlan& p) {
                return clover_assignment_list(state, r, p);
              });
  state.route(
      "GET", "/artis/api/campagnes", Provider::artis,
      [&state](const httplib::Request& r, const FaultPlan& p) { return artis(state, r, p); });
  state.route(
      "GET", "/im/v1/campaigns", Provider::medica,
      [&state](const httplib::Request& r, const FaultPlan& p) { return medica(state, r, p); });
}

}  // namespace provider_sim
