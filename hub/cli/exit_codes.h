// What `campaign-hub` answers, for scripts and schedulers (documented in README.md).
#pragma once

namespace hub::exit_code {

inline constexpr int success = 0;
inline constexpr int quarantined = 1;      // every instance ran; some records went to quarantine
inline constexpr int instance_failed = 2;  // at least one instance (or plugin) failed
inline constexpr int config_error = 3;     // the config is invalid or names something unknown
inline constexpr int database_error = 4;   // the database cannot be opened or migrated
inline constexpr int usage = 64;           // the command line is wrong

}  // namespace hub::exit_code
