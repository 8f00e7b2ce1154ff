// All-or-nothing output files: write to "<final>.tmp-<pid>" in the same folder,
// then fsync and rename over the final name. A destroyed, uncommitted output
// removes its temporary file, so a failed stage never leaves a file that make
// would take for finished work.
#pragma once

#include <string>

namespace plifkit {

class AtomicOutput {
 public:
  // Throws IoError when the folder of final_path does not exist or is not
  // writable (checked now, before any expensive work).
  explicit AtomicOutput(std::string final_path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  const std::string& final_path() const { return final_path_; }

  // fsync the temporary file, rename it to the final name, fsync the folder.
  // Throws IoError naming the file on failure.
  void commit();

 private:
  std::string final_path_;
  std::string temp_path_;
  bool committed_ = false;
};

// The folder part of a path ("." when there is none).
std::string parent_folder(const std::string& path);

}  // namespace plifkit
