#include "plugins/file-import/file_import.h"

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"

namespace file_import {
namespace {

namespace fs = std::filesystem;
using campaign_hub::LogLevel;
using campaign_hub::test_doubles::FakeHost;
using campaign_hub::test_doubles::RecordedReject;
using campaign_hub::test_doubles::RecordingEmitter;

// Each test gets its own folder of files to import, and a host whose settings point at it.
class FileImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    folder_ = fs::temp_directory_path() /
              ("file-import-" + std::to_string(::getpid()) + "-" + test->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    use_settings("");
  }
  void TearDown() override { fs::remove_all(folder_); }

  void write(const std::string& name, const std::string& content) {
    std::ofstream(folder_ / name, std::ios::binary) << content;
  }
  std::string path(const std::string& name) const { return (folder_ / name).string(); }

  // `more` is the rest of the settings object after "folder", e.g. R"(,"kind":"scouting")".
  void use_settings(const std::string& more) {
    host_.settings_text = R"({"folder":")" + folder_.string() + "\"" + more + "}";
  }

  RecordingEmitter run() {
    RecordingEmitter emitter;
    FileImport().read(host_, emitter);
    return emitter;
  }

  // The next run starts from the last cursor `previous` checkpointed.
  RecordingEmitter run_after(const RecordingEmitter& previous) {
    host_.cursors[std::string(cursor_stream)] = previous.last_cursor(cursor_stream).value();
    return run();
  }

  std::string run_error() {
    try {
      run();
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    ADD_FAILURE() << "read did not throw";
    return {};
  }

  bool logged(LogLevel level, const std::string& text) const {
    for (const auto& line : host_.log.lines) {
      if (line.level == level && line.message.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  fs::path folder_;
  FakeHost host_;
};

TEST_F(FileImportTest, CsvCampaignsAreReadThroughTheColumnMap) {
  write("campaigns.csv",
        "Ref,Campaign title,State,Budget (EUR),Review date,Manager email\n"
        "C-1,Battery recycling scouting,On-going,15000,2026-04-30,anna.muller@inpart.io\n");
  use_settings(R"(,"columns":{"campaign":{"external_id":"Ref","name":"Campaign title",)"
               R"j("status":"State","budget":"Budget (EUR)","review_by":"Review date"}})j");

  const auto emitted = run();

  ASSERT_EQ(emitted.campaigns.size(), 1u);
  const auto& campaign = emitted.campaigns[0];
  EXPECT_EQ(campaign.external_id, "C-1");
  EXPECT_EQ(campaign.name, "Battery recycling scouting");
  EXPECT_EQ(campaign.status, "On-going");
  EXPECT_EQ(campaign.budget, 15000.0);
  EXPECT_EQ(campaign.review_by, "2026-04-30");
  EXPECT_EQ(campaign.manager_email, "anna.muller@inpart.io");  // same name, no map needed
  EXPECT_EQ(campaign.kind, "partner");                         // the default kind
  EXPECT_EQ(campaign.owner, std::nullopt);
  EXPECT_EQ(campaign.raw,
            R"({"Ref":"C-1","Campaign title":"Battery recycling scouting","State":"On-going",)"
            R"j("Budget (EUR)":"15000","Review date":"2026-04-30",)j"
            R"("Manager email":"anna.muller@inpart.io"})");
}

TEST_F(FileImportTest, RawKeepsEveryColumnIncludingUnmappedAndQuotedOnes) {
  write("opportunities.csv",
        "External ID,Title,Notes,\n"
        "O-1,\"Sensor, low power\",\"two\nlines\",x\n");

  const auto emitted = run();

  ASSERT_EQ(emitted.opportunities.size(), 1u);
  EXPECT_EQ(emitted.opportunities[0].title, "Sensor, low power");
  EXPECT_EQ(emitted.opportunities[0].raw,
            R"({"External ID":"O-1","Title":"Sensor, low power","Notes":"two\nlines",)"
            R"("column 4":"x"})");
}

TEST_F(FileImportTest, NdjsonOpportunitiesKeepTheLineAsRaw) {
  const std::string line =
      R"({"id":"O-7","campaign":"C-1","title":"Enzyme platform","organisation":"Université Laval",)"
      R"("amount":125000.50,"currency":"CAD","probability":40,"status":"Active","contact_email":null})";
  write("opportunities.ndjson", "\n" + line + "\r\n\n");
  use_settings(R"(,"columns":{"opportunity":{"external_id":"id","campaign_id":"campaign"}})");

  const auto emitted = run();

  ASSERT_EQ(emitted.opportunities.size(), 1u);
  const auto& opportunity = emitted.opportunities[0];
  EXPECT_EQ(opportunity.external_id, "O-7");
  EXPECT_EQ(opportunity.campaign_id, "C-1");
  EXPECT_EQ(opportunity.organisation, "Université Laval");
  EXPECT_EQ(opportunity.amount, 125000.5);
  EXPECT_EQ(opportunity.currency, "CAD");
  EXPECT_EQ(opportunity.probability, 40.0);
  EXPECT_EQ(opportunity.status, "Active");
  EXPECT_EQ(opportunity.contact_email, std::nullopt);
  EXPECT_EQ(opportunity.raw, line);
}

TEST_F(FileImportTest, NdjsonNumbersAndBooleansFillTextFieldsAsWritten) {
  write("campaigns.jsonl", R"({"external_id":123,"name":true,"budget":"2500","spend":1e3})"
                           "\n");

  const auto emitted = run();

  ASSERT_EQ(emitted.campaigns.size(), 1u);
  EXPECT_EQ(emitted.campaigns[0].external_id, "123");
  EXPECT_EQ(emitted.campaigns[0].name, "true");
  EXPECT_EQ(emitted.campaigns[0].budget, 2500.0);
  EXPECT_EQ(emitted.campaigns[0].spend, 1000.0);
}

TEST_F(FileImportTest, NdjsonLineThatIsNotJsonFailsNamingFileAndLine) {
  write("campaigns.ndjson", "{\"external_id\":\"C-1\"}\n{\"external_id\":00123}\n");
  EXPECT_EQ(run_error(), path("campaigns.ndjson") +
                             " line 2: not valid JSON at column 17: Missing a comma or '}' after "
                             "an object member. (nothing of the file was imported)");
}

TEST_F(FileImportTest, FileNamesAndFilesRulesSplitCampaignsFromOpportunities) {
  write("Campaigns 2026.csv", "external_id\nC-1\n");
  write("opportunities-march.csv", "external_id\nO-1\n");
  write("leads.csv", "external_id\nO-2\n");
  write("notes.csv", "external_id\nX-1\n");
  write("readme.txt", "not matched by the default pattern\n");
  use_settings(R"(,"files":[{"match":"leads*","entity":"opportunity"}])");

  const auto emitted = run();

  std::vector<std::string> records;
  for (const auto& event : emitted.events) {
    if (!event.starts_with("checkpoint")) {
      records.push_back(event);
    }
  }
  EXPECT_EQ(records,
            (std::vector<std::string>{"campaign C-1", "opportunity O-2", "opportunity O-1"}));
  EXPECT_TRUE(logged(LogLevel::warn, path("notes.csv") + ": skipped, its entity is unknown"));
  EXPECT_EQ(emitted.last_cursor(cursor_stream)->find("notes.csv"), std::string::npos);
}

TEST_F(FileImportTest, CheckpointsAfterEachFileInNameOrder) {
  write("opportunities.csv", "external_id\nO-1\nO-2\n");
  write("campaigns.csv", "external_id\nC-1\n");

  const auto emitted = run();

  ASSERT_EQ(emitted.events.size(), 5u);
  EXPECT_EQ(emitted.events[0], "campaign C-1");
  EXPECT_EQ(emitted.events[1].rfind("checkpoint files {\"campaigns.csv\":", 0), 0u);
  EXPECT_EQ(emitted.events[2], "opportunity O-1");
  EXPECT_EQ(emitted.events[3], "opportunity O-2");
  EXPECT_EQ(emitted.events[4].rfind("checkpoint files {\"campaigns.csv\":", 0), 0u);
  EXPECT_NE(emitted.events[4].find(",\"opportunities.csv\":\""), std::string::npos);
  EXPECT_TRUE(logged(LogLevel::info, path("campaigns.csv") + ": 1 campaign imported"));
  EXPECT_TRUE(logged(LogLevel::info, path("opportunities.csv") + ": 2 opportunities imported"));
}

TEST_F(FileImportTest, CursorNamesEachFileWithItsContentHash) {
  write("campaigns.csv", "external_id\nC-1\n");
  const auto emitted = run();
  // FNV-1a 64 of the file's bytes.
  EXPECT_EQ(emitted.last_cursor(cursor_stream), R"({"campaigns.csv":"f0f294b59e09f8bf"})")
      << "if the hash changed on purpose, every file is imported once more";
}

TEST_F(FileImportTest, SecondRunWithTheCursorSkipsImportedFiles) {
  write("campaigns.csv", "external_id\nC-1\n");
  write("opportunities.ndjson", "{\"external_id\":\"O-1\"}\n");
  const auto first = run();

  const auto second = run_after(first);

  EXPECT_TRUE(second.events.empty());
  EXPECT_TRUE(logged(LogLevel::info,
                     path("campaigns.csv") + ": already imported with this content, skipped"));
  EXPECT_TRUE(logged(LogLevel::info, path("opportunities.ndjson") + ": already imported"));
}

TEST_F(FileImportTest, ChangedFileIsImportedAgain) {
  write("campaigns.csv", "external_id,status\nC-1,Draft\n");
  write("opportunities.csv", "external_id\nO-1\n");
  const auto first = run();
  write("campaigns.csv", "external_id,status\nC-1,On-going\nC-2,Draft\n");

  const auto second = run_after(first);

  EXPECT_EQ(second.campaigns.size(), 2u);
  EXPECT_EQ(second.campaigns[0].status, "On-going");
  EXPECT_TRUE(second.opportunities.empty());
  ASSERT_EQ(second.checkpoints.size(), 1u);
  EXPECT_NE(second.checkpoints[0].cursor, first.checkpoints.back().cursor);
  EXPECT_NE(second.checkpoints[0].cursor.find("\"opportunities.csv\""), std::string::npos);
}

TEST_F(FileImportTest, CursorForgetsFilesNoLongerInTheFolder) {
  write("campaigns-1.csv", "external_id\nC-1\n");
  write("campaigns-2.csv", "external_id\nC-2\n");
  const auto first = run();
  fs::remove(folder_ / "campaigns-1.csv");

  const auto second = run_after(first);

  EXPECT_TRUE(second.campaigns.empty());
  ASSERT_EQ(second.checkpoints.size(), 1u);
  EXPECT_EQ(second.checkpoints[0].cursor.find("campaigns-1.csv"), std::string::npos);
  EXPECT_NE(second.checkpoints[0].cursor.find("campaigns-2.csv"), std::string::npos);
}

TEST_F(FileImportTest, MalformedFileImportsNothingOfItselfAndEarlierFilesStayImported) {
  write("campaigns-a.csv", "external_id\nC-1\n");
  write("campaigns-b.csv", "external_id,name\nC-2,ok\nC-3,\"never closed\n");
  write("campaigns-c.csv", "external_id\nC-4\n");
  RecordingEmitter emitter;

  try {
    FileImport().read(host_, emitter);
    FAIL() << "read did not throw";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              path("campaigns-b.csv") +
                  " line 3: field 2: the quote that opens it is never closed (a quote inside a "
                  "quoted field must be doubled: \"\") (nothing of the file was imported)");
  }
  // All or nothing: C-2, the good row before the bad line, was not emitted (it was stored
  // before, and read again on every run that failed).
  ASSERT_EQ(emitter.campaigns.size(), 1u);
  EXPECT_EQ(emitter.campaigns[0].external_id, "C-1");
  ASSERT_EQ(emitter.checkpoints.size(), 1u);
  EXPECT_EQ(emitter.checkpoints[0].cursor.rfind("{\"campaigns-a.csv\":", 0), 0u);
  EXPECT_EQ(emitter.checkpoints[0].cursor.find("campaigns-b.csv"), std::string::npos);
}

TEST_F(FileImportTest, RowWithTooManyFieldsFailsNamingFileAndLine) {
  write("opportunities.csv", "external_id,title\r\nO-1,a\r\nO-2,b,c\r\n");
  EXPECT_EQ(run_error(), path("opportunities.csv") +
                             " line 3: the row has more fields than the header (line 1), "
                             "which has 2 (nothing of the file was imported)");
}

// A line nested 150,000 deep (300 KB) overflowed the parser's stack: now the run fails
// naming the file and the line, and the process lives.
TEST_F(FileImportTest, AnNdjsonLineNestedTooDeepFailsNamingTheLine) {
  write("opportunities.ndjson", "{\"external_id\":\"O-1\"}\n{\"x\":" + std::string(150000, '[') +
                                    std::string(150000, ']') + "}\n");
  EXPECT_EQ(run_error(), path("opportunities.ndjson") +
                             " line 2: the line is nested deeper than 256 levels (at byte 260), "
                             "past column 261 (nothing of the file was imported)");
}

TEST_F(FileImportTest, NdjsonLineThatIsNotAnObjectFailsNamingFileAndLine) {
  write("opportunities.ndjson", "{\"external_id\":\"O-1\"}\n\n[1,2]\n");
  EXPECT_EQ(run_error(),
            path("opportunities.ndjson") +
                " line 3: each line must be a JSON object (nothing of the file was imported)");
}

TEST_F(FileImportTest, MappedColumnMissingFromTheHeaderIsAnError) {
  write("campaigns.csv", "id,name\nC-1,x\n");
  use_settings(R"(,"columns":{"campaign":{"external_id":"Campaign ID"}})");
  EXPECT_EQ(
      run_error(),
      path("campaigns.csv") +
          " line 1: no column 'Campaign ID' (settings "
          "columns.campaign.external_id); the header has 'id', 'name' (nothing of the file was "
          "imported)");
}

TEST_F(FileImportTest, FileWithoutAnIdColumnIsAnError) {
  write("campaigns.csv", "name\nx\n");
  EXPECT_EQ(run_error(),
            path("campaigns.csv") +
                " line 1: no column for external_id; name it in settings "
                "columns.campaign.external_id (the header has 'name') (nothing of the file was "
                "imported)");
}

// `12k EUR` is not guessed, and not stored as a blank either (issue 15): the row goes to
// quarantine under the field, with the file, line, column and text.
TEST_F(FileImportTest, ARowWithANonNumericValueIsQuarantinedUnderItsField) {
  write("opportunities.csv",
        "External ID,Amount,Probability\n"
        "O-1,12000,50\n"
        "O-2,12k EUR,\n"
        "O-3,\"1,200\",45%\n");

  const auto emitted = run();

  ASSERT_EQ(emitted.opportunities.size(), 1u);
  EXPECT_EQ(emitted.opportunities[0].amount, 12000.0);
  ASSERT_EQ(emitted.rejects.size(), 2u);
  EXPECT_EQ(emitted.rejects[0],
            (RecordedReject{"opportunity", "O-2", "amount",
                            "opportunities.csv line 3, column 'Amount': '12k EUR' is not a number",
                            R"({"External ID":"O-2","Amount":"12k EUR","Probability":""})"}));
  EXPECT_EQ(emitted.rejects[1].reason,
            "opportunities.csv line 4, column 'Amount': '1,200' is not a number (and 1 more "
            "cells of the row)");
  ASSERT_GE(emitted.events.size(), 3u);
  EXPECT_EQ(emitted.events[0], "opportunity O-1");
  EXPECT_EQ(emitted.events[1], "reject opportunity O-2 amount");
  EXPECT_EQ(emitted.events[2], "reject opportunity O-3 amount");
}

TEST_F(FileImportTest, RowWithoutAnIdIsStillEmittedForTheHubToQuarantine) {
  write("opportunities.csv", "external_id,title\n,Orphan\n");
  const auto emitted = run();
  ASSERT_EQ(emitted.opportunities.size(), 1u);
  EXPECT_EQ(emitted.opportunities[0].external_id, "");
  EXPECT_EQ(emitted.opportunities[0].title, "Orphan");
}

TEST_F(FileImportTest, SemicolonSpreadsheetWithBomAndCrlf) {
  write("campaigns.csv",
        "\xEF\xBB\xBF"
        "External ID;Name;Kind;Budget\r\nC-1;\"Biotech; Europe\";scouting;900\r\n");
  use_settings(R"(,"delimiter":";","kind":"email")");

  const auto emitted = run();

  ASSERT_EQ(emitted.campaigns.size(), 1u);
  EXPECT_EQ(emitted.campaigns[0].external_id, "C-1");
  EXPECT_EQ(emitted.campaigns[0].name, "Biotech; Europe");
  EXPECT_EQ(emitted.campaigns[0].kind, "scouting");  // the file's kind wins over the setting
  EXPECT_EQ(emitted.campaigns[0].budget, 900.0);
}

TEST_F(FileImportTest, PatternLimitsWhichFilesAreImported) {
  write("campaigns.csv", "external_id\nC-1\n");
  write("campaigns.ndjson", "{\"external_id\":\"C-2\"}\n");
  write(".campaigns-hidden.csv", "external_id\nC-3\n");
  use_settings(R"(,"pattern":"*.CSV")");

  const auto emitted = run();

  ASSERT_EQ(emitted.campaigns.size(), 1u);
  EXPECT_EQ(emitted.campaigns[0].external_id, "C-1");
}

// A link in the drop folder to /etc/passwd was read, and its first line echoed into the
// run's error. Only links to regular files of the folder itself are followed.
TEST_F(FileImportTest, LinksOutOfTheFolderAreNeverRead) {
  namespace fs = std::filesystem;
  const fs::path outside = folder_.parent_path() / (folder_.filename().string() + "-outside.csv");
  std::ofstream(outside) << "secret_column\ntop secret\n";
  fs::create_symlink(outside, folder_ / "opportunities-stolen.csv");
  fs::create_symlink("/etc/passwd", folder_ / "campaigns-passwd.csv");
  write("campaigns.csv", "external_id,name,status\nC-1,Spring,Active\n");
  fs::create_symlink(folder_ / "campaigns.csv", folder_ / "campaigns-again.csv");

  auto emitted = run();
  // The link inside the folder is read like any file; the two leading out are not.
  EXPECT_EQ(emitted.campaigns.size(), 2u);
  EXPECT_TRUE(emitted.opportunities.empty());
  EXPECT_TRUE(logged(LogLevel::warn, path("opportunities-stolen.csv") +
                                         ": a link to a file outside the folder; not read"));
  EXPECT_TRUE(logged(LogLevel::warn, path("campaigns-passwd.csv") +
                                         ": a link to a file outside the folder; not read"));
  for (const auto& line : host_.log.lines) {
    EXPECT_EQ(line.message.find("root:"), std::string::npos) << line.message;
    EXPECT_EQ(line.message.find("top secret"), std::string::npos) << line.message;
  }
  fs::remove(outside);
}

TEST_F(FileImportTest, EmptyFolderEmitsNothing) {
  const auto emitted = run();
  EXPECT_TRUE(emitted.events.empty());
}

TEST_F(FileImportTest, MissingFolderFailsTheRun) {
  host_.settings_text = R"({"folder":"/nonexistent/file-import"})";
  EXPECT_EQ(run_error(), "folder /nonexistent/file-import does not exist (settings.folder)");
}

TEST_F(FileImportTest, CheckCountsTheFilesToImport) {
  write("campaigns.csv", "external_id\nC-1\n");
  write("opportunities.csv", "external_id\nO-1\n");
  write("opportunities-2.ndjson", "{\"external_id\":\"O-2\"}\n");

  const auto result = FileImport().check(host_);

  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.message, "folder " + folder_.string() + ": 3 files to import (2 csv, 1 ndjson)");
}

TEST_F(FileImportTest, CheckLeavesOutImportedFilesAndNamesUnknownOnes) {
  write("campaigns.csv", "external_id\nC-1\n");
  const auto first = run();
  write("opportunities.csv", "external_id\nO-1\n");
  write("notes.csv", "external_id\nX-1\n");
  host_.cursors[std::string(cursor_stream)] = first.last_cursor(cursor_stream).value();

  const auto result = FileImport().check(host_);

  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.message, "folder " + folder_.string() +
                                ": 1 file to import (1 csv, 0 ndjson), 1 already imported; 1 "
                                "file skipped, entity unknown: notes.csv");
}

TEST_F(FileImportTest, CheckFailsForAMissingFolderOrBadSettings) {
  host_.settings_text = R"({"folder":"/nonexistent/file-import"})";
  const auto missing = FileImport().check(host_);
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.message, "folder /nonexistent/file-import does not exist (settings.folder)");

  host_.settings_text = R"({"pattern":"*.csv"})";
  const auto bad = FileImport().check(host_);
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.message, R"(settings: missing required property "folder" (required))");
}

TEST(FileImportDemoData, EveryDemoRowImportsAndEveryStatusIsMapped) {
  FakeHost host(R"({"folder":")" CAMPAIGN_HUB_SOURCE_DIR R"(/config/demo-data"})");
  RecordingEmitter emitted;

  FileImport().read(host, emitted);

  EXPECT_EQ(emitted.campaigns.size(), 6u);
  EXPECT_GE(emitted.opportunities.size(), 35u);
  for (const auto& line : host.log.lines) {
    EXPECT_NE(line.level, LogLevel::warn) << line.message;
  }
  auto mapped = [](std::string_view entity, const campaign_hub::Text& status) {
    for (std::size_t i = 0; i < descriptor.status_map_size; ++i) {
      if (entity == descriptor.status_map[i].entity &&
          status == descriptor.status_map[i].provider) {
        return true;
      }
    }
    return false;
  };
  std::set<std::string> campaign_ids;
  for (const auto& campaign : emitted.campaigns) {
    EXPECT_TRUE(mapped("campaign", campaign.status)) << campaign.external_id;
    campaign_ids.insert(campaign.external_id);
  }
  for (const auto& opportunity : emitted.opportunities) {
    EXPECT_TRUE(mapped("opportunity", opportunity.status)) << opportunity.external_id;
    EXPECT_TRUE(campaign_ids.contains(opportunity.campaign_id.value_or("")))
        << opportunity.external_id;
    EXPECT_TRUE(opportunity.amount.has_value()) << opportunity.external_id;
  }
}

}  // namespace
}  // namespace file_import
