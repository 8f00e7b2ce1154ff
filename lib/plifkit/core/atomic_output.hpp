// All-or-nothing output files: write to "<final>.tmp-<pid>" in the same folder,
// then fsync and rename over the final name. A destroyed, uncommitted output
// removes its temporary file, so a failed stage never leaves a file that make
// would take for finished work.
#pragma once

#include <cstddef>
#include <string>

namespace plifkit {

class AtomicOutput {
 public:
  // Creates the (empty) temporary file now, so that a missing or unwritable
  // folder, or a final path that is a folder, throws IoError naming
  // final_path before any expensive work.
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

// Writes `size` bytes to `path` all-or-nothing through an AtomicOutput.
// Throws IoError naming path and the system's reason ("No space left on
// device", "File too large").
void write_file_atomically(const std::string& path, const void* data, std::size_t size);

// The folder part of a path ("." when there is none).
std::string parent_folder(const std::string& path);

}  // namespace plifkit
