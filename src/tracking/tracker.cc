#include "tracking/tracker.h"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

#include "core/error.h"
#include "tracking/assignment.h"
#include "tracking/ekf.h"
#include "tracking/gating.h"
#include "tracking/imm.h"
#include "tracking/jpda.h"
#include "tracking/triangulation.h"
#include "tracking/ukf.h"

namespace hyperdef::tracking {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void Require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("tracker: " + what);
}

// Unit vector from azimuth (clockwise from north) and elevation, in ENU.
Vec3 EnuDirection(double az, double el) {
  return {std::cos(el) * std::sin(az), std::cos(el) * std::cos(az), std::sin(el)};
}

}  // namespace

void TrackerConfig::Validate() const {
  Require(gate_probability > 0.5 && gate_probability < 1.0,
          fmt::format("gate_probability must be in (0.5, 1) (got {})", gate_probability));
  Require(confirm_hits >= 1 && confirm_window >= confirm_hits,
          fmt::format("need 1 <= confirm_hits <= confirm_window (got {} of {})", confirm_hits,
                      confirm_window));
  Require(coast_limit_s > 0.0, fmt::format("coast_limit_s must be > 0 (got {})", coast_limit_s));
  Require(max_position_sigma_m > 0.0,
          fmt::format("max_position_sigma_m must be > 0 (got {})", max_position_sigma_m));
  Require(init_velocity_sigma_mps > 0.0,
          fmt::format("init_velocity_sigma_mps must be > 0 (got {})", init_velocity_sigma_mps));
  Require(triangulation_max_miss_m > 0.0,
          fmt::format("triangulation_max_miss_m must be > 0 (got {})", triangulation_max_miss_m));
  Require(
      imm_switch_probability > 0.0 && imm_switch_probability < 0.5,
      fmt::format("imm_switch_probability must be in (0, 0.5) (got {})", imm_switch_probability));
  Require(jpda_pd > 0.0 && jpda_pd <= 1.0,
          fmt::format("jpda_pd must be in (0, 1] (got {})", jpda_pd));
  Require(jpda_clutter_density > 0.0,
          fmt::format("jpda_clutter_density must be > 0 (got {})", jpda_clutter_density));
  Require(duplicate_gate > 0.0, fmt::format("duplicate_gate must be > 0 (got {})", duplicate_gate));
  if (filter == FilterKind::kImm) {
    Require(imm_models.size() >= 2,
            fmt::format("an IMM needs at least 2 models (got {})", imm_models.size()));
  }
}

const char* ToString(TrackStatus s) {
  switch (s) {
    case TrackStatus::kTentative:
      return "tentative";
    case TrackStatus::kConfirmed:
      return "confirmed";
    case TrackStatus::kDeleted:
      return "deleted";
  }
  return "?";
}

Tracker::Tracker(TrackerConfig config, TrackingFrame frame)
    : config_(std::move(config)), frame_(frame) {
  config_.Validate();
  if (config_.filter == FilterKind::kImm) {
    for (const std::string& name : config_.imm_models)
      models_.push_back(MakeMotionModel(name, config_.model_params, frame_));
    const int n = static_cast<int>(models_.size());
    imm_transition_ = Eigen::MatrixXd::Constant(n, n, config_.imm_switch_probability / (n - 1));
    imm_transition_.diagonal().setConstant(1.0 - config_.imm_switch_probability);
  } else {
    models_.push_back(MakeMotionModel(config_.model, config_.model_params, frame_));
  }
}

std::unique_ptr<TrackFilter> Tracker::NewFilter(const Gaussian& rv) const {
  switch (config_.filter) {
    case FilterKind::kEkf:
      return MakeEkf(models_.front(), rv);
    case FilterKind::kUkf:
      return MakeUkf(models_.front(), rv);
    case FilterKind::kImm: {
      std::vector<double> mu0(models_.size(), 1.0 / static_cast<double>(models_.size()));
      return MakeImm(models_, imm_transition_, mu0, config_.unscented, rv);
    }
  }
  return nullptr;
}

void Tracker::ProcessFrame(double t_s, const std::vector<Measurement>& measurements) {
  PredictTo(t_s);
  for (Track& tr : tracks_) tr.updated_this_frame = false;
  reach_.assign(tracks_.size(), Reach{});
  // Scans: one (sensor, platform) each, in sensor then platform order (deterministic), each in
  // the frame's order: a stable sort of the frame by (sensor, platform), cut into runs.
  std::vector<const Measurement*>& sorted = scan_order_;
  sorted.clear();
  for (const Measurement& m : measurements) sorted.push_back(&m);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Measurement* a, const Measurement* b) {
    return std::pair(a->sensor_index, a->platform_index) <
           std::pair(b->sensor_index, b->platform_index);
  });
  std::vector<const Measurement*> free_lines;
  std::vector<char>& used = used_;
  for (size_t begin = 0, end = 0; begin < sorted.size(); begin = end) {
    end = begin + 1;
    while (end < sorted.size() && sorted[end]->sensor_index == sorted[begin]->sensor_index &&
           sorted[end]->platform_index == sorted[begin]->platform_index)
      ++end;
    const std::span<const Measurement* const> scan(sorted.data() + begin, end - begin);
    used.assign(scan.size(), 0);
    AssociateScan(scan, &used);
    for (size_t j = 0; j < scan.size(); ++j) {
      if (used[j]) continue;
      if (scan[j]->kind == MeasKind::kRadar) {
        InitiateFromRadar(*scan[j]);
      } else if (scan[j]->kind == MeasKind::kLos) {
        free_lines.push_back(scan[j]);
      }
    }
  }
  if (free_lines.size() >= 2) InitiateFromLines(t_s, free_lines);
  ManageTracks(t_s);
}

double Tracker::Gate(int dof) {
  HYPERDEF_ASSERT(dof >= 1 && dof <= kMaxMeas);
  double& g = gates_[static_cast<size_t>(dof)];
  if (g == 0.0) g = GateThreshold(config_.gate_probability, dof);  // Boost quantile: once per dof
  return g;
}

// The pre-gate's view of a track: predicted position and a generous reach around it. Cached for
// the frame; a track's entry is refreshed after it is updated.
const Tracker::Reach& Tracker::ReachOf(int i) {
  Reach& e = reach_[static_cast<size_t>(i)];
  if (!e.valid) {
    tracks_[static_cast<size_t>(i)].filter->PositionEstimate(&e.r, &e.P);
    e.reach_m = 6.0 * std::sqrt(e.P.trace()) + 5000.0;
    e.valid = true;
  }
  return e;
}

void Tracker::AssociateScan(std::span<const Measurement* const> scan, std::vector<char>* used) {
  const int n_tracks = static_cast<int>(tracks_.size());
  const int n_meas = static_cast<int>(scan.size());
  if (n_tracks == 0 || n_meas == 0) return;
  // Coarse pre-gate on position: a line of sight (or plot) farther from a track's predicted
  // position than a generous multiple of its position sigma plus the measurement's own lateral
  // error cannot pass the chi-square gate. Saves the innovation of far pairs.
  // The measurement's own allowance, once per measurement (not per pair): LOS, 10 sigma of
  // angle (times the range along the line, below); radar, 10 sigma of range plus 10 % of it;
  // position, 10 sigma.
  // Packed per measurement (the pair loop below runs tracks x measurements times and would
  // otherwise walk the large Measurement structs).
  std::vector<PreGate>& packed = pregate_;
  packed.resize(static_cast<size_t>(n_meas));
  for (int j = 0; j < n_meas; ++j) {
    const Measurement& m = *scan[j];
    PreGate& g = packed[static_cast<size_t>(j)];
    g.kind = m.kind;
    g.sensor_r = m.sensor_r_Eci;
    g.los = m.los_Eci;
    g.z0 = m.kind == MeasKind::kPosition ? 0.0 : m.z(0);
    g.z = m.kind == MeasKind::kPosition ? Vec3(m.z.head<3>()) : Vec3::Zero();
    g.allowance = m.kind == MeasKind::kLos     ? 10.0 * std::sqrt(std::max(m.R(0, 0), m.R(1, 1)))
                  : m.kind == MeasKind::kRadar ? 10.0 * std::sqrt(m.R(0, 0)) + 0.1 * m.z(0)
                                               : 10.0 * std::sqrt(m.R.trace());
  }
  // The test, per measurement over all tracks at once: the tracks' views packed as columns
  // (x, y, z, reach) so that the loop over tracks is a straight run of arithmetic the compiler
  // vectorises (verdicts as doubles 1 or 0: the width of the comparisons, and a select that
  // SSE2 has); then the few passing (track, measurement) pairs are picked out, four verdicts at a
  // time, as keys i * n_meas + j (track-major once sorted).
  // A scan's lines of sight share their sensor's position: the offsets from it to every track
  // are formed once per position, not once per line.
  const size_t nt = static_cast<size_t>(n_tracks);
  std::vector<double>& cols = pregate_tracks_;
  cols.resize(8 * nt);
  double* const tx = cols.data();
  double* const ty = tx + nt;
  double* const tz = ty + nt;
  double* const treach = tz + nt;
  double* const dx = treach + nt;  // track - sensor, for the sensor position `offsets_from`
  double* const dy = dx + nt;
  double* const dz = dy + nt;
  double* const d2 = dz + nt;  // |track - sensor|^2
  for (size_t i = 0; i < nt; ++i) {
    const Reach& t = ReachOf(static_cast<int>(i));
    tx[i] = t.r.x();
    ty[i] = t.r.y();
    tz[i] = t.r.z();
    treach[i] = t.reach_m;
  }
  std::vector<double>& near = pregate_near_;
  near.assign((nt + 3) / 4 * 4, 0.0);  // whole groups of four; the tail stays 0
  double* const out = near.data();
  std::vector<std::size_t>& hits = pregate_hits_;
  hits.clear();
  bool have_offsets = false;
  Vec3 offsets_from = Vec3::Zero();
  for (int j = 0; j < n_meas; ++j) {
    const PreGate& m = packed[static_cast<size_t>(j)];
    if (m.kind == MeasKind::kLos) {
      if (!have_offsets || m.sensor_r != offsets_from) {
        const double sx = m.sensor_r.x(), sy = m.sensor_r.y(), sz = m.sensor_r.z();
        for (size_t i = 0; i < nt; ++i) {
          dx[i] = tx[i] - sx;
          dy[i] = ty[i] - sy;
          dz[i] = tz[i] - sz;
          d2[i] = dx[i] * dx[i] + dy[i] * dy[i] + dz[i] * dz[i];
        }
        have_offsets = true;
        offsets_from = m.sensor_r;
      }
      // Ahead of the sensor, and the lateral offset from the line within the track's reach plus
      // the angle allowance at that range.
      const double ux = m.los.x(), uy = m.los.y(), uz = m.los.z(), a = m.allowance;
      for (size_t i = 0; i < nt; ++i) {
        const double along = dx[i] * ux + dy[i] * uy + dz[i] * uz;
        const double tol = treach[i] + a * along;
        out[i] = (along > 0.0) & (d2[i] - along * along <= tol * tol) ? 1.0 : 0.0;
      }
    } else {
      // Radar: the range error; position: the distance to the fix.
      const bool radar = m.kind == MeasKind::kRadar;
      const double cx = radar ? m.sensor_r.x() : m.z.x(), cy = radar ? m.sensor_r.y() : m.z.y(),
                   cz = radar ? m.sensor_r.z() : m.z.z(), z0 = radar ? m.z0 : 0.0, a = m.allowance;
      for (size_t i = 0; i < nt; ++i) {
        const double ex = tx[i] - cx, ey = ty[i] - cy, ez = tz[i] - cz;
        const double error = std::abs(std::sqrt(ex * ex + ey * ey + ez * ez) - z0);
        out[i] = error <= treach[i] + a ? 1.0 : 0.0;
      }
    }
    for (size_t w = 0; w < near.size(); w += 4) {
      if (out[w] + out[w + 1] + out[w + 2] + out[w + 3] == 0.0) continue;
      for (size_t i = w; i < w + 4; ++i)
        if (out[i] != 0.0) hits.push_back(i * static_cast<size_t>(n_meas) + static_cast<size_t>(j));
    }
  }
  std::sort(hits.begin(), hits.end());
  const int dof = static_cast<int>(scan.front()->z.size());
  const double gate = Gate(dof);
  // Gated pairs, then a compact problem over the tracks that have any.
  std::vector<PairScratch>& pairs = pairs_;
  pairs.clear();
  const bool gnn = config_.association == AssociationKind::kGnn;  // GNN needs no likelihoods
  for (const std::size_t key : hits) {
    const int i = static_cast<int>(key / static_cast<size_t>(n_meas));
    const int j = static_cast<int>(key % static_cast<size_t>(n_meas));
    double nis = 0.0, log_l = 0.0;
    tracks_[i].filter->Score(*scan[j], &nis, gnn ? nullptr : &log_l);
    if (!(nis <= gate)) continue;
    pairs.push_back({i, j, nis, gnn ? 0.0 : std::exp(log_l)});
  }
  if (pairs.empty()) return;
  if (gnn && AssociateDisjoint(scan, dof, gate, used)) return;
  std::vector<int> rows;  // compact row -> track
  for (const PairScratch& p : pairs)
    if (rows.empty() || rows.back() != p.track) rows.push_back(p.track);
  const int n_rows = static_cast<int>(rows.size());
  Eigen::MatrixXd& nis = nis_;
  nis.setConstant(n_rows, n_meas, kInf);
  for (int r = 0, k = 0; r < n_rows; ++r)
    for (; k < static_cast<int>(pairs.size()) && pairs[k].track == rows[r]; ++k)
      nis(r, pairs[k].meas) = pairs[k].nis;
  if (gnn) {
    const std::vector<double> unassigned(n_rows, gate);
    const std::vector<int> row_to_col = gnn_solver_.SolveGnn(nis, unassigned);
    for (int r = 0; r < n_rows; ++r) {
      const int j = row_to_col[r];
      if (j < 0) continue;
      const int i = rows[r];
      tracks_[i].filter->Update(*scan[j]);
      reach_[static_cast<size_t>(i)].valid = false;
      (*used)[j] = 1;
      LogUpdate(tracks_[i], scan[j]->t_s, scan[j]->detection_index, nis(r, j), dof);
    }
    return;
  }
  // JPDA: marginal association probabilities over the scan's feasible joint events.
  Eigen::MatrixXd likelihood = Eigen::MatrixXd::Zero(n_rows, n_meas);
  for (const PairScratch& p : pairs)
    likelihood(std::lower_bound(rows.begin(), rows.end(), p.track) - rows.begin(), p.meas) =
        p.likelihood;
  const std::vector<double> pd(n_rows, config_.jpda_pd);
  const Eigen::MatrixXd beta =
      JpdaMarginals(likelihood, pd, config_.gate_probability, config_.jpda_clutter_density);
  for (int r = 0; r < n_rows; ++r) {
    std::vector<const Measurement*> ms;
    std::vector<double> b;
    int best = -1;
    for (int j = 0; j < n_meas; ++j) {
      if (likelihood(r, j) <= 0.0) continue;
      ms.push_back(scan[j]);
      b.push_back(beta(r, j + 1));
      if (best < 0 || beta(r, j + 1) > beta(r, best + 1)) best = j;
    }
    if (ms.empty()) continue;
    const int i = rows[r];
    tracks_[i].filter->UpdatePda(ms, b, beta(r, 0));
    reach_[static_cast<size_t>(i)].valid = false;
    for (int j = 0; j < n_meas; ++j)
      if (likelihood(r, j) > 0.0) (*used)[j] = 1;
    // The log names the most probable measurement (scoring needs one origin per update).
    LogUpdate(tracks_[i], scan[best]->t_s, scan[best]->detection_index, nis(r, best), dof);
  }
}

bool Tracker::AssociateDisjoint(std::span<const Measurement* const> scan, int dof, double gate,
                                std::vector<char>* used) {
  // When no measurement is gated by two tracks the GNN problem decomposes: each track takes its
  // smallest NIS if that is below the gate (the cost of staying unassigned). With strict minima
  // that is the unique optimum, the solver's answer too; a shared measurement or a tie is left to
  // the solver. pairs_ is track-major, so the updates come in the solver path's row order.
  const std::vector<PairScratch>& pairs = pairs_;
  std::vector<int>& owner = disjoint_owner_;
  owner.assign(scan.size(), -1);
  for (const PairScratch& p : pairs) {
    int& o = owner[static_cast<size_t>(p.meas)];
    if (o >= 0) return false;  // a second track gates this measurement
    o = p.track;
  }
  std::vector<size_t>& picks = disjoint_picks_;
  picks.clear();
  for (size_t k = 0; k < pairs.size();) {
    size_t best = k, end = k + 1;
    bool tie = false;
    for (; end < pairs.size() && pairs[end].track == pairs[k].track; ++end) {
      if (pairs[end].nis < pairs[best].nis) {
        best = end;
        tie = false;
      } else if (pairs[end].nis == pairs[best].nis) {
        tie = true;
      }
    }
    if (tie || !(pairs[best].nis < gate)) return false;
    picks.push_back(best);
    k = end;
  }
  for (const size_t b : picks) {
    const PairScratch& p = pairs[b];
    tracks_[p.track].filter->Update(*scan[p.meas]);
    reach_[static_cast<size_t>(p.track)].valid = false;
    (*used)[p.meas] = 1;
    LogUpdate(tracks_[p.track], scan[p.meas]->t_s, scan[p.meas]->detection_index, p.nis, dof);
  }
  return true;
}

void Tracker::LogUpdate(Track& track, double t_s, int detection_index, double nis, int dof) {
  track.t_last_update_s = t_s;
  if (!track.updated_this_frame) {
    track.updated_this_frame = true;
    ++track.hits;
    log_.push_back({t_s, track.id, {}, {}, {}});
  } else if (log_.back().track_id != track.id || log_.back().t_s != t_s) {
    // A later scan of the same frame: the track's entry of this frame is further back.
    auto it = std::find_if(log_.rbegin(), log_.rend(), [&](const TrackUpdateLog& e) {
      return e.track_id == track.id && e.t_s == t_s;
    });
    HYPERDEF_ASSERT(it != log_.rend());
    it->detection_indices.push_back(detection_index);
    it->nis.push_back(nis);
    it->nis_dof.push_back(dof);
    return;
  }
  log_.back().detection_indices.push_back(detection_index);
  log_.back().nis.push_back(nis);
  log_.back().nis_dof.push_back(dof);
}

void Tracker::StartTrack(const Gaussian& rv, const char* how, const std::vector<int>& detections) {
  Track tr;
  tr.id = next_id_++;
  tr.filter = NewFilter(rv);
  tr.t_born_s = rv.t_s;
  tr.t_last_update_s = rv.t_s;
  tr.initiated_by = how;
  tr.hits = 1;
  tr.updated_this_frame = true;
  log_.push_back({rv.t_s, tr.id, detections, {}, {}});
  tracks_.push_back(std::move(tr));
  reach_.push_back(Reach{});
}

void Tracker::InitiateFromRadar(const Measurement& m) {
  // Position from (range, az, el) with the covariance J R J' of that map; velocity unknown.
  const double range = m.z(0), az = m.z(1), el = m.z(2);
  const Mat3 R_EciFromEnu = m.R_EnuFromEci.transpose();
  const Vec3 u_Enu = EnuDirection(az, el);
  Mat3 J_Enu;
  J_Enu.col(0) = u_Enu;
  J_Enu.col(1) = range * Vec3(std::cos(el) * std::cos(az), -std::cos(el) * std::sin(az), 0.0);
  J_Enu.col(2) =
      range * Vec3(-std::sin(el) * std::sin(az), -std::sin(el) * std::cos(az), std::cos(el));
  const Mat3 J = R_EciFromEnu * J_Enu;
  Gaussian rv;
  rv.t_s = m.t_s;
  rv.x = StateVector::Zero(6);
  rv.x.head<3>() = m.sensor_r_Eci + R_EciFromEnu * (range * u_Enu);
  // Zero-mean velocity prior around the Earth-fixed frame (a ground-relative velocity of 0).
  rv.x.tail<3>() = core::kEarthOmega_radps * Vec3::UnitZ().cross(Vec3(rv.x.head<3>()));
  rv.P = StateMatrix::Zero(6, 6);
  rv.P.topLeftCorner<3, 3>() = J * m.R.topLeftCorner<3, 3>() * J.transpose();
  rv.P.bottomRightCorner<3, 3>() =
      Mat3::Identity() * config_.init_velocity_sigma_mps * config_.init_velocity_sigma_mps;
  StartTrack(rv, "radar", {m.detection_index});
}

void Tracker::InitiateFromLines(double t_s, const std::vector<const Measurement*>& lines) {
  // Candidate pairs from different platforms whose lines pass within the miss threshold,
  // best first; a fix takes its pair plus every other free line (one per platform) that passes
  // near it, and must be triangulated well (ok, angle, miss) to start a track.
  struct Pair {
    double miss;
    int a, b;
  };
  const int n = static_cast<int>(lines.size());
  std::vector<LineOfSight> los(n);
  for (int i = 0; i < n; ++i) {
    const Measurement& m = *lines[i];
    // Per-axis angle sigma from the tangent-plane covariance (its mean diagonal).
    los[i] = {m.sensor_r_Eci, m.los_Eci, std::sqrt(0.5 * (m.R(0, 0) + m.R(1, 1))),
              m.sensor_position_sigma_m};
  }
  std::vector<Pair> pairs;
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      if (lines[a]->sensor_index == lines[b]->sensor_index &&
          lines[a]->platform_index == lines[b]->platform_index)
        continue;
      if (std::abs(los[a].u_Eci.dot(los[b].u_Eci)) > std::cos(config_.triangulation_min_angle_rad))
        continue;
      const double miss = LineMissDistance(los[a], los[b]);
      if (miss <= config_.triangulation_max_miss_m) pairs.push_back({miss, a, b});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& p, const Pair& q) {
    return p.miss != q.miss ? p.miss < q.miss : (p.a != q.a ? p.a < q.a : p.b < q.b);
  });
  std::vector<char> taken(n, 0);
  for (const Pair& p : pairs) {
    if (taken[p.a] || taken[p.b]) continue;
    std::vector<int> members = {p.a, p.b};
    Fix fix = Triangulate({los[p.a], los[p.b]});
    if (!fix.ok) continue;
    // Add other free lines that point at the fix (one per platform).
    for (int c = 0; c < n; ++c) {
      if (taken[c] || c == p.a || c == p.b) continue;
      bool same_platform = false;
      for (int k : members)
        same_platform |= lines[k]->sensor_index == lines[c]->sensor_index &&
                         lines[k]->platform_index == lines[c]->platform_index;
      if (same_platform) continue;
      const Vec3 d = fix.r_Eci - los[c].origin_Eci;
      const double along = d.dot(los[c].u_Eci);
      if (along <= 0.0) continue;
      if ((d - along * los[c].u_Eci).norm() > config_.triangulation_max_miss_m) continue;
      members.push_back(c);
    }
    if (members.size() > 2) {
      std::vector<LineOfSight> sub;
      for (int k : members) sub.push_back(los[k]);
      Fix better = Triangulate(sub);
      if (better.ok) fix = better;
    }
    if (fix.max_miss_m > config_.triangulation_max_miss_m) continue;
    // No track may already sit on this fix (a second stereo pair of a target already held).
    bool held = false;
    for (int i = 0; i < static_cast<int>(tracks_.size()); ++i) {
      const Reach& t = ReachOf(i);
      const Vec3 d = t.r - fix.r_Eci;
      if (d.norm() > t.reach_m + 10.0 * std::sqrt(fix.covariance.trace())) continue;
      const Mat3 S = t.P + fix.covariance;
      if (d.dot(S.ldlt().solve(d)) < Gate(3)) {
        held = true;
        break;
      }
    }
    for (int k : members) taken[k] = 1;
    if (held) continue;
    Gaussian rv;
    rv.t_s = t_s;
    rv.x = StateVector::Zero(6);
    rv.x.head<3>() = fix.r_Eci;
    rv.x.tail<3>() = core::kEarthOmega_radps * Vec3::UnitZ().cross(fix.r_Eci);
    rv.P = StateMatrix::Zero(6, 6);
    rv.P.topLeftCorner<3, 3>() = fix.covariance;
    rv.P.bottomRightCorner<3, 3>() =
        Mat3::Identity() * config_.init_velocity_sigma_mps * config_.init_velocity_sigma_mps;
    std::vector<int> detections;
    for (int k : members) detections.push_back(lines[k]->detection_index);
    StartTrack(rv, "triangulation", detections);
  }
}

void Tracker::ManageTracks(double t_s) {
  // Estimates are taken once per track (an IMM's moment matching is not free) for the deletion
  // tests and the duplicate comparison below.
  std::vector<Gaussian>& est = estimates_;
  est.clear();
  est.reserve(tracks_.size());
  for (const Track& tr : tracks_) est.push_back(tr.filter->Estimate());
  for (size_t k = 0; k < tracks_.size(); ++k) {
    Track& tr = tracks_[k];
    // Born this frame: the birth frame is the first of the window.
    if (tr.t_born_s != t_s) ++tr.frames_since_birth;
    // Largest position sigma; the eigen solve only when the trace (>= the largest eigenvalue)
    // does not already clear the limit.
    const Mat3 P = est[k].P.topLeftCorner<3, 3>();
    double sigma_pos = std::sqrt(std::max(0.0, P.trace()));
    if (!(sigma_pos < config_.max_position_sigma_m)) {
      const Eigen::SelfAdjointEigenSolver<Mat3> es(P, Eigen::EigenvaluesOnly);
      sigma_pos = std::sqrt(std::max(0.0, es.eigenvalues().maxCoeff()));
    }
    if (tr.status == TrackStatus::kTentative) {
      if (tr.hits >= config_.confirm_hits) {
        tr.status = TrackStatus::kConfirmed;
        tr.t_confirmed_s = t_s;
      } else {
        const int used = tr.frames_since_birth + 1;  // frames of the window spent, birth included
        if (used >= config_.confirm_window ||
            tr.hits + (config_.confirm_window - used) < config_.confirm_hits)
          tr.status = TrackStatus::kDeleted;
      }
    } else if (t_s - tr.t_last_update_s > config_.coast_limit_s) {
      tr.status = TrackStatus::kDeleted;
    }
    if (!std::isfinite(sigma_pos) || sigma_pos > config_.max_position_sigma_m)
      tr.status = TrackStatus::kDeleted;
  }
  // Duplicates: of two tracks on one target, keep the confirmed, then the older.
  const double gate = config_.duplicate_gate;
  const double reject = std::max(100.0, gate);
  // Positions and position-variance traces, packed for the all-pairs cheap reject.
  std::vector<std::pair<Vec3, double>>& near = duplicate_scratch_;
  near.clear();
  for (const Gaussian& g : est) near.push_back({g.x.head<3>(), g.P.topLeftCorner<3, 3>().trace()});
  for (size_t a = 0; a < tracks_.size(); ++a) {
    if (tracks_[a].status == TrackStatus::kDeleted) continue;
    const Gaussian& ga = est[a];
    for (size_t b = a + 1; b < tracks_.size(); ++b) {
      if (tracks_[b].status == TrackStatus::kDeleted) continue;
      // Cheap reject: d' S^-1 d >= |d|^2 / trace(S) > max(100, gate) fails the gate.
      if ((near[a].first - near[b].first).squaredNorm() >
          reject * (near[a].second + near[b].second))
        continue;
      const Gaussian& gb = est[b];
      const Vec3 d = Vec3(ga.x.head<3>()) - Vec3(gb.x.head<3>());
      const Mat3 S = Mat3(ga.P.topLeftCorner<3, 3>()) + Mat3(gb.P.topLeftCorner<3, 3>());
      if (d.dot(S.ldlt().solve(d)) > gate) continue;
      const Vec3 dv = Vec3(ga.x.tail<3>()) - Vec3(gb.x.tail<3>());
      const Mat3 Sv = Mat3(ga.P.bottomRightCorner<3, 3>()) + Mat3(gb.P.bottomRightCorner<3, 3>());
      if (dv.dot(Sv.ldlt().solve(dv)) > gate) continue;
      const bool a_wins = (tracks_[a].status == TrackStatus::kConfirmed) !=
                                  (tracks_[b].status == TrackStatus::kConfirmed)
                              ? tracks_[a].status == TrackStatus::kConfirmed
                              : tracks_[a].id < tracks_[b].id;
      (a_wins ? tracks_[b] : tracks_[a]).status = TrackStatus::kDeleted;
      if (!a_wins) break;
    }
  }
  tracks_.erase(std::remove_if(tracks_.begin(), tracks_.end(),
                               [](const Track& tr) { return tr.status == TrackStatus::kDeleted; }),
                tracks_.end());
}

void Tracker::PredictTo(double t_s) {
  for (Track& tr : tracks_)
    if (t_s > tr.filter->Time()) tr.filter->Predict(t_s);
}

std::vector<TrackView> Tracker::View(double t_s, bool include_tentative) const {
  std::vector<TrackView> out;
  for (const Track& tr : tracks_) {
    if (!include_tentative && tr.status != TrackStatus::kConfirmed) continue;
    const TrackFilter* f = tr.filter.get();
    std::unique_ptr<TrackFilter> ahead;  // predict a copy only when asked for a later time
    if (t_s > f->Time()) {
      ahead = f->Clone();
      ahead->Predict(t_s);
      f = ahead.get();
    }
    if (!mode_names_)
      mode_names_ = std::make_shared<const std::vector<std::string>>(f->ModeNames());
    out.push_back(
        {tr.id, tr.status, f->Estimate(), mode_names_, f->ModeProbabilities(), tr.t_last_update_s});
  }
  return out;
}

std::optional<Vec3> Tracker::AccelerationEstimate(int id) const {
  for (const Track& tr : tracks_) {
    if (tr.id == id) return tr.filter->AccelerationEstimate();
  }
  return std::nullopt;
}

std::vector<TrackUpdateLog> Tracker::TakeUpdateLog() {
  std::vector<TrackUpdateLog> out;
  out.swap(log_);
  return out;
}

}  // namespace hyperdef::tracking
