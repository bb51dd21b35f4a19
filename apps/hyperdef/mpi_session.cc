#include "mpi_session.h"

#include <mpi.h>

#include <cstdlib>
#include <stdexcept>

namespace hyperdef::app {

namespace {
bool LaunchedByMpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(v) != nullptr) return true;
  }
  return false;
}
}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  if (!LaunchedByMpi()) return;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (active_) MPI_Finalize();
}

std::vector<std::string> MpiSession::GatherToRoot(const std::string& mine) const {
  if (!active_ || size_ == 1) return {mine};
  // Sizes first, then the bytes. A part is at most a few hundred MB (10^6 runs x ~50 numbers);
  // int counts limit one message to 2 GiB.
  if (mine.size() > static_cast<size_t>(INT32_MAX)) {
    throw std::runtime_error("MPI gather: a rank's results exceed 2 GiB");
  }
  const int n = static_cast<int>(mine.size());
  std::vector<int> sizes(rank_ == 0 ? size_ : 0);
  MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> offsets(sizes.size());
  long total = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    offsets[i] = static_cast<int>(total);
    total += sizes[i];
  }
  if (total > INT32_MAX) throw std::runtime_error("MPI gather: results exceed 2 GiB");
  std::string all(rank_ == 0 ? static_cast<size_t>(total) : 0, '\0');
  MPI_Gatherv(mine.data(), n, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, 0,
              MPI_COMM_WORLD);
  std::vector<std::string> out;
  for (size_t i = 0; i < sizes.size(); ++i) out.push_back(all.substr(offsets[i], sizes[i]));
  return out;
}

bool MpiSession::AllTrue(bool mine) const {
  if (!active_) return mine;
  int in = mine ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
  return out != 0;
}

}  // namespace hyperdef::app
