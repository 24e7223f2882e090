// The file-import plugin: campaigns and opportunities from CSV or NDJSON files in a folder.
#pragma once

#include <string_view>

#include "campaign_hub/plugin.h"

namespace file_import {

// The cursor stream: {"<file name>": "<content hash>", ...} of the files imported.
inline constexpr std::string_view cursor_stream = "files";

class FileImport : public campaign_hub::Provider {
 public:
  // Imports, in name order, every matching file whose name and content are not in the cursor,
  // and checkpoints after each file.
  void read(campaign_hub::Host& host, campaign_hub::Emitter& emit) override;
  // Whether the folder can be read, and what the next sync would import.
  campaign_hub::CheckResult check(campaign_hub::Host& host) override;
};

extern const campaign_hub::Descriptor descriptor;

}  // namespace file_import
