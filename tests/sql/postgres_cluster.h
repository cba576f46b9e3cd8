// A throwaway PostgreSQL 15 cluster for a test: initdb into a fresh temporary directory, started
// with pg_ctl, listening only on a Unix socket inside that directory (no TCP port to collide
// with other test processes), durability off (fsync, synchronous_commit, full_page_writes) since
// the data dies with the test. Stopped with `pg_ctl -m immediate` and deleted on destruction.
//
// initdb and postgres refuse to run as root, and CI runs as root: then the cluster belongs to the
// system user `severn-test`, created (no home, no login shell) if missing, and every PostgreSQL
// program runs through `runuser -u severn-test --`. As any other user it runs as that user.
//
// Binaries come from /usr/lib/postgresql/15/bin (Debian's postgresql-15; scripts/setup installs
// it). A cluster that cannot start throws std::runtime_error with the reason and the server log's
// tail, so the test fails saying why rather than skipping.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace severn::testing {

class PostgresCluster {
 public:
  PostgresCluster();
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // libpq key=value connection string for the superuser `postgres`, database `postgres`.
  const std::string& dsn() const { return dsn_; }
  const std::filesystem::path& dir() const { return dir_; }
  // initdb plus start, wall clock.
  double start_seconds() const { return start_seconds_; }

  // One per test binary, started on first use and stopped at exit.
  static PostgresCluster& shared();

 private:
  void start();
  void stop();
  // Runs a PostgreSQL program as the cluster's user, output to `log`; throws with the log's tail.
  void run_as_owner(const std::string& program, const std::vector<std::string>& args,
                    const std::filesystem::path& log) const;
  std::filesystem::path bin_;
  std::filesystem::path dir_;
  std::string user_;  // empty: run as ourselves
  std::string dsn_;
  bool started_ = false;
  double start_seconds_ = 0;
};

}  // namespace severn::testing
