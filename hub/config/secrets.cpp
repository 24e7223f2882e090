#include "hub/config/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "hub/config/config.h"

namespace hub {
namespace {

constexpr std::string_view kEnvPrefix = "${env:";
constexpr std::string_view kFilePrefix = "${file:";
// A secret file larger than this is almost certainly the wrong file (or /dev/zero).
constexpr std::size_t kMaxSecretFileSize = 1 << 20;

[[noreturn]] void fail(const SecretSources& sources, std::string_view pointer,
                       const std::string& what) {
  std::string where = pointer.empty() ? std::string("(root)") : std::string(pointer);
  throw ConfigError(sources.origin + ": " + where + ": " + what);
}

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string read_env(std::string_view name, std::string_view pointer,
                     const SecretSources& sources) {
  if (!is_env_name(name)) {
    fail(sources, pointer,
         "\"" + std::string(name) +
             "\" is not an environment variable name; use letters, digits and '_' (${env:NAME})");
  }
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) {
    fail(sources, pointer,
         "environment variable " + std::string(name) +
             " is not set; export it before starting the hub (${env:" + std::string(name) + "})");
  }
  return value;
}

std::string read_secret_file(std::string_view written, std::string_view pointer,
                             const SecretSources& sources) {
  if (written.empty()) {
    fail(sources, pointer, "empty path in ${file:} placeholder; write ${file:/path/to/secret}");
  }
  std::filesystem::path path(written);
  if (path.is_relative()) {
    path = sources.base_dir / path;
  }
  const std::string shown = path.string();
  // O_NONBLOCK: opening a FIFO would otherwise wait for a writer, for ever. What is opened is
  // then checked, not the path, so a file swapped in between cannot slip through.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    fail(sources, pointer,
         "cannot read secret file " + shown + ": " + std::strerror(errno) + " (${file:...})");
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    const char* kind = S_ISDIR(info.st_mode)    ? "a folder"
                       : S_ISFIFO(info.st_mode) ? "a FIFO"
                       : S_ISCHR(info.st_mode)  ? "a device"
                       : S_ISSOCK(info.st_mode) ? "a socket"
                                                : "not a regular file";
    fail(sources, pointer,
         "cannot read secret file " + shown + ": it is " + kind +
             "; a secret must be a regular file (${file:...})");
  }
  std::string content;
  char buffer[4096];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      fail(sources, pointer,
           "cannot read secret file " + shown + ": " + std::strerror(errno) + " (${file:...})");
    }
    if (got == 0)
      break;
    content.append(buffer, static_cast<std::size_t>(got));
    if (content.size() > kMaxSecretFileSize) {
      fail(sources, pointer,
           "secret file " + shown + " is larger than 1 MiB; is it the right file? (${file:...})");
    }
  }
  // Editors and `echo` end files with a newline that is not part of the secret.
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
    content.pop_back();
  }
  return content;
}

void remember(std::string value, std::vector<std::string>& secrets) {
  if (!value.empty() && std::find(secrets.begin(), secrets.end(), value) == secrets.end()) {
    secrets.push_back(std::move(value));
  }
}

}  // namespace

std::string resolve_placeholders(std::string_view text, std::string_view pointer,
                                 const SecretSources& sources, std::vector<std::string>& secrets) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos) {
      break;
    }
    out.append(text.substr(pos, dollar - pos));
    const std::string_view rest = text.substr(dollar);
    // "$${env:" is the escape for a literal "${env:".
    if (rest.substr(1).starts_with(kEnvPrefix) || rest.substr(1).starts_with(kFilePrefix)) {
      out += '$';
      out += '{';
      pos = dollar + 3;
      continue;
    }
    const bool is_env = rest.starts_with(kEnvPrefix);
    const bool is_file = rest.starts_with(kFilePrefix);
    if (!is_env && !is_file) {
      out += '$';
      pos = dollar + 1;
      continue;
    }
    const std::size_t prefix = is_env ? kEnvPrefix.size() : kFilePrefix.size();
    const std::size_t close = rest.find('}', prefix);
    if (close == std::string_view::npos) {
      fail(sources, pointer,
           std::string("unterminated placeholder ") + (is_env ? "${env:" : "${file:") +
               "...; close it with '}'");
    }
    const std::string_view argument = rest.substr(prefix, close - prefix);
    std::string value = is_env ? read_env(argument, pointer, sources)
                               : read_secret_file(argument, pointer, sources);
    out += value;
    remember(std::move(value), secrets);
    pos = dollar + close + 1;
  }
  if (pos < text.size()) {
    out.append(text.substr(pos));
  }
  return out;
}

void resolve_secrets(rapidjson::Value& value, rapidjson::Document::AllocatorType& allocator,
                     const std::string& pointer, const SecretSources& sources,
                     std::vector<std::string>& secrets) {
  if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (text.find("${") == std::string_view::npos) {
      return;
    }
    const std::string resolved = resolve_placeholders(text, pointer, sources, secrets);
    value.SetString(resolved.data(), static_cast<rapidjson::SizeType>(resolved.size()), allocator);
  } else if (value.IsObject()) {
    for (auto& member : value.GetObject()) {
      resolve_secrets(member.value, allocator,
                      append_pointer(pointer, std::string_view(member.name.GetString(),
                                                               member.name.GetStringLength())),
                      sources, secrets);
    }
  } else if (value.IsArray()) {
    rapidjson::SizeType index = 0;
    for (auto& element : value.GetArray()) {
      resolve_secrets(element, allocator, append_pointer(pointer, std::to_string(index++)), sources,
                      secrets);
    }
  }
}

std::string append_pointer(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace hub
