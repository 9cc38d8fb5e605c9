#include "test_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <torch/torch.h>

#include "datamux/core/json_file.h"
#include "datamux/core/plugin_search_path.h"

namespace datamux::test {

std::filesystem::path fixture_dir(const std::string& name) {
  return std::filesystem::path(DATAMUX_TEST_FIXTURE_DIR) / name;
}

std::filesystem::path datamux_binary() { return DATAMUX_TEST_BINARY; }

std::filesystem::path ScratchDir::write(const std::string& name, const std::string& content) const {
  const auto file = path() / name;
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

std::string model_config(const ModelChoice& choice, const std::string& extra) {
  const std::string base = R"({
    "run": {"seed": )" + std::to_string(choice.seed) + R"(, "device": ")" + choice.device + R"("},
    "model": {"num_instances": )" + std::to_string(choice.n) + R"(, "max_seq_length": 24},
    "backbone": {"plugin": ")" + choice.backbone + R"(", "preset": ")" + choice.backbone + R"(-tiny"},
    "multiplexer": {"plugin": ")" + choice.multiplexer + R"("},
    "demultiplexer": {"plugin": ")" + choice.demultiplexer + R"("},
    "task": {"plugin": "sequence_classification"}})";
  // Configs refuse repeated keys, so `extra`'s sections are merged into the base's.
  rapidjson::Document config = parse_json(base, "<model_config>");
  rapidjson::Document more = parse_json("{" + extra + "}", "<model_config extra>");
  auto& a = config.GetAllocator();
  for (auto& section : more.GetObject()) {
    auto found = config.FindMember(section.name);
    if (found == config.MemberEnd() || !section.value.IsObject() || !found->value.IsObject()) {
      if (found != config.MemberEnd()) config.RemoveMember(found);
      config.AddMember(rapidjson::Value(section.name, a), rapidjson::Value(section.value, a), a);
      continue;
    }
    for (auto& item : section.value.GetObject()) {
      auto existing = found->value.FindMember(item.name);
      if (existing != found->value.MemberEnd()) existing->value.CopyFrom(item.value, a);
      else found->value.AddMember(rapidjson::Value(item.name, a), rapidjson::Value(item.value, a), a);
    }
  }
  // The method's finetuning: the retrieval objective beside the task, unless the task is
  // retrieval itself (a warm-up) or `extra` names another auxiliary.
  const bool warmup = std::string(config["task"]["plugin"].GetString()) == "retrieval";
  if (!warmup && !config.HasMember("auxiliary")) {
    rapidjson::Value auxiliary(rapidjson::kObjectType);
    auxiliary.AddMember("plugin", "retrieval", a);
    config.AddMember("auxiliary", auxiliary, a);
  }
  return to_json_text(config);
}

std::string tiny_config(std::int64_t n, const std::string& extra) {
  ModelChoice choice;
  choice.n = n;
  return model_config(choice, extra);
}

bool cuda_available() { return torch::cuda::is_available(); }

BuiltModel build_from_config(const std::string& config_json, std::int64_t vocab_size,
                             std::int64_t num_labels) {
  auto plugins = std::make_unique<PluginHost>(plugin_search_path({}));
  ResolvedConfig config =
      resolve_config(ExperimentConfig::from_json_text(config_json, "<test config>"), *plugins);
  DataShape shape;
  shape.vocab_size = vocab_size;
  for (std::int64_t i = 0; i < num_labels; ++i) shape.label_names.push_back(std::to_string(i));
  // The demultiplexer's reserved tokens right after the special ids, as a tokenizer places them.
  for (std::size_t i = 0; i < config.layout.reserved_tokens.size(); ++i)
    shape.reserved_tokens.push_back(SpecialTokens::kCount + static_cast<std::int64_t>(i));
  auto model = build_model(config, *plugins, shape);
  return BuiltModel{std::move(plugins), std::move(config), std::move(model)};
}

Batch random_batch(std::int64_t groups, std::int64_t n, std::int64_t length,
                   std::int64_t vocab_size, std::int64_t num_labels, std::uint64_t seed) {
  const SpecialTokens tokens;
  auto generator = at::detail::createCPUGenerator(seed);
  const std::int64_t rows = groups * n;
  auto ids = torch::randint(kFirstOrdinaryId, vocab_size, {rows, length}, generator, torch::kLong);
  auto mask = torch::ones({rows, length}, torch::kBool);
  for (std::int64_t row = 1; row < rows; row += 2) {  // every other instance is shorter
    const std::int64_t keep = std::max<std::int64_t>(1, length - 1 - row % length);
    mask[row].slice(0, keep).fill_(false);
    ids[row].slice(0, keep).fill_(tokens.pad);
  }
  auto labels = torch::randint(0, num_labels, {rows}, generator, torch::kLong);
  return Batch{ids, mask, labels, n};
}

CommandResult run_datamux(const std::string& arguments) { return run_datamux_in("", arguments); }

CommandResult run_datamux_in(const std::filesystem::path& directory, const std::string& arguments) {
  const std::string change = directory.empty() ? "" : "cd '" + directory.string() + "' && ";
  const std::string command = change + datamux_binary().string() + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::string out;
  std::array<char, 4096> buffer{};
  std::size_t count;
  while ((count = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), count);
  const int status = ::pclose(pipe);
  return CommandResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

BackgroundDatamux::BackgroundDatamux(const std::vector<std::string>& arguments,
                                     const std::filesystem::path& log,
                                     const std::vector<std::string>& environment) {
  const std::string binary = datamux_binary().string();
  std::vector<std::string> argv_text = {binary};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : argv_text) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text = environment;
  for (char** entry = environ; *entry != nullptr; ++entry) env_text.emplace_back(*entry);
  std::vector<char*> envp;
  for (auto& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const std::string log_path = log.string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {  // only async-signal-safe calls until exec
    const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
}

BackgroundDatamux::~BackgroundDatamux() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void BackgroundDatamux::send(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int BackgroundDatamux::wait() {
  int status = 0;
  if (pid_ <= 0 || ::waitpid(pid_, &status, 0) != pid_) return -1;
  pid_ = -1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool wait_until(const std::function<bool()>& condition, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return condition();
}

std::map<std::string, double> printed_metrics(const std::string& text) {
  std::map<std::string, double> values;
  std::istringstream lines(text);
  std::string name;
  double value;
  for (std::string line; std::getline(lines, line);)
    if (std::istringstream(line) >> name >> value) values[name] = value;
  return values;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

std::string read_text(const std::filesystem::path& file) {
  std::string content;
  read_file(file, content);
  return content;
}

std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> loss_trace(const std::filesystem::path& run) {
  std::vector<std::string> trace;
  for (const auto& line : read_lines(run / "metrics.jsonl")) {
    const auto record = parse_json(line, "metrics.jsonl");
    rapidjson::Document kept(rapidjson::kObjectType);
    auto& a = kept.GetAllocator();
    for (const char* key : {"step", "loss", "task_loss", "retrieval_loss", "lr", "grad_norm", "mean", "eval"})
      if (record.HasMember(key)) kept.AddMember(rapidjson::StringRef(key), rapidjson::Value(record[key], a), a);
    trace.push_back(to_json_text(kept, false));
  }
  return trace;
}

std::filesystem::path source_dir() { return DATAMUX_TEST_SOURCE_DIR; }

}  // namespace datamux::test
