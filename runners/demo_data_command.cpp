#include <iostream>

#include "cli_parse.h"
#include "datamux/core/demo_data.h"

namespace datamux::cli {

int demo_data_command(const Arguments& args) {
  cxxopts::Options options("datamux demo-data",
                           "Write the generated demo datasets (sentiment, NER, warm-up corpus) in "
                           "the formats of SST-2, CoNLL-2003 and WikiText.");
  options.add_options()
      ("out", "directory to write into (sst2/, conll2003/, wikitext/)",
       cxxopts::value<std::string>(), "DIR")
      ("seed", "generator seed", cxxopts::value<std::uint64_t>()->default_value("1"))
      ("h,help", "show this help");
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  const std::string out = required(result, "out", "datamux demo-data");
  write_demo_data(out, result["seed"].as<std::uint64_t>());
  std::cout << "demo data written to " << out << std::endl;
  return 0;
}

}  // namespace datamux::cli
