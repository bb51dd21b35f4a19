#include "tracking/distributed_tracker.h"

#include <algorithm>
#include <map>

#include "core/error.h"

namespace hyperdef::tracking {

DistributedTracker::DistributedTracker(int nodes, const TrackerConfig& config,
                                       const TrackingFrame& frame, TrackFusionConfig fusion)
    : fusion_(fusion) {
  HYPERDEF_ASSERT(nodes >= 1);
  nodes_.reserve(static_cast<size_t>(nodes));
  for (int k = 0; k < nodes; ++k) nodes_.emplace_back(config, frame);
}

void DistributedTracker::PredictTo(double t_s) {
  for (Tracker& n : nodes_) n.PredictTo(t_s);
}

bool DistributedTracker::Empty() const {
  for (const Tracker& n : nodes_)
    if (!n.Empty()) return false;
  return true;
}

long DistributedTracker::TracksInitiated() const {
  long total = 0;
  for (const Tracker& n : nodes_) total += n.TracksInitiated();
  return total;
}

void DistributedTracker::Fuse(double t_s) const {
  std::vector<LocalTrack> locals;
  for (size_t k = 0; k < nodes_.size(); ++k)
    for (const TrackView& v : nodes_[k].View(t_s, false))
      locals.push_back({static_cast<int>(k), v.id, v.rv});
  fused_ = fusion_.Fuse(t_s, locals);
  fused_t_s_ = t_s;
}

void DistributedTracker::ProcessFrame(double t_s, const std::vector<Measurement>& measurements) {
  std::vector<std::vector<Measurement>> per_node(nodes_.size());
  for (const Measurement& m : measurements) {
    HYPERDEF_ASSERT(m.sensor_index >= 0 && m.sensor_index < static_cast<int>(nodes_.size()));
    per_node[static_cast<size_t>(m.sensor_index)].push_back(m);
  }
  for (size_t k = 0; k < nodes_.size(); ++k) nodes_[k].ProcessFrame(t_s, per_node[k]);
  Fuse(t_s);
  // Re-label the nodes' update logs with the system ids of this frame's fusion.
  std::map<std::pair<int, int>, int> system_of;
  for (const SystemTrack& s : fused_)
    for (const auto& src : s.sources) system_of[src] = s.id;
  for (size_t k = 0; k < nodes_.size(); ++k) {
    for (TrackUpdateLog& u : nodes_[k].TakeUpdateLog()) {
      auto it = system_of.find({static_cast<int>(k), u.track_id});
      if (it == system_of.end()) continue;
      u.track_id = it->second;
      log_.push_back(std::move(u));
    }
  }
}

std::vector<TrackView> DistributedTracker::View(double t_s, bool /*include_tentative*/) const {
  if (t_s != fused_t_s_) Fuse(t_s);
  std::vector<TrackView> out;
  for (const SystemTrack& s : fused_) {
    TrackView v;
    v.id = s.id;
    v.status = TrackStatus::kConfirmed;
    v.rv = s.rv;
    v.t_last_update_s = -1e300;  // the most recent update among its sources
    for (const auto& [node, local] : s.sources) {
      for (const Track& tr : nodes_[static_cast<size_t>(node)].Tracks())
        if (tr.id == local) v.t_last_update_s = std::max(v.t_last_update_s, tr.t_last_update_s);
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<TrackUpdateLog> DistributedTracker::TakeUpdateLog() {
  std::vector<TrackUpdateLog> out;
  out.swap(log_);
  return out;
}

}  // namespace hyperdef::tracking
