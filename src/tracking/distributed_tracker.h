// Distributed tracking: one tracker per node (a space layer, a radar), each fusing only its own
// sensor's measurements (centralised within the node, tracker.h), and a fusion centre that turns
// the nodes' confirmed tracks into system tracks by track-to-track association and covariance
// intersection (track_fusion.h), because the nodes' errors are correlated in unknown ways.
// System tracks are what the simulation shows, cues sensors with and scores.
//
// Each frame: every node predicts and processes its measurements, then the fusion centre fuses
// the nodes' confirmed tracks at the frame time. A node's tentative tracks stay inside the node.
// The update log is re-labelled with system ids (the update of a local track counts for the
// system track that holds it after the frame's fusion); updates of tracks held by no system
// track are not reported.
#pragma once

#include <vector>

#include "tracking/track_fusion.h"
#include "tracking/tracker.h"

namespace hyperdef::tracking {

class DistributedTracker : public TrackerInterface {
 public:
  // One node per sensor: Measurement::sensor_index in [0, nodes) selects it.
  DistributedTracker(int nodes, const TrackerConfig& config, const TrackingFrame& frame,
                     TrackFusionConfig fusion = {});

  void PredictTo(double t_s) override;
  void ProcessFrame(double t_s, const std::vector<Measurement>& measurements) override;
  bool Empty() const override;
  // System tracks (always confirmed; `include_tentative` does not apply: a node's tentative
  // tracks are not reported to the fusion centre). Fusion is stateful (stable system ids), so a
  // view at a new time fuses afresh; at the last fused time it returns the cached result.
  std::vector<TrackView> View(double t_s, bool include_tentative) const override;
  std::vector<TrackUpdateLog> TakeUpdateLog() override;
  long TracksInitiated() const override;

  const std::vector<Tracker>& Nodes() const { return nodes_; }

 private:
  void Fuse(double t_s) const;

  std::vector<Tracker> nodes_;
  mutable TrackFusion fusion_;
  mutable double fused_t_s_ = -1e300;
  mutable std::vector<SystemTrack> fused_;
  std::vector<TrackUpdateLog> log_;
};

}  // namespace hyperdef::tracking
