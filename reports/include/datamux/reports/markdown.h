#pragma once
// report.md: a Document as GitHub-flavoured Markdown; charts become pointers to report.html.
#include <string>

#include "datamux/reports/report_document.h"

namespace datamux::reports {

std::string render_markdown(const Document& document);

// A relative path percent-encoded for use as a link target in Markdown or HTML (only
// [A-Za-z0-9-._~/] stay as they are, so no record string can form another URL scheme).
std::string link_target(const std::string& relative_path);

}  // namespace datamux::reports
