#include "datamux/core/bench.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>

#include <torch/cuda.h>
#include <torch/torch.h>
#if DATAMUX_CUDA_MEMORY_STATS
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include "datamux/core/batching.h"
#include "datamux/core/dataset.h"
#include "datamux/core/device.h"
#include "datamux/core/experiment_config.h"
#include "datamux/core/json_file.h"
#include "datamux/core/model_builder.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/precision.h"
#include "datamux/core/resolved_config.h"
#include "datamux/core/threads.h"
#include "datamux/core/throughput.h"
#include "datamux/core/trainer.h"
#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"

namespace datamux {
namespace {

using Clock = std::chrono::steady_clock;

// Steps run before the timed ones in train mode: the first allocates AdamW's state, the second
// is the first steady one.
constexpr std::int64_t kTrainWarmupSteps = 2;
constexpr std::int64_t kGemmRepeats = 5;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

void synchronise(torch::Device device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index());
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void check_request(const BenchRequest& request) {
  if (request.num_instances.empty()) throw Error("bench: no N to measure");
  for (const auto n : request.num_instances)
    if (n < 1) throw Error("bench: N must be at least 1, got " + std::to_string(n));
  if (request.groups < 1) throw Error("bench: --batch must be at least 1");
  if (request.seq_length < 2)
    throw Error("bench: --seq must be at least 2 (every instance starts with bos and ends with eos)");
  if (request.repeats < 1) throw Error("bench: --repeats must be at least 1");
  if (request.gemm_size < 1) throw Error("bench: --gemm-size must be at least 1");
  if (request.mode != "infer" && request.mode != "train")
    throw Error("bench: unknown mode '" + request.mode + "' (expected infer or train)");
  for (const auto& assignment : request.overrides)
    for (const char* owned : {"model.num_instances", "model.max_seq_length"})
      if (assignment.rfind(std::string(owned) + "=", 0) == 0)
        throw Error("--set " + assignment + ": the benchmark sets " + owned +
                    " itself (use --n / --seq)");
}

void add_member(rapidjson::Value& object, const char* key, const std::string& value,
                rapidjson::Document::AllocatorType& a) {
  object.AddMember(rapidjson::StringRef(key), json_string(value, a), a);
}

// The run config of one measured N: what `datamux train` would read, so the model is resolved
// and assembled exactly as a run's.
ExperimentConfig bench_config(const BenchRequest& request, std::int64_t n) {
  rapidjson::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  rapidjson::Value run(rapidjson::kObjectType), model(rapidjson::kObjectType),
      train(rapidjson::kObjectType);
  run.AddMember("seed", static_cast<std::uint64_t>(request.seed), a);
  add_member(run, "device", request.device, a);
  run.AddMember("threads", request.threads, a);
  add_member(run, "precision", request.precision, a);
  model.AddMember("num_instances", n, a);
  model.AddMember("max_seq_length", request.seq_length, a);
  train.AddMember("batch_size", request.groups, a);
  doc.AddMember("run", run, a);
  doc.AddMember("model", model, a);
  doc.AddMember("train", train, a);
  const auto component = [&](const char* section, const std::string& plugin,
                             const std::string& preset) {
    rapidjson::Value value(rapidjson::kObjectType);
    add_member(value, "plugin", plugin, a);
    if (!preset.empty()) add_member(value, "preset", preset, a);
    doc.AddMember(rapidjson::StringRef(section), value, a);
  };
  component("backbone", request.backbone, request.preset);
  component("multiplexer", request.multiplexer, "");
  component("demultiplexer", request.demultiplexer, "");
  component("task", request.task, "");
  if (!request.auxiliary.empty()) component("auxiliary", request.auxiliary, "");
  ExperimentConfig config =
      ExperimentConfig::from_json_text(to_json_text(doc, false), "<datamux bench>");
  for (const auto& assignment : request.overrides) config.set(assignment);
  return config;
}

// B*N full-length instances of random ordinary tokens between bos and eos, random labels; the
// demultiplexer's reserved tokens come first in the vocabulary, as a tokenizer places them.
Dataset random_dataset(const BenchRequest& request, const ResolvedConfig& config, std::int64_t n) {
  Dataset data;
  data.vocab_size = request.vocab_size;
  data.label_names = {"0", "1"};
  data.label_kind = request.token_labels ? LabelKind::kToken : LabelKind::kSentence;
  const auto reserved = static_cast<std::int64_t>(config.layout.reserved_tokens.size());
  for (std::int64_t i = 0; i < reserved; ++i) data.reserved_tokens.push_back(SpecialTokens::kCount + i);
  const std::int64_t first_ordinary = SpecialTokens::kCount + reserved;
  if (request.vocab_size < first_ordinary + 1)
    throw Error("bench: --vocab " + std::to_string(request.vocab_size) +
                " leaves no ordinary token (at least " + std::to_string(first_ordinary + 1) +
                " needed: demultiplexer '" + request.demultiplexer + "' reserves " +
                std::to_string(reserved) + ")");
  std::mt19937_64 random(request.seed * 1000003ULL + static_cast<std::uint64_t>(n));
  std::uniform_int_distribution<std::int64_t> token(first_ordinary, request.vocab_size - 1);
  std::uniform_int_distribution<std::int64_t> label(0, data.num_labels() - 1);
  for (std::int64_t row = 0; row < request.groups * n; ++row) {
    Example example;
    example.ids.resize(static_cast<std::size_t>(request.seq_length));
    for (auto& id : example.ids) id = token(random);
    example.ids.front() = data.tokens.bos;
    example.ids.back() = data.tokens.eos;
    example.label = label(random);
    if (request.token_labels)
      for (std::size_t t = 0; t < example.ids.size(); ++t) example.token_labels.push_back(label(random));
    data.examples.push_back(std::move(example));
  }
  return data;
}

// The analytic FLOPs of one forward pass, from the components' own declarations (sdk/flops.h),
// over the parts MuxModel::forward runs: embed, mix, encode, the demultiplexed states the heads
// read, the task head and (with_auxiliary) the auxiliary objective.
struct FlopTally {
  double total = 0;
  std::vector<std::string> undeclared;

  void add(const std::string& who, const FlopCount& count) {
    if (count) total += *count;
    else if (std::find(undeclared.begin(), undeclared.end(), who) == undeclared.end())
      undeclared.push_back(who);
  }
};

FlopTally forward_flops(MuxModel& model, const BenchRequest& request, std::int64_t n,
                        bool with_auxiliary) {
  const std::int64_t length = request.seq_length;
  const std::int64_t d = model.backbone().hidden_size();
  const FlopShape mixed{request.groups, n, model.prefix_length() + length, d};
  const FlopShape heads{request.groups, n, length, d};
  FlopTally tally;
  tally.add("backbone '" + request.backbone + "'", model.backbone().embed_flops(mixed));
  tally.add("multiplexer '" + request.multiplexer + "'", model.multiplexer().mix_flops(mixed));
  tally.add("backbone '" + request.backbone + "'", model.backbone().encode_flops(mixed));
  Task* auxiliary = with_auxiliary ? model.auxiliary() : nullptr;
  const StatesRead task_reads = model.task().reads();
  const StatesRead auxiliary_reads = auxiliary ? auxiliary->reads() : StatesRead{};
  const std::string demux = "demultiplexer '" + request.demultiplexer + "'";
  if (task_reads.sentence || auxiliary_reads.sentence)
    tally.add(demux, model.demultiplexer().sentence_flops(mixed));
  if (task_reads.tokens || auxiliary_reads.tokens)
    tally.add(demux, model.demultiplexer().tokens_flops(mixed));
  tally.add("task '" + request.task + "'", model.task().flops(heads));
  if (auxiliary) tally.add("auxiliary '" + request.auxiliary + "'", auxiliary->flops(heads));
  return tally;
}

// The FLOPs of one measured pass: the forward, and in train mode the backward as twice that.
FlopTally pass_flops(MuxModel& model, const BenchRequest& request, std::int64_t n) {
  const bool train = request.mode == "train";
  FlopTally tally = forward_flops(model, request, n, /*with_auxiliary=*/train);
  if (train) tally.total *= 3;
  return tally;
}


// Peak memory of one N. On CUDA the caching allocator's peak of allocated bytes, reset before
// the N. On CPU the resident-set high-water mark (VmHWM); Linux resets it to the current RSS
// when "5" is written to /proc/self/clear_refs, so the peak is this N's (on top of what the
// process already holds: libtorch, plugins); where that reset is refused it is the process's.
class PeakMemory {
 public:
  explicit PeakMemory(torch::Device device) : device_(device) {
    if (device_.is_cuda()) {
#if DATAMUX_CUDA_MEMORY_STATS
      c10::cuda::CUDACachingAllocator::resetPeakStats(device_index());
      scope_ = "n";
#else
      scope_ = "unavailable";
#endif
      return;
    }
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    scope_ = clear.good() ? "n" : "process";
  }

  std::string scope() const { return scope_; }

  double megabytes() const {
    if (device_.is_cuda()) {
#if DATAMUX_CUDA_MEMORY_STATS
      const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device_index());
      // Index 0 is StatType::AGGREGATE (all pools), whose namespace moved between versions.
      return double(stats.allocated_bytes[0].peak) / (1024.0 * 1024.0);
#else
      return 0;
#endif
    }
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
      if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
    return 0;
  }

 private:
  int device_index() const { return device_.has_index() ? device_.index() : 0; }

  torch::Device device_;
  std::string scope_;
};

// GFLOP/s of a gemm_size^3 matrix product on the device, in the precision's dtype.
double gemm_rate(std::int64_t size, torch::Device device, const std::string& precision) {
  torch::NoGradGuard no_grad;
  const auto options = torch::TensorOptions()
                           .device(device)
                           .dtype(precision == "bf16" ? torch::kBFloat16 : torch::kFloat);
  const auto a = torch::randn({size, size}, options);
  const auto b = torch::randn({size, size}, options);
  auto c = torch::mm(a, b);  // warm-up
  std::vector<double> seconds;
  for (std::int64_t repeat = 0; repeat < kGemmRepeats; ++repeat) {
    synchronise(device);
    const auto start = Clock::now();
    c = torch::mm(a, b);
    synchronise(device);
    seconds.push_back(std::max(seconds_since(start), 1e-9));
  }
  return 2.0 * double(size) * double(size) * double(size) / median(seconds) / 1e9;
}

// Median seconds of one inference pass over B groups of N (core's throughput measurement).
double time_inference(MuxModel& model, const Dataset& data, const BenchRequest& request,
                      std::int64_t n, torch::Device device) {
  std::vector<std::int64_t> all(data.examples.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int64_t>(i);
  const std::vector<Batch> batches = {make_batch(data, all, n, request.seq_length, device)};
  AutocastScope autocast(request.precision, device);
  const Throughput measured = measure_throughput(model, batches, request.groups * n,
                                                 request.repeats, device);
  return measured.median_seconds;
}

// Median seconds of one training step, run by core's Trainer: batch, forward with both losses,
// backward, clipping, AdamW. Each step is timed between device synchronisations after it.
double time_training(MuxModel& model, const Dataset& data, const ResolvedConfig& config,
                     const BenchRequest& request, std::int64_t n, torch::Device device) {
  TrainSettings settings = TrainSettings::from_options(config.train.options);
  settings.steps = kTrainWarmupSteps + request.repeats;
  settings.eval_every = 0;
  Trainer trainer(model, settings);
  TrainBatches batches(data, request.groups, n, request.seq_length, request.seed, device);
  std::vector<Clock::time_point> ends;
  TrainingObserver observer;
  observer.after_step = [&](std::int64_t) {
    synchronise(device);
    ends.push_back(Clock::now());
  };
  {
    AutocastScope autocast(request.precision, device);
    trainer.run(batches, {}, observer);
  }
  std::vector<double> seconds;
  for (std::size_t i = kTrainWarmupSteps; i < ends.size(); ++i)
    seconds.push_back(std::max(std::chrono::duration<double>(ends[i] - ends[i - 1]).count(), 1e-9));
  return median(seconds);
}

std::int64_t parameter_count(MuxModel& model) {
  std::int64_t count = 0;
  for (const auto& parameter : model.parameters()) count += parameter.numel();
  return count;
}

struct BuiltModel {
  ResolvedConfig config;
  Dataset data;
  std::shared_ptr<MuxModel> model;
  torch::Device device;
};

BuiltModel build(const BenchRequest& request, std::int64_t n, PluginHost& plugins) {
  ResolvedConfig config = resolve_config(bench_config(request, n), plugins);
  const torch::Device device = select_device(config.run.options.get_string("device"));
  check_precision(config.run.options.get_string("precision"), device);
  Dataset data = random_dataset(request, config, n);
  auto model = build_model(config, plugins,
                           DataShape{data.vocab_size, data.label_names, data.reserved_tokens});
  model->to(device);
  return {std::move(config), std::move(data), std::move(model), device};
}

}  // namespace

BenchSetting run_bench(const BenchRequest& request, const BenchRowCallback& on_row) {
  check_request(request);
  PluginHost plugins(plugin_search_path(request.plugin_paths));
  BenchSetting setting;
  setting.mode = request.mode;
  setting.precision = request.precision;
  setting.threads = apply_thread_setting(request.threads);

  // FLOPs at N = 1, for the ideal speedup; unknown if N = 1 cannot be built
  // with these components (e.g. one that needs N > 1): a real error shows in the loop below.
  std::optional<double> single_instance_flops;  // of B groups of one instance
  try {
    BuiltModel one = build(request, 1, plugins);
    const FlopTally tally = pass_flops(*one.model, request, 1);
    if (tally.undeclared.empty()) single_instance_flops = tally.total;
  } catch (const Error&) {
  }

  std::optional<double> single_instance_rate;
  for (const std::int64_t n : request.num_instances) {
    BuiltModel built = build(request, n, plugins);
    const Dataset& data = built.data;
    setting.device = built.device.str();
    BenchRow row;
    row.n = n;
    row.groups = request.groups;
    row.instances = request.groups * n;
    row.positions = built.model->prefix_length() + request.seq_length;
    row.parameters = parameter_count(*built.model);
    row.repeats = request.repeats;

    PeakMemory memory(built.device);
    row.median_seconds = request.mode == "train"
                             ? time_training(*built.model, data, built.config, request, n, built.device)
                             : time_inference(*built.model, data, request, n, built.device);
    row.peak_memory_mb = memory.megabytes();
    row.peak_memory_scope = memory.scope();
    row.instances_per_s = double(row.instances) / row.median_seconds;
    if (n == 1) single_instance_rate = row.instances_per_s;
    if (single_instance_rate) row.speedup = row.instances_per_s / *single_instance_rate;

    const FlopTally tally = pass_flops(*built.model, request, n);
    row.undeclared_flops = join(tally.undeclared);
    row.gemm_gflops_per_s = gemm_rate(request.gemm_size, built.device, request.precision);
    if (tally.undeclared.empty()) {
      row.flops = tally.total;
      row.model_gflops_per_s = tally.total / row.median_seconds / 1e9;
      row.fraction_of_gemm = *row.model_gflops_per_s / row.gemm_gflops_per_s;
      if (single_instance_flops) row.ideal_speedup = double(n) * *single_instance_flops / tally.total;
    }
    built.model.reset();  // before the next N, so its memory is not counted there
    on_row(setting, row);
  }
  return setting;
}

std::vector<std::int64_t> parse_instance_list(const std::string& text) {
  std::vector<std::int64_t> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    std::size_t used = 0;
    long long value = 0;
    try {
      value = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 1)
      throw Error("--n: '" + item + "' is not a positive integer (expected e.g. 1,2,5,10,20)");
    values.push_back(value);
    start = comma + 1;
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

}  // namespace datamux
