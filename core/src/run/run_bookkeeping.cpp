#include "run_bookkeeping.h"

#include <limits>
#include <ostream>

#include "datamux/core/checkpoint.h"
#include "datamux/core/interruption.h"
#include "datamux/core/json_file.h"
#include "datamux/core/throughput.h"
#include "datamux/core/training_checkpoint.h"

namespace datamux {
namespace {

std::optional<double> metric_value(const MetricValues& metrics, const std::string& name) {
  for (const auto& [metric, value] : metrics)
    if (metric == name) return value;
  return std::nullopt;
}

}  // namespace

const char* const kCarriedMembers[3] = {"final_eval", "best_eval", "throughput"};

void adopt_carried_members(RunRecord& record, const std::string& run_state, const std::string& source) {
  const rapidjson::Document carried = parse_json(run_state, source);
  for (const char* key : kCarriedMembers) {
    if (carried.HasMember(key)) record.set(key, rapidjson::Value(carried[key], record.allocator()));
    else record.document().RemoveMember(key);
  }
}

RunBookkeeping::RunBookkeeping(const RunDirectory& out, RunRecord& record, MuxModel& model,
                               torch::optim::Optimizer& optimizer, const TrainBatches& batches,
                               const std::vector<Batch>& evaluation, std::int64_t eval_instances,
                               torch::Device device, const BookkeepingSettings& settings,
                               std::int64_t steps_done, double seconds_done,
                               const std::string& run_state, std::ostream& progress)
    : out_(out),
      record_(record),
      model_(model),
      optimizer_(optimizer),
      batches_(batches),
      evaluation_(evaluation),
      eval_instances_(eval_instances),
      device_(device),
      settings_(settings),
      log_(out.file("metrics.jsonl"), steps_done),
      display_(progress, settings.progress_bar, settings.steps, settings.log_every, steps_done),
      primary_(model.task().primary_metric()),
      best_(-std::numeric_limits<double>::infinity()),
      elapsed_(seconds_done) {
  if (!run_state.empty()) {
    const rapidjson::Document carried = parse_json(run_state, out.path().string());
    if (carried.HasMember("window")) log_.restore_window(carried["window"]);
  }
  const auto& doc = record_.document();
  if (doc.HasMember("best_eval") && doc["best_eval"].HasMember(primary_.c_str()))
    best_ = doc["best_eval"][primary_.c_str()].GetDouble();
}

void RunBookkeeping::on_step(const StepRecord& step) {
  elapsed_ = step.elapsed_seconds;
  log_.append_step(step);
  display_.step(step);
}

void RunBookkeeping::on_evaluation(const EvaluationRecord& result) {
  display_.evaluation(result);
  const Throughput throughput =
      measure_throughput(model_, evaluation_, eval_instances_, settings_.throughput_repeats, device_);
  log_.append_evaluation(result, throughput);
  record_.set_evaluation("final_eval", result);
  if (throughput.repeats > 0) record_.set_throughput(throughput);
  const auto value = metric_value(result.metrics, primary_);
  if (value && *value > best_) {
    best_ = *value;
    save_weights(model_, out_.file("best.pt"));
    record_.set_evaluation("best_eval", result);
  }
  record_.set("steps_done", rapidjson::Value(result.step));
  record_.write();
}

void RunBookkeeping::save_checkpoint(std::int64_t step) {
  rapidjson::Document state(rapidjson::kObjectType);
  auto& sa = state.GetAllocator();
  state.AddMember("window", log_.window_state(sa), sa);
  for (const char* key : kCarriedMembers)
    if (record_.document().HasMember(key))
      state.AddMember(rapidjson::StringRef(key), rapidjson::Value(record_.document()[key], sa), sa);
  log_.sync();  // the log a resume keeps up to this step is on disk before the checkpoint
  save_training_checkpoint(checkpoint_path(out_.checkpoints(), step), model_, optimizer_,
                           batches_.state(), {step, elapsed_, to_json_text(state, false)});
  prune_checkpoints(out_.checkpoints(), settings_.keep_checkpoints);
}

void RunBookkeeping::finish(std::int64_t reached, int signal, const std::string& command,
                            std::int64_t dropped) {
  display_.finish();
  record_.set("steps_done", rapidjson::Value(reached));
  record_.set("dropped_examples", rapidjson::Value(dropped));
  record_.set("wall_s", rapidjson::Value(elapsed_));
  if (reached < settings_.steps) {
    const std::string message =
        out_.path().string() + ": interrupted by " + InterruptionGuard::signal_name(signal) +
        " at step " + std::to_string(reached) + "/" + std::to_string(settings_.steps) +
        "; checkpoint written, continue with `datamux " + command + " --resume --out " +
        out_.path().string() + "`";
    record_.set_text("status", "interrupted");
    record_.set_text("error", message);
    record_.write();
    throw Interrupted(message, signal);
  }
  log_.finish_window(settings_.steps);
  save_weights(model_, out_.file("model.pt"));
  record_.set_text("status", "complete");
  record_.document().RemoveMember("error");
  record_.write();
}

}  // namespace datamux
