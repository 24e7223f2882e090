// The schema, as numbered migrations the hub applies itself (`campaign-hub db migrate`, and
// on first use). A migration, once released, is never edited: a change is a new number.
#pragma once

#include "hub/store/database.h"

namespace hub {

// The newest schema version this hub knows.
int latest_schema_version();

// The version the database is at; 0 for an empty one.
int schema_version(Database& database);

// Applies every migration above the database's version, each in its own transaction.
// Returns how many were applied. Throws DatabaseError for a database newer than this hub.
int migrate(Database& database);

}  // namespace hub
