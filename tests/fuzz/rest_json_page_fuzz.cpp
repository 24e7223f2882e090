// rest-json's page reader: byte 0 names a built-in preset ('a'rtis, 'b'ntouch, 'c'lover,
// 'i'nteractive-medica; any other byte modulo 4), the rest is the body of every page the
// provider answers, as the HTTP connector hands it over. StreamReader::read_all reads each
// stream of the preset (paging, nested records, child streams, records that do not fit) and
// fails the run with a std::runtime_error naming the stream and URL; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "plugins/rest-json/mapping.h"
#include "plugins/rest-json/stream_reader.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

struct Preset {
  rest_json::Settings settings;
  rest_json::Mapping mapping;
};

// The presets, compiled once: compiling is the mapping target's, reading pages is this one's.
const std::vector<Preset>& presets() {
  static const std::vector<Preset> all = [] {
    std::vector<Preset> compiled;
    for (const char* name : {"artis", "bntouch", "clover", "interactive-medica"}) {
      rest_json::Settings settings;
      settings.preset = name;
      rest_json::Mapping mapping = rest_json::mapping_for(settings);
      compiled.push_back({std::move(settings), std::move(mapping)});
    }
    return compiled;
  }();
  return all;
}

const Preset& preset_for(std::uint8_t byte) {
  switch (byte) {
    case 'a':
      return presets()[0];
    case 'b':
      return presets()[1];
    case 'c':
      return presets()[2];
    case 'i':
      return presets()[3];
    default:
      return presets()[byte % presets().size()];
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const Preset& preset = preset_for(data[0]);
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (!fuzz::connector_hands_over(body))
    return 0;
  fuzz::PagesHttp http(std::move(body), 6);
  campaign_hub::test_doubles::FakeHost host;
  host.http_connector = &http;
  campaign_hub::test_doubles::RecordingEmitter emit;
  try {
    rest_json::StreamReader(preset.mapping, preset.settings, host, &emit).read_all();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
