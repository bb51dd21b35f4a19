#include "tracking/metrics.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include "core/error.h"

namespace hyperdef::tracking {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A history entry counts for a track row at the same output time up to this rounding slack.
constexpr double kHistoryTimeSlack_s = 1e-9;

void RequireFinite(bool ok, const std::string& field, double got, const std::string& expected) {
  if (ok) return;
  std::ostringstream msg;
  msg << "out of range (got " << got << ", expected " << expected << ")";
  throw core::InputError({}, "metrics." + field, msg.str());
}

// One candidate of a vote.
struct Tally {
  int id = -1;
  int votes = 0;
  int last_seen = -1;  // position in the flattened vote sequence
};

// Plurality vote over the truths of the last `window` updates of one track, up to position `end`
// (exclusive) of its time-sorted updates (indices into the table). Ties go to the candidate whose
// latest vote is latest. Returns the winning name index, -1 when no update names any truth.
// A window holds a few distinct ids: a flat list (*tally, scratch) searched linearly. Every id
// has its own last_seen, so the winner does not depend on the list's order.
int Vote(const TrackHistoryTable& h, const std::vector<int>& updates, std::size_t end, int window,
         std::vector<Tally>* tally) {
  const std::size_t begin = end > static_cast<std::size_t>(window) ? end - window : 0;
  tally->clear();
  int position = 0;
  for (std::size_t k = begin; k < end; ++k) {
    const auto u = static_cast<std::size_t>(updates[k]);
    for (int v = h.offsets[u]; v < h.offsets[u + 1]; ++v) {
      const int id = h.truths[static_cast<std::size_t>(v)];
      auto it =
          std::find_if(tally->begin(), tally->end(), [&](const Tally& t) { return t.id == id; });
      if (it == tally->end()) it = tally->insert(tally->end(), Tally{id});
      ++it->votes;
      it->last_seen = position++;
    }
  }
  const Tally* best = nullptr;
  for (const Tally& t : *tally) {
    if (best == nullptr || t.votes > best->votes ||
        (t.votes == best->votes && t.last_seen > best->last_seen))
      best = &t;
  }
  return best == nullptr ? -1 : best->id;
}

double PositionSigma(const Matrix6& P) {
  const Eigen::Matrix3d P_rr =
      0.5 * (P.topLeftCorner<3, 3>() + P.topLeftCorner<3, 3>().transpose());
  // Eigen's closed-form 3 x 3 solver (trigonometric roots of the characteristic cubic): ~5x
  // cheaper than the iterative QR, and its largest eigenvalue agrees to ~1e-12 relative.
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig;
  eig.computeDirect(P_rr, Eigen::EigenvaluesOnly);
  return std::sqrt(std::max(0.0, eig.eigenvalues().maxCoeff()));
}

double Nees(const Vector6& e, const Matrix6& P) {
  const Eigen::LLT<Matrix6> llt(P);
  if (llt.info() != Eigen::Success) return kNaN;
  return e.dot(llt.solve(e));
}

// The union of a set of closed intervals, for membership tests in O(log n): intervals sorted by
// their start, with the running maximum of their ends (t is covered iff some interval starting at
// or before t ends at or after it).
class IntervalUnion {
 public:
  explicit IntervalUnion(std::vector<TimeInterval> mask) : mask_(std::move(mask)) {
    std::sort(mask_.begin(), mask_.end(),
              [](const TimeInterval& a, const TimeInterval& b) { return a.begin_s < b.begin_s; });
    double m = -std::numeric_limits<double>::infinity();
    for (const TimeInterval& w : mask_) max_end_.push_back(m = std::max(m, w.end_s));
  }
  bool Contains(double t_s, double tol_s) const {
    const auto it = std::upper_bound(mask_.begin(), mask_.end(), t_s + tol_s,
                                     [](double t, const TimeInterval& w) { return t < w.begin_s; });
    if (it == mask_.begin()) return false;
    return max_end_[static_cast<size_t>(it - mask_.begin()) - 1] >= t_s - tol_s;
  }

 private:
  std::vector<TimeInterval> mask_;
  std::vector<double> max_end_;
};

// Track rows ordered by time, for "all rows at time t" look-ups.
class TrackTimeIndex {
 public:
  TrackTimeIndex(const std::vector<TrackPoint>& tracks, double tol_s)
      : tracks_(tracks), tol_s_(tol_s) {
    order_.resize(tracks.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    const auto by_time = [&](std::size_t a, std::size_t b) {
      return tracks[a].t_s < tracks[b].t_s;
    };
    if (!std::is_sorted(order_.begin(), order_.end(), by_time))
      std::stable_sort(order_.begin(), order_.end(), by_time);
  }
  // Indices (into tracks) of the rows within tol of t_s: [first, last) of order_.
  std::pair<std::size_t, std::size_t> At(double t_s) const {
    const auto lo = std::lower_bound(order_.begin(), order_.end(), t_s - tol_s_,
                                     [&](std::size_t i, double t) { return tracks_[i].t_s < t; });
    const auto hi = std::upper_bound(lo, order_.end(), t_s + tol_s_,
                                     [&](double t, std::size_t i) { return t < tracks_[i].t_s; });
    return {static_cast<std::size_t>(lo - order_.begin()),
            static_cast<std::size_t>(hi - order_.begin())};
  }
  const TrackPoint& Row(std::size_t k) const { return tracks_[order_[k]]; }

 private:
  const std::vector<TrackPoint>& tracks_;
  double tol_s_;
  std::vector<std::size_t> order_;
};

double Rms(double sum_sq, int n) { return n > 0 ? std::sqrt(sum_sq / n) : kNaN; }

}  // namespace

void TrackHistoryTable::Add(int track, double t, std::span<const int> truth_indices) {
  track_id.push_back(track);
  t_s.push_back(t);
  truths.insert(truths.end(), truth_indices.begin(), truth_indices.end());
  offsets.push_back(static_cast<int>(truths.size()));
}

void ScoreTrackTruth(const std::vector<TrackHistoryEntry>& history, std::vector<TrackPoint>& tracks,
                     int window_updates) {
  TrackHistoryTable table;
  std::unordered_map<std::string, int> index;
  std::vector<int> ids;
  for (const TrackHistoryEntry& h : history) {
    ids.clear();
    for (const std::string& name : h.measurement_truth_ids) {
      const auto [it, inserted] = index.try_emplace(name, static_cast<int>(table.names.size()));
      if (inserted) table.names.push_back(name);
      ids.push_back(it->second);
    }
    table.Add(h.track_id, h.t_s, ids);
  }
  ScoreTrackTruth(table, tracks, window_updates);
}

void ScoreTrackTruth(const TrackHistoryTable& history, std::vector<TrackPoint>& tracks,
                     int window_updates) {
  HYPERDEF_ASSERT(window_updates >= 1);
  HYPERDEF_ASSERT(history.offsets.size() == history.track_id.size() + 1);
  std::unordered_map<int, std::vector<int>> by_track;  // update indices per track
  for (std::size_t k = 0; k < history.track_id.size(); ++k)
    by_track[history.track_id[k]].push_back(static_cast<int>(k));
  const auto by_time = [&](int a, int b) {
    return history.t_s[static_cast<std::size_t>(a)] < history.t_s[static_cast<std::size_t>(b)];
  };
  for (auto& [id, updates] : by_track) {
    if (!std::is_sorted(updates.begin(), updates.end(), by_time))  // usually in order already
      std::stable_sort(updates.begin(), updates.end(), by_time);
  }
  std::vector<Tally> tally;
  for (TrackPoint& row : tracks) {
    const auto it = by_track.find(row.track_id);
    if (it == by_track.end()) {
      row.scored_truth_id.clear();
      continue;
    }
    const std::vector<int>& updates = it->second;
    const double t_max = row.t_s + kHistoryTimeSlack_s;
    const auto end = std::upper_bound(updates.begin(), updates.end(), t_max, [&](double t, int u) {
      return t < history.t_s[static_cast<std::size_t>(u)];
    });
    const int winner = Vote(history, updates, static_cast<std::size_t>(end - updates.begin()),
                            window_updates, &tally);
    if (winner < 0)
      row.scored_truth_id.clear();
    else
      row.scored_truth_id = history.names[static_cast<std::size_t>(winner)];
  }
}

void MetricsConfig::Validate() const {
  RequireFinite(std::isfinite(time_tolerance_s) && time_tolerance_s >= 0.0, "time_tolerance_s",
                time_tolerance_s, ">= 0");
  RequireFinite(std::isfinite(fire_control_sigma_m) && fire_control_sigma_m > 0.0,
                "fire_control_sigma_m", fire_control_sigma_m, "> 0");
  RequireFinite(class_probability_min >= 0.0 && class_probability_min <= 1.0,
                "class_probability_min", class_probability_min, "in [0, 1]");
  RequireFinite(consistency_confidence > 0.0 && consistency_confidence < 1.0,
                "consistency_confidence", consistency_confidence, "in (0, 1)");
}

void ConsistencyAccumulator::Add(double value, int dof) {
  HYPERDEF_ASSERT(dof >= 1);
  HYPERDEF_ASSERT(value >= 0.0);  // also rejects NaN
  ++samples_;
  total_dof_ += dof;
  sum_ += value;
}

ConsistencyStats ConsistencyAccumulator::Result(double confidence) const {
  HYPERDEF_ASSERT(confidence > 0.0 && confidence < 1.0);
  ConsistencyStats s;
  s.samples = samples_;
  s.total_dof = total_dof_;
  if (samples_ == 0) {
    s.mean = s.expected_mean = s.lower_bound = s.upper_bound = kNaN;
    return s;
  }
  const double n = samples_;
  const boost::math::chi_squared chi2(total_dof_);
  s.mean = sum_ / n;
  s.expected_mean = total_dof_ / n;
  s.lower_bound = boost::math::quantile(chi2, 0.5 * (1.0 - confidence)) / n;
  s.upper_bound = boost::math::quantile(chi2, 0.5 * (1.0 + confidence)) / n;
  s.inside_bounds = s.mean >= s.lower_bound && s.mean <= s.upper_bound;
  return s;
}

ConsistencyStats NisConsistency(const std::vector<double>& values, const std::vector<int>& dofs,
                                double confidence) {
  HYPERDEF_ASSERT(values.size() == dofs.size());
  ConsistencyAccumulator acc;
  for (std::size_t i = 0; i < values.size(); ++i) acc.Add(values[i], dofs[i]);
  return acc.Result(confidence);
}

RunMetrics ComputeRunMetrics(const std::vector<TruthPoint>& truth,
                             const std::vector<TrackPoint>& tracks,
                             const std::vector<ThreatInfo>& threats, const MetricsConfig& config) {
  config.Validate();
  const double tol = config.time_tolerance_s;
  RunMetrics run;

  // Per track: birth (first row time, for "longest history") and rows in time order.
  struct TrackRows {
    double birth_s = std::numeric_limits<double>::infinity();
    std::vector<const TrackPoint*> rows;
  };
  std::map<int, TrackRows> by_track;
  for (const TrackPoint& p : tracks) {
    TrackRows& tr = by_track[p.track_id];
    tr.birth_s = std::min(tr.birth_s, p.t_s);
    tr.rows.push_back(&p);
  }
  const auto by_time = [](const TrackPoint* a, const TrackPoint* b) { return a->t_s < b->t_s; };
  // Rows usually arrive in time order already: the sorts below are then skipped (same result).
  for (auto& [id, tr] : by_track) {
    if (!std::is_sorted(tr.rows.begin(), tr.rows.end(), by_time))
      std::stable_sort(tr.rows.begin(), tr.rows.end(), by_time);
  }
  const TrackTimeIndex index(tracks, tol);
  // The only rows that can follow a truth: confirmed and scored to it. Grouped by truth id, in
  // time order, so that a truth point looks at its own candidates only (not at every row of its
  // time with a string comparison each).
  std::unordered_map<std::string, std::vector<const TrackPoint*>> candidates;
  for (const TrackPoint& p : tracks)
    if (p.confirmed) candidates[p.scored_truth_id].push_back(&p);
  for (auto& [id, rows] : candidates) {
    if (!std::is_sorted(rows.begin(), rows.end(), by_time))
      std::stable_sort(rows.begin(), rows.end(), by_time);
  }
  static const std::vector<const TrackPoint*> kNoRows;

  // Truth rows grouped by id, in order of first appearance.
  std::vector<std::string> truth_ids;
  std::unordered_map<std::string, std::vector<const TruthPoint*>> truth_rows;
  for (const TruthPoint& p : truth) {
    auto [it, inserted] = truth_rows.try_emplace(p.id);
    if (inserted) truth_ids.push_back(p.id);
    it->second.push_back(&p);
  }
  std::unordered_map<std::string, const ThreatInfo*> threat_by_id;
  for (const ThreatInfo& t : threats) threat_by_id[t.id] = &t;

  for (const std::string& id : truth_ids) {
    std::vector<const TruthPoint*>& rows = truth_rows[id];
    const auto truth_by_time = [](const TruthPoint* a, const TruthPoint* b) {
      return a->t_s < b->t_s;
    };
    if (!std::is_sorted(rows.begin(), rows.end(), truth_by_time))
      std::stable_sort(rows.begin(), rows.end(), truth_by_time);
    const auto threat_it = threat_by_id.find(id);
    const ThreatInfo* threat = threat_it == threat_by_id.end() ? nullptr : threat_it->second;
    const IntervalUnion mask(threat != nullptr ? threat->custody_mask
                                               : std::vector<TimeInterval>{});

    TruthMetrics m;
    m.truth_id = id;
    m.class_name = threat != nullptr && !threat->class_name.empty() ? threat->class_name
                                                                    : rows.front()->class_name;
    m.launch_time_s = threat != nullptr ? threat->launch_time_s : rows.front()->t_s;
    m.time_to_first_detection_s =
        threat != nullptr ? threat->first_detection_time_s - m.launch_time_s : kNaN;
    m.time_to_confirm_s = kNaN;
    m.time_to_correct_class_s = kNaN;
    m.output_times = static_cast<int>(rows.size());

    ConsistencyAccumulator nees;
    double sum_sq_r = 0.0, sum_sq_v = 0.0;
    std::vector<std::pair<double, double>> phase_sums;  // parallel to m.rmse_by_phase
    int masked_tracked = 0, fire_control = 0;
    bool ever_tracked = false, tracked_previous = false;
    bool have_last = false;
    int last_track = 0;  // the last following track, across gaps (if have_last)

    const auto cand_it = candidates.find(id);
    const std::vector<const TrackPoint*>& cand =
        cand_it == candidates.end() ? kNoRows : cand_it->second;
    for (const TruthPoint* tp : rows) {
      // The following track: confirmed, scored to this truth, earliest birth, then smaller id;
      // among the candidate rows within tol of the truth time.
      const TrackPoint* follow = nullptr;
      const auto lo = std::lower_bound(cand.begin(), cand.end(), tp->t_s - tol,
                                       [](const TrackPoint* r, double t) { return r->t_s < t; });
      const auto hi = std::upper_bound(lo, cand.end(), tp->t_s + tol,
                                       [](double t, const TrackPoint* r) { return t < r->t_s; });
      for (auto c = lo; c != hi; ++c) {
        const TrackPoint& row = **c;
        if (follow == nullptr) {
          follow = &row;
          continue;
        }
        const double b_row = by_track.at(row.track_id).birth_s;
        const double b_follow = by_track.at(follow->track_id).birth_s;
        if (b_row < b_follow || (b_row == b_follow && row.track_id < follow->track_id)) {
          follow = &row;
        }
      }
      const bool in_mask = threat != nullptr && mask.Contains(tp->t_s, tol);
      if (in_mask) ++m.masked_output_times;

      const bool tracked_now = follow != nullptr;
      // A break: custody regained after a gap that followed an earlier custody.
      if (tracked_now && !tracked_previous && ever_tracked) ++m.track_breaks;
      tracked_previous = tracked_now;
      if (!tracked_now) continue;
      ever_tracked = true;
      ++m.tracked_times;
      if (in_mask) ++masked_tracked;
      // An ID swap: the following track changes while the previous one is still in the table.
      if (!have_last || follow->track_id != last_track) {
        if (have_last) {
          const auto [first, last] = index.At(tp->t_s);
          bool old_lives = false;
          for (std::size_t k = first; k < last && !old_lives; ++k) {
            old_lives = index.Row(k).track_id == last_track;
          }
          if (old_lives) ++m.id_swaps;
        }
        last_track = follow->track_id;
        have_last = true;
      }
      if (std::isnan(m.time_to_confirm_s)) m.time_to_confirm_s = tp->t_s - m.launch_time_s;
      if (std::isnan(m.time_to_correct_class_s) && !m.class_name.empty() &&
          follow->class_name == m.class_name &&
          follow->class_probability >= config.class_probability_min) {
        m.time_to_correct_class_s = tp->t_s - m.launch_time_s;
      }

      const Vector6 e = follow->x - tp->x;
      ErrorSample s;
      s.t_s = tp->t_s;
      s.track_id = follow->track_id;
      s.phase = tp->phase;
      s.position_error_m = e.head<3>().norm();
      s.velocity_error_mps = e.tail<3>().norm();
      s.position_sigma_m = PositionSigma(follow->P);
      s.nees = Nees(e, follow->P);
      if (!std::isnan(s.nees)) nees.Add(s.nees, 6);
      if (s.position_sigma_m < config.fire_control_sigma_m) ++fire_control;
      const double sq_r = s.position_error_m * s.position_error_m;
      const double sq_v = s.velocity_error_mps * s.velocity_error_mps;
      sum_sq_r += sq_r;
      sum_sq_v += sq_v;
      std::size_t ph = 0;
      while (ph < m.rmse_by_phase.size() && m.rmse_by_phase[ph].phase != tp->phase) ++ph;
      if (ph == m.rmse_by_phase.size()) {
        m.rmse_by_phase.push_back({tp->phase, 0, 0.0, 0.0});
        phase_sums.emplace_back(0.0, 0.0);
      }
      ++m.rmse_by_phase[ph].samples;
      phase_sums[ph].first += sq_r;
      phase_sums[ph].second += sq_v;
      m.errors.push_back(std::move(s));
    }
    run.truths.push_back(std::move(m));
    TruthMetrics& done = run.truths.back();
    done.rmse_position_m = Rms(sum_sq_r, done.tracked_times);
    done.rmse_velocity_mps = Rms(sum_sq_v, done.tracked_times);
    for (std::size_t ph = 0; ph < done.rmse_by_phase.size(); ++ph) {
      done.rmse_by_phase[ph].rmse_position_m =
          Rms(phase_sums[ph].first, done.rmse_by_phase[ph].samples);
      done.rmse_by_phase[ph].rmse_velocity_mps =
          Rms(phase_sums[ph].second, done.rmse_by_phase[ph].samples);
    }
    done.nees = nees.Result(config.consistency_confidence);
    done.custody_fraction =
        done.output_times > 0 ? static_cast<double>(done.tracked_times) / done.output_times : kNaN;
    done.custody_masked_fraction =
        done.masked_output_times > 0
            ? static_cast<double>(masked_tracked) / done.masked_output_times
            : kNaN;
    done.fire_control_fraction =
        done.output_times > 0 ? static_cast<double>(fire_control) / done.output_times : kNaN;
  }

  // Per track: false tracks and changes of scored truth over the confirmed rows.
  for (const auto& [track_id, tr] : by_track) {
    int confirmed = 0, unscored = 0;
    double confirmed_duration_s = 0.0;
    const TrackPoint* previous = nullptr;
    std::string last_truth;
    for (const TrackPoint* p : tr.rows) {
      if (p->confirmed) {
        ++confirmed;
        if (p->scored_truth_id.empty()) {
          ++unscored;
        } else {
          if (!last_truth.empty() && p->scored_truth_id != last_truth) ++run.track_truth_switches;
          last_truth = p->scored_truth_id;
        }
        if (previous != nullptr && previous->confirmed)
          confirmed_duration_s += p->t_s - previous->t_s;
      }
      previous = p;
    }
    if (confirmed == 0) continue;
    ++run.confirmed_tracks;
    if (2 * unscored > confirmed) {
      ++run.false_tracks;
      run.false_track_duration_s += confirmed_duration_s;
    }
  }
  run.id_swaps_total = run.track_truth_switches;
  for (const TruthMetrics& m : run.truths) run.id_swaps_total += m.id_swaps;
  return run;
}

}  // namespace hyperdef::tracking
