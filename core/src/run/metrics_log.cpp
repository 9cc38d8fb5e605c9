#include "metrics_log.h"

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// The lines of an existing log up to and including `step`; a last line cut short by a crash
// is dropped, any other unreadable line is an error (the file was edited or damaged).
std::string kept_lines(const std::filesystem::path& path, std::int64_t step) {
  std::string content;
  if (!read_file(path, content)) return "";
  std::string kept;
  std::size_t start = 0;
  int line_number = 0;
  while (start < content.size()) {
    const std::size_t end = content.find('\n', start);
    const bool complete = end != std::string::npos;
    const std::string line = content.substr(start, complete ? end - start : std::string::npos);
    start = complete ? end + 1 : content.size();
    ++line_number;
    if (line.empty()) continue;
    rapidjson::Document doc;
    doc.Parse(line.c_str(), line.size());
    const bool valid = !doc.HasParseError() && doc.IsObject() && doc.HasMember("step") &&
                       doc["step"].IsInt64();
    if (!valid) {
      if (!complete || start >= content.size()) break;  // the torn last line of a killed run
      throw Error(path.string() + ":" + std::to_string(line_number) +
                  ": not a metrics record; cannot resume from a damaged log");
    }
    if (doc["step"].GetInt64() <= step) kept += line + "\n";
  }
  return kept;
}

}  // namespace

rapidjson::Value metrics_object(const MetricValues& values, Allocator& a) {
  rapidjson::Value object(rapidjson::kObjectType);
  for (const auto& [name, value] : values) object.AddMember(json_string(name, a), rapidjson::Value(value), a);
  return object;
}

rapidjson::Value counts_array(const std::vector<std::string>& counts, Allocator& a) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& name : counts) array.PushBack(json_string(name, a), a);
  return array;
}

rapidjson::Value throughput_object(const Throughput& throughput, Allocator& a) {
  rapidjson::Value object(rapidjson::kObjectType);
  object.AddMember("instances_per_s", throughput.instances_per_second, a);
  object.AddMember("passes_per_s", throughput.passes_per_second, a);
  object.AddMember("eval_instances", throughput.instances, a);
  object.AddMember("repeats", throughput.repeats, a);
  object.AddMember("median_s", throughput.median_seconds, a);
  object.AddMember("device", json_string(throughput.device, a), a);
  return object;
}

MetricsLog::MetricsLog(std::filesystem::path path, std::int64_t keep_through_step)
    : path_(std::move(path)) {
  write_file_atomically(path_, kept_lines(path_, keep_through_step));
  out_.emplace(path_);
}

void MetricsLog::write_line(const rapidjson::Value& line) {
  out_->append(to_json_text(line, false) + '\n');
}

void MetricsLog::append_step(const StepRecord& step) {
  rapidjson::Document line(rapidjson::kObjectType);
  auto& a = line.GetAllocator();
  line.AddMember("step", step.step, a);
  line.AddMember("loss", step.loss, a);
  for (const auto& [name, value] : step.losses) line.AddMember(json_string(name, a), rapidjson::Value(value), a);
  line.AddMember("lr", step.learning_rate, a);
  line.AddMember("grad_norm", step.grad_norm, a);
  line.AddMember("elapsed_s", step.elapsed_seconds, a);
  write_line(line);

  sums_["loss"] += step.loss;
  for (const auto& [name, value] : step.losses) sums_[name] += value;
  ++count_;
  if (step.step % kWindow == 0) write_mean(step.step);
}

void MetricsLog::finish_window(std::int64_t step) {
  if (count_ > 0) write_mean(step);
}

void MetricsLog::write_mean(std::int64_t step) {
  rapidjson::Document line(rapidjson::kObjectType);
  auto& a = line.GetAllocator();
  line.AddMember("step", step, a);
  rapidjson::Value mean(rapidjson::kObjectType);
  // "loss" first, then the parts in name order: the same order on every line.
  mean.AddMember("loss", sums_["loss"] / double(count_), a);
  for (const auto& [name, sum] : sums_)
    if (name != "loss") mean.AddMember(json_string(name, a), rapidjson::Value(sum / double(count_)), a);
  line.AddMember("mean", mean, a);
  line.AddMember("window", count_, a);
  write_line(line);
  sums_.clear();
  count_ = 0;
}

void MetricsLog::append_evaluation(const EvaluationRecord& evaluation, const Throughput& throughput) {
  rapidjson::Document line(rapidjson::kObjectType);
  auto& a = line.GetAllocator();
  line.AddMember("step", evaluation.step, a);
  rapidjson::Value eval = metrics_object(evaluation.metrics, a);
  eval.AddMember("loss", evaluation.loss, a);
  eval.AddMember("counts", counts_array(evaluation.counts, a), a);
  line.AddMember("eval", eval, a);
  if (throughput.repeats > 0) line.AddMember("throughput", throughput_object(throughput, a), a);
  write_line(line);
}

rapidjson::Value MetricsLog::window_state(Allocator& a) const {
  rapidjson::Value state(rapidjson::kObjectType);
  rapidjson::Value sums(rapidjson::kObjectType);
  for (const auto& [name, sum] : sums_) sums.AddMember(json_string(name, a), rapidjson::Value(sum), a);
  state.AddMember("sums", sums, a);
  state.AddMember("count", count_, a);
  return state;
}

void MetricsLog::restore_window(const rapidjson::Value& state) {
  sums_.clear();
  count_ = 0;
  if (!state.IsObject() || !state.HasMember("sums") || !state.HasMember("count")) return;
  for (const auto& member : state["sums"].GetObject())
    sums_[member.name.GetString()] = member.value.GetDouble();
  count_ = state["count"].GetInt64();
}

}  // namespace datamux
