// A shared library that loads but is no plugin: it exports one function, and none of the
// plugin symbols.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int campaign_hub_test_answer() {
  return 42;
}
