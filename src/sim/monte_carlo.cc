#include "sim/monte_carlo.h"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <mutex>

#include "sim/outcome.h"

namespace hyperdef::sim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool HasDefense(const ScenarioSpec& s) { return s.tracker.enabled && s.defense.enabled; }

}  // namespace

double Canonical(double x) {
  if (!std::isfinite(x)) return x;
  return std::strtod(fmt::format("{:.9g}", x).c_str(), nullptr);
}

std::vector<std::string> RunColumns(const ScenarioSpec& spec) {
  std::vector<std::string> c = {"threats", "leakers", "in_flight"};
  const bool defense = HasDefense(spec), tracker = spec.tracker.enabled;
  if (defense) {
    for (const char* n : {"kills", "shots", "raid_defeated", "defended_value", "damage_value"})
      c.push_back(n);
  }
  if (tracker) {
    for (const char* n : {"confirmed_tracks", "false_tracks", "ospa_mean_m"}) c.push_back(n);
  }
  for (const threats::ThreatSpec& t : spec.threats) {
    const auto add = [&](const char* n) { c.push_back(t.id + "." + n); };
    add("leaked");
    add("t_detect_s");
    add("stereo_frames");
    if (tracker) {
      for (const char* n : {"t_track_s", "t_class_s", "custody", "stereo_custody", "rmse_m"})
        add(n);
    }
    if (defense) {
      for (const char* n : {"killed", "shots", "miss_m"}) add(n);
    }
  }
  if (defense) {
    for (const AssetSpec& a : spec.assets) c.push_back(a.id + ".damage_value");
  }
  return c;
}

void ErrorBands::Add(std::uint64_t point, const std::string& threat_id, double t_since_launch_s,
                     double error_m) {
  if (!std::isfinite(error_m) || !std::isfinite(t_since_launch_s)) return;
  const long bin = static_cast<long>(std::floor(t_since_launch_s / step_s));
  Cell& c = cells[Key{point, threat_id, bin}];
  const std::int64_t mm = std::llround(error_m * 1e3);
  c.n += 1;
  c.sum_mm += mm;
  c.sum_mm2 += static_cast<__int128>(mm) * mm;
}

void ErrorBands::Merge(const ErrorBands& other) {
  for (const auto& [k, o] : other.cells) {
    Cell& c = cells[k];
    c.n += o.n;
    c.sum_mm += o.sum_mm;
    c.sum_mm2 += o.sum_mm2;
  }
}

void McState::Merge(McState&& other) {
  records.insert(records.end(), std::make_move_iterator(other.records.begin()),
                 std::make_move_iterator(other.records.end()));
  bands.Merge(other.bands);
}

std::set<std::pair<std::uint64_t, std::uint64_t>> McState::Done() const {
  std::set<std::pair<std::uint64_t, std::uint64_t>> d;
  for (const RunRecord& r : records) d.insert({r.point, r.run});
  return d;
}

RunRecord SummariseRun(const ScenarioSpec& spec, const RunResult& result, std::uint64_t point,
                       std::uint64_t run, ErrorBands* bands) {
  const std::vector<std::string> columns = RunColumns(spec);
  RunRecord rec;
  rec.point = point;
  rec.run = run;
  rec.values.reserve(columns.size());
  const RaidOutcome outcome = ComputeOutcome(spec, result);
  const bool defense = HasDefense(spec), tracker = spec.tracker.enabled;
  const auto push = [&](double v) { rec.values.push_back(Canonical(v)); };

  push(static_cast<double>(spec.threats.size()));
  push(outcome.leakers);
  push(outcome.in_flight);
  if (defense) {
    push(outcome.kills);
    push(static_cast<double>(result.tracking->engagement->shots.size()));
    push(outcome.leakers == 0 ? 1.0 : 0.0);
    push(outcome.defended_value);
    push(outcome.total_value - outcome.defended_value);
  }
  if (tracker) {
    const TrackingResult& tr = *result.tracking;
    push(tr.metrics.confirmed_tracks);
    push(tr.metrics.false_tracks);
    double ospa = 0;
    for (const auto& m : tr.set_metrics) ospa += m.ospa_m;
    push(tr.set_metrics.empty() ? kNaN : ospa / static_cast<double>(tr.set_metrics.size()));
  }
  for (size_t i = 0; i < spec.threats.size(); ++i) {
    const std::string& id = spec.threats[i].id;
    const ThreatOutcome& o = outcome.threats[i];
    const threats::Trajectory& traj = result.trajectories[i];
    push(o.result == ThreatOutcome::Result::kLeaked ? 1.0 : 0.0);
    // First detection and stereo frames from the warning-mode statistics of every sensor.
    double first = kNaN;
    long stereo = 0;
    for (const SensorStats& st : result.sensing.stats) {
      const auto it = st.threats.find(id);
      if (it == st.threats.end()) continue;
      if (it->second.first_detection_s >= 0 && !(first <= it->second.first_detection_s)) {
        first = it->second.first_detection_s;
      }
      stereo += it->second.frames_stereo;
    }
    push(std::isnan(first) ? kNaN : first - traj.launch_time_s);
    push(static_cast<double>(stereo));
    if (tracker) {
      const tracking::TruthMetrics* m = nullptr;
      for (const tracking::TruthMetrics& t : result.tracking->metrics.truths) {
        if (t.truth_id == id) m = &t;
      }
      if (m) {
        push(m->time_to_confirm_s);
        push(m->time_to_correct_class_s);
        push(m->custody_fraction);
        push(m->custody_masked_fraction);
        push(m->tracked_times > 0 ? m->rmse_position_m : kNaN);
        if (bands) {
          for (const tracking::ErrorSample& e : m->errors) {
            bands->Add(point, id, e.t_s - m->launch_time_s, e.position_error_m);
          }
        }
      } else {
        for (int k = 0; k < 5; ++k) push(kNaN);
      }
    }
    if (defense) {
      push(o.result == ThreatOutcome::Result::kKilled ? 1.0 : 0.0);
      push(o.shots);
      push(o.best_miss_m < 0 ? kNaN : o.best_miss_m);
    }
  }
  if (defense) {
    for (const AssetOutcome& a : outcome.assets) push(a.damage_value);
  }
  if (rec.values.size() != columns.size()) {
    throw std::logic_error(
        fmt::format("SummariseRun: {} values for {} columns", rec.values.size(), columns.size()));
  }
  return rec;
}

ReplicationOutput RunReplication(const ScenarioSpec& nominal, std::uint64_t point,
                                 std::uint64_t run, bool keep_trace, double band_step_s,
                                 const AimCache* aims) {
  const ScenarioSpec spec = SampleScenario(nominal, run);
  RunResult result = RunScenario(spec, run, aims, keep_trace);  // detections only for a trace
  ReplicationOutput out;
  out.bands.step_s = band_step_s;
  out.record = SummariseRun(spec, result, point, run, &out.bands);
  if (keep_trace) {
    out.trace = std::move(result);
    out.trace_spec = spec;
  }
  return out;
}

namespace {

// Empirical quantile, type 7 of Hyndman & Fan (1996) (linear between order statistics), of
// sorted values.
double Quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

bool IsProportionColumn(const std::string& name) {
  return name == "raid_defeated" || name.ends_with(".leaked") || name.ends_with(".killed");
}

std::vector<ColumnStats> Aggregate(const std::vector<std::string>& columns,
                                   std::vector<RunRecord> records) {
  std::sort(records.begin(), records.end(), [](const RunRecord& a, const RunRecord& b) {
    return std::tie(a.point, a.run) < std::tie(b.point, b.run);
  });
  std::vector<ColumnStats> out;
  for (size_t c = 0; c < columns.size(); ++c) {
    ColumnStats s;
    s.name = columns[c];
    std::vector<double> v;
    for (const RunRecord& r : records) {
      if (c < r.values.size() && !std::isnan(r.values[c])) v.push_back(r.values[c]);
    }
    s.n = static_cast<long>(v.size());
    if (v.empty()) {
      s.mean = s.sd = s.ci_lo = s.ci_hi = s.min = s.p05 = s.p50 = s.p95 = s.max = kNaN;
      out.push_back(s);
      continue;
    }
    s.binary = IsProportionColumn(s.name);
    double sum = 0;
    for (double x : v) sum += x;  // run order: the same bits whatever the split
    const double n = static_cast<double>(v.size());
    s.mean = sum / n;
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.sd = v.size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0;
    if (s.binary) {
      // Wilson score interval, z = 1.959964 (two-sided 95 %).
      const double z = 1.959963984540054, z2 = z * z, p = s.mean;
      const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
      const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
      s.ci_lo = std::max(0.0, centre - half);
      s.ci_hi = std::min(1.0, centre + half);
    } else if (v.size() >= 2) {
      const boost::math::students_t t(n - 1.0);
      const double q = boost::math::quantile(t, 0.975);
      s.ci_lo = s.mean - q * s.sd / std::sqrt(n);
      s.ci_hi = s.mean + q * s.sd / std::sqrt(n);
    } else {
      s.ci_lo = s.ci_hi = kNaN;
    }
    std::sort(v.begin(), v.end());
    s.min = v.front();
    s.max = v.back();
    s.p05 = Quantile(v, 0.05);
    s.p50 = Quantile(v, 0.50);
    s.p95 = Quantile(v, 0.95);
    out.push_back(s);
  }
  return out;
}

void RunItems(const std::vector<ScenarioSpec>& points, const std::vector<WorkItem>& items,
              int threads, const std::set<std::uint64_t>& keep_traces, double band_step_s,
              const std::function<bool()>& cancelled,
              const std::function<void(ReplicationOutput&&)>& done) {
  // Each point's ballistic steering, solved once (SolveAims), before any run.
  std::vector<AimCache> aims;
  for (const ScenarioSpec& p : points) aims.push_back(SolveAims(p));
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto body = [&](size_t i) {
    if (failed.load() || cancelled()) return;
    const WorkItem& w = items[i];
    try {
      done(RunReplication(points.at(w.point), w.point, w.run, keep_traces.count(w.run) > 0,
                          band_step_s, &aims.at(w.point)));
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  if (threads == 1) {
    for (size_t i = 0; i < items.size(); ++i) body(i);
  } else {
    tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
    arena.execute([&] {
      // Grain 1: runs take from milliseconds to seconds; dynamic scheduling balances them.
      tbb::parallel_for(tbb::blocked_range<size_t>(0, items.size(), 1),
                        [&](const tbb::blocked_range<size_t>& r) {
                          for (size_t i = r.begin(); i != r.end(); ++i) body(i);
                        });
    });
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace hyperdef::sim
