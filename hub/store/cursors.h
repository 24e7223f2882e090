// Reading and resetting the saved cursors of an instance (they are written with the records,
// by RecordStore).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "hub/store/database.h"

namespace hub {

std::map<std::string, std::string> load_cursors(Database& database, const std::string& instance);

// Forgets the cursor of one stream, or of every stream of the instance. Returns how many.
long long reset_cursors(Database& database, const std::string& instance,
                        const std::optional<std::string>& stream);

}  // namespace hub
