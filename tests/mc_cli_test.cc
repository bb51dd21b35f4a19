// hyperdef mc / sweep end to end: byte-identical results whatever the thread or MPI rank count,
// interrupt and resume, sweeps and their input errors.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
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
  // Two Open MPI ranks on this machine (root allowed: CI containers run as root).
  const std::string mpi =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "OMPI_MCA_rmaps_base_oversubscribe=1 "
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

TEST(McCli, InterruptedThenResumedEqualsUninterrupted) {
  const fs::path d = TempDir("mc-resume");
  const std::string args = kScenario + " --runs 30 --threads 2 -q --out ";
  ASSERT_EQ(RunCli("mc " + args + (d / "whole").string()).code, 0);
  // Start, let a few runs finish, then SIGTERM as a batch scheduler would.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string out = (d / "cut").string();
    execl(HYPERDEF_CLI, HYPERDEF_CLI, "mc", kScenario.c_str(), "--runs", "30", "--threads", "1",
          "-q", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  // 30 runs on one thread take several seconds (> 0.1 s each): the signal came first (exit 130),
  // with the finished runs kept.
  ASSERT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(d / "cut" / "runs.csv"));
  ASSERT_TRUE(fs::exists(d / "cut" / ".checkpoint"));
  const CliResult resumed =
      RunCli("mc " + kScenario + " --runs 30 --threads 2 --resume " + (d / "cut").string());
  ASSERT_EQ(resumed.code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("already done"), std::string::npos) << resumed.output;
  ExpectSameResults(d / "whole", d / "cut");
  // A checkpoint is refused by another command (here another run count): exit 2.
  const pid_t pid2 = fork();
  ASSERT_GE(pid2, 0);
  if (pid2 == 0) {
    const std::string out = (d / "cut2").string();
    execl(HYPERDEF_CLI, HYPERDEF_CLI, "mc", kScenario.c_str(), "--runs", "30", "--threads", "1",
          "-q", "--out", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid2, SIGTERM);
  waitpid(pid2, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130);
  const CliResult other =
      RunCli("mc " + kScenario + " --runs 31 --resume " + (d / "cut2").string());
  EXPECT_EQ(other.code, 2) << other.output;
  EXPECT_NE(other.output.find("different scenario, seed, run count"), std::string::npos)
      << other.output;
  // Resuming a finished result does nothing.
  const CliResult again = RunCli("mc " + kScenario + " --runs 30 --resume " + (d / "cut").string());
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
