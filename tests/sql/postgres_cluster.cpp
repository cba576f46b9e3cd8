#include "postgres_cluster.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace severn::testing {
namespace {

constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";
constexpr const char* kTestUser = "severn-test";

std::string tail_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  constexpr std::size_t kShown = 2000;
  return text.size() > kShown ? "..." + text.substr(text.size() - kShown) : text;
}

// Runs argv with stdout and stderr appended to `log`, in directory `cwd`; returns the exit status
// (-1 if it did not exit normally or could not start).
int run(const std::vector<std::string>& argv, const std::filesystem::path& log, const std::filesystem::path& cwd) {
  // Built before fork: the child only makes system calls until exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in >= 0) ::dup2(null_in, 0);
    // The postgres user may not be able to enter the test's own working directory.
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The unprivileged user that owns clusters started by root, created if missing. Two test
// processes may race to create it; whoever loses finds it made.
std::string test_user(const std::filesystem::path& log, const std::filesystem::path& cwd) {
  if (::getpwnam(kTestUser) == nullptr) {
    run({"/usr/sbin/useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
         "/usr/sbin/nologin", kTestUser},
        log, cwd);
    if (::getpwnam(kTestUser) == nullptr)
      throw std::runtime_error(std::string("cannot create the system user ") + kTestUser +
                               " to own the test cluster (initdb refuses to run as root): " + tail_of(log));
  }
  return kTestUser;
}

}  // namespace

PostgresCluster::PostgresCluster() : bin_(kBinDir) {
  try {
    start();
  } catch (...) {
    stop();
    throw;
  }
}

void PostgresCluster::start() {
  const auto t0 = std::chrono::steady_clock::now();
  for (const char* program : {"initdb", "pg_ctl", "postgres"})
    if (::access((bin_ / program).c_str(), X_OK) != 0)
      throw std::runtime_error((bin_ / program).string() +
                               " not found: the SQL tests need PostgreSQL 15 (Debian's postgresql; run scripts/setup as root)");

  std::string templ = (std::filesystem::temp_directory_path() / "severn-pg-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr)
    throw std::runtime_error("cannot create a temporary directory for PostgreSQL: " + std::string(std::strerror(errno)));
  dir_ = templ;
  const auto log = dir_ / "setup.log";
  if (::geteuid() == 0) {
    user_ = test_user(log, dir_);
    const passwd* pw = ::getpwnam(user_.c_str());
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("cannot give " + dir_.string() + " to " + user_ + ": " + std::strerror(errno));
  }

  run_as_owner("initdb", {"-D", (dir_ / "data").string(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync", "--no-instructions"},
               log);
  {
    // Appending keeps the file's owner; postgres only needs to read it.
    std::ofstream conf(dir_ / "data" / "postgresql.conf", std::ios::app);
    conf << "\n# severn test cluster (tests/sql/postgres_cluster.h)\n"
         << "listen_addresses = ''\n"
         << "unix_socket_directories = '" << dir_.string() << "'\n"
         << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
         << "shared_buffers = 16MB\nmax_connections = 20\nmax_wal_size = 256MB\n";
  }
  // Marked started before pg_ctl returns: a start that times out may leave a server to stop.
  started_ = true;
  run_as_owner("pg_ctl", {"-D", (dir_ / "data").string(), "-l", (dir_ / "server.log").string(), "-w", "-t", "30",
                          "start"},
               log);
  dsn_ = "host=" + dir_.string() + " port=5432 user=postgres dbname=postgres";
  start_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

PostgresCluster::~PostgresCluster() { stop(); }

void PostgresCluster::stop() {
  if (started_) {
    started_ = false;
    try {
      run_as_owner("pg_ctl", {"-D", (dir_ / "data").string(), "-m", "immediate", "-w", "stop"}, dir_ / "stop.log");
    } catch (const std::exception&) {
      // Nothing more to do in a destructor; the directory goes regardless.
    }
  }
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  dir_.clear();
}

void PostgresCluster::run_as_owner(const std::string& program, const std::vector<std::string>& args,
                                   const std::filesystem::path& log) const {
  std::vector<std::string> argv;
  if (!user_.empty()) argv = {"/usr/sbin/runuser", "-u", user_, "--"};
  argv.push_back((bin_ / program).string());
  argv.insert(argv.end(), args.begin(), args.end());
  const int status = run(argv, log, dir_);
  if (status != 0) {
    std::string message = program + " failed (exit " + std::to_string(status) + ")" +
                          (user_.empty() ? "" : " as user " + user_) + ": " + tail_of(log);
    if (std::filesystem::exists(dir_ / "server.log")) message += "\nserver log: " + tail_of(dir_ / "server.log");
    throw std::runtime_error(message);
  }
}

PostgresCluster& PostgresCluster::shared() {
  static PostgresCluster cluster;
  return cluster;
}

}  // namespace severn::testing
