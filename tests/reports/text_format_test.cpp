// Escaping for each output format, and number formatting.
#include "datamux/reports/text_format.h"

#include <gtest/gtest.h>

#include "datamux/reports/markdown.h"

namespace datamux::reports {
namespace {

TEST(ReportText, HtmlEscapingCoversMarkupAndQuotes) {
  EXPECT_EQ(escape_html(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(ReportText, MarkdownEscapingKeepsTablesAndHtmlIntact) {
  EXPECT_EQ(escape_markdown("a|b\n<script>*x*"), "a\\|b \\<script>\\*x\\*");
}

TEST(ReportText, JsonInsideAScriptElementCannotCloseIt) {
  const std::string escaped = json_for_script_element(R"({"t": "</script><b>&"})");
  EXPECT_EQ(escaped, R"({"t": "\u003c/script\u003e\u003cb\u003e\u0026"})");
}

TEST(ReportText, LinkTargetsArePercentEncoded) {
  EXPECT_EQ(link_target("roberta/n2/sst2/report.html"), "roberta/n2/sst2/report.html");
  EXPECT_EQ(link_target("javascript:alert(1) \"x\""), "javascript%3Aalert%281%29%20%22x%22");
}

TEST(ReportText, NumbersHaveFixedDecimals) {
  EXPECT_EQ(format_fixed(0.72, 4), "0.7200");
  EXPECT_EQ(format_optional(std::nullopt, 4), kNoValue);
  EXPECT_EQ(format_speedup(1.8), "1.80x");
}

}  // namespace
}  // namespace datamux::reports
