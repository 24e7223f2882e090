# The plugin SDK's helper libraries: installed by the plugin-dev component beside the plugin API
# headers and exported with them (find_package(campaign-hub-plugin-api)), so that a plugin built
# outside this tree links what the bundled plugins link, under campaign_hub::.
#
#   campaign_hub::json             settings read through their schema (settings_reader.h),
#                                  schema errors worded for people, JSON nesting depth
#   campaign_hub::paging           the page styles of providers, as pure functions (paging.h),
#                                  and concurrent requests with results in order (prefetch.h)
#   campaign_hub::time             RFC 3339 and time zones on the system tzdata
#   campaign_hub::text             FNV-1a, secret redaction
#   campaign_hub::http-client      the hub's own HTTP client (client.h), for a plugin's tests
#   campaign_hub::provider-server  the test fixture campaign_hub/test_doubles/provider_server.h
#                                  (cpp-httplib), defined by the package where cpp-httplib is
include(GNUInstallDirs)

set(_sdk_libraries
  connector-json json
  connector-paging paging
  connector-time time
  connector-text text
  connector-http http-client)
while(_sdk_libraries)
  list(POP_FRONT _sdk_libraries _target _export_name)
  set_target_properties(${_target} PROPERTIES EXPORT_NAME ${_export_name}
    POSITION_INDEPENDENT_CODE ON)
  add_library(campaign_hub::${_export_name} ALIAS ${_target})
  install(TARGETS ${_target} EXPORT campaign-hub-plugin-api-targets COMPONENT plugin-dev
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endwhile()

foreach(_folder IN ITEMS json time text)
  file(GLOB _headers ${PROJECT_SOURCE_DIR}/connectors/${_folder}/*.h)
  install(FILES ${_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/connectors/${_folder}
    COMPONENT plugin-dev)
endforeach()
# Of the HTTP connector, only the client, the paging helpers and Prefetch are the SDK's.
install(FILES ${PROJECT_SOURCE_DIR}/connectors/http/client.h
              ${PROJECT_SOURCE_DIR}/connectors/http/paging.h
              ${PROJECT_SOURCE_DIR}/connectors/http/prefetch.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/connectors/http COMPONENT plugin-dev)

# In this tree, the fixture is a target of its own too.
add_library(provider-server INTERFACE)
add_library(campaign_hub::provider-server ALIAS provider-server)
target_link_libraries(provider-server INTERFACE plugin-api connector-http cpp-httplib)
