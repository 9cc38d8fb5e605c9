#pragma once
// Text helpers shared by the report writers: escaping for each output format and the
// deterministic number formatting that makes regenerated reports byte-identical.
#include <cstdint>
#include <optional>
#include <string>

namespace datamux::reports {

// HTML text and attribute escaping (& < > " ').
std::string escape_html(const std::string& text);

// Markdown escaping for text that people also read as it is (report.md in a terminal, the
// lines scripts/demo prints): | \ * ` [ ] are backslash-escaped; < only before what could
// open an HTML tag or autolink (a letter, / ! ?), & only before what could spell an entity
// (a letter, #), > only at the start (a block quote). So "N > 1" stays "N > 1", a record
// string never becomes HTML, and no HTML entity appears. Line breaks become spaces.
std::string escape_markdown(const std::string& text);

// JSON text made safe inside <script type="application/json">: < > & become \u003c \u003e
// \u0026, which keeps it the same JSON value but can never close the script element.
std::string json_for_script_element(const std::string& json_text);

// A JSON string literal (quoted, escaped) for `text`.
std::string json_string_literal(const std::string& text);

// `value` with exactly `decimals` digits after the point ("C" formatting, never locale).
std::string format_fixed(double value, int decimals);
// format_fixed, or "—" when there is no value.
std::string format_optional(const std::optional<double>& value, int decimals);
// "3.21x".
std::string format_speedup(const std::optional<double>& ratio);

// A metric value as tables show it: a count as an integer, a score with kMetricDecimals.
std::string format_metric(double value, bool count);
std::string format_optional_metric(const std::optional<double>& value, bool count);
// A difference of two such values, always signed: "+0.0125", "-0.0030", "+12".
std::string format_difference(double difference, bool count);

// The current time in UTC as "2024-05-01T12:00:00Z" (the reports' one varying field).
std::string utc_timestamp_now();

// Shown where a table has no value.
inline constexpr const char* kNoValue = "—";

// Decimals used for metrics and losses, and for throughput in instances/s.
inline constexpr int kMetricDecimals = 4;
inline constexpr int kThroughputDecimals = 1;

}  // namespace datamux::reports
