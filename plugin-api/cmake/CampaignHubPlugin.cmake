# campaign_hub_add_plugin(<name> SOURCES <files>... [LIBRARIES <targets>...])
#
# Builds a provider plugin from one source list twice: as the shared library the hub loads
# (lib<name>.so, placed in CAMPAIGN_HUB_PLUGIN_DIR when that is set) and as a static library
# <name>-static that the plugin's own tests link directly.
function(campaign_hub_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBRARIES")
  if(TARGET campaign_hub::plugin-api)
    set(_api campaign_hub::plugin-api)
  else()
    set(_api plugin-api)
  endif()
  add_library(${name}-objects OBJECT ${arg_SOURCES})
  set_target_properties(${name}-objects PROPERTIES
    POSITION_INDEPENDENT_CODE ON CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${name}-objects PUBLIC ${_api} ${arg_LIBRARIES})

  add_library(${name} MODULE $<TARGET_OBJECTS:${name}-objects>)
  target_link_libraries(${name} PRIVATE ${name}-objects)
  if(CAMPAIGN_HUB_PLUGIN_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CAMPAIGN_HUB_PLUGIN_DIR})
  endif()

  add_library(${name}-static STATIC $<TARGET_OBJECTS:${name}-objects>)
  target_link_libraries(${name}-static PUBLIC ${name}-objects)
endfunction()
