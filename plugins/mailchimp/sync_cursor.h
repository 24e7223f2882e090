// The cursor of stream "campaigns". Mailchimp has no "updated since", so every sync lists every
// campaign (a listing "pass"); the cursor remembers, per campaign, the fingerprint of the list
// entry whose report was last read and the last pass that listed it, plus where an unfinished
// pass resumes:
//   {"version": 1, "pass": 7, "offset": 2000, "campaigns": {"<id>": ["<fingerprint>", 7]}}
// "offset" is present only while pass 7 is unfinished.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailchimp {

inline constexpr std::string_view cursor_stream = "campaigns";

class SyncCursor {
 public:
  // Throws std::runtime_error for a cursor this plugin did not write.
  static SyncCursor parse(const std::optional<std::string>& saved);

  // Where the unfinished pass resumes; nothing when the last pass completed.
  std::optional<std::int64_t> resume_offset() const { return offset_; }
  std::int64_t pass() const { return pass_; }
  void start_pass();  // a new pass from offset 0
  void set_offset(std::int64_t offset) { offset_ = offset; }
  void end_pass() { offset_.reset(); }

  // The fingerprint stored for `id`, if the campaign is known.
  std::optional<std::string> fingerprint(std::string_view id) const;
  // `id` was listed in this pass, and its report (if any) read at this fingerprint.
  void remember(const std::string& id, const std::string& fingerprint);
  // Campaigns known but not listed in this pass, and how many were listed.
  std::vector<std::string> unlisted() const;
  std::int64_t listed() const;
  void forget(const std::string& id) { campaigns_.erase(id); }

  std::string to_json() const;

 private:
  struct Known {
    std::string fingerprint;
    std::int64_t pass = 0;
  };
  std::int64_t pass_ = 0;
  std::optional<std::int64_t> offset_;
  std::map<std::string, Known, std::less<>> campaigns_;
};

}  // namespace mailchimp
