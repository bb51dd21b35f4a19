// MPI for `hyperdef mc` and `hyperdef sweep` under mpirun/srun: started only when the process was
// launched by an MPI launcher (Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; PMI/PMIx launchers
// such as Slurm's srun set PMI_SIZE or PMIX_RANK), so a plain `hyperdef run` never touches MPI.
// Only the main thread calls MPI (MPI_THREAD_FUNNELED); worker threads never do.
#pragma once

#include <string>
#include <vector>

namespace hyperdef::app {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  bool active() const { return active_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Every rank passes its bytes; rank 0 receives all ranks' (in rank order), others an empty list.
  std::vector<std::string> GatherToRoot(const std::string& mine) const;
  // Logical AND of a flag over ranks (every rank gets the result).
  bool AllTrue(bool mine) const;

 private:
  bool active_ = false;
  int rank_ = 0, size_ = 1;
};

}  // namespace hyperdef::app
