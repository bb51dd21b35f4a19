#include "mc_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "core/random.h"
#include "io/mc_outputs.h"
#include "io/output_dir.h"
#include "io/plot.h"
#include "io/report.h"
#include "io/run_outputs.h"
#include "sim/monte_carlo.h"
#include "sim/scenario.h"

namespace hyperdef::app {

namespace fs = std::filesystem;

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void OnStopSignal(int) { g_stop = 1; }

const char* kSetFile = "<--set>";

[[noreturn]] void BadSet(const std::string& text, const std::string& message) {
  throw core::InputError({kSetFile, 0, 0}, text, message);
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// The full-factorial grid: the last axis varies fastest.
io::SweepGrid MakeGrid(const std::vector<SweepAxis>& axes) {
  io::SweepGrid g;
  for (const SweepAxis& a : axes) g.keys.push_back(a.path);
  size_t n = 1;
  for (const SweepAxis& a : axes) n *= a.values.size();
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> v(axes.size());
    size_t rest = i;
    for (size_t k = axes.size(); k-- > 0;) {
      v[k] = axes[k].values[rest % axes[k].values.size()];
      rest /= axes[k].values.size();
    }
    g.values.push_back(std::move(v));
  }
  return g;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A terminal progress bar (stderr is a terminal) or plain lines (every 10 % or 30 s otherwise).
class Progress {
 public:
  Progress(std::uint64_t total, std::uint64_t already, bool quiet, std::string prefix)
      : total_(total),
        already_(already),
        quiet_(quiet),
        prefix_(std::move(prefix)),
        tty_(isatty(fileno(stderr)) != 0),
        start_(std::chrono::steady_clock::now()) {}

  void Update(std::uint64_t done_now, bool final = false) {
    if (quiet_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::uint64_t done = already_ + done_now;
    const double rate = elapsed > 0 ? static_cast<double>(done_now) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
    const double frac = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
    if (tty_) {
      const int width = 30, filled = static_cast<int>(frac * width);
      std::fprintf(stderr, "\r%s[%s%s] %llu/%llu runs  %.1f runs/s  ETA %s   %s", prefix_.c_str(),
                   std::string(static_cast<size_t>(filled), '#').c_str(),
                   std::string(static_cast<size_t>(width - filled), '.').c_str(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                   rate, Clock(eta).c_str(), final ? "\n" : "");
      std::fflush(stderr);
      return;
    }
    const int decile = static_cast<int>(frac * 10);
    if (final || decile > last_decile_ || elapsed - last_line_s_ >= 30.0) {
      last_decile_ = decile;
      last_line_s_ = elapsed;
      std::fprintf(stderr, "%s%llu/%llu runs (%.0f %%), %.1f runs/s, ETA %s\n", prefix_.c_str(),
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                   100.0 * frac, rate, Clock(eta).c_str());
    }
  }

 private:
  static std::string Clock(double s) {
    const long t = static_cast<long>(s + 0.5);
    return t >= 3600 ? fmt::format("{}h{:02}m", t / 3600, (t % 3600) / 60)
                     : fmt::format("{}m{:02}s", t / 60, t % 60);
  }
  std::uint64_t total_, already_;
  bool quiet_;
  std::string prefix_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  int last_decile_ = -1;
  double last_line_s_ = 0.0;
};

// The checkpoint: DIR/.checkpoint/part-g<generation>-r<rank>.json, each written atomically
// (temp + rename) and holding disjoint runs, so any rank count can resume from any other's.
struct Checkpoint {
  fs::path dir;
  std::string fingerprint;

  std::vector<fs::path> Parts() const {
    std::vector<fs::path> parts;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return parts;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (n.rfind("part-g", 0) == 0 && e.path().extension() == ".json") parts.push_back(e.path());
    }
    std::sort(parts.begin(), parts.end());
    return parts;
  }
  int NextGeneration() const {
    int g = 0;
    for (const fs::path& p : Parts()) {
      const std::string n = p.filename().string();  // part-g<G>-r<R>.json
      g = std::max(g, std::atoi(n.c_str() + 6) + 1);
    }
    return g;
  }
  sim::McState Load() const {
    sim::McState s;
    for (const fs::path& p : Parts()) {
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(ReadFile(p.string()));
      } catch (const nlohmann::json::exception& e) {
        throw core::InputError({p.string(), 0, 0}, "checkpoint",
                               fmt::format("cannot be read: {}", e.what()));
      }
      s.Merge(io::McStateFromJson(j, fingerprint, p.string()));
    }
    return s;
  }
  void Save(int generation, int rank, const sim::McState& state) const {
    fs::create_directories(dir);
    io::OutputDir(dir).Write(
        fmt::format("part-g{}-r{}.json", generation, rank),
        [&](std::ostream& out) { out << io::McStateToJson(fingerprint, state).dump(); });
  }
};

}  // namespace

SweepAxis ParseSweepAxis(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    BadSet(text, "expected PATH=VALUES, e.g. sensors[0].walker.planes=3,4,5 or ...=4..8");
  }
  SweepAxis a;
  a.path = Trim(text.substr(0, eq));
  const std::string rhs = Trim(text.substr(eq + 1));
  if (rhs.empty()) BadSet(text, "no values after '='");
  // A range "a..b" or "a..b:step" (numbers only; anything else is a list).
  const auto number = [](const std::string& t, double* v) {
    if (t.empty()) return false;
    char* end = nullptr;
    *v = std::strtod(t.c_str(), &end);
    return end == t.c_str() + t.size() && std::isfinite(*v);
  };
  const size_t dots = rhs.find("..");
  double lo = 0, hi = 0, step = 1;
  std::string lo_text, hi_text, step_text;
  if (dots != std::string::npos) {
    lo_text = Trim(rhs.substr(0, dots));
    const std::string rest = rhs.substr(dots + 2);
    const size_t colon = rest.find(':');
    hi_text = Trim(rest.substr(0, colon));
    if (colon != std::string::npos) step_text = Trim(rest.substr(colon + 1));
  }
  if (dots != std::string::npos && number(lo_text, &lo) && number(hi_text, &hi) &&
      (step_text.empty() || number(step_text, &step))) {
    const auto is_int = [](const std::string& t) {
      return t.find_first_of(".eE") == std::string::npos;
    };
    const bool ints =
        is_int(lo_text) && is_int(hi_text) && (step_text.empty() || is_int(step_text));
    if (ints) {
      const long ilo = std::lround(lo), ihi = std::lround(hi), istep = std::lround(step);
      if (istep <= 0 || ihi < ilo) BadSet(text, "a range a..b[:step] needs a <= b and step > 0");
      if ((ihi - ilo) / istep >= 10000) BadSet(text, "more than 10,000 values in one range");
      for (long v = ilo; v <= ihi; v += istep) a.values.push_back(std::to_string(v));
    } else {
      if (step_text.empty()) BadSet(text, "a range of decimals needs a step: a..b:step");
      if (!(step > 0) || hi < lo) BadSet(text, "a range a..b:step needs a <= b and step > 0");
      const double count = std::floor((hi - lo) / step + 1e-9);
      if (count >= 10000) BadSet(text, "more than 10,000 values in one range");
      for (long i = 0; i <= static_cast<long>(count); ++i) {
        a.values.push_back(fmt::format("{:.12g}", lo + static_cast<double>(i) * step));
      }
    }
    return a;
  }
  // A list: split on commas outside brackets and braces.
  int depth = 0;
  std::string cur;
  for (char c : rhs) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      a.values.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  a.values.push_back(Trim(cur));
  for (const std::string& v : a.values) {
    if (v.empty()) BadSet(text, "an empty value in the list");
  }
  return a;
}

int RunMonteCarlo(const McCommandOptions& o, const MpiSession& mpi) {
  const bool root = mpi.rank() == 0;
  const bool quiet = o.quiet || !root;
  if (o.runs == 0) throw core::InputError({"<command line>", 0, 0}, "--runs", "must be >= 1");

  // Every point's scenario is loaded and validated before anything runs.
  std::vector<SweepAxis> axes;
  std::set<std::string> paths;
  for (const std::string& s : o.sets) {
    axes.push_back(ParseSweepAxis(s));
    if (!paths.insert(axes.back().path).second) {
      BadSet(s, fmt::format("'{}' is swept twice", axes.back().path));
    }
  }
  if (o.sweep && axes.empty()) {
    throw core::InputError({"<command line>", 0, 0}, "--set", "a sweep needs at least one --set");
  }
  const io::SweepGrid grid = MakeGrid(axes);
  if (grid.values.size() > 100000) BadSet(o.sets.front(), "more than 100,000 sweep points");
  std::vector<sim::ScenarioSpec> points;
  for (const std::vector<std::string>& values : grid.values) {
    std::vector<std::string> overrides;
    for (size_t k = 0; k < axes.size(); ++k) overrides.push_back(axes[k].path + "=" + values[k]);
    points.push_back(sim::LoadScenario(o.scenario, overrides));
    if (o.seed) points.back().seed = *o.seed;
  }
  std::vector<std::vector<std::string>> columns;
  for (const sim::ScenarioSpec& p : points) columns.push_back(sim::RunColumns(p));

  // What is being computed, for the checkpoint: scenario text, --set list, seed, runs, bands.
  std::string what = ReadFile(o.scenario);
  for (const std::string& s : o.sets) what += "\n--set " + s;
  what += fmt::format("\nseed {} runs {} band {} version {}", points.front().seed, o.runs,
                      o.band_step_s, io::kVersion);
  const Checkpoint checkpoint{fs::path(o.out_dir) / ".checkpoint",
                              fmt::format("{:016x}", core::HashName(what))};

  if (root) fs::create_directories(o.out_dir);
  sim::McState previous;
  if (o.resume) {
    previous = checkpoint.Load();
    if (checkpoint.Parts().empty() && fs::exists(fs::path(o.out_dir) / "runs.csv")) {
      if (!quiet) fmt::print(stderr, "{}: nothing to resume, the result is complete\n", o.out_dir);
      return 0;
    }
  } else if (root && !checkpoint.Parts().empty()) {
    fs::remove_all(checkpoint.dir);  // a fresh start in this directory
  }
  if (mpi.active()) mpi.AllTrue(true);  // rank 0 has cleared an old checkpoint before anyone saves
  const int generation = checkpoint.NextGeneration();
  const auto done_before = previous.Done();

  // This rank's share of what is left: every size-th item of the remaining list.
  std::vector<sim::WorkItem> items;
  std::uint64_t remaining = 0;
  for (std::uint64_t p = 0; p < points.size(); ++p) {
    for (std::uint64_t r = 0; r < o.runs; ++r) {
      if (done_before.count({p, r})) continue;
      if (remaining++ % static_cast<std::uint64_t>(mpi.size()) ==
          static_cast<std::uint64_t>(mpi.rank())) {
        items.push_back({p, r});
      }
    }
  }
  const std::uint64_t total = points.size() * o.runs;
  const std::set<std::uint64_t> keep(o.keep_traces.begin(), o.keep_traces.end());
  if (!quiet) {
    fmt::print(stderr, "{} {}: {} point{} x {} runs{}{}\n", o.sweep ? "sweep" : "monte carlo",
               points.front().name, points.size(), points.size() == 1 ? "" : "s", o.runs,
               mpi.active() ? fmt::format(" on {} ranks", mpi.size()) : "",
               done_before.empty() ? "" : fmt::format(" ({} already done)", done_before.size()));
  }

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  // Finished runs arrive on worker threads; a ticker thread shows progress and saves the
  // checkpoint every few seconds.
  sim::McState mine;
  mine.bands.step_s = o.band_step_s;
  std::mutex mutex;
  std::condition_variable wake;
  bool finished = false;
  std::uint64_t done_now = 0;
  std::uint64_t saved_at = 0;
  Progress progress(mpi.active() ? items.size() : total, mpi.active() ? 0 : done_before.size(),
                    quiet, mpi.active() ? fmt::format("rank 0 of {}: ", mpi.size()) : "");
  const auto save = [&] {  // with `mutex` held
    if (done_now == saved_at) return;
    checkpoint.Save(generation, mpi.rank(), mine);
    saved_at = done_now;
  };
  std::thread ticker([&] {
    std::unique_lock<std::mutex> lock(mutex);
    auto last_save = std::chrono::steady_clock::now();
    while (!finished) {
      wake.wait_for(lock, std::chrono::milliseconds(250));
      progress.Update(done_now);
      if (std::chrono::steady_clock::now() - last_save > std::chrono::seconds(5)) {
        save();
        last_save = std::chrono::steady_clock::now();
      }
    }
  });
  const auto traces_dir = [&](const sim::RunRecord& r) {
    return fs::path(o.out_dir) / "traces" /
           (o.sweep ? fmt::format("point-{}-run-{}", r.point, r.run)
                    : fmt::format("run-{}", r.run));
  };
  std::exception_ptr error;
  try {
    sim::RunItems(
        points, items, o.threads, keep, o.band_step_s, [] { return g_stop != 0; },
        [&](sim::ReplicationOutput&& out) {
          if (out.trace) {
            io::WriteRunOutputs(*out.trace_spec, *out.trace, io::OutputDir(traces_dir(out.record)));
          }
          std::lock_guard<std::mutex> lock(mutex);
          mine.records.push_back(std::move(out.record));
          mine.bands.Merge(out.bands);
          ++done_now;
        });
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    finished = true;
    save();  // whatever finished is kept, also when a run failed
    progress.Update(done_now, true);
  }
  wake.notify_all();
  ticker.join();
  if (error) std::rethrow_exception(error);

  // Interrupted (any rank): the checkpoint holds every finished run.
  const bool complete = mpi.AllTrue(g_stop == 0);
  if (!complete) {
    if (root) {
      fmt::print(stderr,
                 "interrupted: finished runs are kept in {}; continue with the same command and "
                 "--resume\n",
                 checkpoint.dir.string());
    }
    return 130;
  }

  // Rank 0 gathers every rank's runs and writes the outputs.
  const std::vector<std::string> parts = mpi.GatherToRoot(
      mpi.active() ? io::McStateToJson(checkpoint.fingerprint, mine).dump() : std::string());
  if (!root) return 0;
  sim::McState all = std::move(previous);
  if (mpi.active()) {
    for (size_t i = 0; i < parts.size(); ++i) {
      all.Merge(io::McStateFromJson(nlohmann::json::parse(parts[i]), checkpoint.fingerprint,
                                    fmt::format("<rank {}>", i)));
    }
  } else {
    all.Merge(std::move(mine));
  }
  all.bands.step_s = o.band_step_s;
  if (all.records.size() != total) {
    throw core::InvariantError(
        fmt::format("monte carlo: {} runs gathered, {} expected", all.records.size(), total));
  }

  const io::OutputDir dir(o.out_dir);
  const std::vector<std::string> union_columns = io::UnionColumns(columns);
  dir.Write("runs.csv", [&](std::ostream& out) {
    io::WriteRunsCsv(columns, all.records, o.sweep ? &grid : nullptr, out);
  });
  std::vector<std::vector<sim::ColumnStats>> stats;
  for (size_t p = 0; p < points.size(); ++p) {
    std::vector<sim::RunRecord> recs;
    for (const sim::RunRecord& r : all.records) {
      if (r.point == p) recs.push_back(r);
    }
    stats.push_back(sim::Aggregate(columns[p], std::move(recs)));
  }
  nlohmann::ordered_json summary = io::ScenarioHeaderJson(points.front());
  if (o.sweep) {
    nlohmann::ordered_json sw;
    sw["keys"] = grid.keys;
    sw["runs_per_point"] = o.runs;
    nlohmann::ordered_json pts = nlohmann::ordered_json::array();
    for (size_t p = 0; p < points.size(); ++p) {
      nlohmann::ordered_json pj;
      pj["point"] = p;
      pj["values"] = grid.values[p];
      pj["monte_carlo"] = io::MonteCarloJson(stats[p], o.runs)["headline"];
      pts.push_back(pj);
    }
    sw["points"] = pts;
    summary["sweep"] = sw;
    dir.Write("sweep.csv",
              [&](std::ostream& out) { io::WriteSweepCsv(grid, union_columns, stats, out); });
    io::WriteSweepPlots(o.out_dir);  // plots/sweep_<metric>.png
    io::plot::ReleaseGlobalCaches();
  } else {
    summary["monte_carlo"] = io::MonteCarloJson(stats.front(), o.runs);
  }
  dir.Write("summary.json", [&](std::ostream& out) { out << summary.dump(2) << "\n"; });
  if (!all.bands.cells.empty()) {
    dir.Write("rmse_bands.csv",
              [&](std::ostream& out) { io::WriteErrorBandsCsv(all.bands, o.sweep, out); });
  }
  std::error_code ec;
  fs::remove_all(checkpoint.dir, ec);

  if (!o.quiet) {
    const auto print = [&](const std::vector<sim::ColumnStats>& st, const std::string& indent) {
      for (const sim::ColumnStats& s : st) {
        const bool headline = s.name == "raid_defeated" || s.name == "leakers" ||
                              s.name == "kills" || s.name == "defended_value" ||
                              s.name.ends_with(".killed") || s.name.ends_with(".t_track_s") ||
                              s.name.ends_with(".stereo_custody");
        if (!headline || s.n == 0) continue;
        fmt::print("{}{:<24} {:>10.4g}  95% CI [{:.4g}, {:.4g}]  (n={})\n", indent, s.name, s.mean,
                   s.ci_lo, s.ci_hi, s.n);
      }
    };
    if (o.sweep) {
      for (size_t p = 0; p < points.size(); ++p) {
        std::string label;
        for (size_t k = 0; k < grid.keys.size(); ++k) {
          label += fmt::format("{}{}={}", k ? ", " : "", grid.keys[k], grid.values[p][k]);
        }
        fmt::print("point {}: {}\n", p, label);
        print(stats[p], "  ");
      }
    } else {
      print(stats.front(), "  ");
    }
    fmt::print("wrote {}/runs.csv, summary.json{}{}\n", o.out_dir,
               all.bands.cells.empty() ? "" : ", rmse_bands.csv",
               o.sweep ? ", sweep.csv, plots/sweep_*.png" : "");
  }
  return 0;
}

}  // namespace hyperdef::app
