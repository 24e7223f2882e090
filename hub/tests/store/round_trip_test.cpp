// What goes in comes back, byte for byte, on every backend: UTC times, UTF-8 text with
// accents and emoji, decimals, and integers up to the ends of a 64-bit BIGINT.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hub/model/time.h"
#include "hub/store/leases.h"
#include "hub/store/migrations.h"
#include "hub/store/record_store.h"
#include "hub/store/row_values.h"
#include "tests/db-servers/backend_database.h"

namespace hub {
namespace {

using Row = std::vector<Value>;

constexpr const char* kInstance = "connect-prod";
constexpr const char* kFuture = "2999-01-01T00:00:00Z";

class RoundTripTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    migrate(database_);
    ASSERT_TRUE(Leases(database_).acquire(kInstance, 1, kFuture).acquired);
  }

  Row query_one(const std::string& sql) {
    soci::rowset<soci::row> rows = database_.session().prepare << sql;
    for (const auto& row : rows) {
      Row values;
      for (std::size_t i = 0; i < row.size(); ++i)
        values.push_back(column_text(row, i));
      return values;
    }
    return {};
  }

  test_support::BackendDatabase backend_{GetParam()};
  Database database_{backend_.url()};
};

TEST_P(RoundTripTest, TextTimesDecimalsAndLargeIntegersComeBackIdentical) {
  campaign_hub::Campaign c;
  c.external_id = "C-é🚀";
  c.name = "Campagne d'été à Zürich — naïve Ærø 🚀🎉 漢字";
  c.description = "Ligne 1\nLigne 2\t« guillemets » \"quotes\" \\ backslash, 100 % ; -- not SQL";
  c.status = "En cours d'exécution";
  c.start = "2026-03-01T08:30:00Z";
  c.end = "2026-03-01T08:30:00.250Z";
  c.review_by = "2026-12-31";
  c.budget = 1234567.89;
  c.spend = 0.1;
  c.expected_responses = 9007199254740992;        // 2^53
  c.opportunity_count = 9223372036854775807;      // int64 max
  c.connection_count = -9223372036854775807 - 1;  // int64 min
  c.target_count = 0;
  campaign_hub::Opportunity o;
  o.external_id = "O-1";
  o.campaign_id = c.external_id;
  o.title = "😀 émoji first";
  o.amount = 9007199254740992.0;  // 2^53, exact in a double
  o.probability = 0.1;
  o.currency = "EUR";
  o.submitted_at = "1970-01-01T00:00:00Z";

  Batch batch;
  batch.records = {to_canonical(c, Value("active")), to_canonical(o, Value("active"), "Imported")};
  RecordStore store(database_, kInstance);
  store.write(batch, 1, kFuture);

  EXPECT_EQ(query_one("SELECT external_id, name, description, raw_status, start_at, end_at, "
                      "review_by, budget, spend, expected_responses, opportunity_count, "
                      "connection_count, target_count FROM campaigns"),
            (Row{"C-é🚀", "Campagne d'été à Zürich — naïve Ærø 🚀🎉 漢字",
                 "Ligne 1\nLigne 2\t« guillemets » \"quotes\" \\ backslash, 100 % ; -- not SQL",
                 "En cours d'exécution", "2026-03-01T08:30:00Z", "2026-03-01T08:30:00.250Z",
                 "2026-12-31", "1234567.89", "0.1", "9007199254740992", "9223372036854775807",
                 "-9223372036854775808", "0"}));
  EXPECT_EQ(query_one("SELECT campaign_external_id, title, amount, probability, submitted_at "
                      "FROM opportunities"),
            (Row{"C-é🚀", "😀 émoji first", "9007199254740992", "0.1", "1970-01-01T00:00:00Z"}));
  // Keys compare exactly: an accent or an emoji is not folded into another key.
  EXPECT_EQ(query_one("SELECT COUNT(*) FROM campaigns WHERE external_id = 'C-e🚀'"), Row{"0"});

  // Read back, the same record hashes the same: the second write changes nothing.
  auto again = store.write(batch, 1, kFuture);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(again.inserted + again.updated, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RoundTripTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
