# Included by the root CMakeLists.txt when CAMPAIGN_HUB_FUZZ is on, before any target: the whole
# build gets libFuzzer's coverage and ASan and UBSan, so the production code the targets call is
# instrumented, not the targets alone. A build directory of its own (scripts/fuzz.sh: build-fuzz).
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "CAMPAIGN_HUB_FUZZ needs clang (libFuzzer is part of clang); this build "
                      "uses ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}. Configure a separate "
                      "build directory with CC=clang CXX=clang++, as scripts/fuzz.sh does.")
endif()
if(CAMPAIGN_HUB_SANITIZE)
  message(FATAL_ERROR "CAMPAIGN_HUB_FUZZ brings its own sanitizers; leave CAMPAIGN_HUB_SANITIZE off")
endif()

# Any UBSan finding aborts, so libFuzzer keeps the input. vptr is left out as in
# CAMPAIGN_HUB_SANITIZE: Debian's libsoci does not export the typeinfo it needs. The ignorelist
# names the third-party checks left out, and why; its hash is on every command line, so that
# editing it rebuilds everything.
set(_ignorelist ${CMAKE_CURRENT_LIST_DIR}/ubsan-ignorelist.txt)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_ignorelist})
file(MD5 ${_ignorelist} _ignorelist_md5)
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
                    -fno-sanitize-recover=all -fno-omit-frame-pointer
                    -fsanitize-ignorelist=${_ignorelist})
add_compile_definitions(CAMPAIGN_HUB_FUZZ_IGNORELIST=${_ignorelist_md5})
add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)

# Assertions stay on: RapidJSON checks its callers (GetString on a number, ...) with assert().
foreach(_config IN ITEMS RELEASE RELWITHDEBINFO MINSIZEREL)
  string(REPLACE "-DNDEBUG" "" CMAKE_CXX_FLAGS_${_config} "${CMAKE_CXX_FLAGS_${_config}}")
  string(REPLACE "-DNDEBUG" "" CMAKE_C_FLAGS_${_config} "${CMAKE_C_FLAGS_${_config}}")
endforeach()

# RapidJSON 1.1 (Debian's) declares its iterator comparisons in a way C++20 finds ambiguous;
# clang warns at every use, GCC does not. Not ours to fix: silenced in this build only.
add_compile_options(-Wno-ambiguous-reversed-operator)
