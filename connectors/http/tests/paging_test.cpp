#include "connectors/http/paging.h"

#include <gtest/gtest.h>

namespace connectors::http::paging {
namespace {

TEST(NextLink, FindsTheNextRelationAmongOthers) {
  EXPECT_EQ(next_link(R"(<https://x/i?page=1>; rel="first", <https://x/i?page=3>; rel="next")"),
            "https://x/i?page=3");
}

TEST(NextLink, ReadsUnquotedAndMultiValuedRelations) {
  EXPECT_EQ(next_link("<https://x/a>; rel=next"), "https://x/a");
  EXPECT_EQ(next_link(R"(<https://x/b>; title="x"; rel="prefetch next")"), "https://x/b");
  EXPECT_EQ(next_link(R"(<https://x/c?a=1,2>; REL="Next")"), "https://x/c?a=1,2");
}

TEST(NextLink, NoNextMeansLastPage) {
  EXPECT_EQ(next_link(R"(<https://x/i?page=1>; rel="first", <https://x/i?page=9>; rel="last")"),
            std::nullopt);
  EXPECT_EQ(next_link(""), std::nullopt);
  EXPECT_THROW(next_link("<https://x/unclosed; rel=next"), PagingError);
}

TEST(StringAt, ReadsCursorsAndNextUrlsByPointer) {
  EXPECT_EQ(string_at(R"({"next_cursor": "abc"})", "/next_cursor"), "abc");
  EXPECT_EQ(string_at(R"({"paging": {"next": "/v1/x?c=2"}})", "/paging/next"), "/v1/x?c=2");
  EXPECT_EQ(string_at(R"({"next_cursor": null})", "/next_cursor"), std::nullopt);
  EXPECT_EQ(string_at(R"({"data": []})", "/next_cursor"), std::nullopt);
  EXPECT_EQ(string_at(R"({"next_page_token": ""})", "/next_page_token"), std::nullopt);
  EXPECT_EQ(string_at(R"({"cursor": 42})", "/cursor"), "42");
}

TEST(StringAt, RejectsMalformedBodiesAndWrongTypes) {
  EXPECT_THROW(string_at(R"({"data": [{"id": "a"}, {"id": )", "/next_cursor"), PagingError);
  EXPECT_THROW(string_at(R"({"next_cursor": {"a": 1}})", "/next_cursor"), PagingError);
  try {
    string_at(R"({"data": [)", "/next_cursor");
    FAIL();
  } catch (const PagingError& e) {
    EXPECT_NE(std::string(e.what()).find("offset"), std::string::npos) << e.what();
  }
}

TEST(IntegerAt, ReadsNumbersAndIntegersWrittenAsText) {
  rapidjson::Document body;
  body.Parse(R"({"total": 263, "text": "263", "signed": "-4", "fraction": "2.5", "word": "many",
                "empty": "", "huge": "99999999999999999999"})");
  EXPECT_EQ(integer_at(body, "/total"), 263);
  EXPECT_EQ(integer_at(body, "/text"), 263);
  EXPECT_EQ(integer_at(body, "/signed"), -4);
  EXPECT_EQ(integer_at(body, "/absent"), std::nullopt);
  for (const char* pointer : {"/fraction", "/word", "/empty", "/huge"})
    EXPECT_THROW(integer_at(body, pointer), PagingError) << pointer;
}

TEST(Offsets, ContinueUntilTheTotalOrAnEmptyPage) {
  EXPECT_EQ(next_offset(0, 10, 23), 10);
  EXPECT_EQ(next_offset(20, 3, 23), std::nullopt);
  EXPECT_EQ(next_offset(10, 0, 23), std::nullopt);  // a shrinking total cannot loop us
  EXPECT_EQ(next_page(1, 3, 100), 2);
  EXPECT_EQ(next_page(3, 3, 100), std::nullopt);
  EXPECT_EQ(next_page(2, 3, 0), std::nullopt);
}

TEST(WithQuery, SetsOrReplacesAParameterPercentEncoded) {
  EXPECT_EQ(with_query("/v1/x", "cursor", "a b/c"), "/v1/x?cursor=a%20b%2Fc");
  EXPECT_EQ(with_query("/v1/x?limit=5&cursor=old", "cursor", "new"), "/v1/x?limit=5&cursor=new");
  EXPECT_EQ(with_query("https://h/p?a=1#frag", "b", "2"), "https://h/p?a=1&b=2#frag");
}

}  // namespace
}  // namespace connectors::http::paging
