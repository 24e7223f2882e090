// A NUL byte or invalid UTF-8 in a record: on PostgreSQL it failed the whole batch, and every
// later run the same way, while SQLite stored the bytes. Now the record is quarantined naming
// its field, on every backend alike, and the quarantine row itself is stored.
#include <string>

#include <gtest/gtest.h>

#include "hub/model/utf8.h"
#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "hub/store/record_store.h"
#include "hub/store/run_log.h"
#include "hub/sync/record_sink.h"
#include "hub/sync/run_recorder.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

using namespace std::string_literals;

TEST(UnstorableText, NamesTheFirstBadByte) {
  EXPECT_EQ(unstorable_text("Équipe ✓ 🚀"), std::nullopt);
  EXPECT_EQ(unstorable_text("ab\0c"s), "contains a NUL character at byte 2");
  EXPECT_EQ(unstorable_text("Ren\xC3"), "is not valid UTF-8 at byte 3 (0xC3)");
  EXPECT_EQ(unstorable_text("\xC0\xAF"), "is not valid UTF-8 at byte 0 (0xC0)");      // overlong
  EXPECT_EQ(unstorable_text("\xED\xA0\x80"), "is not valid UTF-8 at byte 0 (0xED)");  // surrogate
  EXPECT_EQ(unstorable_text("\xF4\x90\x80\x80"), "is not valid UTF-8 at byte 0 (0xF4)");
  EXPECT_EQ(storable_text("a\0b\xFFz"s),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBDz");
  EXPECT_EQ(storable_text("Équipe"), "Équipe");
}

// Long ASCII runs are read a word at a time: a NUL or a bad byte at any offset of any word,
// after accents or not, is still found and named where it is.
TEST(UnstorableText, FindsABadByteAtEveryOffsetOfALongText) {
  for (const std::string& prefix : {""s, "Università "s}) {
    for (std::size_t at = 0; at < 40; ++at) {
      std::string text = prefix + std::string(48, 'a');
      EXPECT_EQ(unstorable_text(text), std::nullopt);
      const std::size_t where = prefix.size() + at;
      text[where] = '\0';
      EXPECT_EQ(unstorable_text(text), "contains a NUL character at byte " + std::to_string(where));
      text[where] = '\xFF';
      EXPECT_EQ(unstorable_text(text),
                "is not valid UTF-8 at byte " + std::to_string(where) + " (0xFF)");
      text[where] = '\x7F';  // DEL is ASCII, and storable
      EXPECT_EQ(unstorable_text(text), std::nullopt);
    }
  }
}

class UnstorableTextTest : public ::testing::TestWithParam<std::string> {};

campaign_hub::Opportunity opportunity(std::string id, std::string status = "Open") {
  campaign_hub::Opportunity record;
  record.external_id = std::move(id);
  record.title = "Opportunité";
  record.status = std::move(status);
  record.raw = "{}";
  return record;
}

TEST_P(UnstorableTextTest, QuarantinedNamingTheFieldOnEveryBackend) {
  test_support::BackendDatabase backend(GetParam());
  Database database(backend.url());
  migrate(database);
  const std::int64_t run = RunLog(database).begin("crm", false, false);
  ASSERT_TRUE(Leases(database).acquire("crm", run, lease_deadline()).acquired);
  RecordStore store(database, "crm");
  store.ensure_default_initiative("Default Initiative");
  Normalizer normalizer(StatusTable().add("opportunity", "Open", "active"), "rest-json", "crm",
                        "Default Initiative");
  RecordSink sink(normalizer, 100,
                  [&](const Batch& batch) { return store.write(batch, run, lease_deadline()); });

  sink.opportunity(opportunity("o-1"));
  auto nul = opportunity("o-2");
  nul.title = "Ti\0tle"s;
  sink.opportunity(nul);
  auto latin1 = opportunity("o-3");
  latin1.contact_name = "Ren\xE9";  // Latin-1, not UTF-8
  sink.opportunity(latin1);
  sink.opportunity(opportunity("o-4", "Ouvert\xFF"));  // an unknown status, quoted in the reason
  sink.finish();

  long long stored = 0;
  database.session() << "SELECT COUNT(*) FROM opportunities", soci::into(stored);
  EXPECT_EQ(stored, 1);
  soci::rowset<soci::row> rows = database.session().prepare
                                 << "SELECT external_id, field, reason, record "
                                    "FROM quarantine ORDER BY external_id";
  std::vector<std::vector<std::string>> quarantined;
  for (const auto& row : rows) {
    quarantined.push_back({row.get<std::string>(0), row.get<std::string>(1),
                           row.get<std::string>(2), row.get<std::string>(3)});
  }
  ASSERT_EQ(quarantined.size(), 3u);
  EXPECT_EQ(quarantined[0][1], "title");
  EXPECT_EQ(quarantined[0][2], "title contains a NUL character at byte 2");
  EXPECT_NE(quarantined[0][3].find(R"("title":"Ti\u0000tle")"), std::string::npos)
      << quarantined[0][3];
  EXPECT_EQ(quarantined[1][1], "contact_name");
  EXPECT_EQ(quarantined[1][2], "contact_name is not valid UTF-8 at byte 3 (0xE9)");
  EXPECT_NE(quarantined[1][3].find("Ren\xEF\xBF\xBD"), std::string::npos) << quarantined[1][3];
  EXPECT_EQ(quarantined[2][1], "status");
  EXPECT_EQ(quarantined[2][2].find("unknown opportunity status 'Ouvert\xEF\xBF\xBD'"), 0u)
      << quarantined[2][2];
}

INSTANTIATE_TEST_SUITE_P(Backends, UnstorableTextTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
