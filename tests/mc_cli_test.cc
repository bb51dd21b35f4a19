// hyperdef mc / sweep end to end: byte-identical results whatever the thread or MPI rank count,
// interrupt and resume, sweeps and their input errors.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_util.h"

namespace hyperdef::testing {
namespace {

namespace fs = std::filesystem;

const std::string kScenario = std::string(HYPERDEF_SOURCE_DIR) + "/scenarios/mc_small.yaml";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void ExpectSameResults(const fs::path& a, const fs::path& b) {
  for (const char* f : {"runs.csv", "summary.json", "rmse_bands.csv"}) {
    ASSERT_TRUE(fs::exists(a / f)) << a / f;
    ASSERT_TRUE(fs::exists(b / f)) << b / f;
    EXPECT_EQ(Slurp(a / f), Slurp(b / f)) << f << " differs between " << a << " and " << b;
  }
}

TEST(McCli, ByteIdenticalOnOneTwoThreadsAndTwoMpiRanks) {
  const fs::path d = TempDir("mc-det");
  const std::string common = kScenario + " --runs 6 -q --out ";
  ASSERT_EQ(RunCli("mc " + common + (d / "t1").string() + " --threads 1").code, 0);
  ASSERT_EQ(RunCli("mc " + common + (d / "t2").string() + " --threads 2").code, 0);
  ExpectSameResults(d / "t1", d / "t2");
  // Two Open MPI ranks on this machine (root allowed: CI containers run as root). In the
  // sanitizer build the ranks run without LeakSanitizer: Open MPI's plug-ins keep allocations
  // until exit and are unloaded before the leak check, so their reports cannot even be
  // suppressed by library name; the same code's leaks are checked by the threaded runs above.
  const std::string mpi =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "OMPI_MCA_rmaps_base_oversubscribe=1 ASAN_OPTIONS=detect_leaks=0 "
      "mpirun -np 2 " +
      std::string(HYPERDEF_CLI) + " mc " + common + (d / "mpi2").string() + " --threads 1 2>&1";
  ASSERT_EQ(std::system(mpi.c_str()), 0) << mpi;
  ExpectSameResults(d / "t1", d / "mpi2");
  // One row per run, in run order; 6 runs of a uniform launch window give 6 distinct RMSEs.
  const std::string runs = Slurp(d / "t1" / "runs.csv");
  EXPECT_EQ(std::count(runs.begin(), runs.end(), '\n'), 7);
  EXPECT_EQ(runs.rfind("run,threats,leakers", 0), 0u);
  EXPECT_FALSE(fs::exists(d / "t1" / ".checkpoint"));  // removed once the result is written
  fs::remove_all(d);
}

// Starts `hyperdef mc SCENARIO --runs RUNS --threads 1 --out OUT` (progress as plain lines on
// stderr, a pipe), waits until its progress line reports at least `after` finished runs, then
// sends SIGTERM as a batch scheduler would. Returns the exit status.
int RunAndInterrupt(int runs, int after, const fs::path& out) {
  int pipe_fd[2];
  if (pipe(pipe_fd) != 0) return -1;
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(pipe_fd[1], 2);
    close(pipe_fd[0]);
    close(pipe_fd[1]);
    const std::string n = std::to_string(runs), o = out.string();
    execl(HYPERDEF_CLI, HYPERDEF_CLI, "mc", kScenario.c_str(), "--runs", n.c_str(), "--threads",
          "1", "--out", o.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fd[1]);
  FILE* err = fdopen(pipe_fd[0], "r");
  char line[512];
  bool sent = false;
  while (fgets(line, sizeof line, err)) {  // "K/N runs (P %), ..." at every 10 %
    int done = 0, total = 0;
    if (!sent && std::sscanf(line, "%d/%d runs", &done, &total) == 2 && done >= after) {
      kill(pid, SIGTERM);
      sent = true;
    }
  }
  fclose(err);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(McCli, InterruptedThenResumedEqualsUninterrupted) {
  const fs::path d = TempDir("mc-resume");
  ASSERT_EQ(
      RunCli("mc " + kScenario + " --runs 60 --threads 2 -q --out " + (d / "whole").string()).code,
      0);
  // Interrupted once 6 of 60 runs are done: exit 130, the finished runs kept, no result yet.
  const int status = RunAndInterrupt(60, 6, d / "cut");
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(d / "cut" / "runs.csv"));
  ASSERT_TRUE(fs::exists(d / "cut" / ".checkpoint"));
  const CliResult resumed =
      RunCli("mc " + kScenario + " --runs 60 --threads 2 --resume " + (d / "cut").string());
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("already done"), std::string::npos) << resumed.output;
  ExpectSameResults(d / "whole", d / "cut");
  // A checkpoint is refused by another command (here another run count): exit 2.
  const int status2 = RunAndInterrupt(60, 6, d / "cut2");
  ASSERT_TRUE(WIFEXITED(status2) && WEXITSTATUS(status2) == 130);
  const CliResult other =
      RunCli("mc " + kScenario + " --runs 61 --resume " + (d / "cut2").string());
  EXPECT_EQ(other.code, 2) << other.output;
  EXPECT_NE(other.output.find("different scenario, seed, run count"), std::string::npos)
      << other.output;
  // Resuming a finished result does nothing.
  const CliResult again = RunCli("mc " + kScenario + " --runs 60 --resume " + (d / "cut").string());
  EXPECT_EQ(again.code, 0);
  EXPECT_NE(again.output.find("nothing to resume"), std::string::npos) << again.output;
  fs::remove_all(d);
}

TEST(McCli, SweepWritesAGridAndRejectsBadSetsBeforeRunning) {
  const fs::path d = TempDir("sweep");
  const CliResult ok = RunCli("sweep " + kScenario +
                              " --set 'sensors[0].walker.planes=2,4' --set "
                              "'defense.batteries[0].inventory=1..2' --runs 2 -q --keep-traces 1 "
                              "--out " +
                              (d / "ok").string());
  ASSERT_EQ(ok.code, 0) << ok.output;
  const std::string sweep = Slurp(d / "ok" / "sweep.csv");
  EXPECT_EQ(sweep.rfind("sensors[0].walker.planes,defense.batteries[0].inventory,runs,", 0), 0u);
  EXPECT_EQ(std::count(sweep.begin(), sweep.end(), '\n'), 5);  // header + 2 x 2 points
  EXPECT_NE(sweep.find("\n4,2,2,"), std::string::npos);
  EXPECT_TRUE(fs::exists(d / "ok" / "traces" / "point-3-run-1" / "summary.json"));
  // A key that does not exist, a value of the wrong type, a value out of range, a bad range: exit
  // 2, nothing written.
  for (const std::string& set :
       {std::string("sensors[0].walker.plane=2,4"), std::string("sensors[0].walker.planes=two"),
        std::string("sensors[0].walker.phasing=-1"),
        std::string("sensors[0].walker.planes=4..2")}) {
    const fs::path out = d / "bad";
    const CliResult bad =
        RunCli("sweep " + kScenario + " --set '" + set + "' --runs 2 --out " + out.string());
    EXPECT_EQ(bad.code, 2) << set << ": " << bad.output;
    EXPECT_NE(bad.output.find("error:"), std::string::npos) << bad.output;
    EXPECT_FALSE(fs::exists(out)) << set;
  }
  fs::remove_all(d);
}

}  // namespace
}  // namespace hyperdef::testing
