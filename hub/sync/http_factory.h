// The hub's HTTP connector for plugins: connectors/http behind the MeteredHttp interface.
#pragma once

#include "hub/sync/instance_host.h"

namespace hub {

// Builds a connectors/http client from an instance's `http` object; a bad setting throws
// std::invalid_argument naming its JSON pointer inside that object.
HttpFactory connector_http_factory();

}  // namespace hub
