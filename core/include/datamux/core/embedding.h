#pragma once
// The embedding API: a finished run directory, loaded once, classifies sentences or tags words
// for another program. Raw text in, labels with probabilities out; multiplexing is applied
// inside: the inputs are formed into groups of the run's N (and batches of its
// train.batch_size groups), a partial last group is completed with filler instances whose
// outputs are discarded, and the run's own tokenizer is applied. The inputs are grouped in the
// order given, exactly as `datamux eval` groups an evaluation file, so the labels equal
// `datamux eval --run DIR --data FILE --predictions OUT` on the same inputs. (A multiplexed
// instance's output depends a little on the other instances of its group, so another order
// may give slightly different probabilities.)
//
// Thread safety: one TrainedModel may be used from several threads at once. Tokenisation runs
// in parallel; the forward passes of one model are serialised by a mutex of its own, because a
// plugin's module may keep state between calls (the SDK does not forbid it) and libtorch
// already spreads one forward pass over the CPU's cores. Use one TrainedModel per thread
// (each holds its own weights) to run forward passes in parallel.
//
// Errors are datamux::Error (datamux/sdk/error.h), one line naming the file or input at fault:
// a directory that is not a finished run, a missing file (config.json, run.json, data.json,
// tokenizer.model, model.pt), a run written by another toolkit version, a plugin the run used
// that is not on the search path, or a call that does not fit the run's task.
//
// Include only this header and link Datamux::core (find_package(Datamux), docs/embedding.md);
// it names no libtorch type.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace datamux {

struct ModelOptions {
  std::string device = "auto";           // "cpu", "cuda", or "auto": cuda when available
  std::filesystem::path weights;         // empty: the run's model.pt; or best.pt, a checkpoint
  std::vector<std::string> plugin_paths; // searched before DATAMUX_PLUGIN_PATH and the
                                         // plugins installed with the toolkit
};

struct LabelPrediction {
  std::string label;                  // the most probable label
  double probability = 0;             // its probability
  std::vector<double> probabilities;  // every label's, in the order of TrainedModel::labels()
};

struct WordPrediction {
  std::string word;
  LabelPrediction tag;
  // The word lies beyond the run's max_seq_length and was never seen: its tag is "O" with
  // probability 0, as `datamux eval` scores and writes it.
  bool truncated = false;
};

class TrainedModel {
 public:
  // Loads the run's config, plugins, tokenizer, labels and weights onto the device.
  static TrainedModel load(const std::filesystem::path& run, const ModelOptions& options = {});

  TrainedModel(TrainedModel&&) noexcept;
  TrainedModel& operator=(TrainedModel&&) noexcept;
  ~TrainedModel();

  // Sentence tasks (a run on a GLUE-format file): one prediction per sentence, or per pair of
  // sentences for pair tasks (QNLI, MNLI, QQP). Token tasks refuse these.
  std::vector<LabelPrediction> classify(const std::vector<std::string>& sentences) const;
  std::vector<LabelPrediction> classify(
      const std::vector<std::pair<std::string, std::string>>& pairs) const;

  // Token tasks (a run on a CoNLL file): each sentence given as its words; one prediction per
  // word. Sentence tasks refuse this.
  std::vector<std::vector<WordPrediction>> tag(
      const std::vector<std::vector<std::string>>& sentences) const;

  bool tags_words() const;                        // a token task (tag) or a sentence task (classify)
  const std::vector<std::string>& labels() const;  // the run's labels, in its order
  std::int64_t num_instances() const;              // N
  std::string device() const;                      // where it runs, e.g. "cpu" or "cuda:0"
  const std::filesystem::path& run() const;

 private:
  struct State;
  explicit TrainedModel(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace datamux
