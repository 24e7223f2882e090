// A real browser for the page's tests: Debian's chromium, headless, driven through chromedriver
// over the W3C WebDriver protocol (JSON over HTTP on loopback). Only what the tests need: open a
// URL, find elements by CSS selector, read their text and attributes, click, type, run a script,
// size the window, and save a screenshot. chromedriver is started on a free port and killed
// when the driver is destroyed, however the test ends.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace test_support {

class WebDriver {
 public:
  using Element = std::string;  // the driver's id of an element

  // Starts chromedriver, then a headless chromium session with a window of width x height.
  WebDriver(int width, int height) {
    port_ = free_port();
    log_ = std::filesystem::temp_directory_path() /
           ("chromedriver-" + std::to_string(::getpid()) + ".log");
    profile_ =
        std::filesystem::temp_directory_path() / ("chromium-profile-" + std::to_string(::getpid()));
    std::filesystem::remove_all(profile_);
    driver_ = ::fork();
    if (driver_ == 0) {
      const std::string port = "--port=" + std::to_string(port_);
      const std::string log = "--log-path=" + log_.string();
      ::execl("/usr/bin/chromedriver", "chromedriver", port.c_str(), log.c_str(), nullptr);
      ::_exit(127);
    }
    http_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    http_->set_read_timeout(60, 0);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!http_->Get("/status")) {
      if (std::chrono::steady_clock::now() > until)
        throw std::runtime_error("chromedriver did not start (is chromium-driver installed?)");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const std::string window =
        "--window-size=" + std::to_string(width) + "," + std::to_string(height);
    // The flags a closed network needs: nothing reaches out for updates or sync.
    const std::string body =
        R"({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {)"
        R"("binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", )"
        R"("--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", )"
        R"("--disable-component-update", "--disable-sync", "--no-first-run", )"
        R"("--disable-quic", "--user-data-dir=)" +
        profile_.string() + R"(", ")" + window + R"("]}}}})";
    auto answer = call("POST", "/session", body);
    session_ = answer["sessionId"].GetString();
  }

  ~WebDriver() {
    if (!session_.empty())
      http_->Delete("/session/" + session_);
    if (driver_ > 0) {
      ::kill(driver_, SIGKILL);
      ::waitpid(driver_, nullptr, 0);
    }
    std::filesystem::remove_all(profile_);
  }

  WebDriver(const WebDriver&) = delete;
  WebDriver& operator=(const WebDriver&) = delete;

  void open(const std::string& url) { command("POST", "/url", json_object("url", url)); }

  void resize(int width, int height) {
    command(
        "POST", "/window/rect",
        R"({"width": )" + std::to_string(width) + R"(, "height": )" + std::to_string(height) + "}");
  }

  std::vector<Element> find_all(const std::string& selector) {
    auto found = command("POST", "/elements", css(selector));
    std::vector<Element> out;
    for (const auto& each : found.GetArray())
      out.push_back(each.MemberBegin()->value.GetString());
    return out;
  }

  // The first element matching `selector`, waiting up to `limit` for it to appear.
  Element find(const std::string& selector,
               std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
      auto all = find_all(selector);
      if (!all.empty())
        return all.front();
      if (std::chrono::steady_clock::now() > until)
        throw std::runtime_error("no element matches " + selector);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  std::string text(const Element& element) {
    return command("GET", "/element/" + element + "/text").GetString();
  }

  // The attribute's value, or "" when the element has none.
  std::string attribute(const Element& element, const std::string& name) {
    auto value = command("GET", "/element/" + element + "/attribute/" + name);
    return value.IsString() ? value.GetString() : "";
  }

  void click(const Element& element) { command("POST", "/element/" + element + "/click", "{}"); }

  void type(const Element& element, const std::string& text) {
    command("POST", "/element/" + element + "/value", json_object("text", text));
  }

  // Runs `script` (a function body; `return` gives the value) and answers its value as JSON.
  std::string run(const std::string& script) {
    auto value =
        command("POST", "/execute/sync", R"({"script": )" + quoted(script) + R"(, "args": []})");
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
  }

  // Waits until the page says it has finished rendering (body data-ready="1").
  void wait_until_ready(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (run("return document.body && document.body.dataset.ready === '1';") != "true") {
      if (std::chrono::steady_clock::now() > until)
        throw std::runtime_error("the page did not finish rendering");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Saves what the window shows as a PNG.
  void screenshot(const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    const std::string base64 = command("GET", "/screenshot").GetString();
    std::vector<unsigned char> png(base64.size());
    const int size =
        EVP_DecodeBlock(png.data(), reinterpret_cast<const unsigned char*>(base64.data()),
                        static_cast<int>(base64.size()));
    if (size < 0)
      throw std::runtime_error("the screenshot is not base64");
    std::size_t length = static_cast<std::size_t>(size);
    // EVP_DecodeBlock counts the padding's bytes too.
    for (auto it = base64.rbegin(); it != base64.rend() && *it == '='; ++it)
      --length;
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(length));
  }

 private:
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(fd);
      throw std::runtime_error("no free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
  }

  static std::string quoted(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    return std::string(buffer.GetString(), buffer.GetSize());
  }

  static std::string json_object(const std::string& key, const std::string& value) {
    return "{" + quoted(key) + ": " + quoted(value) + "}";
  }

  static std::string css(const std::string& selector) {
    return R"({"using": "css selector", "value": )" + quoted(selector) + "}";
  }

  // A command of the session: its "value", or an exception with the driver's message.
  rapidjson::Document command(const std::string& method, const std::string& path,
                              const std::string& body = "") {
    return call(method, "/session/" + session_ + path, body);
  }

  rapidjson::Document call(const std::string& method, const std::string& path,
                           const std::string& body) {
    httplib::Result result = method == "GET"    ? http_->Get(path)
                             : method == "POST" ? http_->Post(path, body, "application/json")
                                                : http_->Delete(path);
    if (!result)
      throw std::runtime_error("chromedriver did not answer " + method + " " + path);
    rapidjson::Document document;
    document.Parse(result->body.c_str());
    if (document.HasParseError() || !document.IsObject() || !document.HasMember("value"))
      throw std::runtime_error(method + " " + path + ": " + result->body.substr(0, 300));
    if (result->status != 200) {
      const auto& value = document["value"];
      throw std::runtime_error(method + " " + path + ": " +
                               (value.IsObject() && value.HasMember("message")
                                    ? std::string(value["message"].GetString()).substr(0, 300)
                                    : result->body.substr(0, 300)));
    }
    rapidjson::Document value;
    value.CopyFrom(document["value"], value.GetAllocator());
    return value;
  }

  int port_ = 0;
  pid_t driver_ = -1;
  std::filesystem::path log_;
  std::filesystem::path profile_;
  std::unique_ptr<httplib::Client> http_;
  std::string session_;
};

}  // namespace test_support
