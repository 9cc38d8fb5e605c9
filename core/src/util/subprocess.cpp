#include "subprocess.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "datamux/core/json_file.h"
#include "datamux/sdk/error.h"

extern char** environ;

namespace datamux {

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          const std::filesystem::path& scratch) {
  const auto in = scratch / "stdin", out = scratch / "stdout", err = scratch / "stderr";
  write_file_atomically(in, input);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw Error(argv[0] + ": cannot start: " + std::strerror(spawned));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw Error(argv[0] + ": cannot wait for it: " + std::strerror(errno));
  ProcessResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", ""};
  read_file(out, result.output);  // an absent file simply means nothing was printed
  read_file(err, result.errors);
  return result;
}

}  // namespace datamux
