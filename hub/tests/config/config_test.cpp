#include "hub/config/config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hub {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// Each test gets its own folder, removed afterwards, and its own environment variables.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("hub-config-test-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (const auto& name : env_) {
      ::unsetenv(name.c_str());
    }
    fs::remove_all(dir_);
  }

  void set_env(const std::string& name, const std::string& value) {
    ::setenv(name.c_str(), value.c_str(), 1);
    env_.push_back(name);
  }

  fs::path write(const fs::path& relative, std::string_view text) {
    const fs::path path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // The message of the ConfigError that parsing `json` as "demo.json" throws.
  // An instance's secret that cannot be resolved does not stop the config: its message is on
  // the instance (secret_error), and is the error here.
  static std::string error_of(std::string_view json) {
    try {
      const Config config = parse_config(json, "demo.json");
      for (const auto& instance : config.instances) {
        if (!instance.secret_error.empty())
          return instance.secret_error;
      }
    } catch (const ConfigError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no ConfigError for " << json;
    return "";
  }

  // A config with one instance whose members are `members` (JSON text after name and plugin).
  static std::string one_instance(std::string_view members) {
    return R"({"instances": [{"name": "demo", "plugin": "connect")" +
           (members.empty() ? std::string() : ", " + std::string(members)) + "}]}";
  }

  fs::path dir_;
  std::vector<std::string> env_;
};

TEST_F(ConfigTest, EmptyConfigGetsEveryDefault) {
  const Config config = parse_config("{}", "demo.json");
  EXPECT_EQ(config.file, fs::path("demo.json"));
  EXPECT_EQ(config.database_url, "sqlite3://campaign-hub.db");
  EXPECT_TRUE(config.plugin_dir.empty());
  EXPECT_EQ(config.logging.level, "info");
  EXPECT_EQ(config.logging.format, "text");
  EXPECT_TRUE(config.instances.empty());
  EXPECT_TRUE(config.secrets.empty());
}

TEST_F(ConfigTest, InstanceWithOnlyNameAndPluginGetsDefaults) {
  const Config config = parse_config(one_instance(""), "demo.json");
  ASSERT_EQ(config.instances.size(), 1u);
  const InstanceConfig& demo = config.instances[0];
  EXPECT_EQ(demo.name, "demo");
  EXPECT_EQ(demo.plugin, "connect");
  EXPECT_EQ(demo.settings_json, "{}");
  EXPECT_EQ(demo.http_json, "");
  EXPECT_TRUE(demo.status_overrides.empty());
  EXPECT_EQ(demo.batch_size, 1000u);
  EXPECT_EQ(demo.default_initiative, "Default Initiative");
}

TEST_F(ConfigTest, EveryKeyIsRead) {
  const Config config = parse_config(R"({
    "database": {"url": "postgresql://hub@db.example/hub"},
    "plugin_dir": "/opt/campaign-hub/plugins",
    "logging": {"level": "debug", "format": "json"},
    "instances": [
      {"name": "connect-eu", "plugin": "connect",
       "settings": {"account": "acme", "page_size": 50},
       "http": {"timeouts": {"request_ms": 30000}},
       "status_overrides": {"campaign": {"Live": "active"}, "step": {"Skipped": "skipped"}},
       "batch_size": 250,
       "default_initiative": "Imported"},
      {"name": "mailchimp", "plugin": "mailchimp"}
    ]})",
                                     "demo.json");
  EXPECT_EQ(config.database_url, "postgresql://hub@db.example/hub");
  EXPECT_EQ(config.plugin_dir, fs::path("/opt/campaign-hub/plugins"));
  EXPECT_EQ(config.logging.level, "debug");
  EXPECT_EQ(config.logging.format, "json");
  ASSERT_EQ(config.instances.size(), 2u);
  const InstanceConfig& eu = config.instances[0];
  EXPECT_EQ(eu.settings_json, R"({"account":"acme","page_size":50})");
  EXPECT_EQ(eu.http_json, R"({"timeouts":{"request_ms":30000}})");
  EXPECT_EQ(eu.status_overrides, (StatusOverrides{{"campaign", {{"Live", "active"}}},
                                                  {"step", {{"Skipped", "skipped"}}}}));
  EXPECT_EQ(eu.batch_size, 250u);
  EXPECT_EQ(eu.default_initiative, "Imported");
}

TEST_F(ConfigTest, RunLimitsAndServeHaveDefaults) {
  const Config config = parse_config(one_instance(""), "/etc/hub/demo.json");
  EXPECT_EQ(config.instances[0].run_timeout_seconds, 1800);
  EXPECT_EQ(config.instances[0].memory_limit_mib, 1024);
  EXPECT_FALSE(config.instances[0].schedule.has_value());
  EXPECT_EQ(config.serve.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.serve.max_parallel_runs, 4);
  EXPECT_EQ(config.serve.grace_period_seconds, 30);
  EXPECT_EQ(config.serve.retry_first_seconds, 60);
  EXPECT_EQ(config.serve.retry_max_seconds, 3600);
  EXPECT_TRUE(config.serve.tls_certificate.empty());
}

TEST_F(ConfigTest, ScheduleLimitsAndServeAreRead) {
  const std::string text = R"({
    "serve": {"listen": "0.0.0.0:9000", "max_parallel_runs": 2, "grace_period_seconds": 5,
              "retry_first_seconds": 10, "retry_max_seconds": 600,
              "tls": {"certificate": "tls/hub.pem", "private_key": "/keys/hub.key"}},
    "instances": [{"name": "demo", "plugin": "connect", "run_timeout_seconds": 60,
                   "memory_limit_mib": 256,
                   "schedule": {"cron": "0 9 * * 1-5", "time_zone": "Europe/Paris",
                                "jitter": "30s"}}]})";
  const Config config = parse_config(text, "/etc/hub/demo.json");
  EXPECT_EQ(config.text, text);  // a run's own process parses the very same text
  EXPECT_EQ(config.serve.listen, "0.0.0.0:9000");
  EXPECT_EQ(config.serve.max_parallel_runs, 2);
  EXPECT_EQ(config.serve.grace_period_seconds, 5);
  EXPECT_EQ(config.serve.retry_first_seconds, 10);
  EXPECT_EQ(config.serve.retry_max_seconds, 600);
  EXPECT_EQ(config.serve.tls_certificate, fs::path("/etc/hub/tls/hub.pem"));
  EXPECT_EQ(config.serve.tls_private_key, fs::path("/keys/hub.key"));
  const InstanceConfig& demo = config.instances[0];
  EXPECT_EQ(demo.run_timeout_seconds, 60);
  EXPECT_EQ(demo.memory_limit_mib, 256);
  ASSERT_TRUE(demo.schedule.has_value());
  EXPECT_EQ(demo.schedule->cron, "0 9 * * 1-5");
  EXPECT_EQ(demo.schedule->every, "");
  EXPECT_EQ(demo.schedule->time_zone, "Europe/Paris");
  EXPECT_EQ(demo.schedule->jitter, "30s");
}

TEST_F(ConfigTest, ScheduleNeedsExactlyOneOfEveryAndCron) {
  EXPECT_EQ(error_of(one_instance(R"("schedule": {"jitter": "1m"})")),
            "demo.json: /instances/0/schedule: say when to run: every (\"15m\") or cron "
            "(\"0 9 * * 1-5\") (exactly one of every, cron)");
  EXPECT_THAT(error_of(one_instance(R"("schedule": {"every": "1h", "cron": "@daily"})")),
              HasSubstr("give either every or cron, not both"));
}

TEST_F(ConfigTest, ABadScheduleIsRefusedWhenTheConfigIsRead) {
  EXPECT_EQ(error_of(one_instance(R"("schedule": {"cron": "61 * * * *"})")),
            "demo.json: /instances/0/schedule: cron '61 * * * *': minute: 61 is out of 0-59 "
            "(schedule)");
  EXPECT_THAT(error_of(one_instance(R"("schedule": {"cron": "@daily", "time_zone": "Mars/Base"})")),
              HasSubstr("/instances/0/schedule: unknown time zone 'Mars/Base'"));
  EXPECT_THAT(error_of(one_instance(R"("schedule": {"every": "15", "jitter": "1m"})")),
              HasSubstr("/instances/0/schedule: "));
  EXPECT_THAT(error_of(one_instance(R"("schedule": {"every": "15m", "jitter": "soon"})")),
              HasSubstr("/instances/0/schedule/jitter: "));
}

// 50,000 levels (100 KB) overflowed the parser's stack: now a config error, not a crash.
TEST_F(ConfigTest, AConfigNestedTooDeepIsAnErrorNotACrash) {
  const std::string deep =
      "{\"instances\": " + std::string(50000, '[') + std::string(50000, ']') + "}";
  EXPECT_EQ(error_of(deep),
            "demo.json:1:270: the config is nested deeper than 256 levels (at byte 269)");
}

TEST_F(ConfigTest, MemoryLimitBelowMinimumIsRejected) {
  EXPECT_THAT(error_of(one_instance(R"("memory_limit_mib": 10)")),
              HasSubstr("/instances/0/memory_limit_mib"));
}

TEST_F(ConfigTest, InstanceIsFoundByName) {
  const Config config = parse_config(
      R"({"instances": [{"name": "a", "plugin": "p"}, {"name": "b", "plugin": "q"}]})", "x.json");
  ASSERT_NE(config.instance("b"), nullptr);
  EXPECT_EQ(config.instance("b")->plugin, "q");
  EXPECT_EQ(config.instance("c"), nullptr);
}

// Schema errors: "<file>: <pointer>: <sentence> (<keyword>)".

TEST_F(ConfigTest, BatchSizeZeroNamesPointerAndMinimum) {
  EXPECT_EQ(error_of(one_instance(R"("batch_size": 0)")),
            "demo.json: /instances/0/batch_size: must be at least 1 (minimum)");
}

TEST_F(ConfigTest, BatchSizeAboveLimitNamesMaximum) {
  EXPECT_EQ(error_of(one_instance(R"("batch_size": 100001)")),
            "demo.json: /instances/0/batch_size: must be at most 100000 (maximum)");
}

TEST_F(ConfigTest, WrongTypeNamesExpectedAndActualType) {
  EXPECT_EQ(error_of(one_instance(R"("batch_size": "500")")),
            "demo.json: /instances/0/batch_size: must be an integer, not a string (type)");
  EXPECT_EQ(error_of(R"({"database": "sqlite3://x.db"})"),
            "demo.json: /database: must be an object, not a string (type)");
  EXPECT_EQ(error_of("[]"), "demo.json: (root): must be an object, not an array (type)");
}

TEST_F(ConfigTest, MissingNameNamesTheProperty) {
  EXPECT_EQ(error_of(R"({"instances": [{"plugin": "connect"}]})"),
            "demo.json: /instances/0: missing required property \"name\" (required)");
}

TEST_F(ConfigTest, UnknownPropertyIsNamedWithTheKnownOnes) {
  const std::string message = error_of(one_instance(R"("batchsize": 10)"));
  EXPECT_THAT(message, HasSubstr("demo.json: /instances/0/batchsize: unknown property "
                                 "\"batchsize\"; known properties: name, plugin, settings"));
  EXPECT_THAT(message, HasSubstr("(additionalProperties)"));
  EXPECT_THAT(error_of(R"({"databse": {}})"),
              HasSubstr("demo.json: /databse: unknown property \"databse\""));
}

TEST_F(ConfigTest, BadEnumListsTheAllowedValues) {
  EXPECT_EQ(error_of(R"({"logging": {"level": "verbose"}})"),
            "demo.json: /logging/level: must be one of \"debug\", \"info\", \"warn\", \"error\", "
            "not \"verbose\" (enum)");
}

TEST_F(ConfigTest, BadInstanceNameNamesThePattern) {
  EXPECT_EQ(error_of(R"({"instances": [{"name": "Connect EU", "plugin": "connect"}]})"),
            "demo.json: /instances/0/name: must match ^[a-z0-9][a-z0-9_-]*$, not \"Connect EU\" "
            "(pattern)");
}

TEST_F(ConfigTest, EmptyDefaultInitiativeIsRejected) {
  EXPECT_EQ(error_of(one_instance(R"("default_initiative": "")")),
            "demo.json: /instances/0/default_initiative: must not be empty (minLength)");
}

TEST_F(ConfigTest, UnknownOverrideEntityIsRejected) {
  EXPECT_THAT(error_of(one_instance(R"("status_overrides": {"campaigns": {}})")),
              HasSubstr("demo.json: /instances/0/status_overrides/campaigns: unknown property "
                        "\"campaigns\"; known properties: campaign, opportunity, participant, "
                        "step (additionalProperties)"));
}

TEST_F(ConfigTest, RepeatedKeyIsRejected) {
  EXPECT_EQ(error_of(one_instance(R"("batch_size": 5, "batch_size": 0)")),
            "demo.json: /instances/0/batch_size: property \"batch_size\" is written twice; keep "
            "one (duplicate key)");
}

// Rules checked in code.

TEST_F(ConfigTest, DuplicateInstanceNamePointsAtTheSecondUse) {
  EXPECT_EQ(error_of(R"({"instances": [{"name": "demo", "plugin": "a"},
                                       {"name": "other", "plugin": "a"},
                                       {"name": "demo", "plugin": "b"}]})"),
            "demo.json: /instances/2/name: instance name \"demo\" is already used at "
            "/instances/0/name; each instance needs its own name (unique names)");
}

TEST_F(ConfigTest, OverrideToNonCanonicalStatusNamesEntryAndAllowedValues) {
  EXPECT_EQ(error_of(one_instance(R"("status_overrides": {"campaign": {"Live": "running"}})")),
            "demo.json: /instances/0/status_overrides/campaign/Live: \"running\" is not a "
            "canonical campaign status; use one of draft, scheduled, testing, active, paused, "
            "completed, cancelled, failed (canonical status)");
}

// API tokens: only their SHA-256 is kept; in the file, a token is a ${env:} or ${file:}
// reference or its hash, never the token itself.
TEST_F(ConfigTest, ApiTokensAreKeptAsTheirHashes) {
  set_env("HUB_TEST_TOKEN", "s3cret-token");
  const std::string hash(
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");  // sha256("test")
  const Config config = parse_config(R"({"serve": {"tokens": [
      {"name": "ana", "role": "manager", "token": "${env:HUB_TEST_TOKEN}"},
      {"name": "bo", "role": "viewer", "sha256": ")" +
                                         hash + R"("}]}})",
                                     "demo.json");
  ASSERT_EQ(config.serve.tokens.size(), 2u);
  EXPECT_EQ(config.serve.tokens[0].name, "ana");
  EXPECT_EQ(config.serve.tokens[0].role, Role::manager);
  EXPECT_EQ(config.serve.tokens[0].sha256, token_digest("s3cret-token"));
  EXPECT_EQ(config.serve.tokens[1].role, Role::viewer);
  EXPECT_EQ(config.serve.tokens[1].sha256, token_digest("test"));
  EXPECT_EQ(config.redact("s3cret-token"), "***");  // a resolved token is a secret to redact
}

TEST_F(ConfigTest, ATokenWrittenInTheFileIsRefused) {
  EXPECT_EQ(error_of(R"({"serve": {"tokens": [{"name": "ana", "role": "manager",
                                                 "token": "s3cret-token"}]}})"),
            "demo.json: /serve/tokens/0/token: a token is a secret: write ${env:NAME} or "
            "${file:/path}, or its sha256 (campaign-hub tokens hash), never the token itself "
            "(secret)");
  EXPECT_THAT(error_of(R"({"serve": {"tokens": [{"name": "ana", "role": "viewer"}]}})"),
              HasSubstr("/serve/tokens/0: give the token as \"token\""));
  EXPECT_THAT(error_of(R"({"serve": {"tokens": [
      {"name": "ana", "role": "viewer", "token": "${env:A}"},
      {"name": "ana", "role": "manager", "token": "${env:B}"}]}})"),
              HasSubstr("/serve/tokens/1/name: \"ana\" names two tokens"));
  EXPECT_THAT(error_of(R"({"serve": {"tokens": [{"name": "ana", "role": "admin",
                                                 "token": "${env:A}"}]}})"),
              HasSubstr("/serve/tokens/0/role"));
}

TEST_F(ConfigTest, WhenMissingMustBeACanonicalStatusOfItsEntity) {
  EXPECT_EQ(error_of(one_instance(R"("status_when_missing": {"participant": "on_hold"})")),
            "demo.json: /instances/0/status_when_missing/participant: \"on_hold\" is not a "
            "canonical participant status; use one of pending, active, paused, completed, "
            "removed (canonical status)");
}

TEST_F(ConfigTest, OverrideIsCheckedAgainstItsOwnEntity) {
  // "on_hold" is canonical for opportunities, not for participants.
  EXPECT_THAT(error_of(one_instance(R"("status_overrides": {"opportunity": {"Hold": "on_hold"},
                                                           "participant": {"Hold": "on_hold"}})")),
              HasSubstr("/instances/0/status_overrides/participant/Hold: \"on_hold\" is not a "
                        "canonical participant status"));
}

TEST_F(ConfigTest, OverrideKeyWithSlashIsEscapedInThePointer) {
  EXPECT_THAT(error_of(one_instance(R"("status_overrides": {"step": {"Done/OK": "ok"}})")),
              HasSubstr("/instances/0/status_overrides/step/Done~1OK:"));
}

// Secrets.

TEST_F(ConfigTest, EnvPlaceholderIsResolvedAndRecorded) {
  set_env("HUB_TEST_TOKEN", "tok-123");
  set_env("HUB_TEST_DB_PASS", "pw-456");
  const Config config = parse_config(R"({
    "database": {"url": "postgresql://hub:${env:HUB_TEST_DB_PASS}@db/hub"},
    "instances": [{"name": "demo", "plugin": "connect",
                   "settings": {"token": "${env:HUB_TEST_TOKEN}", "list": ["${env:HUB_TEST_TOKEN}"]}}]
  })",
                                     "demo.json");
  EXPECT_EQ(config.database_url, "postgresql://hub:pw-456@db/hub");
  EXPECT_EQ(config.instances[0].settings_json, R"({"token":"tok-123","list":["tok-123"]})");
  EXPECT_THAT(config.secrets, ::testing::UnorderedElementsAre("pw-456", "tok-123"));
}

TEST_F(ConfigTest, MissingEnvVarNamesVariableAndPointerButNoSecret) {
  set_env("HUB_TEST_SET", "value-that-is-secret");
  ::unsetenv("HUB_TEST_UNSET");
  // The config loads; only the instance whose secret is missing carries the error.
  const Config config = parse_config(R"({"instances": [
    {"name": "a", "plugin": "p", "settings": {"key": "${env:HUB_TEST_SET}"}},
    {"name": "b", "plugin": "p", "settings": {"key": "x-${env:HUB_TEST_UNSET}"}}]})",
                                     "demo.json");
  EXPECT_EQ(config.instances[0].secret_error, "");
  const std::string& message = config.instances[1].secret_error;
  EXPECT_THAT(message, HasSubstr("demo.json: /instances/1/settings/key: environment variable "
                                 "HUB_TEST_UNSET is not set"));
  EXPECT_THAT(message, Not(HasSubstr("value-that-is-secret")));
  EXPECT_EQ(config.instances[0].settings_json, R"({"key":"value-that-is-secret"})");
}

TEST_F(ConfigTest, AMissingDatabaseSecretStillFailsTheWholeConfig) {
  ::unsetenv("HUB_TEST_UNSET");
  EXPECT_THAT(
      error_of(R"({"database": {"url": "postgresql://host=db password=${env:HUB_TEST_UNSET}"}})"),
      HasSubstr("demo.json: /database/url: environment variable HUB_TEST_UNSET is not set"));
}

TEST_F(ConfigTest, FilePlaceholderReadsFileWithoutTrailingNewline) {
  const fs::path secret = write("secrets/api-key", "key-789\n");
  const Config config =
      parse_config(one_instance(R"("settings": {"api_key": "${file:)" + secret.string() + "}\"}"),
                   dir_ / "demo.json");
  EXPECT_EQ(config.instances[0].settings_json, R"({"api_key":"key-789"})");
  EXPECT_EQ(config.secrets, std::vector<std::string>{"key-789"});
}

TEST_F(ConfigTest, RelativeSecretFileIsTakenFromTheConfigFolder) {
  write("conf/secrets/api-key", "key-rel\r\n");
  const fs::path file =
      write("conf/demo.json", one_instance(R"("settings": {"k": "${file:secrets/api-key}"})"));
  EXPECT_EQ(load_config(file).instances[0].settings_json, R"({"k":"key-rel"})");
}

TEST_F(ConfigTest, UnreadableSecretFileNamesPathAndPointer) {
  const std::string missing = (dir_ / "nope").string();
  EXPECT_EQ(error_of(one_instance(R"("http": {"user_agent": "${file:)" + missing + "}\"}")),
            "demo.json: /instances/0/http/user_agent: cannot read secret file " + missing +
                ": No such file or directory (${file:...})");
}

// The http object is the HTTP connector's: checked when the config loads, not at the first run,
// with the pointer from the config's root.
TEST_F(ConfigTest, HttpObjectIsCheckedWhenTheConfigLoads) {
  EXPECT_EQ(error_of(one_instance(R"("http": {"timeout_seconds": 30})")),
            "demo.json: /instances/0/http/timeout_seconds: unknown property \"timeout_seconds\"; "
            "known properties: base_url, auth, headers, timeouts, retries, rate_limit, "
            "max_in_flight, max_response_bytes, compression, tls, user_agent "
            "(additionalProperties)");
  EXPECT_EQ(error_of(one_instance(R"("http": {"retries": {"base_delay_ms": 900,
                                                            "max_delay_ms": 100}})")),
            "demo.json: /instances/0/http/retries/max_delay_ms: must be at least "
            "retries.base_delay_ms (900) (base_delay_ms <= max_delay_ms)");
  EXPECT_EQ(error_of(one_instance(R"("http": {"auth": {"type": "bearer"}})")),
            "demo.json: /instances/0/http/auth: auth type bearer needs token (required)");
}

TEST_F(ConfigTest, HttpSecretsAreCheckedAsStandInsAndNeverQuoted) {
  setenv("CAMPAIGN_HUB_TEST_URL", "ftp://not-http", 1);
  const Config config =
      parse_config(one_instance(R"("http": {"base_url": "${env:CAMPAIGN_HUB_TEST_URL}",
                               "auth": {"type": "bearer", "token": "${env:CAMPAIGN_HUB_TEST_URL}"}})"),
                   "demo.json");
  EXPECT_EQ(config.instances[0].http_json,
            R"({"base_url":"ftp://not-http","auth":{"type":"bearer","token":"ftp://not-http"}})");
  unsetenv("CAMPAIGN_HUB_TEST_URL");
}

// A FIFO blocked the hub for ever (nobody writes to it); a device could feed it without end.
TEST_F(ConfigTest, SecretFileMustBeARegularFile) {
  const std::string fifo = (dir_ / "secret.fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error_of(one_instance(R"("settings": {"token": "${file:)" + fifo + "}\"}")),
            "demo.json: /instances/0/settings/token: cannot read secret file " + fifo +
                ": it is a FIFO; a secret must be a regular file (${file:...})");
  EXPECT_THAT(error_of(one_instance(R"("settings": {"token": "${file:/dev/zero}"})")),
              HasSubstr("cannot read secret file /dev/zero: it is a device"));
  EXPECT_THAT(error_of(one_instance(R"("settings": {"token": "${file:)" + dir_.string() + "}\"}")),
              HasSubstr("it is a folder"));
}

TEST_F(ConfigTest, UnterminatedPlaceholderIsAnError) {
  EXPECT_EQ(error_of(R"({"database": {"url": "${env:DB"}})"),
            "demo.json: /database/url: unterminated placeholder ${env:...; close it with '}'");
}

TEST_F(ConfigTest, DoubledDollarWritesAPlaceholderLiterally) {
  const Config config = parse_config(
      one_instance(R"("settings": {"template": "$${env:HOME} and ${page} stay"})"), "demo.json");
  EXPECT_EQ(config.instances[0].settings_json, R"({"template":"${env:HOME} and ${page} stay"})");
  EXPECT_TRUE(config.secrets.empty());
}

TEST_F(ConfigTest, SecretValueNeverAppearsInAnErrorLaterInTheFile) {
  // The same value is used as a secret and, later, as the bad value of a checked field.
  set_env("HUB_TEST_TOKEN", "hunter2-secret");
  const std::string base = R"({"instances": [
    {"name": "a", "plugin": "p", "settings": {"token": "${env:HUB_TEST_TOKEN}"}},
    {"name": "b", "plugin": "p", )";
  for (const std::string& tail : {
           std::string(R"("settings": {"x": 1}, "batch_size": 0}]})"),
           std::string(R"("settings": "${env:HUB_TEST_TOKEN}"}]})"),
           std::string(R"("default_initiative": "${env:HUB_TEST_TOKEN}", "colour": 1}]})"),
           std::string(R"("status_overrides": {"step": {"x": "${env:HUB_TEST_TOKEN}"}}}]})"),
       }) {
    const std::string message = error_of(base + tail);
    EXPECT_THAT(message, HasSubstr("/instances/1")) << message;
    EXPECT_THAT(message, Not(HasSubstr("hunter2-secret"))) << message;
  }
  // Errors raised after loading, such as a plugin rejecting its settings, go through redact().
  const Config config = parse_config(base + R"("settings": {}}]})", "demo.json");
  EXPECT_EQ(config.redact("/token: \"hunter2-secret\" is not a valid token"),
            "/token: \"***\" is not a valid token");
}

TEST_F(ConfigTest, PlaceholderInFixedVocabularyIsRejectedUnresolved) {
  set_env("HUB_TEST_LEVEL", "debug");
  EXPECT_THAT(error_of(R"({"logging": {"level": "${env:HUB_TEST_LEVEL}"}})"),
              HasSubstr("/logging/level: must be one of"));
}

// Paths.

TEST_F(ConfigTest, RelativePluginDirIsTakenFromTheConfigFolder) {
  const fs::path file = write("conf/demo.json", R"({"plugin_dir": "../plugins/"})");
  EXPECT_EQ(load_config(file).plugin_dir, (dir_ / "plugins").lexically_normal());
}

TEST_F(ConfigTest, PluginDirFromRelativeConfigPathIsMadeAbsolute) {
  const Config config = parse_config(R"({"plugin_dir": "plugins"})", "conf/demo.json");
  EXPECT_TRUE(config.plugin_dir.is_absolute());
  EXPECT_EQ(config.plugin_dir, (fs::current_path() / "conf/plugins").lexically_normal());
}

TEST_F(ConfigTest, RelativeSqlitePathStaysAsWritten) {
  const fs::path file = write("conf/demo.json", R"({"database": {"url": "sqlite3://db=rel.db"}})");
  EXPECT_EQ(load_config(file).database_url, "sqlite3://db=rel.db");
}

// Reading the file.

TEST_F(ConfigTest, ParseErrorGivesLineAndColumn) {
  const fs::path file = write("demo.json",
                              "{\n  \"logging\": {\n    \"level\": \"info\"\n"
                              "    \"format\": \"text\"\n  }\n}\n");
  try {
    load_config(file);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() +
                                         ":4:5: Missing a comma or '}' after an object member. "
                                         "(JSON syntax)");
  }
}

TEST_F(ConfigTest, MissingFileSaysCannotOpen) {
  const fs::path file = dir_ / "absent.json";
  try {
    load_config(file);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ": cannot open: No such file or directory");
  }
}

// The schema is the reference documentation: it is compiled in and describes every property.

void expect_described(const rapidjson::Value& schema, const std::string& pointer) {
  if (!schema.IsObject()) {
    return;
  }
  if (auto properties = schema.FindMember("properties"); properties != schema.MemberEnd()) {
    for (const auto& property : properties->value.GetObject()) {
      const std::string at = pointer + "/" + property.name.GetString();
      EXPECT_TRUE(property.value.HasMember("description")) << at << " has no description";
      expect_described(property.value, at);
    }
  }
  if (auto items = schema.FindMember("items"); items != schema.MemberEnd()) {
    expect_described(items->value, pointer + "/items");
  }
}

TEST_F(ConfigTest, CompiledSchemaDescribesEveryProperty) {
  rapidjson::Document schema;
  schema.Parse(config_schema().data(), config_schema().size());
  ASSERT_FALSE(schema.HasParseError());
  EXPECT_STREQ(schema["$schema"].GetString(), "http://json-schema.org/draft-04/schema#");
  expect_described(schema, "");
}

}  // namespace
}  // namespace hub
