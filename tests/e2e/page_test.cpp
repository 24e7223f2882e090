// The account managers' page in a real browser (headless chromium through chromedriver), as a
// person uses it: against a hub holding the demo data (the eight demo instances synced from the
// provider simulator, plus one spreadsheet row with a status nobody mapped yet), served by
// `campaign-hub ui` with a token. The person logs in, reads the cards (counts checked against
// the API), opens a campaign (its history checked against the API), and replays the quarantine
// after the status was mapped. A screenshot of each page, at laptop and phone widths, is saved
// under the build folder (screenshots/) for review. Every process is started by this test on a
// free port and killed when it ends, however it ends.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "connectors/text/hex.h"
#include "hub/config/config.h"
#include "tests/e2e/hub_process.h"
#include "tests/e2e/webdriver.h"

namespace {

namespace fs = std::filesystem;
using test_support::ScopedProcess;
using test_support::WebDriver;

constexpr const char* kToken = "page-test-token-4f1c";

class PageTest : public test_support::HubProcessTest {
 protected:
  void SetUp() override {
    HubProcessTest::SetUp();
    screenshots_ = fs::path(CAMPAIGN_HUB_BINARY_DIR) / "screenshots";
    fs::create_directories(screenshots_);
    fs::remove(screenshots_ / "failure.png");
    start_simulator();
    write_demo_configs();
    // The first sync leaves the "Parked" row in quarantine: exit code 1. The provider then
    // changes its campaigns (some change status), and a second sync gives them a history.
    ASSERT_EQ(wait_for(start(unmapped_, {"sync"}, dir_ / "sync.out")), 1)
        << read(dir_ / "sync.out");
    httplib::Client sim("127.0.0.1", sim_port_);
    auto touched = sim.Post("/_sim/touch", R"({"table": "connect.campaigns", "fraction": 1})",
                            "application/json");
    ASSERT_TRUE(touched && touched->status == 200);
    // (The spreadsheet did not change: its kept row stays where it is, in quarantine.)
    const int again = wait_for(start(unmapped_, {"sync"}, dir_ / "again.out"));
    ASSERT_TRUE(again == 0 || again == 1) << read(dir_ / "again.out");
    start_ui();
  }

  void start_simulator() {
    const fs::path log = dir_ / "sim.out";
    pid_t pid = fork();
    if (pid == 0) {
      FILE* file = std::fopen(log.c_str(), "w");
      dup2(fileno(file), STDOUT_FILENO);
      dup2(fileno(file), STDERR_FILENO);
      execl(CAMPAIGN_HUB_PROVIDER_SIM, "provider-sim", "--port", "0", "--campaigns", "12",
            "--opportunities", "300", nullptr);
      _exit(127);
    }
    simulator_ = std::make_unique<ScopedProcess>(pid);
    ASSERT_TRUE(eventually([&] { return read(log).find("listening on") != std::string::npos; }))
        << read(log);
    const std::string said = read(log);
    sim_port_ = std::stoi(said.substr(said.find("127.0.0.1:") + 10));
  }

  // config/demo.json as it is, pointed at this test's simulator, database and spreadsheets
  // (the demo's own, plus a row whose status no one mapped), with a manager's token; the
  // second config maps that status, as an operator would before replaying.
  void write_demo_configs() {
    const fs::path data = dir_ / "demo-data";
    fs::create_directories(data);
    for (const auto& file :
         fs::directory_iterator(fs::path(CAMPAIGN_HUB_SOURCE_DIR) / "config" / "demo-data"))
      fs::copy_file(file.path(), data / file.path().filename());
    std::ofstream(data / "opportunities.csv", std::ios::app)
        << "OPP-19999,C-2026-001,Mycelium foam corners,Aalto University,Aino Virtanen,"
           "aino.virtanen@aalto.fi,Parked,30000,EUR,10,2026-02-01T09:00:00+02:00,"
           "2026-02-02T09:00:00+02:00\n";

    std::ifstream in(fs::path(CAMPAIGN_HUB_SOURCE_DIR) / "config" / "demo.json");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    for (std::size_t at; (at = text.find("127.0.0.1:8787")) != std::string::npos;)
      text.replace(at, 14, "127.0.0.1:" + std::to_string(sim_port_));
    rapidjson::Document config;
    config.Parse(text.c_str());
    ASSERT_TRUE(config.IsObject());
    auto& a = config.GetAllocator();
    const auto set = [&](rapidjson::Value& object, const char* key, const std::string& value) {
      rapidjson::Value v(value.c_str(), a);
      if (object.HasMember(key))
        object[key] = v;
      else
        object.AddMember(rapidjson::Value(key, a), v, a);
    };
    set(config["database"], "url", url("hub.db"));
    set(config, "plugin_dir", CAMPAIGN_HUB_PLUGIN_DIR);
    set(config["logging"], "level", "warn");
    if (!config.HasMember("serve"))
      config.AddMember("serve", rapidjson::Value(rapidjson::kObjectType), a);
    auto& serve = config["serve"];
    set(serve, "listen", "127.0.0.1:0");
    rapidjson::Value tokens(rapidjson::kArrayType);
    rapidjson::Value token(rapidjson::kObjectType);
    token.AddMember("name", "ana", a);
    token.AddMember("role", "manager", a);
    token.AddMember(
        "sha256", rapidjson::Value(connectors::text::hex(hub::token_digest(kToken)).c_str(), a), a);
    tokens.PushBack(token, a);
    serve.RemoveMember("tokens");
    serve.AddMember("tokens", tokens, a);
    for (auto& instance : config["instances"].GetArray()) {
      if (std::string(instance["name"].GetString()) == "partner-spreadsheets")
        set(instance["settings"], "folder", data.string());
    }
    unmapped_ = write_text("unmapped.json", to_text(config));
    for (auto& instance : config["instances"].GetArray()) {
      if (std::string(instance["name"].GetString()) != "partner-spreadsheets")
        continue;
      rapidjson::Document overrides;
      overrides.Parse(R"({"opportunity": {"Parked": "on_hold"}})");
      instance.AddMember("status_overrides", rapidjson::Value(overrides, a), a);
    }
    mapped_ = write_text("mapped.json", to_text(config));
  }

  static std::string to_text(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
  }

  void start_ui() {
    ui_ = std::make_unique<ScopedProcess>(start(mapped_, {"ui"}, dir_ / "ui.out"));
    ASSERT_TRUE(eventually([&] {
      return read(dir_ / "ui.out").find("listening on http://127.0.0.1:") != std::string::npos;
    })) << read(dir_ / "ui.out");
    const std::string said = read(dir_ / "ui.out");
    const auto at = said.find("listening on http://127.0.0.1:") + 30;
    ui_port_ = std::stoi(said.substr(at));
    base_ = "http://127.0.0.1:" + std::to_string(ui_port_);
  }

  void TearDown() override {
    // What the browser showed when the test failed, for whoever reads the failure.
    if (HasFailure() && browser_) {
      try {
        browser_->screenshot(screenshots_ / "failure.png");
        std::cerr << "the page said: "
                  << browser_->run("return document.body.innerText.slice(0, 1500);")
                  << "\n(screenshots/failure.png)\n";
      } catch (const std::exception& error) {
        std::cerr << "no screenshot of the failure: " << error.what() << "\n";
      }
    }
    browser_.reset();
    ui_.reset();
    simulator_.reset();
    HubProcessTest::TearDown();
  }

  // The API's answer, asked with the token.
  rapidjson::Document api(const std::string& path) {
    httplib::Client client("127.0.0.1", ui_port_);
    client.set_read_timeout(20, 0);
    auto result = client.Get(path, {{"Authorization", std::string("Bearer ") + kToken}});
    rapidjson::Document body;
    if (!result) {
      ADD_FAILURE() << "GET " << path << ": no answer";
      return body;
    }
    body.Parse(result->body.c_str());
    EXPECT_EQ(result->status, 200) << path << ": " << result->body;
    return body;
  }

  void log_in(WebDriver& browser) {
    browser.open(base_ + "/");
    const auto form = browser.find("[data-testid=login]");
    browser.type(browser.find("[data-testid=login] input[type=password]"), kToken);
    browser.click(browser.find("[data-testid=login] button[type=submit]"));
    browser.wait_until_ready();
    EXPECT_TRUE(browser.find_all("[data-testid=login]").empty() ||
                browser.attribute(form, "hidden") == "true");
  }

  fs::path screenshots_;
  std::unique_ptr<WebDriver> browser_;
  std::unique_ptr<ScopedProcess> simulator_;
  std::unique_ptr<ScopedProcess> ui_;
  int sim_port_ = 0;
  int ui_port_ = 0;
  std::string base_;
  fs::path unmapped_;
  fs::path mapped_;
};

TEST_F(PageTest, CardsDetailAndReplayAsAPersonUsesThem) {
  browser_ = std::make_unique<WebDriver>(1366, 900);
  WebDriver& browser = *browser_;
  browser.open(base_ + "/");
  browser.find("[data-testid=login]");
  browser.screenshot(screenshots_ / "login.png");
  log_in(browser);

  // The cards: one per campaign, grouped by canonical status, each group's count as the API
  // says. Every campaign of the demo is listed (a page of 1000 holds them all).
  browser.find("[data-testid=campaign-card]");
  auto campaigns = api("/api/v1/campaigns?limit=1000");
  std::map<std::string, int> by_status;
  for (const auto& item : campaigns["items"].GetArray())
    ++by_status[item["status"].GetString()];
  ASSERT_FALSE(by_status.empty());
  while (browser.find_all("[data-testid=load-more]").size() > 0) {
    browser.click(browser.find("[data-testid=load-more]"));
    browser.wait_until_ready();
  }
  EXPECT_EQ(browser.find_all("[data-testid=campaign-card]").size(), campaigns["items"].Size());
  for (const auto& [status, count] : by_status) {
    SCOPED_TRACE(status);
    const auto group = browser.find("[data-testid=status-group][data-status=" + status + "]");
    const auto counted = browser.find("[data-testid=status-group][data-status=" + status +
                                      "] [data-testid=group-count]");
    EXPECT_NE(browser.text(counted).find(std::to_string(count)), std::string::npos)
        << browser.text(counted);
    EXPECT_EQ(browser
                  .find_all("[data-testid=status-group][data-status=" + status +
                            "] [data-testid=campaign-card]")
                  .size(),
              static_cast<std::size_t>(count));
    (void)group;
  }
  browser.screenshot(screenshots_ / "campaigns-laptop.png");
  browser.resize(390, 844);
  browser.wait_until_ready();
  browser.screenshot(screenshots_ / "campaigns-phone.png");
  browser.resize(1366, 900);

  // A campaign whose status changed: its history as the API has it, its funnel adding up.
  std::string instance, id;
  std::size_t history_size = 0;
  for (const auto& item : campaigns["items"].GetArray()) {
    auto detail = api(std::string("/api/v1/campaigns/") + item["instance"].GetString() + "/" +
                      item["external_id"].GetString());
    if (detail["history"].Size() > history_size &&
        detail["campaign"]["opportunities"].GetInt64() > 0) {
      history_size = detail["history"].Size();
      instance = item["instance"].GetString();
      id = item["external_id"].GetString();
    }
  }
  ASSERT_GT(history_size, 0u);
  browser.open(base_ + "/#/campaign/" + instance + "/" + id);
  browser.wait_until_ready();
  browser.find("[data-testid=history]");
  EXPECT_EQ(browser.find_all("[data-testid=history-item]").size(), history_size);
  auto detail = api("/api/v1/campaigns/" + instance + "/" + id);
  std::int64_t in_funnel = 0;
  for (const auto& row : browser.find_all("[data-testid=funnel-row]"))
    in_funnel += std::stoll(browser.attribute(row, "data-count"));
  EXPECT_EQ(in_funnel, detail["campaign"]["opportunities"].GetInt64());
  browser.find("[data-testid=opportunities-table]");
  browser.screenshot(screenshots_ / "campaign-detail-laptop.png");
  browser.resize(390, 844);
  browser.wait_until_ready();
  browser.screenshot(screenshots_ / "campaign-detail-phone.png");
  browser.resize(1366, 900);

  browser.open(base_ + "/#/runs");
  browser.wait_until_ready();
  browser.screenshot(screenshots_ / "runs.png");

  // The quarantine: the unmapped row, with its reason; replay stores it now that the status is
  // mapped, and it leaves the list.
  browser.open(base_ + "/#/quarantine");
  browser.wait_until_ready();
  const auto rows = browser.find_all("[data-testid=quarantine-row]");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(browser.text(rows.front()).find("Parked"), std::string::npos)
      << browser.text(rows.front());
  browser.screenshot(screenshots_ / "quarantine.png");
  browser.click(browser.find("[data-testid=replay]"));
  const auto result = browser.find("[data-testid=replay-result]");
  ASSERT_TRUE(eventually([&] { return browser.text(result).find("1 stored") != std::string::npos; },
                         std::chrono::seconds(60)))
      << browser.text(result);
  browser.wait_until_ready();
  EXPECT_TRUE(eventually([&] { return browser.find_all("[data-testid=quarantine-row]").empty(); },
                         std::chrono::seconds(10)));
  browser.screenshot(screenshots_ / "quarantine-replayed.png");
  EXPECT_EQ(count("hub.db",
                  "SELECT COUNT(*) FROM opportunities WHERE external_id = 'OPP-19999' AND "
                  "status = 'on_hold'"),
            1);

  browser.open(base_ + "/#/export");
  browser.wait_until_ready();
  browser.screenshot(screenshots_ / "export.png");
}

}  // namespace
