// Track-quality metrics: the only tracking code allowed to read truth.
//
// Inputs are plain tables the simulation records: the tracker's output rows (TrackPoint), the
// truth rows at the same output times (TruthPoint) and, for each track update, the truth ids of
// the detections that produced it (TrackHistoryEntry; Measurement::truth_id rides along for this).
//
// 1. Track-to-truth association by measurement origin (ScoreTrackTruth). The truth a track stands
//    for at time t is the plurality truth id over the measurement truth ids of its last N updates
//    at or before t (N = 10 by default), a false alarm voting for "" like any other id; a tie goes
//    to the candidate voted for most recently. A track that has never been updated, or whose votes
//    are mostly false alarms, is scored "". This is association by measurement origin: Stone Soup
//    keeps, in each TrueDetection, the ground-truth path that produced it for exactly this use, and
//    the "track purity" measures of tracker evaluation (e.g. Blackman & Popoli 1999) count a
//    track's detections by origin. A track belongs to the object whose detections built it, so the
//    score does not depend on the track's own estimate and needs no distance threshold.
//
// 2. Per-truth metrics over a run (ComputeRunMetrics). At each output time t of truth j, the track
//    following j is the confirmed track scored to j with the longest history (earliest first
//    output row; ties -> the smaller track id). With e = x_track - x_truth (r, v in the tracking
//    frame) we record |e_r|, |e_v| and NEES = e' P^-1 e (Bar-Shalom, Li & Kirubarajan 2001, sec.
//    5.4.2). The run's RMSE is sqrt(mean |e_r|^2) over the tracked times (overall and per flight
//    phase); across Monte Carlo runs the same formula over runs at one time gives the ensemble RMSE
//    vs time. Time-averaged NEES: N * mean(NEES) ~ chi2(6 N) for a consistent filter, so the
//    two-sided 95% band is [chi2^-1(0.025; 6N), chi2^-1(0.975; 6N)] / N (ibid., sec. 5.4.2).
//    Consecutive errors of one run are correlated, so this band is optimistic for one run; it is
//    exact for the average over independent Monte Carlo runs at one time.
//    Custody = fraction of the truth's output times with a following track; a break is custody
//    lost and then regained; an ID swap is a change of the following track while the previous one
//    is still in the track table (the CLEAR-MOT mismatch count of Bernardin & Stiefelhagen 2008,
//    less the handovers from a track that has been deleted, which are not an error). Fire-control
//    quality at t: the following track's position 1-sigma, sqrt(lambda_max(P_rr)), is below a
//    threshold (1,000 m by default: an ASSUMED figure, of the order of an interceptor seeker's
//    acquisition basket; set it per weapon).
//
// 3. Per-run metrics: a confirmed track is false when, over its confirmed rows, it is scored ""
//    more than half of the time; a track-truth switch is a change of a track's (non-empty) scored
//    truth across its confirmed rows.
//
// Times: seconds from the scenario epoch. Rows of the two tables match when their times differ by
// at most MetricsConfig::time_tolerance_s. Quantities that cannot be computed (no tracked time, no
// detection) are NaN.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace hyperdef::tracking {

using Vector6 = Eigen::Matrix<double, 6, 1>;
using Matrix6 = Eigen::Matrix<double, 6, 6>;

// One row of the tracker's output at one time.
struct TrackPoint {
  double t_s = 0.0;
  int track_id = -1;
  bool confirmed = false;
  Vector6 x = Vector6::Zero();  // r (m), v (m/s) in the tracking frame (types.h)
  Matrix6 P = Matrix6::Zero();  // covariance of x (m^2, m^2/s, m^2/s^2)
  std::string scored_truth_id;  // filled by ScoreTrackTruth ("" = false track / unknown)
  std::string class_name;       // tracker's classification ("" if none)
  double class_probability = 0.0;
};

// One row of truth, in the same frame and at the same output times as the track rows.
struct TruthPoint {
  double t_s = 0.0;
  std::string id;
  Vector6 x = Vector6::Zero();  // r (m), v (m/s) in the tracking frame
  std::string phase;            // flight phase name ("boost", "glide", ...), free text
  std::string class_name;
};

// The truth ids of the detections that updated one track at one time ("" for a false alarm).
struct TrackHistoryEntry {
  int track_id = -1;
  double t_s = 0.0;
  std::vector<std::string> measurement_truth_ids;
};

// Fills tracks[i].scored_truth_id (rule 1 above) from the updates of track tracks[i].track_id at
// times <= tracks[i].t_s + 1e-9 s. `window_updates` = N >= 1; history need not be sorted.
void ScoreTrackTruth(const std::vector<TrackHistoryEntry>& history, std::vector<TrackPoint>& tracks,
                     int window_updates = 10);

// The same history with the truth ids interned, flat (what a long run builds without a string
// per detection): update k is (track_id[k], t_s[k]) and names the truths
// truths[offsets[k] .. offsets[k + 1]), indices into `names` ("" for a false alarm may be one).
struct TrackHistoryTable {
  std::vector<int> track_id;
  std::vector<double> t_s;
  std::vector<int> offsets{0};  // size = updates + 1
  std::vector<int> truths;
  std::vector<std::string> names;
  void Add(int track, double t, std::span<const int> truth_indices);
};
// ScoreTrackTruth on the table: the same votes, the same result.
void ScoreTrackTruth(const TrackHistoryTable& history, std::vector<TrackPoint>& tracks,
                     int window_updates = 10);

// A closed interval of scenario time [begin_s, end_s]; a single output time t is [t, t].
struct TimeInterval {
  double begin_s = 0.0;
  double end_s = 0.0;
};

// What the caller knows about one threat beyond its truth rows.
struct ThreatInfo {
  std::string id;            // the TruthPoint::id it describes
  double launch_time_s = 0;  // start of flight
  std::string class_name;    // true class; "" -> taken from the truth rows
  // First detection by any sensor; NaN (the default) if never detected.
  double first_detection_time_s = std::numeric_limits<double>::quiet_NaN();
  // Times at which custody is also scored on its own (e.g. "while stereo visible"); empty -> the
  // masked custody is NaN.
  std::vector<TimeInterval> custody_mask;
};

struct MetricsConfig {
  double time_tolerance_s = 1e-6;        // track and truth rows at the same output time
  double fire_control_sigma_m = 1000.0;  // ASSUMED fire-control threshold on position 1-sigma
  double class_probability_min = 0.5;    // a class declaration counts at or above this
  double consistency_confidence = 0.95;  // two-sided chi-square band for NEES / NIS
  // Throws core::InputError naming the first bad field (key "metrics.<field>").
  void Validate() const;
};

// Chi-square consistency of a set of normalised squared errors (NEES or NIS): with sum_dof the
// total degrees of freedom of n samples, sum(values) ~ chi2(sum_dof) for a consistent filter.
struct ConsistencyStats {
  int samples = 0;
  int total_dof = 0;
  double mean = 0.0;           // sum / samples (NaN if no sample)
  double expected_mean = 0.0;  // total_dof / samples
  double lower_bound = 0.0;    // chi2^-1((1 - c) / 2; total_dof) / samples
  double upper_bound = 0.0;    // chi2^-1((1 + c) / 2; total_dof) / samples
  bool inside_bounds = false;  // lower <= mean <= upper (false with no sample)
};

// Accumulates NIS (or NEES) values with their dofs; no allocation.
class ConsistencyAccumulator {
 public:
  void Add(double value, int dof);  // dof >= 1, value >= 0
  int Samples() const { return samples_; }
  // Mean and band at confidence c in (0, 1).
  ConsistencyStats Result(double confidence = 0.95) const;

 private:
  int samples_ = 0;
  int total_dof_ = 0;
  double sum_ = 0.0;
};

// Convenience: the same over parallel vectors (values.size() == dofs.size()).
ConsistencyStats NisConsistency(const std::vector<double>& values, const std::vector<int>& dofs,
                                double confidence = 0.95);

// The following track's error at one output time of a truth.
struct ErrorSample {
  double t_s = 0.0;
  int track_id = -1;
  std::string phase;
  double position_error_m = 0.0;    // |r_track - r_truth|
  double velocity_error_mps = 0.0;  // |v_track - v_truth|
  double position_sigma_m = 0.0;    // sqrt(lambda_max(P_rr))
  double nees = 0.0;                // NaN when P is not positive definite
};

struct PhaseRmse {
  std::string phase;
  int samples = 0;
  double rmse_position_m = 0.0;
  double rmse_velocity_mps = 0.0;
};

struct TruthMetrics {
  std::string truth_id;
  std::string class_name;
  double launch_time_s = 0.0;
  int output_times = 0;             // rows of this truth
  int tracked_times = 0;            // of which with a following track
  std::vector<ErrorSample> errors;  // one per tracked time, in time order
  double rmse_position_m = 0.0;     // over all tracked times (NaN if none)
  double rmse_velocity_mps = 0.0;
  std::vector<PhaseRmse> rmse_by_phase;    // in order of first appearance
  ConsistencyStats nees;                   // time-averaged NEES, 6 dof per sample
  double custody_fraction = 0.0;           // tracked_times / output_times
  int masked_output_times = 0;             // output times inside ThreatInfo::custody_mask
  double custody_masked_fraction = 0.0;    // tracked fraction of those (NaN if none)
  int track_breaks = 0;                    // custody lost, then regained
  int id_swaps = 0;                        // following track changed while the previous one lived
  double time_to_first_detection_s = 0.0;  // from launch; NaN if never
  double time_to_confirm_s = 0.0;          // to the first following (confirmed) track; NaN if never
  double time_to_correct_class_s = 0.0;    // to the following track declaring the true class
  double fire_control_fraction = 0.0;      // of output_times, with position_sigma_m < threshold
};

struct RunMetrics {
  std::vector<TruthMetrics> truths;  // in order of first appearance in the truth table
  int confirmed_tracks = 0;          // track ids with at least one confirmed row
  int false_tracks = 0;
  double false_track_duration_s = 0.0;  // summed confirmed time of the false tracks
  int track_truth_switches = 0;         // changes of a track's scored truth (rule 3)
  int id_swaps_total = 0;               // sum of TruthMetrics::id_swaps + track_truth_switches
};

// Metrics of one run. `tracks` must already be scored (ScoreTrackTruth). Every truth id in
// `truth` gets a TruthMetrics; `threats` supplies launch time, class and detection time per id
// (a truth without one: launch = its first row time, no detection time -> NaN). Threats whose id
// has no truth row are ignored.
RunMetrics ComputeRunMetrics(const std::vector<TruthPoint>& truth,
                             const std::vector<TrackPoint>& tracks,
                             const std::vector<ThreatInfo>& threats,
                             const MetricsConfig& config = {});

}  // namespace hyperdef::tracking
