# cpp-httplib as Debian ships it: a split header and a shared library, no CMake config. The
# library was built with OpenSSL, zlib and Brotli, so every user of the header must see the
# same macros; the `cpp-httplib` target carries them.
find_path(HTTPLIB_INCLUDE_DIR httplib.h REQUIRED)
find_library(HTTPLIB_LIBRARY NAMES cpp-httplib REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)

add_library(cpp-httplib INTERFACE)
target_include_directories(cpp-httplib SYSTEM INTERFACE ${HTTPLIB_INCLUDE_DIR})
target_compile_definitions(cpp-httplib INTERFACE
  CPPHTTPLIB_OPENSSL_SUPPORT CPPHTTPLIB_ZLIB_SUPPORT CPPHTTPLIB_BROTLI_SUPPORT)
target_link_libraries(cpp-httplib INTERFACE ${HTTPLIB_LIBRARY} OpenSSL::SSL ZLIB::ZLIB
  Threads::Threads)
