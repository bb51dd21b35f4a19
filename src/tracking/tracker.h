// The multi-sensor multi-target tracker: a composition of the tracking layer's parts, declared by
// a plain config (Stone Soup's shape: predictor and updater = a TrackFilter, hypothesiser = the
// chi-square gate, associator = GNN or JPDA, initiators = M-of-N for radar plots and
// triangulation of >= 2 satellites' lines of sight, deleter = coasting time and covariance size).
//
// Measurement fusion is centralised and sequential: a frame's measurements are grouped by
// (sensor, platform) — one satellite's or one radar's scan, in which a target appears at most
// once — and each group is associated and applied in turn, so the second satellite's lines of
// sight are gated against the track already updated by the first's.
//
// The tracker reads measurements only (no truth): Measurement::truth_id is never read here; each
// update is logged with its detection index so that scoring code can look the truth up later.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tracking/assignment.h"
#include "tracking/filter.h"
#include "tracking/motion_models.h"
#include "tracking/types.h"

namespace hyperdef::tracking {

enum class FilterKind { kEkf, kUkf, kImm };
enum class AssociationKind { kGnn, kJpda };
enum class TrackStatus { kTentative, kConfirmed, kDeleted };

struct TrackerConfig {
  FilterKind filter = FilterKind::kImm;
  bool unscented = false;    // IMM modes as UKFs instead of EKFs
  std::string model = "ca";  // the single model of an EKF or UKF tracker
  std::vector<std::string> imm_models = {"ca", "ballistic", "glide"};
  double imm_switch_probability = 0.02;  // per second, spread evenly over the other modes
  MotionModelParams model_params;
  AssociationKind association = AssociationKind::kGnn;
  double gate_probability = 0.9997;  // chi-square gate (per measurement dimension)
  // JPDA: detection probability and clutter density (per unit measurement volume: rad^2 for
  // lines of sight; m rad^2 for radar plots) assumed by the data association.
  double jpda_pd = 0.9;
  double jpda_clutter_density = 1e-6;
  // Initiation.
  double init_velocity_sigma_mps = 3000.0;   // prior on velocity of a new track (zero mean)
  double triangulation_max_miss_m = 5000.0;  // lines closer than this may be one target
  double triangulation_min_angle_rad = 2.0 * core::kDegToRad;
  // M-of-N confirmation, counted in the tracker's frames since the track was born.
  int confirm_hits = 3;
  int confirm_window = 5;
  // Deletion.
  double coast_limit_s = 20.0;            // confirmed track deleted after this long unupdated
  double max_position_sigma_m = 50000.0;  // ... or when its position 1-sigma grows beyond this
  // Two tracks this close (Mahalanobis on position, chi-square 3 dof) are one: the younger goes.
  double duplicate_gate = 11.34;  // chi-square(3) 99 %
  // Throws std::invalid_argument naming the first bad field.
  void Validate() const;
};

// One update of a track: the detections (rows of the run's detection list) that made it.
struct TrackUpdateLog {
  double t_s = 0.0;
  int track_id = 0;
  std::vector<int> detection_indices;
  // Normalised innovation squared of each measurement applied (JPDA: of its most probable one)
  // with its degrees of freedom, for the NIS consistency check; none for a track's birth.
  std::vector<double> nis;
  std::vector<int> nis_dof;
};

struct Track {
  int id = 0;
  TrackStatus status = TrackStatus::kTentative;
  std::unique_ptr<TrackFilter> filter;
  double t_born_s = 0.0;
  double t_confirmed_s = -1.0;
  double t_last_update_s = 0.0;
  int frames_since_birth = 0;
  int hits = 0;  // frames with at least one update
  bool updated_this_frame = false;
  std::string initiated_by;  // "radar" or "triangulation"
};

// A track's estimate predicted to a time, for output and cueing (the track is not changed).
struct TrackView {
  int id = 0;
  TrackStatus status = TrackStatus::kTentative;
  Gaussian rv;  // 6-state (r, v) in the tracking frame
  // The filter's mode names (mode_probabilities' order), shared by every view of a tracker;
  // null when the view carries no modes (fused tracks).
  std::shared_ptr<const std::vector<std::string>> mode_names;
  std::vector<double> mode_probabilities;
  double t_last_update_s = 0.0;
};

// What the simulation needs from a tracker, centralised (Tracker below) or distributed
// (distributed_tracker.h): predict to a frame, process the frame's measurements, show the tracks
// and the log of which detections updated which track.
class TrackerInterface {
 public:
  virtual ~TrackerInterface() = default;
  virtual void PredictTo(double t_s) = 0;
  virtual void ProcessFrame(double t_s, const std::vector<Measurement>& measurements) = 0;
  virtual bool Empty() const = 0;  // no live track at all
  virtual std::vector<TrackView> View(double t_s, bool include_tentative) const = 0;
  virtual std::vector<TrackUpdateLog> TakeUpdateLog() = 0;
  virtual long TracksInitiated() const = 0;
  // The acceleration estimate (tracking frame, m/s^2) of live track `id` at its filter's time
  // (TrackFilter::AccelerationEstimate), for augmented PN; empty when the tracker keeps none (the
  // default: fused tracks) or has no live track `id`.
  virtual std::optional<Vec3> AccelerationEstimate(int /*id*/) const { return std::nullopt; }
};

class Tracker : public TrackerInterface {
 public:
  Tracker(TrackerConfig config, TrackingFrame frame);

  // All measurements of one time t_s, from any sensors. Predicts every track to t_s, associates
  // and updates scan by scan, initiates from what is left, confirms and deletes.
  void ProcessFrame(double t_s, const std::vector<Measurement>& measurements) override;

  // Predicts every live track to t_s (no-op for a track already there). ProcessFrame does it
  // too; calling it first lets the cueing read the frame's predictions without copying filters.
  void PredictTo(double t_s) override;
  std::optional<Vec3> AccelerationEstimate(int id) const override;
  bool Empty() const override { return tracks_.empty(); }

  const std::vector<Track>& Tracks() const { return tracks_; }  // live tracks only
  // Live tracks at t_s (predicted on a copy if t_s is later than the tracks' time); tentative
  // ones too when asked.
  std::vector<TrackView> View(double t_s, bool include_tentative) const override;
  // Updates since the last call (and clears them).
  std::vector<TrackUpdateLog> TakeUpdateLog() override;
  const TrackingFrame& Frame() const { return frame_; }
  const TrackerConfig& Config() const { return config_; }
  long TracksInitiated() const override { return next_id_ - 1; }

 private:
  std::unique_ptr<TrackFilter> NewFilter(const Gaussian& rv) const;
  void AssociateScan(std::span<const Measurement* const> scan, std::vector<char>* used);
  // AssociateScan's GNN when no measurement is gated by two tracks (pairs_ filled): applies the
  // assignment and returns true; false (nothing done) when the solver must decide.
  bool AssociateDisjoint(std::span<const Measurement* const> scan, int dof, double gate,
                         std::vector<char>* used);
  void InitiateFromRadar(const Measurement& m);
  void InitiateFromLines(double t_s, const std::vector<const Measurement*>& lines);
  void StartTrack(const Gaussian& rv, const char* how, const std::vector<int>& detections);
  void LogUpdate(Track& track, double t_s, int detection_index, double nis, int dof);
  void ManageTracks(double t_s);
  double Gate(int dof);
  struct Reach {
    Vec3 r = Vec3::Zero();
    Mat3 P = Mat3::Zero();  // position covariance
    double reach_m = 0.0;
    bool valid = false;
  };
  const Reach& ReachOf(int track_index);

  TrackerConfig config_;
  TrackingFrame frame_;
  std::vector<std::shared_ptr<const MotionModel>> models_;  // the filter's models, built once
  Eigen::MatrixXd imm_transition_;
  std::vector<Track> tracks_;
  std::vector<TrackUpdateLog> log_;
  int next_id_ = 1;
  std::array<double, kMaxMeas + 1> gates_{};  // chi-square gate by measurement dimension
  // The filters' mode names, formed once: every track's filter comes from NewFilter (one config).
  mutable std::shared_ptr<const std::vector<std::string>> mode_names_;
  std::vector<std::pair<Vec3, double>> duplicate_scratch_;  // ManageTracks: position, trace
  // ProcessFrame's scratch: the frame sorted into scans, and one scan's used flags.
  std::vector<const Measurement*> scan_order_;
  std::vector<char> used_;
  std::vector<Reach> reach_;  // this frame's pre-gate view of each track
  struct PairScratch {        // a gated (track, measurement) pair of the scan being associated
    int track, meas;
    double nis, likelihood;
  };
  std::vector<PairScratch> pairs_;
  struct PreGate {  // AssociateScan's pre-gate view of one measurement
    MeasKind kind;
    Vec3 sensor_r, los, z;  // sensor position, LOS direction (kLos), position (kPosition)
    double z0;              // kRadar: measured range
    double allowance;       // the measurement's own allowance (m; LOS: per m along the line)
  };
  std::vector<PreGate> pregate_;        // AssociateScan's scratch, one per measurement of the scan
  std::vector<double> pregate_tracks_;  // and the tracks' columns (x, y, z, reach, offsets)
  std::vector<double> pregate_near_;    // and one measurement's verdict per track
  std::vector<std::size_t> pregate_hits_;  // and the pairs that passed, as i * n_meas + j
  std::vector<int> disjoint_owner_;     // AssociateDisjoint's scratch: the track gating each meas
  std::vector<size_t> disjoint_picks_;  // and each track's chosen pair
  Eigen::MatrixXd nis_;                 // AssociateScan's scratch: the compact problem's nis
  AssignmentSolver gnn_solver_;         // and its GNN solver (workspace kept between scans)
  std::vector<Gaussian> estimates_;     // ManageTracks' scratch: each live track's estimate
};

const char* ToString(TrackStatus s);

}  // namespace hyperdef::tracking
