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

std::vector<std::vector<PredictedLabel>> predicted_labels(const Dataset& data,
                                                          const std::vector<torch::Tensor>& logits) {
  const torch::Tensor all = evaluation_logits(logits, data.examples.size()).to(torch::kFloat);
  // Flattened to (rows, labels), so sentence and token tasks read alike: row r of a sentence
  // task; row r * length + position of a token task.
  const std::int64_t labels = all.size(-1);
  const std::int64_t length = all.dim() == 3 ? all.size(1) : 1;
  const torch::Tensor flat = all.reshape({-1, labels});
  const torch::Tensor predicted_tensor = flat.argmax(-1);
  const torch::Tensor probability_tensor = flat.softmax(-1).to(torch::kDouble).contiguous();
  const auto predicted = predicted_tensor.accessor<std::int64_t, 1>();
  const double* probabilities = probability_tensor.data_ptr<double>();
  auto label_at = [&](std::int64_t flat_row) {
    const double* first = probabilities + flat_row * labels;
    return PredictedLabel{predicted[flat_row], std::vector<double>(first, first + labels)};
  };
  std::vector<std::vector<PredictedLabel>> out(data.examples.size());
  for (std::size_t row = 0; row < data.examples.size(); ++row) {
    const Example& example = data.examples[row];
    const auto r = static_cast<std::int64_t>(row);
    if (data.label_kind == LabelKind::kSentence) {
      out[row].push_back(label_at(r));
      continue;
    }
    // Word w is tagged at its first sub-token; words cut off by truncation were never seen
    // (-1), and are scored as O by the evaluation (Batch::truncated_labels). Word positions
    // lie within the example's own batch, never in the NaN padding.
    for (const std::int64_t position : example.word_positions)
      out[row].push_back(label_at(r * length + position));
    out[row].resize(example.words.size());
  }
  return out;
}

void write_predictions(const Dataset& data, const std::vector<torch::Tensor>& logits,
                       const std::filesystem::path& path) {
  if (data.label_kind == LabelKind::kNone)
    throw Error("--predictions: a warm-up objective has no task labels to predict");
  if (logits.empty()) throw Error("--predictions: the evaluation set is empty");
  const auto predictions = predicted_labels(data, logits);
  std::ostringstream out;
  for (std::size_t row = 0; row < data.examples.size(); ++row) {
    if (data.label_kind == LabelKind::kSentence) {
      out << data.label_names[predictions[row][0].label] << '\n';
      continue;
    }
    // Words cut off are written as O, as the evaluation scores them, so `datamux score` on
    // this file reproduces its numbers.
    const Example& example = data.examples[row];
    for (std::size_t word = 0; word < example.words.size(); ++word) {
      const std::int64_t label = predictions[row][word].label;
      out << example.words[word] << ' ' << (label < 0 ? "O" : data.label_names[label]) << '\n';
    }
    out << '\n';
  }
  write_file_atomically(path, out.str());
}

}  // namespace datamux
