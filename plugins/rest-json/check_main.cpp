// rest-json-check FILE...: loads each mapping file as the plugin does and prints "ok: ..." or
// the one-line error ("<file>: <pointer>: <sentence> (<rule>)"). Exit code 1 if any fails.
#include <iostream>

#include "plugins/rest-json/mapping.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: rest-json-check MAPPING.json...\n";
    return 2;
  }
  int code = 0;
  for (int i = 1; i < argc; ++i) {
    try {
      auto mapping = rest_json::load_mapping(argv[i]);
      std::cout << "ok: " << argv[i] << " (" << mapping.provider << "), " << mapping.streams.size()
                << " top-level stream(s)\n";
    } catch (const rest_json::MappingError& error) {
      std::cout << error.what() << "\n";
      code = 1;
    }
  }
  return code;
}
