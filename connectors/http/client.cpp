#include "connectors/http/client.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include <curl/curl.h>
#include <rapidjson/document.h>

#include "connectors/http/paging.h"
#include "connectors/http/redact.h"
#include "connectors/http/retry.h"
#include "connectors/http/throttle.h"
#include "connectors/http/url.h"
#include "connectors/json/depth.h"
#include "connectors/text/base64.h"

namespace connectors::http {
namespace {

using campaign_hub::HttpError;
using campaign_hub::HttpRequest;
using campaign_hub::HttpResponse;
using campaign_hub::iequals;
using campaign_hub::LogLevel;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kBodyExcerpt = 512;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What one attempt on the wire produced.
struct Attempt {
  CURLcode code = CURLE_OK;
  std::string curl_message;
  int status = 0;
  campaign_hub::Headers headers;
  std::string body;
  std::int64_t limit = 0;
  bool too_large = false;
  std::int64_t wire_bytes = 0;
  // Stall watch: libcurl's low-speed check averages over a few seconds, so a burst followed by
  // silence would be noticed late; this notices "no byte at all for N seconds" on time.
  std::chrono::milliseconds stall_limit{0};
  curl_off_t last_progress = -1;
  std::chrono::steady_clock::time_point last_change;
  bool stalled = false;
};

int on_progress(void* user, curl_off_t, curl_off_t downloaded, curl_off_t, curl_off_t uploaded) {
  auto* attempt = static_cast<Attempt*>(user);
  auto now = std::chrono::steady_clock::now();
  curl_off_t progress = downloaded + uploaded;
  if (progress != attempt->last_progress) {
    attempt->last_progress = progress;
    attempt->last_change = now;
    return 0;
  }
  if (now - attempt->last_change >= attempt->stall_limit) {
    attempt->stalled = true;
    return 1;  // aborts the transfer with CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  std::size_t n = size * count;
  if (static_cast<std::int64_t>(attempt->body.size() + n) > attempt->limit) {
    attempt->too_large = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  attempt->body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    attempt->headers.clear();  // a new response (after 100 Continue or a proxy CONNECT)
  } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    attempt->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

bool retryable_curl_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

// libcurl easy handles, one per request in flight, sharing one connection cache.
class HandlePool {
 public:
  HandlePool() {
    share_ = curl_share_init();
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &HandlePool::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &HandlePool::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~HandlePool() {
    for (CURL* handle : free_)
      curl_easy_cleanup(handle);
    curl_share_cleanup(share_);
  }
  HandlePool(const HandlePool&) = delete;
  HandlePool& operator=(const HandlePool&) = delete;

  CURL* take() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        CURL* handle = free_.back();
        free_.pop_back();
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    if (handle == nullptr)
      throw HttpError("libcurl could not create a handle", 0);
    return handle;
  }
  void give_back(CURL* handle) {
    std::lock_guard lock(mutex_);
    free_.push_back(handle);
  }
  CURLSH* share() const { return share_; }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<HandlePool*>(user)->locks_[static_cast<std::size_t>(data) % kLocks].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<HandlePool*>(user)->locks_[static_cast<std::size_t>(data) % kLocks].unlock();
  }

  static constexpr std::size_t kLocks = 16;
  std::array<std::mutex, kLocks> locks_;
  std::mutex mutex_;
  std::vector<CURL*> free_;
  CURLSH* share_ = nullptr;
};

struct Token {
  std::string value;
  Clock::time_point expires = Clock::time_point::max();
};

}  // namespace

struct Client::Impl {
  Impl(Settings s, campaign_hub::Logger& l)
      : settings(std::move(s)),
        logger(l),
        bucket(settings.requests_per_second, settings.burst),
        in_flight(settings.max_in_flight),
        random(std::random_device{}()) {
    const Settings::Auth& auth = settings.auth;
    redactor.add_secret(auth.token);
    redactor.add_secret(auth.password);
    redactor.add_secret(auth.key);
    redactor.add_secret(auth.client_secret);
    if (auth.type == AuthType::basic) {
      basic_header = "Basic " + connectors::text::base64(auth.username + ":" + auth.password);
      redactor.add_secret(basic_header.substr(6));
    }
    if (auth.type == AuthType::oauth2_client_credentials) {
      redactor.add_secret(connectors::text::base64(auth.client_id + ":" + auth.client_secret));
    }
    if (auth.type == AuthType::api_key && auth.key_in_query) {
      redactor.add_query_parameter(auth.key_name);
    }
    for (const auto& [name, value] : settings.headers) {
      if (iequals(name, "Authorization") || iequals(name, "Proxy-Authorization") ||
          iequals(name, "Cookie")) {
        redactor.add_secret(value);
      }
    }
    effective_base = settings.base_url;
  }

  void log(LogLevel level, std::string_view message) { logger.log(level, redactor.text(message)); }

  // Credentials over plain HTTP can be read by anyone on the path: refused (or, as the
  // settings say, warned about once) unless the host is this machine.
  void check_plain_http(const std::string& url, bool carries_credentials, const std::string& what) {
    if (url.rfind("http://", 0) != 0)
      return;
    std::string authority = url.substr(7, url.find_first_of("/?#", 7) - 7);
    const bool userinfo = authority.find('@') != std::string::npos;
    if (!carries_credentials && !userinfo)
      return;
    std::string host = authority.substr(userinfo ? authority.rfind('@') + 1 : 0);
    host =
        host.front() == '[' ? host.substr(0, host.find(']') + 1) : host.substr(0, host.find(':'));
    if (host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]")
      return;
    const std::string message = what + " " + redactor.url(url) +
                                ": credentials over plain http:// to " + host +
                                ", which is not this machine; use https://";
    if (settings.refuse_plain_http_credentials) {
      throw HttpError(message + " (or set http.tls.plain_http_credentials to \"warn\")", 0);
    }
    if (!warned_plain_http.exchange(true))
      log(LogLevel::warn, message + " (http.tls.plain_http_credentials = \"warn\")");
  }
  std::atomic<bool> warned_plain_http{false};

  std::string excerpt(std::string_view body) const {
    std::string text(body.substr(0, kBodyExcerpt));
    if (body.size() > kBodyExcerpt)
      text += "...";
    return redactor.text(text);
  }

  Attempt perform(const HttpRequest& request, const std::string& url,
                  const std::vector<std::string>& headers) {
    Attempt attempt;
    attempt.limit = settings.max_response_bytes;
    CURL* handle = pool.take();
    // Reset keeps the handle's live connections and caches; only options are cleared.
    curl_easy_reset(handle);
    std::array<char, CURL_ERROR_SIZE> error{};
    curl_slist* list = nullptr;
    for (const std::string& header : headers)
      list = curl_slist_append(list, header.c_str());
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_SHARE, pool.share());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error.data());
    if (settings.compression) {
      curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
    }
    curl_easy_setopt(handle, CURLOPT_USERAGENT, settings.user_agent.c_str());
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_ms));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.request_ms));
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT,
                     static_cast<long>(settings.low_speed_bytes_per_second));
    curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, static_cast<long>(settings.low_speed_seconds));
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, settings.tls_verify ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, settings.tls_verify ? 2L : 0L);
    if (!settings.ca_bundle.empty()) {
      curl_easy_setopt(handle, CURLOPT_CAINFO, settings.ca_bundle.c_str());
    }
    curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(settings.max_response_bytes));
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &attempt);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &attempt);
    attempt.stall_limit = std::chrono::seconds(settings.low_speed_seconds);
    attempt.last_change = std::chrono::steady_clock::now();
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
    curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &attempt);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    if (request.method == "GET") {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else {
      if (request.method != "POST") {
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    }
    attempt.code = curl_easy_perform(handle);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    attempt.status = static_cast<int>(status);
    curl_off_t downloaded = 0;
    curl_easy_getinfo(handle, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
    attempt.wire_bytes = static_cast<std::int64_t>(downloaded);
    if (attempt.stalled) {
      attempt.code = CURLE_OPERATION_TIMEDOUT;
      attempt.curl_message = "stalled: no data for " + std::to_string(settings.low_speed_seconds) +
                             " s (timeouts.low_speed_seconds)";
    } else if (attempt.code != CURLE_OK) {
      attempt.curl_message = error[0] != '\0' ? error.data() : curl_easy_strerror(attempt.code);
    }
    // Detach borrowed buffers before the handle goes back to the pool.
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
    curl_slist_free_all(list);
    pool.give_back(handle);
    return attempt;
  }

  // The request's URL, resolved and with a query-parameter key appended when configured.
  std::string target_url(const HttpRequest& request, bool with_auth) {
    std::string base;
    {
      std::lock_guard lock(token_mutex);
      base = effective_base;
    }
    std::string url = resolve_url(base, request.url);
    if (with_auth && settings.auth.type == AuthType::api_key && settings.auth.key_in_query) {
      url = paging::with_query(url, settings.auth.key_name, settings.auth.key);
    }
    return url;
  }

  std::vector<std::string> header_lines(const HttpRequest& request,
                                        const std::optional<std::string>& authorization) {
    std::vector<std::pair<std::string, std::string>> merged;
    auto put = [&merged](const std::string& name, const std::string& value) {
      auto same = [&name](const auto& h) { return iequals(h.first, name); };
      merged.erase(std::remove_if(merged.begin(), merged.end(), same), merged.end());
      merged.emplace_back(name, value);
    };
    put("Accept", "application/json");
    put("Expect", "");  // no 100-continue round trip on POST
    for (const auto& [name, value] : settings.headers)
      put(name, value);
    if (authorization)
      put("Authorization", *authorization);
    if (settings.auth.type == AuthType::api_key && !settings.auth.key_in_query) {
      put(settings.auth.key_name, settings.auth.key);
    }
    for (const auto& [name, value] : request.headers) {
      if (iequals(name, "Authorization") || iequals(name, settings.auth.key_name)) {
        redactor.add_secret(value);
      }
      put(name, value);
    }
    std::vector<std::string> lines;
    lines.reserve(merged.size());
    for (const auto& [name, value] : merged) {
      lines.push_back(value.empty() ? name + ":" : name + ": " + value);
    }
    return lines;
  }

  std::string oauth_token() {
    std::lock_guard lock(token_mutex);
    if (!token.value.empty() && Clock::now() < token.expires)
      return token.value;
    const Settings::Auth& auth = settings.auth;
    HttpRequest request;
    request.method = "POST";
    request.url = auth.token_url;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = "grant_type=client_credentials";
    if (auth.credentials_in_body) {
      request.body += "&client_id=" + paging::percent_encode(auth.client_id) +
                      "&client_secret=" + paging::percent_encode(auth.client_secret);
    } else {
      request.headers.emplace_back(
          "Authorization",
          "Basic " + connectors::text::base64(auth.client_id + ":" + auth.client_secret));
    }
    if (!auth.scope.empty())
      request.body += "&scope=" + paging::percent_encode(auth.scope);
    std::string url = resolve_url(settings.base_url, auth.token_url);
    check_plain_http(url, true, "OAuth2 token request");
    HttpResponse response = execute(request, url, false, "OAuth2 token request");
    rapidjson::Document body;
    body.Parse(response.body.data(), response.body.size());
    auto member = [&body](const char* name) -> const rapidjson::Value* {
      if (!body.IsObject())
        return nullptr;
      auto it = body.FindMember(name);
      return it == body.MemberEnd() ? nullptr : &it->value;
    };
    const rapidjson::Value* access = member("access_token");
    if (body.HasParseError() || access == nullptr || !access->IsString() ||
        access->GetStringLength() == 0) {
      throw HttpError("OAuth2 token answer from " + redactor.url(url) +
                          " has no access_token: " + excerpt(response.body),
                      response.status);
    }
    token.value = access->GetString();
    redactor.add_secret(token.value);
    token.expires = Clock::time_point::max();
    if (const rapidjson::Value* expires = member("expires_in"); expires && expires->IsNumber()) {
      // Renew a little early so that a token never expires between check and use.
      auto seconds = static_cast<std::int64_t>(expires->GetDouble());
      token.expires = Clock::now() + std::chrono::seconds(std::max<std::int64_t>(seconds - 30, 1));
    }
    if (const rapidjson::Value* instance = member("instance_url");
        auth.use_instance_url && instance && instance->IsString()) {
      std::string_view base = settings.base_url;
      std::string path(base.substr(url_origin(base).size()));
      std::string origin(url_origin(instance->GetString()));
      if (!origin.empty())
        effective_base = origin + path;
    }
    log(LogLevel::info, "obtained an OAuth2 token from " + redactor.url(url));
    return token.value;
  }

  void drop_token(const std::string& rejected) {
    std::lock_guard lock(token_mutex);
    if (token.value == rejected)
      token = Token{};
  }

  void count(std::int64_t requests, std::int64_t retries, std::int64_t bytes, std::int64_t waited) {
    std::lock_guard lock(counters_mutex);
    counters.requests += requests;
    counters.retries += retries;
    counters.bytes += bytes;
    counters.rate_limit_wait_ms += waited;
  }

  milliseconds jitter(int retry) {
    std::lock_guard lock(random_mutex);
    return backoff_delay(retry, milliseconds(settings.base_delay_ms),
                         milliseconds(settings.max_delay_ms), random);
  }

  // The attempt loop: rate limit, in-flight cap, auth, retries. `what` names the request in
  // errors ("GET", "OAuth2 token request").
  HttpResponse execute(const HttpRequest& request, const std::string& url, bool with_auth,
                       const std::string& what) {
    const std::string shown = redactor.url(url);
    std::int64_t waited_ms = 0;
    bool token_renewed = false;
    int attempts = 0;
    for (int attempt_number = 1;; ++attempt_number) {
      std::optional<std::string> authorization;
      std::string bearer;
      if (with_auth) {
        switch (settings.auth.type) {
          case AuthType::bearer:
            authorization = "Bearer " + settings.auth.token;
            break;
          case AuthType::basic:
            authorization = basic_header;
            break;
          case AuthType::oauth2_client_credentials:
            bearer = oauth_token();
            authorization = "Bearer " + bearer;
            break;
          default:
            break;
        }
      }
      std::vector<std::string> headers = header_lines(request, authorization);
      if (auto slept = bucket.acquire(); slept.count() > 0)
        count(0, 0, 0, slept.count());
      in_flight.acquire();
      Attempt attempt;
      try {
        attempt = perform(request, url, headers);
      } catch (...) {
        in_flight.release();
        throw;
      }
      in_flight.release();
      ++attempts;
      count(1, 0, attempt.wire_bytes, 0);

      const std::string tried =
          what + " " + shown + " (attempt " + std::to_string(attempt_number) + ")";
      if (attempt.code == CURLE_OK) {
        log(LogLevel::debug, tried + " -> " + std::to_string(attempt.status) + ", " +
                                 std::to_string(attempt.body.size()) + " bytes");
      }
      if (attempt.too_large || attempt.code == CURLE_FILESIZE_EXCEEDED) {
        throw HttpError(what + " " + shown + " failed: the answer is larger than " +
                            "max_response_bytes (" + std::to_string(settings.max_response_bytes) +
                            "); status " + std::to_string(attempt.status) +
                            "; body starts: " + excerpt(attempt.body),
                        attempt.status);
      }
      bool network_error = attempt.code != CURLE_OK;
      if (!network_error && returned_status(attempt.status)) {
        HttpResponse response;
        response.status = attempt.status;
        response.headers = std::move(attempt.headers);
        response.body = std::move(attempt.body);
        return response;
      }
      if (!network_error && attempt.status == 401 && !bearer.empty() && !token_renewed) {
        // An OAuth2 token may expire before its announced time; renew it once per request.
        log(LogLevel::info, tried + " -> 401; renewing the OAuth2 token and trying again");
        drop_token(bearer);
        token_renewed = true;
        --attempt_number;
        count(0, 1, 0, 0);
        continue;
      }
      const std::string outcome =
          network_error
              ? "network error: " + redactor.text(attempt.curl_message)
              : "HTTP " + std::to_string(attempt.status) + ", body: " + excerpt(attempt.body);
      bool retryable =
          network_error ? retryable_curl_error(attempt.code) : retryable_status(attempt.status);
      std::string attempts_text =
          std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
      if (!retryable) {
        throw HttpError(what + " " + shown + " failed after " + attempts_text + ": " + outcome,
                        network_error ? 0 : attempt.status);
      }
      if (attempt_number >= settings.max_attempts) {
        throw HttpError(what + " " + shown + " failed after " + attempts_text +
                            " (retries.max_attempts): " + outcome,
                        network_error ? 0 : attempt.status);
      }
      milliseconds delay = jitter(attempt_number);
      std::string reason = "backoff";
      if (!network_error) {
        for (const auto& [name, value] : attempt.headers) {
          if (!iequals(name, "Retry-After"))
            continue;
          if (auto asked = parse_retry_after(value, std::chrono::system_clock::now())) {
            delay = *asked;
            reason = "Retry-After: " + value;
          }
        }
      }
      if (waited_ms + delay.count() > settings.max_total_wait_ms) {
        throw HttpError(what + " " + shown + " failed after " + attempts_text + ": " + outcome +
                            "; waiting " + std::to_string(delay.count()) + " ms more (" + reason +
                            ") would pass retries.max_total_wait_ms (" +
                            std::to_string(settings.max_total_wait_ms) + ")",
                        network_error ? 0 : attempt.status);
      }
      log(LogLevel::warn, tried + " -> " + outcome + "; retrying in " +
                              std::to_string(delay.count()) + " ms (" + reason + ")");
      std::this_thread::sleep_for(delay);
      waited_ms += delay.count();
      count(0, 1, 0, attempt.status == 429 ? delay.count() : 0);
    }
  }

  Settings settings;
  campaign_hub::Logger& logger;
  Redactor redactor;
  std::string basic_header;
  HandlePool pool;
  TokenBucket bucket;
  InFlightLimit in_flight;
  std::mutex token_mutex;  // guards token and effective_base
  Token token;
  std::string effective_base;
  std::mutex counters_mutex;
  Counters counters;
  std::mutex random_mutex;
  std::mt19937_64 random;
};

Client::Client(Settings settings, campaign_hub::Logger& logger) {
  global_init();
  impl_ = std::make_unique<Impl>(std::move(settings), logger);
  const Settings& s = impl_->settings;
  if (!s.tls_verify) {
    impl_->log(LogLevel::warn, "TLS certificate verification is OFF for " +
                                   (s.base_url.empty() ? std::string("this instance")
                                                       : impl_->redactor.url(s.base_url)) +
                                   " (http.tls.verify = false)");
  }
}

Client::~Client() = default;

campaign_hub::HttpResponse Client::send(const campaign_hub::HttpRequest& request) {
  std::string url;
  try {
    url = impl_->target_url(request, true);
  } catch (const std::invalid_argument& e) {
    throw HttpError(impl_->redactor.text(e.what()), 0);
  }
  impl_->check_plain_http(url, impl_->settings.auth.type != AuthType::none, request.method);
  campaign_hub::HttpResponse response = impl_->execute(request, url, true, request.method);
  // Every page a plugin parses passes here: a body nested past what a parser's stack can
  // take is refused now, with its URL, instead of crashing the plugin that parses it.
  const auto first = response.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (response.body[first] == '{' || response.body[first] == '[')) {
    if (auto at = connectors::json::too_deep(response.body)) {
      throw HttpError(request.method + " " + impl_->redactor.url(url) + ": the response " +
                          connectors::json::too_deep_reason(*at),
                      response.status);
    }
  }
  return response;
}

const Counters& Client::counters() const {
  return impl_->counters;
}
const Settings& Client::settings() const {
  return impl_->settings;
}
std::string Client::redact(std::string_view text) const {
  return impl_->redactor.text(text);
}

std::unique_ptr<Client> make_client(std::string_view http_json, campaign_hub::Logger& logger) {
  return std::make_unique<Client>(parse_settings(http_json), logger);
}

}  // namespace connectors::http
