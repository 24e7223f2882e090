// Secret placeholders in config values: `${env:NAME}` and `${file:/path}`.
//
// A placeholder may be the whole string or part of it ("postgresql://hub:${env:DB_PASS}@db/hub").
// `$${env:` and `$${file:` stand for a literal `${env:` / `${file:`. Other `${...}` text is left
// alone, because plugin settings may use it for their own templates.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

namespace hub {

struct SecretSources {
  std::string origin;              // names the config in errors ("demo.json")
  std::filesystem::path base_dir;  // anchors relative ${file:...} paths
};

// Replaces the placeholders of `text`. Each resolved value is appended to `secrets` (once,
// and only when not empty). Throws ConfigError naming `origin`, `pointer` and the variable or
// path, never a value.
std::string resolve_placeholders(std::string_view text, std::string_view pointer,
                                 const SecretSources& sources, std::vector<std::string>& secrets);

// Resolves the placeholders of every string value under `value` (object keys are left as
// written). `pointer` is the JSON pointer of `value` in the config ("" for the root).
void resolve_secrets(rapidjson::Value& value, rapidjson::Document::AllocatorType& allocator,
                     const std::string& pointer, const SecretSources& sources,
                     std::vector<std::string>& secrets);

// "/instances" + "0" -> "/instances/0", escaping '~' and '/' in the token (RFC 6901).
std::string append_pointer(std::string_view pointer, std::string_view token);

}  // namespace hub
