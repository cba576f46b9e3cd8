// Opens the end-to-end report in headless Chromium: the page must load with no console message
// at all (no error, no uncaught exception), its script must run to the end (it marks the body
// data-ready="1"), and a screenshot is saved in the build tree (REPORT_ARTIFACT_DIR). Chromium
// is Debian's `chromium` package, which scripts/setup installs; without it these tests fail.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "pack.h"
#include "report_world.h"

namespace severn::testing {
namespace {

std::string chromium_binary() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return p;
  return "";
}

struct BrowserRun {
  int code = -1;
  std::string dom, console;  // the DOM after load, and every console line Chromium logged
};

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Loads the page headless and returns its DOM and its console messages (Chromium logs each as a
// line containing ":CONSOLE" with --enable-logging=stderr).
BrowserRun open_page(const std::filesystem::path& page, const std::filesystem::path& scratch) {
  BrowserRun b;
  const auto dom = scratch / "dom.html", log = scratch / "stderr.txt";
  const std::string cmd = chromium_binary() + " --headless --disable-gpu --no-sandbox --enable-logging=stderr --v=0 " +
                          "--virtual-time-budget=3000 --dump-dom 'file://" + std::filesystem::absolute(page).string() + "' > '" +
                          dom.string() + "' 2> '" + log.string() + "'";
  b.code = std::system(cmd.c_str());
  b.dom = read(dom);
  std::istringstream in(read(log));
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos) b.console += line + "\n";
  return b;
}

#define SEVERN_REQUIRE_CHROMIUM()                                                                        \
  do {                                                                                                   \
    if (chromium_binary().empty())                                                                       \
      FAIL() << "chromium is not installed: the browser test needs Debian's chromium package; run "      \
                "scripts/setup as root (make test does), or apt-get install -y chromium";                \
  } while (0)

TEST(ReportBrowser, TheCheckCatchesAConsoleError) {
  SEVERN_REQUIRE_CHROMIUM();
  Scratch scratch("report-browser-broken");
  const auto page = scratch.dir() / "broken.html";
  std::ofstream(page) << "<!DOCTYPE html><html><body><p>x</p><script>missingFunction();"
                         "document.body.setAttribute('data-ready','1');</script></body></html>";
  const BrowserRun b = open_page(page, scratch.dir());
  EXPECT_EQ(b.code, 0);
  EXPECT_NE(b.console.find("missingFunction is not defined"), std::string::npos) << b.console;
  EXPECT_EQ(b.dom.find("data-ready=\"1\""), std::string::npos);
}

TEST(ReportBrowser, ReportLoadsWithoutConsoleErrorsAndIsScreenshotted) {
  SEVERN_REQUIRE_PACK();
  SEVERN_REQUIRE_CHROMIUM();
  const ReportWorld& w = report_world();
  ASSERT_EQ(w.result.code, 0) << w.result.output;
  Scratch scratch("report-browser");
  const auto page = w.report / "index.html";
  const BrowserRun b = open_page(page, scratch.dir());
  ASSERT_EQ(b.code, 0);
  EXPECT_EQ(b.console, "") << "console messages while loading " << page;
  EXPECT_NE(b.dom.find("data-ready=\"1\""), std::string::npos) << "the page's script did not run to the end";
  EXPECT_NE(b.dom.find("id=\"map-indicator\""), std::string::npos);

  // Choosing an indicator recolours the map without an error: the same page with a script that
  // chooses the last indicator and records the first LSOA's colour afterwards.
  std::string html = read(page);
  const std::string choose =
      "<script>var s=document.getElementById('indicator-choice');s.value=String(s.options.length-1);"
      "s.dispatchEvent(new Event('change'));document.body.setAttribute('data-chosen',"
      "document.querySelector('#map-indicator path[data-k]').getAttribute('fill'));</script></body>";
  html.replace(html.rfind("</body>"), 7, choose);
  // The page is self-contained, so its copy can live in this test's scratch (the world is read-only).
  const auto chosen_page = scratch.dir() / "chosen.html";
  std::ofstream(chosen_page, std::ios::binary) << html;
  const BrowserRun chosen = open_page(chosen_page, scratch.dir());
  EXPECT_EQ(chosen.console, "");
  EXPECT_TRUE(chosen.dom.find("data-chosen=\"#") != std::string::npos ||
              chosen.dom.find("data-chosen=\"url(#map-indicator-nodata)\"") != std::string::npos)
      << chosen.dom.substr(0, 400);

  std::filesystem::create_directories(REPORT_ARTIFACT_DIR);
  const auto shot = std::filesystem::path(REPORT_ARTIFACT_DIR) / "report_screenshot.png";
  std::filesystem::remove(shot);
  const std::string cmd = chromium_binary() + " --headless --disable-gpu --no-sandbox --hide-scrollbars --screenshot='" +
                          shot.string() + "' --window-size=1280,2000 'file://" + std::filesystem::absolute(page).string() +
                          "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ASSERT_TRUE(std::filesystem::exists(shot));
  const std::string png = read(shot);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_GT(png.size(), 50000u) << "a blank page compresses to far less";
  std::printf("screenshot: %s\n", shot.c_str());
}

}  // namespace
}  // namespace severn::testing
