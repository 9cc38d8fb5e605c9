// Generated documentation stays in step with the code: docs/plugin-options.md is exactly what
// `datamux plugins describe --all --markdown` prints for the plugins this tree builds.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace datamux {
namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// "line N: expected ... / printed ..." for the first line where the two texts differ.
std::string first_difference(const std::string& committed, const std::string& printed) {
  std::istringstream a(committed), b(printed);
  std::string left, right;
  for (std::size_t line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, left));
    const bool more_b = static_cast<bool>(std::getline(b, right));
    if (!more_a && !more_b) return "they differ only in line endings";
    if (!more_a || !more_b || left != right)
      return "line " + std::to_string(line) + ":\n  committed: " + (more_a ? left : "<end>") +
             "\n  printed:   " + (more_b ? right : "<end>");
  }
}

TEST(Docs, PluginOptionsPageIsWhatThePluginsDeclare) {
  // This tree's plugins only: an inherited DATAMUX_PLUGIN_PATH could add others.
  ::unsetenv("DATAMUX_PLUGIN_PATH");
  const auto printed = test::run_datamux("plugins describe --all --markdown");
  ASSERT_EQ(printed.exit_code, 0) << printed.out;
  const auto page = std::filesystem::path(DATAMUX_TEST_SOURCE_DIR) / "docs" / "plugin-options.md";
  const std::string committed = slurp(page);
  ASSERT_FALSE(committed.empty()) << page << " is missing";
  EXPECT_TRUE(committed == printed.out)
      << page << " is stale (" << first_difference(committed, printed.out)
      << ")\nregenerate it: datamux plugins describe --all --markdown > docs/plugin-options.md";
}

}  // namespace
}  // namespace datamux
