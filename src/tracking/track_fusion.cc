#include "tracking/track_fusion.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/error.h"
#include "tracking/covariance_intersection.h"
#include "tracking/gating.h"

namespace hyperdef::tracking {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kDim = 6;

// A system track being built: its fused estimate, its members (indices into the sorted input)
// and the system ids its members had in the previous call (sorted, unique).
struct Group {
  Gaussian rv;
  std::vector<int> members;
  std::vector<int> prior_ids;
};

// D^2 = d' (Pa + Pb)^-1 d with the unknown cross-covariance taken as zero.
double Distance2(const Gaussian& a, const Gaussian& b) {
  const Eigen::LLT<StateMatrix> llt(a.P + b.P);
  HYPERDEF_ASSERT(llt.info() == Eigen::Success);
  const StateVector d = a.x - b.x;
  return d.dot(llt.solve(d));
}

bool Contains(const std::vector<int>& sorted, int v) {
  return std::binary_search(sorted.begin(), sorted.end(), v);
}

void AddPriorId(std::vector<int>* ids, int id) {
  if (id == 0) return;
  const auto it = std::lower_bound(ids->begin(), ids->end(), id);
  if (it == ids->end() || *it != id) ids->insert(it, id);
}

}  // namespace

void TrackFusionConfig::Validate() const {
  if (!(gate_probability > 0.0 && gate_probability < 1.0)) {
    throw std::invalid_argument("track fusion: gate_probability must be in (0, 1) (got " +
                                std::to_string(gate_probability) + ")");
  }
}

TrackFusion::TrackFusion(TrackFusionConfig config) : config_(config) {
  config_.Validate();
  gate_ = GateThreshold(config_.gate_probability, kDim);
}

std::vector<SystemTrack> TrackFusion::Fuse(double t_s, const std::vector<LocalTrack>& tracks) {
  const int n = static_cast<int>(tracks.size());
  // Canonical order (node, local id): everything below depends on it only.
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  const auto key = [&](int i) { return std::make_pair(tracks[i].node, tracks[i].local_id); };
  std::sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
  std::vector<Gaussian> rv(n);
  std::vector<int> prior(n, 0);  // previous system id of each (sorted) track, 0 if none
  for (int k = 0; k < n; ++k) {
    const LocalTrack& tr = tracks[order[k]];
    HYPERDEF_ASSERT(k == 0 || key(order[k - 1]) != key(order[k]));  // distinct sources
    HYPERDEF_ASSERT(tr.rv.x.size() == kDim && tr.rv.P.rows() == kDim && tr.rv.P.cols() == kDim);
    HYPERDEF_ASSERT(std::abs(tr.rv.t_s - t_s) <= 1e-9);
    HYPERDEF_ASSERT(Eigen::LLT<StateMatrix>(tr.rv.P).info() == Eigen::Success);
    rv[k] = tr.rv;
    rv[k].t_s = t_s;
    const auto it = previous_id_.find(key(order[k]));
    if (it != previous_id_.end()) prior[k] = it->second;
  }

  // Sequential GNN over the nodes in increasing order.
  std::vector<Group> groups;
  const auto start_group = [&](int k) {
    Group g;
    g.rv = rv[k];
    g.members.push_back(k);
    AddPriorId(&g.prior_ids, prior[k]);
    groups.push_back(std::move(g));
  };
  Eigen::MatrixXd cost;
  std::vector<double> miss;
  for (int b = 0; b < n;) {
    int e = b;
    while (e < n && tracks[order[e]].node == tracks[order[b]].node) ++e;
    const int rows = e - b, cols = static_cast<int>(groups.size());
    if (cols == 0) {
      for (int k = b; k < e; ++k) start_group(k);
      b = e;
      continue;
    }
    // Lexicographic cost: a non-continuing pair pays M more than any set of continuing pairs
    // can save on D^2 (each D^2 <= gamma, at most min(rows, cols) pairs), so GNN first
    // maximises the number of continuing pairs, then minimises the sum of D^2. A miss costs
    // gamma + M, no less than any in-gate pair: in-gate tracks always pair when they can.
    const double big = (std::min(rows, cols) + 1) * gate_;
    cost.resize(rows, cols);
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < cols; ++j) {
        const double d2 = Distance2(rv[b + i], groups[j].rv);
        if (!InGate(d2, gate_)) {
          cost(i, j) = kInf;
        } else {
          const bool continuing = prior[b + i] != 0 && Contains(groups[j].prior_ids, prior[b + i]);
          cost(i, j) = continuing ? d2 : d2 + big;
        }
      }
    }
    miss.assign(rows, gate_ + big);
    const std::vector<int> col = solver_.SolveGnn(cost, miss);
    for (int i = 0; i < rows; ++i) {
      const int k = b + i;
      if (col[i] < 0) {
        start_group(k);  // appended after the assigned columns: their indices stay valid
        continue;
      }
      Group& g = groups[col[i]];
      g.rv = CovarianceIntersection(g.rv, rv[k]);
      g.members.push_back(k);
      AddPriorId(&g.prior_ids, prior[k]);
    }
    b = e;
  }

  // Ids: claims (old id, group) in increasing old id; among the groups claiming one id, the one
  // with more of its sources wins, then the one with the smallest source. A group takes the
  // first id it wins; the others get new ids in the order of their smallest source.
  struct Claim {
    int old_id;
    int count;
    int first;  // smallest member (sorted index) with that old id
    int group;
  };
  std::vector<Claim> claims;
  const int ng = static_cast<int>(groups.size());
  for (int g = 0; g < ng; ++g) {
    for (int id : groups[g].prior_ids) {
      Claim c{id, 0, n, g};
      for (int k : groups[g].members) {
        if (prior[k] != id) continue;
        ++c.count;
        c.first = std::min(c.first, k);
      }
      claims.push_back(c);
    }
  }
  std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
    if (a.old_id != b.old_id) return a.old_id < b.old_id;
    if (a.count != b.count) return a.count > b.count;
    return a.first < b.first;
  });
  std::vector<int> id(ng, 0);
  int taken = 0;
  for (const Claim& c : claims) {
    if (id[c.group] != 0 || c.old_id == taken) continue;
    id[c.group] = c.old_id;
    taken = c.old_id;
  }
  // Groups were created in order of their first member, the smallest source of each.
  for (int g = 0; g < ng; ++g) {
    if (id[g] == 0) id[g] = next_id_++;
  }

  previous_id_.clear();
  std::vector<SystemTrack> out(ng);
  for (int g = 0; g < ng; ++g) {
    SystemTrack& st = out[g];
    st.id = id[g];
    st.rv = std::move(groups[g].rv);
    // Members joined in increasing node order, one per node: already sorted.
    for (int k : groups[g].members) {
      st.sources.push_back(key(order[k]));
      previous_id_[key(order[k])] = st.id;
    }
  }
  std::sort(out.begin(), out.end(),
            [](const SystemTrack& a, const SystemTrack& b) { return a.id < b.id; });
  return out;
}

}  // namespace hyperdef::tracking
