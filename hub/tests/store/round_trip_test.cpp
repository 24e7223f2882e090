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

// The fields of the seeds come back as written, and SQL reaches into `attributes` with the
// backend's own JSON functions: JSONB on PostgreSQL, JSON on MySQL/MariaDB, json_extract on
// SQLite's text.
TEST_P(RoundTripTest, SeedFieldsAndAttributesAreStoredAndQueryable) {
  campaign_hub::Campaign c;
  c.external_id = "IM-311";
  c.status = "activated";
  c.budget = 50000;
  c.currency = "EUR";
  c.attributes = R"({"journey":{"events":3,"root":"segment"}})";
  campaign_hub::Opportunity o;
  o.external_id = "opp_31c9";
  o.campaign_id = "IM-311";
  o.status = "Active";
  o.summary = "Lab-scale film, 40 µm";
  o.country = "FR";
  o.readiness_level = 4;
  o.attachment_count = 2;
  o.owner = "dana.roe@provider.example";
  o.attributes = R"({"pipeline":"default","hs_priority":"high","amount_home":1200.5,"tags":["a"]})";
  campaign_hub::Participant p;
  p.external_id = "P-1";
  p.campaign_id = "IM-311";
  p.status = "Active";
  p.attributes = R"({"reminders_sent":2})";
  p.updated_at = "2026-02-11T13:22:09.5Z";
  campaign_hub::Step st;
  st.external_id = "S-1";
  st.participant_id = "P-1";
  st.status = "Done";
  st.executed_at = "2026-03-04T10:02:00.125Z";
  st.attributes = R"({"motif":"Relance contrat"})";
  campaign_hub::Metrics m;
  m.campaign_id = "IM-311";
  m.deals_won = 3;

  Batch batch;
  batch.records = {to_canonical(c, Value("active")), to_canonical(o, Value("active"), "Imported"),
                   to_canonical(p, Value("active")), to_canonical(st, Value("done")),
                   to_canonical(m)};
  RecordStore store(database_, kInstance);
  store.write(batch, 1, kFuture);

  EXPECT_EQ(query_one("SELECT summary, country, readiness_level, attachment_count, owner "
                      "FROM opportunities"),
            (Row{"Lab-scale film, 40 µm", "FR", "4", "2", "dana.roe@provider.example"}));
  EXPECT_EQ(query_one("SELECT currency FROM campaigns"), Row{"EUR"});
  EXPECT_EQ(query_one("SELECT executed_at FROM steps"), Row{"2026-03-04T10:02:00.125Z"});
  EXPECT_EQ(query_one("SELECT deals_won FROM metrics_snapshots"), Row{"3"});
  EXPECT_EQ(query_one("SELECT provider_updated_at FROM participants"),
            Row{"2026-02-11T13:22:09.5Z"});

  // One spelling per backend of "the text at this path"; numbers compare as numbers.
  auto text_at = [&](const std::string& column, const std::string& path) {
    switch (database_.dialect()) {
      case Dialect::sqlite3:
        return "json_extract(" + column + ", '$." + path + "')";
      case Dialect::postgresql: {
        std::string pg = column;
        for (std::size_t start = 0, dot = 0; dot != std::string::npos; start = dot + 1) {
          dot = path.find('.', start);
          pg += (dot == std::string::npos ? "->>'" : "->'") + path.substr(start, dot - start) + "'";
        }
        return pg;
      }
      case Dialect::mysql:
        break;
    }
    return "JSON_UNQUOTE(JSON_EXTRACT(" + column + ", '$." + path + "'))";
  };
  EXPECT_EQ(query_one("SELECT external_id FROM opportunities WHERE " +
                      text_at("attributes", "pipeline") + " = 'default'"),
            Row{"opp_31c9"});
  EXPECT_EQ(query_one("SELECT COUNT(*) FROM opportunities WHERE " +
                      text_at("attributes", "pipeline") + " = 'sales'"),
            Row{"0"});
  EXPECT_EQ(query_one("SELECT " + text_at("attributes", "journey.root") + " FROM campaigns"),
            Row{"segment"});
  EXPECT_EQ(query_one("SELECT " + text_at("attributes", "reminders_sent") + " FROM participants"),
            Row{"2"});
  EXPECT_EQ(query_one("SELECT " + text_at("attributes", "motif") + " FROM steps"),
            Row{"Relance contrat"});
  // A record with no attributes has NULL there, so the path finds nothing.
  EXPECT_EQ(query_one("SELECT COUNT(*) FROM campaigns WHERE attributes IS NULL"), Row{"0"});

  auto again = store.write(batch, 1, kFuture);
  EXPECT_EQ(again.unchanged, 5);  // the same metrics figures make no second snapshot
  EXPECT_EQ(again.inserted + again.updated, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, RoundTripTest, ::testing::ValuesIn(test_support::kBackends),
                         test_support::backend_test_name);

}  // namespace
}  // namespace hub
