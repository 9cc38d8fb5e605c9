#include "datamux/core/embedding.h"

#include <mutex>

#include <torch/torch.h>

#include "datamux/core/batching.h"
#include "datamux/core/checkpoint.h"
#include "datamux/core/device.h"
#include "datamux/core/encoding.h"
#include "datamux/core/experiment_config.h"
#include "datamux/core/json_file.h"
#include "datamux/core/model_builder.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/precision.h"
#include "datamux/core/predictions.h"
#include "datamux/core/tokenizer.h"
#include "datamux/core/trainer.h"
#include "datamux/core/version.h"
#include "run/prepared_experiment.h"

namespace datamux {
namespace {

std::filesystem::path required_file(const std::filesystem::path& run, const std::string& name,
                                    const std::string& what) {
  const auto file = run / name;
  if (!std::filesystem::is_regular_file(file)) throw Error(file.string() + ": missing (" + what + ")");
  return file;
}

// A run this toolkit can read: written by the same major.minor version, with the record
// format it knows, and (unless other weights are given) finished.
void check_run_record(const std::filesystem::path& run, bool other_weights) {
  const auto file = required_file(run, "run.json", "the run's record; the run never started");
  const auto record = read_json_file(file);
  if (!record.IsObject()) throw Error(file.string() + ": not a run record (expected an object)");
  if (!record.HasMember("datamux_version") || !record["datamux_version"].IsString())
    throw Error(file.string() + ": records no datamux_version (written by another toolkit "
                "version than datamux " + toolkit_version() + "; retrain the run with it)");
  const std::string version = record["datamux_version"].GetString();
  if (!compatible_toolkit_version(version))
    throw Error(file.string() + ": written by datamux " + version + ", this is datamux " +
                toolkit_version() + " (runs are read by the same major.minor version)");
  if (!record.HasMember("schema_version") || !record["schema_version"].IsInt() ||
      record["schema_version"].GetInt() != 1)
    throw Error(file.string() + ": a run record format this toolkit does not know (schema_version)");
  const std::string status = record.HasMember("status") && record["status"].IsString()
                                 ? record["status"].GetString() : "";
  if (!other_weights && status != "complete")
    throw Error(run.string() + ": the run is '" + status + "', not finished (no final model.pt; "
                "give ModelOptions::weights, e.g. its best.pt or a checkpoint)");
}

std::int64_t recorded_vocab_size(const std::filesystem::path& run) {
  const auto file = run / "data.json";
  const auto record = read_json_file(file);
  if (!record.IsObject() || !record.HasMember("vocab_size") || !record["vocab_size"].IsInt64())
    throw Error(file.string() + ": no vocab_size (not a data record written by a run)");
  return record["vocab_size"].GetInt64();
}

}  // namespace

struct TrainedModel::State {
  std::filesystem::path run;
  std::unique_ptr<PluginHost> plugins;
  torch::Device device;
  Tokenizer tokenizer;
  std::vector<std::string> labels;
  bool token_task = false;
  std::int64_t groups = 0, num_instances = 0, max_length = 0;
  std::string precision;
  std::shared_ptr<MuxModel> model;
  std::mutex forward;  // serialises the forward passes (embedding.h says why)

  // The task logits of `data`, grouped exactly as `datamux eval` groups an evaluation file.
  std::vector<torch::Tensor> logits_of(const Dataset& data) {
    std::lock_guard<std::mutex> lock(forward);
    const auto batches = evaluation_batches(data, groups, num_instances, max_length, device);
    AutocastScope autocast(precision, device);
    return task_logits(*model, batches);
  }

  LabelPrediction named(const PredictedLabel& predicted) const {
    return {labels[predicted.label], predicted.probability(), predicted.probabilities};
  }

  std::vector<LabelPrediction> classify(const std::vector<SentenceExample>& examples) {
    if (token_task)
      throw Error(run.string() + ": a token task (data.format conll): call tag(), not classify()");
    if (examples.empty()) return {};
    ReadReport report;  // truncation to max_seq_length is what eval does too; not an error
    const Dataset data = encode_sentences(examples, tokenizer, labels, max_length, "input", report);
    std::vector<LabelPrediction> out;
    for (const auto& example : predicted_labels(data, logits_of(data)))
      out.push_back(named(example.front()));
    return out;
  }
};

TrainedModel::TrainedModel(std::unique_ptr<State> state) : state_(std::move(state)) {}
TrainedModel::TrainedModel(TrainedModel&&) noexcept = default;
TrainedModel& TrainedModel::operator=(TrainedModel&&) noexcept = default;
TrainedModel::~TrainedModel() = default;

TrainedModel TrainedModel::load(const std::filesystem::path& run, const ModelOptions& options) {
  if (!std::filesystem::is_directory(run)) throw Error(run.string() + ": no such run directory");
  const auto config_file =
      required_file(run, "config.json", "not a run directory: its resolved config is needed");
  check_run_record(run, !options.weights.empty());
  const auto weights = options.weights.empty()
                           ? required_file(run, "model.pt", "the run's final weights")
                           : options.weights;
  if (!std::filesystem::is_regular_file(weights)) throw Error(weights.string() + ": no such weights file");
  const DataReuse reuse = reuse_of_run(run);  // names a missing data.json or tokenizer.model

  ExperimentConfig raw = ExperimentConfig::from_file(config_file);
  raw.set("train.init_from=");  // the run's own weights are loaded below
  raw.set("run.device=" + options.device);
  auto plugins = std::make_unique<PluginHost>(plugin_search_path(options.plugin_paths));
  const ResolvedConfig config = resolve_config(raw, *plugins);

  const std::string format = config.data.options.get_string("format");
  if (format == "text")
    throw Error(run.string() + ": a retrieval warm-up run (data.format text) has no task labels "
                "to predict; load a run finetuned from it");
  if (reuse.tokenizer.empty())
    throw Error(run.string() + ": the run has no tokenizer (data.format " + format +
                " is not text), so it cannot read sentences");
  if (!reuse.label_names || reuse.label_names->empty())
    throw Error((run / "data.json").string() + ": no label_names (the run's labels are needed)");

  const torch::Device device = select_device(config.run.options.get_string("device"));
  const std::string precision = config.run.options.get_string("precision");
  check_precision(precision, device);
  // The demultiplexer's reserved symbols, looked up by name in the run's own tokenizer.
  Tokenizer tokenizer = Tokenizer::load(reuse.tokenizer, config.layout.reserved_tokens);
  const DataShape shape{recorded_vocab_size(run), *reuse.label_names, tokenizer.reserved_ids()};
  std::shared_ptr<MuxModel> model = build_model(config, *plugins, shape);
  model->to(device);
  load_weights(*model, weights, device);
  model->eval();

  auto state = std::unique_ptr<State>(new State{
      run, std::move(plugins), device, std::move(tokenizer), *reuse.label_names,
      format == "conll", config.train.options.get_int("batch_size"),
      config.model.options.get_int("num_instances"),
      config.model.options.get_int("max_seq_length"), precision, std::move(model), {}});
  return TrainedModel(std::move(state));
}

std::vector<LabelPrediction> TrainedModel::classify(const std::vector<std::string>& sentences) const {
  std::vector<SentenceExample> examples;
  for (std::size_t i = 0; i < sentences.size(); ++i) examples.push_back({sentences[i], "", "", i + 1});
  return state_->classify(examples);
}

std::vector<LabelPrediction> TrainedModel::classify(
    const std::vector<std::pair<std::string, std::string>>& pairs) const {
  std::vector<SentenceExample> examples;
  for (std::size_t i = 0; i < pairs.size(); ++i)
    examples.push_back({pairs[i].first, pairs[i].second, "", i + 1});
  return state_->classify(examples);
}

std::vector<std::vector<WordPrediction>> TrainedModel::tag(
    const std::vector<std::vector<std::string>>& sentences) const {
  State& s = *state_;
  if (!s.token_task)
    throw Error(s.run.string() + ": a sentence task: call classify(), not tag()");
  if (sentences.empty()) return {};
  std::vector<TaggedSentence> untagged;
  for (std::size_t i = 0; i < sentences.size(); ++i) untagged.push_back({sentences[i], {}, i + 1});
  ReadReport report;
  const Dataset data = encode_tagged(untagged, s.tokenizer, s.labels, s.max_length, "input", report);
  const auto predicted = predicted_labels(data, s.logits_of(data));
  std::vector<std::vector<WordPrediction>> out(sentences.size());
  for (std::size_t i = 0; i < sentences.size(); ++i)
    for (std::size_t w = 0; w < sentences[i].size(); ++w) {
      const PredictedLabel& label = predicted[i][w];
      out[i].push_back(label.label < 0 ? WordPrediction{sentences[i][w], {"O", 0.0, {}}, true}
                                       : WordPrediction{sentences[i][w], s.named(label), false});
    }
  return out;
}

bool TrainedModel::tags_words() const { return state_->token_task; }
const std::vector<std::string>& TrainedModel::labels() const { return state_->labels; }
std::int64_t TrainedModel::num_instances() const { return state_->num_instances; }
std::string TrainedModel::device() const { return state_->device.str(); }
const std::filesystem::path& TrainedModel::run() const { return state_->run; }

}  // namespace datamux
