// mailchimp's body parsers: the bytes are a body as the HTTP connector hands it over, read as a
// page of GET /campaigns, a GET /campaigns/{id}, a GET /reports/{id} answer and a problem+json
// error; and as a list webhook's form body, as the hub hands a pushed request over.
// ResponseError and ListEventError answer a body the plugin cannot read; anything else is a
// bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "plugins/mailchimp/campaign_records.h"
#include "plugins/mailchimp/list_webhooks.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (!fuzz::connector_hands_over(body))
    return 0;
  try {
    const mailchimp::CampaignPage page =
        mailchimp::parse_campaign_page(body, "GET campaigns?count=1000&offset=0");
    for (const auto& listed : page.campaigns) {
      if (listed.record.external_id.empty() && listed.record.raw.empty())
        fuzz::broken_promise("mailchimp-page", "a listed campaign came with neither id nor raw");
    }
  } catch (const mailchimp::ResponseError&) {
  }
  try {
    (void)mailchimp::parse_report(body, "58d6d094d5", "GET reports/58d6d094d5");
  } catch (const mailchimp::ResponseError&) {
  }
  try {
    (void)mailchimp::parse_campaign(body, "GET campaigns/58d6d094d5");
  } catch (const mailchimp::ResponseError&) {
  }
  try {
    const mailchimp::ListEvent event = mailchimp::parse_list_event(body);
    if (event.type.empty())
      fuzz::broken_promise("mailchimp-page", "a list event came without its type");
  } catch (const mailchimp::ListEventError&) {
  }
  (void)mailchimp::problem_message(body, 404);
  (void)mailchimp::epoch_seconds(body.substr(0, 64));
  return 0;
}
