#include "plugins/mailchimp/list_webhooks.h"

#include <cctype>
#include <utility>

namespace mailchimp {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// One form component: "%5B" is '[', '+' is a space (HTML forms, which Mailchimp posts).
std::string form_decoded(std::string_view text, std::size_t field) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int low = high >= 0 ? hex_digit(text[i + 2]) : -1;
      if (low < 0) {
        throw ListEventError("the form body's field " + std::to_string(field) +
                             " has a '%' that is not followed by two hex digits");
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> ListEvent::get(const std::string& name) const {
  auto found = data.find(name);
  if (found == data.end() || found->second.empty())
    return std::nullopt;
  return found->second;
}

ListEvent parse_list_event(std::string_view body) {
  ListEvent event;
  std::size_t field = 0;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    ++field;
    if (pair.empty())
      continue;
    const auto equals = pair.find('=');
    std::string key = form_decoded(pair.substr(0, equals), field);
    std::string value =
        equals == std::string_view::npos ? "" : form_decoded(pair.substr(equals + 1), field);
    if (key == "type") {
      event.type = std::move(value);
    } else if (key == "fired_at") {
      event.fired_at = std::move(value);
    } else if (key.starts_with("data[")) {
      std::string name = key.substr(5);
      if (name.ends_with(']'))
        name.pop_back();
      for (auto at = name.find("]["); at != std::string::npos; at = name.find("][", at))
        name.replace(at, 2, ".");
      event.data[name] = std::move(value);
    }
  }
  if (event.type.empty())
    throw ListEventError("the body has no 'type' field: not a Mailchimp list webhook");
  return event;
}

}  // namespace mailchimp
