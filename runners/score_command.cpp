#include <iostream>

#include "cli_parse.h"
#include "datamux/core/scoring.h"

namespace datamux::cli {

int score_command(const Arguments& args) {
  cxxopts::Options options(
      "datamux score",
      "Score a prediction file against a gold file with the metrics `datamux eval` reports.\n"
      "  ner:            CoNLL column files (tag in the last column); conlleval entity F1\n"
      "  classification: one label per line; accuracy (+ F1 of label 1 for 0/1 labels)");
  options.positional_help("ner|classification GOLD PRED");
  options.add_options()
      ("positive", "classification: report the F1 of this label", cxxopts::value<std::string>(),
       "LABEL")
      ("h,help", "show this help");
  options.add_options("positional")
      ("kind", "ner or classification", cxxopts::value<std::string>())
      ("gold", "gold file", cxxopts::value<std::string>())
      ("pred", "prediction file", cxxopts::value<std::string>());
  options.parse_positional({"kind", "gold", "pred"});
  const auto result = parse(options, args);
  if (result.count("help")) {
    std::cout << options.help({""}) << std::endl;
    return 0;
  }
  if (!result.count("kind") || !result.count("gold") || !result.count("pred"))
    throw UsageError("datamux score: expected ner|classification GOLD PRED (see --help)");
  const std::string kind = result["kind"].as<std::string>();
  const std::string gold = result["gold"].as<std::string>();
  const std::string pred = result["pred"].as<std::string>();
  ScoreValues values;
  if (kind == "ner") {
    if (result.count("positive"))
      throw UsageError("datamux score: --positive applies to classification only");
    values = score_ner_files(gold, pred);
  } else if (kind == "classification") {
    std::optional<std::string> positive;
    if (result.count("positive")) positive = result["positive"].as<std::string>();
    values = score_classification_files(gold, pred, positive);
  } else {
    throw UsageError("datamux score: unknown kind '" + kind +
                     "' (expected ner or classification)");
  }
  for (const auto& [name, value] : values) std::cout << name << " " << value << "\n";
  std::cout.flush();
  return 0;
}

}  // namespace datamux::cli
