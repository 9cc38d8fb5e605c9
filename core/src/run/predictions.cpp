#include "datamux/core/predictions.h"

#include <algorithm>
#include <limits>
#include <sstream>

#include <torch/torch.h>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

namespace datamux {

torch::Tensor evaluation_logits(const std::vector<torch::Tensor>& batches, std::size_t examples) {
  if (batches.empty()) throw Error("the evaluation set is empty: there are no logits");
  // Each batch is as long as its longest sentence, so token-task batches differ in length:
  // the shorter ones are padded to the longest with NaN, a value no real logit takes.
  std::int64_t length = 0;
  for (const auto& batch : batches)
    if (batch.dim() == 3) length = std::max(length, batch.size(1));
  std::vector<torch::Tensor> padded;
  padded.reserve(batches.size());
  for (const auto& batch : batches) {
    torch::Tensor rows = batch.detach().to(torch::kCPU);
    if (rows.dim() == 3 && rows.size(1) < length)
      rows = torch::constant_pad_nd(rows, {0, 0, 0, length - rows.size(1)},
                                    std::numeric_limits<double>::quiet_NaN());
    padded.push_back(rows);
  }
  // Filler instances only complete the last group, so the first `examples` rows are the
  // examples, in order.
  return torch::cat(padded).narrow(0, 0, static_cast<std::int64_t>(examples));
}

void write_predictions(const Dataset& data, const std::vector<torch::Tensor>& logits,
                       const std::filesystem::path& path) {
  if (data.label_kind == LabelKind::kNone)
    throw Error("--predictions: a warm-up objective has no task labels to predict");
  if (logits.empty()) throw Error("--predictions: the evaluation set is empty");
  const torch::Tensor predicted = evaluation_logits(logits, data.examples.size()).argmax(-1);
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
    // Labelled positions lie within the example's own batch, never in the NaN padding.
    const torch::Tensor row_tags = predicted[row];
    const auto tags = row_tags.accessor<std::int64_t, 1>();
    const auto positions = std::min<std::size_t>(example.token_labels.size(),
                                                 static_cast<std::size_t>(row_tags.size(0)));
    std::size_t word = 0;
    for (std::size_t t = 0; t < positions && word < example.words.size(); ++t)
      if (example.token_labels[t] != kIgnoreLabel)
        out << example.words[word++] << ' ' << data.label_names[tags[t]] << '\n';
    for (; word < example.words.size(); ++word) out << example.words[word] << " O\n";
    out << '\n';
  }
  write_file_atomically(path, out.str());
}

}  // namespace datamux
