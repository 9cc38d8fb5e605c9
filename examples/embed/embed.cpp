// datamux_embed RUN (--classify FILE | --tag FILE) [--device cpu|cuda|auto] [--probabilities]
//
// --classify: one sentence per line (a tab separates the two sentences of a pair); prints one
//             label per line.
// --tag:      one word per line, a blank line between sentences; prints "word label" lines
//             with a blank line after each sentence.
// Both print exactly what `datamux eval --predictions` writes for the same inputs;
// --probabilities appends each label's probability after a tab.
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "datamux/core/embedding.h"
#include "datamux/sdk/error.h"

namespace {

std::vector<std::string> lines_of(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw datamux::Error(file + ": cannot open");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::vector<std::string>> sentences_of_words(const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> sentences(1);
  for (const auto& line : lines) {
    if (line.empty()) {
      if (!sentences.back().empty()) sentences.emplace_back();
      continue;
    }
    sentences.back().push_back(line);
  }
  if (sentences.back().empty()) sentences.pop_back();
  return sentences;
}

void print(const datamux::LabelPrediction& prediction, bool probabilities) {
  std::cout << prediction.label;
  if (probabilities) std::cout << '\t' << prediction.probability;
  std::cout << '\n';
}

int usage() {
  std::cerr << "usage: datamux_embed RUN (--classify FILE | --tag FILE) "
               "[--device cpu|cuda|auto] [--probabilities]\n";
  return 2;
}

int run(const std::vector<std::string>& args) {
  std::string run_dir, mode, file;
  datamux::ModelOptions options;
  bool probabilities = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if ((arg == "--classify" || arg == "--tag") && has_value) {
      mode = arg;
      file = args[++i];
    } else if (arg == "--device" && has_value) {
      options.device = args[++i];
    } else if (arg == "--probabilities") {
      probabilities = true;
    } else if (run_dir.empty() && arg.rfind("--", 0) != 0) {
      run_dir = arg;
    } else {
      return usage();
    }
  }
  if (run_dir.empty() || mode.empty()) return usage();

  const auto model = datamux::TrainedModel::load(run_dir, options);
  if (mode == "--classify") {
    std::vector<std::pair<std::string, std::string>> pairs;
    bool any_pair = false;
    for (const auto& line : lines_of(file)) {
      const auto tab = line.find('\t');
      any_pair = any_pair || tab != std::string::npos;
      pairs.emplace_back(line.substr(0, tab), tab == std::string::npos ? "" : line.substr(tab + 1));
    }
    if (any_pair) {
      for (const auto& prediction : model.classify(pairs)) print(prediction, probabilities);
    } else {
      std::vector<std::string> sentences;
      for (auto& pair : pairs) sentences.push_back(std::move(pair.first));
      for (const auto& prediction : model.classify(sentences)) print(prediction, probabilities);
    }
    return 0;
  }
  for (const auto& sentence : model.tag(sentences_of_words(lines_of(file)))) {
    for (const auto& word : sentence) {
      std::cout << word.word << ' ';
      print(word.tag, probabilities);
    }
    std::cout << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& error) {
    std::cerr << "datamux_embed: " << error.what() << std::endl;
    return 1;
  }
}
