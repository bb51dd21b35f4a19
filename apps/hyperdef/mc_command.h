// `hyperdef mc` and `hyperdef sweep`: replications of a scenario (and of every point of a
// full-factorial sweep over scenario values) on oneTBB threads and, under mpirun or srun, on MPI
// ranks; progress on the terminal; a checkpoint so that an interrupted run resumes without redoing
// finished replications; the outputs written by rank 0 (docs/monte_carlo.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mpi_session.h"

namespace hyperdef::app {

struct McCommandOptions {
  std::string scenario;
  std::string out_dir;
  std::uint64_t runs = 100;
  int threads = 0;                    // 0: every core
  std::optional<std::uint64_t> seed;  // replaces the scenario's seed
  std::vector<std::string> sets;      // sweep: "path=v1,v2" or "path=a..b[:step]"
  std::vector<std::uint64_t> keep_traces;
  bool resume = false;
  bool quiet = false;
  bool sweep = false;
  double band_step_s = 10.0;
};

// A --set of a sweep: the path and its values (YAML text each).
struct SweepAxis {
  std::string path;
  std::vector<std::string> values;
};

// "path=v1,v2,v3" (commas inside [] or {} do not split), "path=a..b" (integers a to b inclusive)
// or "path=a..b:step" (a, a + step, ... up to b within 1e-9 of step). Throws core::InputError.
SweepAxis ParseSweepAxis(const std::string& text);

// Returns the exit code: 0 done, 2 bad input (nothing run), 130 interrupted (finished runs kept in
// the checkpoint; --resume continues).
int RunMonteCarlo(const McCommandOptions& options, const MpiSession& mpi);

}  // namespace hyperdef::app
