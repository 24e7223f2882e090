# Debian packages through CPack, one per install component:
#   campaign-hub             the hub, its systemd units and the crontab example   (hub)
#   campaign-hub-plugins     the bundled plugins, in /usr/lib/campaign-hub/plugins (plugins)
#   campaign-hub-plugin-dev  the plugin SDK: headers, helper libraries, test doubles, CMake package (plugin-dev)
# Build them with `cpack --config build/CPackConfig.cmake -B build/packages` after a build;
# tests/e2e/packages.sh installs them into a scratch root and uses them.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME campaign-hub)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Campaign Hub maintainers <maintainers@campaign-hub.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Integration hub for external campaign providers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # the libraries' packages, read by dpkg-shlibdeps
set(CPACK_COMPONENTS_ALL hub plugins plugin-dev)

set(CPACK_DEBIAN_HUB_PACKAGE_NAME campaign-hub)
set(CPACK_DEBIAN_HUB_PACKAGE_SECTION net)
# SOCI loads its database backends at run time: dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_HUB_PACKAGE_DEPENDS
    "libsoci-sqlite3-4.0, libsoci-postgresql4.0, libsoci-mysql4.0, tzdata")
set(CPACK_DEBIAN_HUB_PACKAGE_RECOMMENDS campaign-hub-plugins)

set(CPACK_DEBIAN_PLUGINS_PACKAGE_NAME campaign-hub-plugins)
set(CPACK_DEBIAN_PLUGINS_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PLUGINS_PACKAGE_DEPENDS "campaign-hub (= ${PROJECT_VERSION})")

set(CPACK_DEBIAN_PLUGIN-DEV_PACKAGE_NAME campaign-hub-plugin-dev)
set(CPACK_DEBIAN_PLUGIN-DEV_PACKAGE_SECTION libdevel)
# Static helper libraries (cmake/PluginSdk.cmake): built for this architecture, and what their
# CMake package finds. The HTTP test fixture wants cpp-httplib and GoogleTest as well.
set(CPACK_DEBIAN_PLUGIN-DEV_PACKAGE_DEPENDS
  "libboost-dev, cmake, rapidjson-dev, libhowardhinnant-date-dev, libcurl4-openssl-dev")
set(CPACK_DEBIAN_PLUGIN-DEV_PACKAGE_SUGGESTS "libcpp-httplib-dev, libgtest-dev")

include(CPack)
