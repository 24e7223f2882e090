#include "hub/page/page_module.h"

#include <httplib.h>

#include "hub/page/assets.h"

namespace hub {

void PageModule::attach(httplib::Server& server) {
  for (const page::Asset& asset : page::assets()) {
    server.Get(std::string(asset.route),
               [&asset](const httplib::Request&, httplib::Response& response) {
                 response.set_header("Content-Security-Policy",
                                     "default-src 'self'; img-src 'self' data:; "
                                     "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
                 response.set_header("X-Content-Type-Options", "nosniff");
                 response.set_header("Referrer-Policy", "no-referrer");
                 response.set_header("Cache-Control", "no-cache");
                 response.set_content(asset.body.data(), asset.body.size(),
                                      std::string(asset.content_type) + "; charset=utf-8");
               });
  }
}

}  // namespace hub
