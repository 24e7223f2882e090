// The simulator's server: state, the per-request pipeline (count, fault, answer) and the
// public Simulator API.
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>
#include <charconv>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include <zlib.h>

#include "ids.h"
#include "sim.h"
#include "webhook_sender.h"

namespace provider_sim {
namespace {

constexpr Epoch kJan2026 = 1767225600;  // 2026-01-01T00:00:00Z
constexpr Epoch kDay = 86400;

// Forces an RST on the connection behind `request` when the server closes it, so that the
// client sees "connection reset by peer", not an orderly end of stream.
void arm_reset(int local_port, int remote_port) {
  for (int fd = 3; fd < 4096; ++fd) {
    sockaddr_in local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0)
      continue;
    if (local.sin_family != AF_INET)
      continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0)
      continue;
    if (ntohs(local.sin_port) != local_port || ntohs(peer.sin_port) != remote_port) {
      continue;
    }
    linger hard{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    shutdown(fd, SHUT_RD);
    return;
  }
}

// gzip at the fastest level: httplib would pick Brotli at its slowest when a client offers
// "br", which makes the simulator, not the client, the bottleneck of a benchmark.
std::optional<std::string> gzip(const std::string& body) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out(deflateBound(&z, body.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int result = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (result != Z_STREAM_END)
    return std::nullopt;
  return out;
}

bool accepts_gzip(const httplib::Request& request) {
  return request.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
}

std::string http_date(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

const char* connect_code(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 429:
      return "rate_limited";
    case 502:
      return "bad_gateway";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal_error" : "error";
  }
}

// HubSpot's error category for a status, when the caller names none.
const char* hubspot_category(int status) {
  switch (status) {
    case 400:
      return "VALIDATION_ERROR";
    case 401:
      return "INVALID_AUTHENTICATION";
    case 403:
      return "MISSING_SCOPES";
    case 404:
      return "OBJECT_NOT_FOUND";
    case 429:
      return "RATE_LIMITS";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : "ERROR";
  }
}

}  // namespace

std::string_view provider_name(Provider provider) {
  switch (provider) {
    case Provider::connect:
      return "connect";
    case Provider::mailchimp:
      return "mailchimp";
    case Provider::salesforce:
      return "salesforce";
    case Provider::bntouch:
      return "bntouch";
    case Provider::clover:
      return "clover";
    case Provider::artis:
      return "artis";
    case Provider::medica:
      return "medica";
    case Provider::hubspot:
      return "hubspot";
    case Provider::sim:
      return "sim";
  }
  return "?";
}

Answer error_answer(Provider provider, int status, std::string_view code,
                    std::string_view message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  Answer answer;
  answer.status = status;
  std::string code_text = code.empty() ? connect_code(status) : std::string(code);
  switch (provider) {
    case Provider::mailchimp:
      answer.content_type = "application/problem+json";
      w.StartObject();
      w.Key("type");
      w.String("https://mailchimp.com/developer/marketing/docs/errors/");
      w.Key("title");
      w.String(code_text.c_str());
      w.Key("status");
      w.Int(status);
      w.Key("detail");
      w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
      w.Key("instance");
      w.String("2f1c0e5e-sim0-4000-8000-000000000000");
      w.EndObject();
      break;
    case Provider::salesforce:
      w.StartArray();
      w.StartObject();
      w.Key("message");
      w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
      w.Key("errorCode");
      w.String(code_text.c_str());
      w.EndObject();
      w.EndArray();
      break;
    case Provider::hubspot:
      w.StartObject();
      w.Key("status");
      w.String("error");
      w.Key("message");
      w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
      w.Key("correlationId");
      w.String("5c2d1f0e-sim0-4000-8000-000000000000");
      w.Key("category");
      w.String(code.empty() ? hubspot_category(status) : code_text.c_str());
      w.EndObject();
      break;
    default:
      w.StartObject();
      w.Key("error");
      w.StartObject();
      w.Key("code");
      w.String(code_text.c_str());
      w.Key("message");
      w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
      w.EndObject();
      w.EndObject();
      break;
  }
  answer.body = buffer.GetString();
  return answer;
}

std::string base64_encode(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 0x3f]);
    }
  }
  if (count > 0)
    out.push_back(kAlphabet[(bits << (6 - count)) & 0x3f]);
  while (out.size() % 4 != 0)
    out.push_back('=');
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

std::optional<std::string> bearer_token(const httplib::Request& request) {
  std::string value = request.get_header_value("Authorization");
  if (value.size() < 7 || strncasecmp(value.c_str(), "Bearer ", 7) != 0)
    return std::nullopt;
  return value.substr(7);
}

std::optional<std::pair<std::string, std::string>> basic_credentials(
    const httplib::Request& request) {
  std::string value = request.get_header_value("Authorization");
  if (value.size() < 6 || strncasecmp(value.c_str(), "Basic ", 6) != 0)
    return std::nullopt;
  auto decoded = base64_decode(value.substr(6));
  if (!decoded)
    return std::nullopt;
  std::size_t colon = decoded->find(':');
  if (colon == std::string::npos)
    return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

std::optional<std::int64_t> int_param(const httplib::Request& request, const char* name,
                                      std::int64_t fallback) {
  if (!request.has_param(name))
    return fallback;
  std::string text = request.get_param_value(name);
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

std::string encode_key(Key key) {
  std::string raw = "k:" + std::to_string(key.updated) + ":" + std::to_string(key.index);
  std::string out = base64_encode(raw);
  for (char& c : out)
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  return out;
}

std::optional<Key> decode_key(std::string_view cursor) {
  auto raw = base64_decode(cursor);
  if (!raw || raw->rfind("k:", 0) != 0)
    return std::nullopt;
  std::size_t colon = raw->find(':', 2);
  if (colon == std::string::npos)
    return std::nullopt;
  Key key;
  auto a = std::from_chars(raw->data() + 2, raw->data() + colon, key.updated);
  auto b = std::from_chars(raw->data() + colon + 1, raw->data() + raw->size(), key.index);
  if (a.ec != std::errc() || b.ec != std::errc() || b.ptr != raw->data() + raw->size()) {
    return std::nullopt;
  }
  return key;
}

Simulator::State::State(Options o) : options(std::move(o)) {
  std::int64_t c = std::max<std::int64_t>(options.campaigns, 1);
  std::int64_t n = std::max<std::int64_t>(options.opportunities, 0);
  auto add = [this](const char* name, std::int64_t count, Epoch start, Epoch step) {
    tables.emplace(name, std::make_unique<Table>(name, options.seed, count, start, step));
  };
  add(tables::connect_campaigns, c, kJan2026 + 4 * kDay, 600);
  add(tables::connect_opportunities, n, kJan2026 + 9 * kDay, 7);
  add(tables::salesforce_campaigns, c, kJan2026 + 2 * kDay, 900);
  add(tables::salesforce_opportunities, n, kJan2026 + 6 * kDay, 5);
  add(tables::salesforce_members, 3 * c, kJan2026 + 3 * kDay, 300);
  add(tables::mailchimp_campaigns, c, kJan2026 + 86400, 3600);
  add(tables::bntouch_enrolments, c, kJan2026 + 86400, 1800);
  add(tables::clover_campaigns, c, kJan2026 + 86400, 1800);
  add(tables::artis_campagnes, c, kJan2026 + 5 * kDay, 1200);
  add(tables::medica_campaigns, c, kJan2026 + 86400, 2400);
  add(tables::hubspot_deals, n, kJan2026 + 8 * kDay, 11);
  faults.set(options.faults_json);
  webhooks = std::make_unique<WebhookSender>(*this);
  // Keep-alive for as long as a benchmark likes; stalled answers must not starve the others.
  server.set_keep_alive_max_count(100'000);
  server.set_keep_alive_timeout(10);
  server.set_tcp_nodelay(true);
  int threads = std::max(options.threads, 2);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

Simulator::State::~State() = default;  // WebhookSender is complete here

Table& Simulator::State::table(std::string_view name) {
  auto it = tables.find(name);
  if (it == tables.end())
    throw std::invalid_argument("unknown table \"" + std::string(name) + "\"");
  return *it->second;
}

void Simulator::State::sleep_ms(int ms) const {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stopping && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 20)));
  }
}

void Simulator::State::route(const char* method, const std::string& pattern, Provider provider,
                             Handler handler) {
  auto wrapped = [this, provider, handler = std::move(handler)](const httplib::Request& request,
                                                                httplib::Response& response) {
    handle(provider, handler, request, response);
  };
  if (std::strcmp(method, "GET") == 0) {
    server.Get(pattern, wrapped);
  } else {
    server.Post(pattern, wrapped);
  }
}

void Simulator::State::handle(Provider provider, const Handler& handler,
                              const httplib::Request& request, httplib::Response& response) {
  ++requests;
  std::int64_t now_in_flight = ++in_flight;
  for (std::int64_t seen = max_in_flight;
       now_in_flight > seen && !max_in_flight.compare_exchange_weak(seen, now_in_flight);) {
  }
  struct Leave {
    std::atomic<std::int64_t>& counter;
    ~Leave() { --counter; }
  } leave{in_flight};
  std::optional<Leave> leave_mailchimp;
  if (provider == Provider::mailchimp) {
    ++mailchimp_in_flight;
    leave_mailchimp.emplace(Leave{mailchimp_in_flight});
  }

  FaultPlan plan = faults.plan(provider, request.path);
  if (plan.applied)
    ++faults_applied;
  if (plan.expire_tokens)
    expire_tokens();
  if (plan.touch > 0)
    touch(plan.touch_table, plan.touch);
  if (!plan.remove_table.empty())
    remove(plan.remove_table, plan.remove_id);
  if (plan.delay_ms > 0)
    sleep_ms(plan.delay_ms);

  Answer answer;
  if (plan.status != 0) {
    answer =
        error_answer(provider, plan.status, provider == Provider::salesforce ? "SERVER_ERROR" : "",
                     "injected fault: HTTP " + std::to_string(plan.status));
    if (provider == Provider::salesforce && plan.status == 429) {
      answer =
          error_answer(provider, 429, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
    }
    if (plan.retry_after_seconds) {
      answer.headers.emplace("Retry-After",
                             plan.retry_after_as_date
                                 ? http_date(std::chrono::system_clock::now() +
                                             std::chrono::seconds(*plan.retry_after_seconds))
                                 : std::to_string(*plan.retry_after_seconds));
    }
  } else if (provider == Provider::mailchimp && mailchimp_in_flight > 10) {
    answer = error_answer(provider, 429, "Too Many Requests",
                          "You have exceeded the limit of 10 simultaneous connections.");
  } else {
    try {
      answer = handler(request, plan);
    } catch (const std::exception& e) {
      answer = error_answer(provider, 500, "", std::string("simulator error: ") + e.what());
    }
  }
  if (answer.status == 401)
    ++unauthorized;
  if (provider == Provider::connect) {
    answer.headers.emplace("X-RateLimit-Remaining",
                           std::to_string(std::max<std::int64_t>(0, 10'000 - requests % 10'000)));
  } else if (provider == Provider::salesforce) {
    answer.headers.emplace("Sforce-Limit-Info",
                           "api-usage=" + std::to_string(requests.load()) + "/100000");
  }
  write(answer, plan, request, response);
}

void Simulator::State::write(const Answer& answer, const FaultPlan& plan,
                             const httplib::Request& request, httplib::Response& response) {
  response.status = answer.status;
  for (const auto& [name, value] : answer.headers)
    response.set_header(name, value);
  auto body = std::make_shared<std::string>(answer.body);
  auto cut =
      static_cast<std::size_t>(static_cast<double>(body->size()) * std::clamp(plan.cut, 0.0, 1.0));
  // The charset parameter also keeps httplib from compressing on its own (see gzip()).
  const std::string content_type = answer.content_type + "; charset=utf-8";
  switch (plan.body) {
    case BodyFault::none:
      if (body->size() > 1024 && accepts_gzip(request)) {
        if (auto packed = gzip(*body)) {
          response.set_header("Content-Encoding", "gzip");
          response.set_content(*packed, content_type);
          return;
        }
      }
      response.set_content(*body, content_type);
      return;
    case BodyFault::truncate:
      response.set_content(body->substr(0, cut), content_type);
      return;
    case BodyFault::malformed:
      response.set_content(body->substr(0, cut) + "\"}]},{\x01 <html>oops", content_type);
      return;
    case BodyFault::stall:
    case BodyFault::reset: {
      bool stall = plan.body == BodyFault::stall;
      int stall_ms = plan.stall_ms;
      response.set_content_provider(
          body->size(), content_type,
          [this, body, cut, stall, stall_ms, local = request.local_port,
           remote = request.remote_port](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            if (offset == 0 && cut > 0)
              return sink.write(body->data(), cut);
            if (stall) {
              sleep_ms(stall_ms);
            } else {
              arm_reset(local, remote);
            }
            return false;
          });
      return;
    }
  }
}

std::string Simulator::State::issue_salesforce_token() {
  std::lock_guard lock(tokens_mutex);
  ++tokens_issued;
  std::string token = "00DSIM!" + std::to_string(tokens_issued) + "." +
                      hex_id("", tokens_issued, 0x2545F491) + hex_id("", tokens_issued, 0x9E3779B1);
  salesforce_tokens.insert(token);
  return token;
}

bool Simulator::State::salesforce_token_valid(std::string_view token) {
  std::lock_guard lock(tokens_mutex);
  return salesforce_tokens.count(token) > 0;
}

void Simulator::State::expire_tokens() {
  std::lock_guard lock(tokens_mutex);
  salesforce_tokens.clear();
}

std::int64_t Simulator::State::touch(std::string_view name, double fraction) {
  std::int64_t touched = 0;
  std::string_view prefix = name.empty() ? std::string_view("connect.") : name;
  bool any = false;
  for (auto& [table_name, table] : tables) {
    if (table_name == prefix || (prefix.back() == '.' && table_name.rfind(prefix, 0) == 0) ||
        table_name.rfind(std::string(prefix) + ".", 0) == 0) {
      touched += table->touch(fraction);
      any = true;
    }
  }
  if (!any)
    throw std::invalid_argument("unknown table \"" + std::string(name) + "\"");
  return touched;
}

bool Simulator::State::remove(std::string_view name, std::string_view id) {
  Table& t = table(name);
  std::int64_t index = record_index(name, id);
  return index >= 0 && index < t.count() && t.remove(index);
}

Simulator::Simulator(Options options) : state_(std::make_unique<State>(std::move(options))) {
  add_connect(*state_);
  add_mailchimp(*state_);
  add_salesforce(*state_);
  add_partner_crms(*state_);
  add_hubspot(*state_);
  add_control(*state_);
}

Simulator::~Simulator() {
  stop();
}

int Simulator::start(int port) {
  State& s = *state_;
  if (port == 0) {
    s.port = s.server.bind_to_any_port("127.0.0.1");
  } else {
    s.port = s.server.bind_to_port("127.0.0.1", port) ? port : -1;
  }
  if (s.port <= 0)
    throw std::runtime_error("provider-sim: cannot bind 127.0.0.1:" + std::to_string(port));
  s.thread = std::thread([&s] { s.server.listen_after_bind(); });
  // listen_after_bind sets is_running before it accepts; wait for it so that callers can connect.
  while (!s.server.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return s.port;
}

void Simulator::stop() {
  State& s = *state_;
  s.stopping = true;
  s.webhooks->stop();
  if (s.thread.joinable()) {
    s.server.stop();
    s.thread.join();
  }
}

int Simulator::port() const {
  return state_->port;
}
std::string Simulator::base_url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port);
}
void Simulator::set_faults(std::string_view json) {
  state_->faults.set(json);
}
std::int64_t Simulator::touch(std::string_view table, double fraction) {
  return state_->touch(table, fraction);
}
bool Simulator::remove(std::string_view table, std::string_view id) {
  return state_->remove(table, id);
}
void Simulator::expire_tokens() {
  state_->expire_tokens();
}

std::int64_t Simulator::push_webhooks(std::string_view json) {
  return state_->webhooks->push(PushPlan::parse(json));
}

WebhookStats Simulator::webhook_stats() const {
  return state_->webhooks->stats();
}

bool Simulator::webhooks_idle(int limit_ms) {
  return state_->webhooks->wait_idle(std::chrono::milliseconds(limit_ms));
}

Stats Simulator::stats() const {
  const State& s = *state_;
  Stats stats;
  stats.requests = s.requests;
  stats.max_in_flight = s.max_in_flight;
  stats.faults_applied = s.faults_applied;
  stats.unauthorized = s.unauthorized;
  {
    std::lock_guard lock(state_->tokens_mutex);
    stats.tokens_issued = s.tokens_issued;
  }
  return stats;
}

void Simulator::reset_stats() {
  state_->requests = 0;
  state_->max_in_flight = 0;
  state_->faults_applied = 0;
  state_->unauthorized = 0;
  std::lock_guard lock(state_->tokens_mutex);
  state_->tokens_issued = 0;
}

}  // namespace provider_sim
