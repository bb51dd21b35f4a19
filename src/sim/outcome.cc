#include "sim/outcome.h"

#include <algorithm>

#include "earth/wgs84.h"

namespace hyperdef::sim {

const char* ToString(ThreatOutcome::Result r) {
  switch (r) {
    case ThreatOutcome::Result::kKilled:
      return "killed";
    case ThreatOutcome::Result::kLeaked:
      return "leaked";
    case ThreatOutcome::Result::kInFlight:
      return "in_flight";
  }
  return "in_flight";
}

RaidOutcome ComputeOutcome(const ScenarioSpec& spec, const RunResult& result) {
  RaidOutcome out;
  out.assets.resize(spec.assets.size());
  for (const AssetSpec& a : spec.assets) out.total_value += a.value;
  const EngagementResult* e =
      result.tracking && result.tracking->engagement ? &*result.tracking->engagement : nullptr;
  for (const threats::Trajectory& tr : result.trajectories) {
    ThreatOutcome t;
    t.threat_id = tr.threat_id;
    const auto k =
        e ? e->kill_time_s.find(tr.threat_id) : std::map<std::string, double>::const_iterator{};
    if (e && k != e->kill_time_s.end()) {
      t.result = ThreatOutcome::Result::kKilled;
      t.kill_time_s = k->second;
      ++out.kills;
    } else if (tr.impacted) {
      t.result = ThreatOutcome::Result::kLeaked;
      ++out.leakers;
      for (size_t i = 0; i < spec.assets.size(); ++i) {
        const AssetSpec& a = spec.assets[i];
        const double d =
            earth::GeodesicDistance_m(tr.impact.lat_rad, tr.impact.lon_rad, a.lat_rad, a.lon_rad);
        if (d <= a.radius_m) {
          t.assets_hit.push_back(i);
          out.assets[i].leakers += 1;
          out.assets[i].damage_value += a.value;
        }
      }
    } else {
      ++out.in_flight;
    }
    if (e) {
      for (const ShotRecord& s : e->shots) {
        if (s.threat_id != tr.threat_id) continue;
        ++t.shots;
        if (s.result == "kill" || s.result == "miss") {
          t.best_miss_m = t.best_miss_m < 0 ? s.miss_m : std::min(t.best_miss_m, s.miss_m);
        }
      }
    }
    out.threats.push_back(std::move(t));
  }
  for (size_t i = 0; i < spec.assets.size(); ++i) {
    if (out.assets[i].leakers == 0) out.defended_value += spec.assets[i].value;
  }
  return out;
}

}  // namespace hyperdef::sim
