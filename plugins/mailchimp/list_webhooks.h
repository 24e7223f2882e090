// Mailchimp's list webhooks (webhooks.md, 2): an application/x-www-form-urlencoded body with
// PHP-style keys (`data[id]`, `data[merges][EMAIL]`), read into what the plugin acts on. Pure,
// no I/O.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mailchimp {

// A body that is not a list webhook: the message names what is wrong, never a value (an
// e-mail address is personal data).
class ListEventError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ListEvent {
  std::string type;      // campaign, subscribe, unsubscribe, profile, upemail, cleaned
  std::string fired_at;  // "YYYY-MM-DD HH:MM:SS" in UTC, as sent
  // data[...] by name: "data[id]" is "id", "data[merges][EMAIL]" is "merges.EMAIL".
  std::map<std::string, std::string> data;

  // data[name], or nothing when absent or "".
  std::optional<std::string> get(const std::string& name) const;
};

// Decodes the form (percent escapes, '+' as a space). Throws ListEventError without a `type`,
// or for a malformed escape.
ListEvent parse_list_event(std::string_view body);

}  // namespace mailchimp
