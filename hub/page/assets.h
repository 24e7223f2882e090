// The account managers' page: plain HTML, CSS and JavaScript (hub/page/assets/), compiled into
// the binary by cmake/EmbedFiles.cmake, so that it needs no build step, no CDN and no files
// beside the hub.
#pragma once

#include <string_view>
#include <vector>

namespace hub::page {

struct Asset {
  std::string_view route;         // "/", "/app.js"
  std::string_view content_type;  // UTF-8 text
  std::string_view body;
};

const std::vector<Asset>& assets();

}  // namespace hub::page
