# Finds SOCI, whose Debian package ships headers and libraries but no CMake config.
#
# Components: core (always), sqlite3, postgresql, mysql. Each found one becomes an imported
# target SOCI::<component>, and SOCI_<component>_FOUND is set.
find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_core_LIBRARY NAMES soci_core)

# The backends' headers include their client library's header (mysql.h, libpq-fe.h).
find_path(SOCI_postgresql_CLIENT_INCLUDE_DIR libpq-fe.h PATH_SUFFIXES postgresql)
find_path(SOCI_mysql_CLIENT_INCLUDE_DIR mysql.h PATH_SUFFIXES mariadb mysql)
# The hub also calls libpq itself (COPY), so the PostgreSQL target carries it.
find_library(SOCI_postgresql_CLIENT_LIBRARY NAMES pq)
set(SOCI_core_CLIENT_INCLUDE_DIR ${SOCI_INCLUDE_DIR})
set(SOCI_sqlite3_CLIENT_INCLUDE_DIR ${SOCI_INCLUDE_DIR})

foreach(_component IN LISTS SOCI_FIND_COMPONENTS)
  if(NOT _component STREQUAL "core")
    find_library(SOCI_${_component}_LIBRARY NAMES soci_${_component})
  endif()
  if(SOCI_${_component}_LIBRARY AND SOCI_INCLUDE_DIR AND SOCI_${_component}_CLIENT_INCLUDE_DIR)
    set(SOCI_${_component}_FOUND TRUE)
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_INCLUDE_DIR SOCI_core_LIBRARY
  HANDLE_COMPONENTS)

if(SOCI_FOUND AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES
    IMPORTED_LOCATION ${SOCI_core_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${SOCI_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES ${CMAKE_DL_LIBS})
  foreach(_component IN ITEMS sqlite3 postgresql mysql)
    if(SOCI_${_component}_FOUND)
      add_library(SOCI::${_component} UNKNOWN IMPORTED)
      set_target_properties(SOCI::${_component} PROPERTIES
        IMPORTED_LOCATION ${SOCI_${_component}_LIBRARY}
        INTERFACE_INCLUDE_DIRECTORIES ${SOCI_${_component}_CLIENT_INCLUDE_DIR}
        INTERFACE_LINK_LIBRARIES "SOCI::core;${SOCI_${_component}_CLIENT_LIBRARY}")
    endif()
  endforeach()
endif()
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_postgresql_CLIENT_INCLUDE_DIR SOCI_mysql_CLIENT_INCLUDE_DIR SOCI_core_LIBRARY SOCI_sqlite3_LIBRARY
  SOCI_postgresql_LIBRARY SOCI_mysql_LIBRARY)
