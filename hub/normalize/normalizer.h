// Checks every record against the canonical model and puts it in canonical form, or says
// which field keeps it out (the reason quarantine stores).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hub/model/canonical.h"
#include "hub/model/record_json.h"
#include "hub/normalize/status_table.h"

namespace hub {

struct Rejection {
  std::string field;   // the record field at fault: "status", "contact_email", ...
  std::string reason;  // a sentence an operator can act on
};

struct Normalized {
  std::optional<CanonicalRecord> record;  // set when the record passed
  Rejection rejection;                    // set when it did not
};

class Normalizer {
 public:
  // `provider` and `instance` only name things in rejection reasons.
  Normalizer(StatusTable statuses, std::string provider, std::string instance,
             std::string default_initiative);

  Normalized normalize(AnyRecord record) const;

 private:
  StatusTable statuses_;
  std::string provider_;
  std::string instance_;
  std::string default_initiative_;
};

}  // namespace hub
