// The launchers' environment variables: torchrun's (and a hand launch's), else Slurm's.
#include <cerrno>
#include <cstdlib>

#include "datamux/core/distributed.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

int integer_variable(const EnvironmentLookup& lookup, const char* name, long low, long high) {
  const char* text = lookup(name);
  if (text == nullptr) text = "";
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || errno != 0 || value < low || value > high)
    throw Error(std::string("environment variable ") + name + "='" + text +
                "': expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
  return static_cast<int>(value);
}

bool has(const EnvironmentLookup& lookup, const char* name) {
  const char* value = lookup(name);
  return value != nullptr && value[0] != '\0';
}

}  // namespace

std::string first_host_of_nodelist(const std::string& nodelist) {
  // The first entry ends at a comma outside brackets; its first range's first value stands
  // for the bracket: "gpu[03-05,09]" -> "gpu03", "a1,b2" -> "a1".
  std::string host;
  for (std::size_t i = 0; i < nodelist.size(); ++i) {
    const char c = nodelist[i];
    if (c == ',') break;
    if (c != '[') {
      host += c;
      continue;
    }
    const std::size_t close = nodelist.find(']', i);
    if (close == std::string::npos) throw Error("SLURM_JOB_NODELIST='" + nodelist + "': unclosed '['");
    const std::string inside = nodelist.substr(i + 1, close - i - 1);
    host += inside.substr(0, inside.find_first_of(",-"));
    i = close;
  }
  if (host.empty()) throw Error("SLURM_JOB_NODELIST='" + nodelist + "': no host in it");
  return host;
}

LaunchEnvironment read_launch_environment(const EnvironmentLookup& lookup) {
  LaunchEnvironment env;
  constexpr long kMaxWorld = 1 << 20;
  if (has(lookup, "WORLD_SIZE")) {
    env.world_size = integer_variable(lookup, "WORLD_SIZE", 1, kMaxWorld);
    if (env.world_size == 1) return LaunchEnvironment{};
    for (const char* name : {"RANK", "MASTER_ADDR", "MASTER_PORT"})
      if (!has(lookup, name))
        throw Error(std::string("WORLD_SIZE=") + lookup("WORLD_SIZE") + " is set but " + name +
                    " is not (set RANK, MASTER_ADDR and MASTER_PORT too, or launch with torchrun)");
    env.rank = integer_variable(lookup, "RANK", 0, env.world_size - 1);
    env.local_rank = has(lookup, "LOCAL_RANK") ? integer_variable(lookup, "LOCAL_RANK", 0, kMaxWorld) : 0;
    env.master_addr = lookup("MASTER_ADDR");
    env.master_port = integer_variable(lookup, "MASTER_PORT", 1, 65535);
    const char* agent = lookup("TORCHELASTIC_USE_AGENT_STORE");
    env.agent_store = agent != nullptr && std::string(agent) == "True";
    if (env.agent_store) {
      const char* restarts = lookup("TORCHELASTIC_RESTART_COUNT");
      env.store_prefix = std::string("/worker/attempt_") + (restarts != nullptr && restarts[0] ? restarts : "0");
    }
    env.launcher = has(lookup, "TORCHELASTIC_RUN_ID") ? "torchrun" : "environment";
    return env;
  }
  if (has(lookup, "SLURM_NTASKS") && has(lookup, "SLURM_PROCID")) {
    env.world_size = integer_variable(lookup, "SLURM_NTASKS", 1, kMaxWorld);
    if (env.world_size == 1) return LaunchEnvironment{};
    env.rank = integer_variable(lookup, "SLURM_PROCID", 0, env.world_size - 1);
    env.local_rank = has(lookup, "SLURM_LOCALID") ? integer_variable(lookup, "SLURM_LOCALID", 0, kMaxWorld) : 0;
    if (has(lookup, "MASTER_ADDR")) env.master_addr = lookup("MASTER_ADDR");
    else if (has(lookup, "SLURM_JOB_NODELIST")) env.master_addr = first_host_of_nodelist(lookup("SLURM_JOB_NODELIST"));
    else throw Error("SLURM_NTASKS=" + std::to_string(env.world_size) +
                     " but neither MASTER_ADDR nor SLURM_JOB_NODELIST is set");
    if (has(lookup, "MASTER_PORT")) env.master_port = integer_variable(lookup, "MASTER_PORT", 1, 65535);
    env.launcher = "slurm";
  }
  return env;
}

LaunchEnvironment launch_environment() {
  return read_launch_environment([](const char* name) { return std::getenv(name); });
}

std::chrono::milliseconds collective_timeout(const EnvironmentLookup& lookup) {
  if (!has(lookup, "DATAMUX_DIST_TIMEOUT")) return std::chrono::seconds(600);
  return std::chrono::seconds(integer_variable(lookup, "DATAMUX_DIST_TIMEOUT", 1, 7 * 24 * 3600));
}

}  // namespace datamux
