#include "datamux/core/predictions.h"

#include <sstream>

#include <torch/torch.h>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

namespace datamux {

void write_predictions(const Dataset& data, const std::vector<torch::Tensor>& logits,
                       const std::filesystem::path& path) {
  if (data.label_kind == LabelKind::kNone)
    throw Error("--predictions: the retrieval warm-up has no task labels to predict");
  if (logits.empty()) throw Error("--predictions: the evaluation set is empty");
  // Filler instances only complete the last group, so row i is example i.
  const torch::Tensor predicted = torch::cat(logits).argmax(-1).to(torch::kCPU);
  std::ostringstream out;
  for (std::size_t row = 0; row < data.examples.size(); ++row) {
    const Example& example = data.examples[row];
    if (data.label_kind == LabelKind::kSentence) {
      out << data.label_names[predicted[row].item<std::int64_t>()] << '\n';
      continue;
    }
    // The i-th labelled position is the first sub-token of word i; words cut off by
    // truncation were never seen and are written as O, as the evaluation scores them
    // (Batch::truncated_labels), so `datamux score` on this file reproduces its numbers.
    const torch::Tensor row_tags = predicted[row];
    const auto tags = row_tags.accessor<std::int64_t, 1>();
    std::size_t word = 0;
    for (std::size_t t = 0; t < example.token_labels.size() && word < example.words.size(); ++t)
      if (example.token_labels[t] != kIgnoreLabel)
        out << example.words[word++] << ' ' << data.label_names[tags[t]] << '\n';
    for (; word < example.words.size(); ++word) out << example.words[word] << " O\n";
    out << '\n';
  }
  write_file_atomically(path, out.str());
}

}  // namespace datamux
