// Runs the built `severn` binary as a user would, for command-line tests.
#pragma once
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace severn::testing {

struct CommandResult {
  int code;            // the exit status, or -1 if the process did not exit normally
  std::string output;  // what it printed: stdout and stderr together, or stderr alone
};

struct RunSevernOptions {
  std::string env;           // assignments put before the command, such as "SEVERN_DATA=/x"
  bool stderr_only = false;  // capture stderr and discard stdout
};

inline CommandResult run_severn(const std::string& args, const RunSevernOptions& o = {}) {
  const std::string cmd = (o.env.empty() ? "" : o.env + " ") + std::string(SEVERN_BINARY) + " " + args +
                          (o.stderr_only ? " 2>&1 >/dev/null" : " 2>&1");
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, "popen failed: " + cmd};
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace severn::testing
