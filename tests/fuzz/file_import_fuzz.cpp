// file-import's file reader: byte 0 says how the file is read (bit 0: NDJSON, else CSV; bit 1:
// opportunities, else campaigns; bits 2-3: the CSV delimiter , ; tab |), so '0' is a campaign
// CSV, '1' campaign NDJSON, '2' opportunity CSV, '3' opportunity NDJSON, '4' a campaign CSV with
// ';'. The rest is the file, written to a temporary folder and read by import_file, which emits
// a record per row or fails with a std::runtime_error naming the file and line before emitting
// anything; anything else is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include "campaign_hub/test_doubles/fake_host.h"
#include "campaign_hub/test_doubles/recording_emitter.h"
#include "plugins/file-import/file_reader.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;

// One folder per fuzzing process, removed when it exits.
const fs::path& folder() {
  static const fs::path path = [] {
    fs::path made = fs::temp_directory_path() / ("file-import-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(made);
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(folder(), ignored);
    });
    return made;
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const std::uint8_t how = data[0];
  file_import::ImportFile file;
  file.format = (how & 1) != 0 ? file_import::FileFormat::ndjson : file_import::FileFormat::csv;
  file.entity = (how & 2) != 0 ? file_import::Entity::opportunity : file_import::Entity::campaign;
  file.name = std::string((how & 2) != 0 ? "opportunities" : "campaigns") +
              ((how & 1) != 0 ? ".ndjson" : ".csv");
  file.path = folder() / file.name;
  file_import::Settings settings = file_import::parse_settings(R"({"folder": "."})");
  settings.folder = folder();
  settings.delimiter = ",;\t|"[(how >> 2) & 3];
  {
    std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
    if (!out)
      fuzz::broken_promise("file-import", "cannot write " + file.path.string());
  }
  campaign_hub::test_doubles::RecordingEmitter emit;
  campaign_hub::test_doubles::RecordingLogger log;
  try {
    const file_import::FileImported imported = file_import::import_file(file, settings, emit, log);
    if (imported.records != emit.campaigns.size() + emit.opportunities.size())
      fuzz::broken_promise("file-import", "the count of records differs from those emitted");
    if (imported.hash.size() != 16)
      fuzz::broken_promise("file-import", "the content hash is not 16 hex digits");
  } catch (const std::runtime_error&) {
    if (!emit.events.empty())
      fuzz::broken_promise("file-import", "a file that failed emitted records");
  }
  return 0;
}
