// connect-scouting's page parser: the bytes are the body of every page the feed answers, as
// the HTTP connector hands it over. ConnectScouting::read parses and maps each page whole
// (campaigns, then opportunities from a saved cursor, so the tie rule runs too) and fails the
// run with a std::runtime_error naming the stream, page and URL; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "plugins/connect-scouting/connect_scouting.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  if (!fuzz::connector_hands_over(body))
    return 0;
  fuzz::PagesHttp http(std::move(body), 4);
  campaign_hub::test_doubles::FakeHost host(R"({"page_size": 100})");
  host.http_connector = &http;
  host.cursors["opportunities"] =
      R"({"updated_at": "2026-03-02T08:15:00Z", "ids": ["opp_1", "opp_2"]})";
  campaign_hub::test_doubles::RecordingEmitter emit;
  try {
    connect_scouting::ConnectScouting().read(host, emit);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
