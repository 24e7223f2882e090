// Mailchimp's list webhook bodies (webhooks.md, 2) as the plugin reads them: an HTML form with
// PHP-style keys.
#include "plugins/mailchimp/list_webhooks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mailchimp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ListWebhooks, ACampaignEventAsMailchimpPostsIt) {
  // webhooks.md's example, form-encoded as Mailchimp sends it.
  const ListEvent event = parse_list_event(
      "type=campaign&fired_at=2026-03-26+21%3A31%3A21&data%5Bid%5D=5aa2102003&data%5Bsubject%5D="
      "Spring+launch+%26+more&data%5Bstatus%5D=sent&data%5Breason%5D=&data%5Blist_id%5D="
      "a6b5da1054");
  EXPECT_EQ(event.type, "campaign");
  EXPECT_EQ(event.fired_at, "2026-03-26 21:31:21");
  EXPECT_EQ(event.get("id"), "5aa2102003");
  EXPECT_EQ(event.get("subject"), "Spring launch & more");
  EXPECT_EQ(event.get("status"), "sent");
  EXPECT_EQ(event.get("reason"), std::nullopt) << "an empty value says nothing";
  EXPECT_EQ(event.get("campaign_id"), std::nullopt);
}

TEST(ListWebhooks, NestedKeysAndUnescapedBracketsReadTheSame) {
  const ListEvent event = parse_list_event(
      "type=unsubscribe&data[action]=unsub&data[reason]=manual&data[campaign_id]=4fjk2ma9xd&"
      "data[email]=api%2Buser%40mailchimp.com&data[merges][EMAIL]=api%2Buser%40mailchimp.com&"
      "data[merges][INTERESTS]=Group1%2CGroup2");
  EXPECT_EQ(event.type, "unsubscribe");
  EXPECT_EQ(event.get("campaign_id"), "4fjk2ma9xd");
  EXPECT_EQ(event.get("email"), "api+user@mailchimp.com") << "%2B is a plus, + a space";
  EXPECT_EQ(event.get("merges.EMAIL"), "api+user@mailchimp.com");
  EXPECT_EQ(event.get("merges.INTERESTS"), "Group1,Group2");
}

TEST(ListWebhooks, ABodyThatIsNotAListWebhookIsRefusedWithoutQuotingIt) {
  try {
    parse_list_event(R"({"type": "campaign"})");
    FAIL() << "a JSON body has no type field";
  } catch (const ListEventError& error) {
    EXPECT_STREQ(error.what(), "the body has no 'type' field: not a Mailchimp list webhook");
  }
  try {
    parse_list_event("type=cleaned&data%5Bemail%5D=someone%4Gexample.com");
    FAIL() << "a malformed escape";
  } catch (const ListEventError& error) {
    EXPECT_THAT(error.what(), HasSubstr("field 2 has a '%' that is not followed"));
    EXPECT_THAT(error.what(), Not(HasSubstr("someone")));
  }
  EXPECT_THROW(parse_list_event(""), ListEventError);
  EXPECT_THROW(parse_list_event("type=cleaned&data=%"), ListEventError);
}

}  // namespace
}  // namespace mailchimp
